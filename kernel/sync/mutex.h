// mutex.h: a sleeping lock, for data held across something that may block
// or fault: a user copy, a wait for a pipe, later a block read. A thread that
// finds it taken sleeps until the holder lets go. No spinlock may be held
// while taking one, and the lock order (sync/lock_rank.h) is checked per
// thread; a thread taking a mutex it holds panics.
//
//   Mutex tree_lock{"vfs namespace", LockRank::VfsNamespace};
//   MutexGuard guard(tree_lock);
#pragma once

#include "sched/scheduler.h"
#include "sync/spinlock.h"

namespace kite {

class Mutex : NonCopyable {
  public:
    constexpr Mutex(const char* name, LockRank rank) : m_name(name), m_rank(rank) {}

    // The common cases are inline: taking a free mutex in rank order with
    // no spinlock held, and letting go of the innermost one.
    void lock() {
        Thread* self = cpu_local::current_thread();
        u32 expected = 0;
        if (cpu_local::innermost_spinlock() || !self || !in_order(self->held_mutexes) ||
            !__atomic_compare_exchange_n(&m_word, &expected, 1, false, __ATOMIC_ACQUIRE,
                                         __ATOMIC_RELAXED)) [[unlikely]] {
            lock_checked();
            return;
        }
        m_owner = self;
        self->held_mutexes.locks[self->held_mutexes.count++] = this;
    }
    void unlock() {
        Thread* self = cpu_local::current_thread();
        HeldMutexes* held = self ? &self->held_mutexes : nullptr;
        if (m_owner != self || !held || held->count == 0 || held->locks[held->count - 1] != this)
            [[unlikely]] {
            unlock_checked();
            return;
        }
        --held->count;
        m_owner = nullptr;
        if (__atomic_exchange_n(&m_word, 0, __ATOMIC_RELEASE) == 2) [[unlikely]] {
            wake_waiter();
        }
    }
    // Lets go only if nobody waits (no wakeup to make), for a waiter that
    // holds the scheduler lock; false, and still held, otherwise.
    [[nodiscard]] bool unlock_if_uncontended() {
        Thread* self = cpu_local::current_thread();
        HeldMutexes* held = self ? &self->held_mutexes : nullptr;
        if (m_owner != self || !held || held->count == 0 || held->locks[held->count - 1] != this) {
            return false;
        }
        m_owner = nullptr;
        u32 expected = 1;
        if (!__atomic_compare_exchange_n(&m_word, &expected, 0, false, __ATOMIC_RELEASE,
                                         __ATOMIC_RELAXED)) {
            m_owner = self;
            return false;
        }
        --held->count;
        return true;
    }
    // Takes it only if it is free, whatever the calling thread holds: a
    // try cannot deadlock, so it needs no place in the lock order (a
    // reclaimer visiting other files' data locks). Locks taken while it is
    // held are checked against it as usual.
    [[nodiscard]] bool try_lock();
    // Whether a mutex of rank could be taken now in order: no spinlock
    // held, and every held mutex of a lower rank.
    [[nodiscard]] static bool order_allows(LockRank rank);
    // Whether the calling thread holds it.
    [[nodiscard]] bool is_held() const {
        return __atomic_load_n(&m_word, __ATOMIC_RELAXED) != 0 &&
               m_owner == cpu_local::current_thread();
    }
    [[nodiscard]] const char* name() const { return m_name; }
    [[nodiscard]] LockRank rank() const { return m_rank; }

  private:
    [[nodiscard]] bool in_order(const HeldMutexes& held) const {
        return held.count == 0 ||
               (held.count < HeldMutexes::capacity && held.locks[held.count - 1]->m_rank < m_rank);
    }
    void lock_checked();
    void unlock_checked();
    void lock_slow();
    void wake_waiter();

    const char* m_name;
    LockRank m_rank;
    // 0: free; 1: taken; 2: taken and a thread may be waiting. Taking a free
    // mutex and releasing one nobody waits for are one atomic operation;
    // waiters go to sleep under m_sleep, which a releaser of a state-2 mutex
    // also takes, so no wakeup is lost.
    u32 m_word = 0;
    Thread* m_owner = nullptr; // null before the scheduler runs
    Spinlock m_sleep{"mutex sleep", LockRank::MutexState};
    WaitQueue m_waiters;
};

class [[nodiscard]] MutexGuard : NonCopyable {
  public:
    explicit MutexGuard(Mutex& mutex) : m_mutex(mutex) { m_mutex.lock(); }
    ~MutexGuard() { m_mutex.unlock(); }

  private:
    Mutex& m_mutex;
};

} // namespace kite
