// spinlock.h: a named lock for data that interrupt handlers or other CPUs
// may touch. Holding one keeps interrupts off on this CPU, so the holder is
// never preempted and never sleeps; take it through SpinlockGuard, which
// saves the interrupt flag and puts back exactly that.
//
//   Spinlock table_lock{"process table", LockRank::ProcessTable};
//   SpinlockGuard guard(table_lock);
//   VERIFY(table_lock.is_held());
//
// Every acquisition checks the lock order (sync/lock_rank.h) and that the
// lock is not taken twice; either mistake panics with both lock names.
#pragma once

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "lib/types.h"
#include "lib/utility.h"
#include "sync/lock_rank.h"

namespace kite {

class Spinlock : NonCopyable {
  public:
    constexpr Spinlock(const char* name, LockRank rank) : m_name(name), m_rank(rank) {}

    // Interrupts must be off (SpinlockGuard does both). The common case is
    // inline: the lock is free and ranks above every lock this CPU holds.
    void acquire() {
        Spinlock* innermost = cpu_local::innermost_spinlock();
        u32 expected = 0;
        if ((innermost && innermost->m_rank >= m_rank) ||
            !__atomic_compare_exchange_n(&m_holder, &expected, cpu_local::id() + 1, false,
                                         __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) [[unlikely]] {
            acquire_slow();
            return;
        }
        m_taken_after = innermost;
        cpu_local::set_innermost_spinlock(this);
    }
    void release() {
        if (cpu_local::innermost_spinlock() != this) [[unlikely]] {
            release_slow();
            return;
        }
        cpu_local::set_innermost_spinlock(m_taken_after);
        __atomic_store_n(&m_holder, 0, __ATOMIC_RELEASE);
    }

    // Whether this CPU holds it (the "held" assertion: VERIFY(l.is_held())).
    [[nodiscard]] bool is_held() const {
        return __atomic_load_n(&m_holder, __ATOMIC_RELAXED) == cpu_local::id() + 1;
    }
    [[nodiscard]] const char* name() const { return m_name; }
    [[nodiscard]] LockRank rank() const { return m_rank; }
    // The lock this CPU held innermost when it took this one.
    [[nodiscard]] const Spinlock* taken_after() const { return m_taken_after; }

  private:
    void acquire_slow();
    void release_slow();

    const char* m_name;
    LockRank m_rank;
    u32 m_holder = 0;                  // CPU id + 1 while held; 0 when free
    Spinlock* m_taken_after = nullptr; // while held: the chain of held locks
};

class [[nodiscard]] SpinlockGuard : NonCopyable {
  public:
    explicit SpinlockGuard(Spinlock& lock)
        : m_lock(lock), m_were_enabled(cpu::interrupts_enabled()) {
        cpu::disable_interrupts();
        m_lock.acquire();
    }
    ~SpinlockGuard() {
        m_lock.release();
        if (m_were_enabled) {
            cpu::enable_interrupts();
        }
    }

  private:
    Spinlock& m_lock;
    bool m_were_enabled;
};

// The innermost one, or nullptr; for reports.
[[nodiscard]] const Spinlock* innermost_spinlock();

// Data reachable only under its lock: with(f) calls f(data) holding it.
template <typename T>
class Protected : NonCopyable {
  public:
    template <typename... Args>
    constexpr Protected(const char* name, LockRank rank, Args&&... args)
        : m_lock(name, rank), m_value(forward<Args>(args)...) {}

    template <typename F>
    decltype(auto) with(F f) {
        SpinlockGuard guard(m_lock);
        return f(m_value);
    }
    [[nodiscard]] Spinlock& lock() { return m_lock; }

  private:
    Spinlock m_lock;
    T m_value;
};

} // namespace kite
