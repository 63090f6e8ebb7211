// spinlock.cpp: see spinlock.h. One CPU today, so a lock found taken can only
// be this CPU's own (interrupts are off while it is held): that is a bug,
// reported at once instead of spinning for ever. With several CPUs the loop
// below spins while another CPU holds it.
#include "sync/spinlock.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "debug/panic.h"

namespace kite {

namespace {

[[noreturn]] void order_violation(const Spinlock& taking, const Spinlock& holding) {
    panic("lock order: taking spinlock '{}' (rank {}) while holding '{}' (rank {})", taking.name(),
          static_cast<u32>(taking.rank()), holding.name(), static_cast<u32>(holding.rank()));
}

} // namespace

// The inline acquire found something unusual: interrupts on, a lock order
// problem, the lock taken (by this CPU: a bug; by another: spin), or a full
// list of held locks.
void Spinlock::acquire_slow() {
    if (cpu::interrupts_enabled()) [[unlikely]] {
        panic("spinlock '{}' taken with interrupts on", m_name);
    }
    CpuLocal& here = cpu_local::get();
    const u32 me = here.id + 1;
    if (Spinlock* innermost = here.innermost_spinlock) {
        if (innermost->m_rank >= m_rank) {
            if (innermost == this || m_holder == me) {
                panic("spinlock '{}' taken twice on one CPU", m_name);
            }
            order_violation(*this, *innermost);
        }
    }
    u32 expected = 0;
    while (!__atomic_compare_exchange_n(&m_holder, &expected, me, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED)) {
        if (expected == me) {
            panic("spinlock '{}' taken twice on one CPU", m_name);
        }
        expected = 0;
        asm volatile("pause");
    }
    m_taken_after = here.innermost_spinlock;
    here.innermost_spinlock = this;
}

// Not the innermost lock: a wait that drops the caller's lock releases one
// further out; anything else is a bug.
void Spinlock::release_slow() {
    CpuLocal& here = cpu_local::get();
    if (m_holder != here.id + 1) {
        panic("spinlock '{}' released by a CPU that does not hold it", m_name);
    }
    Spinlock** link = &here.innermost_spinlock;
    while (*link && *link != this) {
        link = &(*link)->m_taken_after;
    }
    VERIFY(*link == this);
    *link = m_taken_after;
    __atomic_store_n(&m_holder, 0, __ATOMIC_RELEASE);
}

const Spinlock* innermost_spinlock() {
    return cpu_local::innermost_spinlock();
}

} // namespace kite
