// mutex.cpp: see mutex.h.
#include "sync/mutex.h"

#include "debug/panic.h"

namespace kite {

namespace {

HeldMutexes* held_by_current() {
    Thread* self = Scheduler::current();
    return self ? &self->held_mutexes : nullptr;
}

} // namespace

// The inline lock found something unusual: a spinlock held, a lock order
// problem, no thread yet (early boot), or the mutex taken.
void Mutex::lock_checked() {
    if (const Spinlock* spinning = innermost_spinlock()) [[unlikely]] {
        panic("mutex '{}' taken while holding spinlock '{}' (a mutex may sleep)", m_name,
              spinning->name());
    }
    HeldMutexes* held = held_by_current();
    if (held && held->count > 0) {
        const Mutex& innermost = *held->locks[held->count - 1];
        if (innermost.m_rank >= m_rank) [[unlikely]] {
            if (is_held()) {
                panic("mutex '{}' taken twice by one thread", m_name);
            }
            panic("lock order: taking mutex '{}' (rank {}) while holding '{}' (rank {})", m_name,
                  static_cast<u32>(m_rank), innermost.m_name, static_cast<u32>(innermost.m_rank));
        }
    }
    u32 expected = 0;
    if (!__atomic_compare_exchange_n(&m_word, &expected, 1, false, __ATOMIC_ACQUIRE,
                                     __ATOMIC_RELAXED)) [[unlikely]] {
        lock_slow();
    }
    m_owner = Scheduler::current();
    if (held) {
        if (held->count == HeldMutexes::capacity) [[unlikely]] {
            panic("more than {} mutexes held by one thread (taking '{}')", HeldMutexes::capacity,
                  m_name);
        }
        held->locks[held->count++] = this;
    }
}

bool Mutex::try_lock() {
    if (innermost_spinlock()) [[unlikely]] {
        panic("mutex '{}' tried while holding spinlock '{}' (a mutex may sleep)", m_name,
              innermost_spinlock()->name());
    }
    HeldMutexes* held = held_by_current();
    if (held && held->count == HeldMutexes::capacity) {
        return false;
    }
    u32 expected = 0;
    if (!__atomic_compare_exchange_n(&m_word, &expected, 1, false, __ATOMIC_ACQUIRE,
                                     __ATOMIC_RELAXED)) {
        return false;
    }
    m_owner = Scheduler::current();
    if (held) {
        held->locks[held->count++] = this;
    }
    return true;
}

bool Mutex::order_allows(LockRank rank) {
    if (innermost_spinlock()) {
        return false;
    }
    const HeldMutexes* held = held_by_current();
    return !held || held->count == 0 ||
           (held->count < HeldMutexes::capacity && held->locks[held->count - 1]->m_rank < rank);
}

void Mutex::unlock_checked() {
    if (!is_held()) [[unlikely]] {
        panic("mutex '{}' unlocked by a thread that does not hold it", m_name);
    }
    if (HeldMutexes* held = held_by_current()) {
        u32 i = held->count;
        while (i > 0 && held->locks[i - 1] != this) {
            --i;
        }
        VERIFY(i > 0);
        for (; i < held->count; ++i) {
            held->locks[i - 1] = held->locks[i];
        }
        --held->count;
    }
    m_owner = nullptr;
    if (__atomic_exchange_n(&m_word, 0, __ATOMIC_RELEASE) == 2) {
        wake_waiter();
    }
}

void Mutex::wake_waiter() {
    SpinlockGuard guard(m_sleep);
    m_waiters.wake_one();
}

// Taken: sleep until it is free, marking it as waited for.
void Mutex::lock_slow() {
    if (m_owner == Scheduler::current() && m_owner) [[unlikely]] {
        panic("mutex '{}' taken twice by one thread", m_name);
    }
    SpinlockGuard guard(m_sleep);
    while (__atomic_exchange_n(&m_word, 2, __ATOMIC_ACQUIRE) != 0) {
        (void)m_waiters.wait(m_sleep, 0, Interruptible::No);
    }
}

} // namespace kite
