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

    void lock();
    void unlock();
    // Whether the calling thread holds it.
    [[nodiscard]] bool is_held() const;
    [[nodiscard]] const char* name() const { return m_name; }
    [[nodiscard]] LockRank rank() const { return m_rank; }

  private:
    const char* m_name;
    LockRank m_rank;
    // Guards m_locked and m_owner; waiters sleep on m_waiters with it.
    Spinlock m_state{"mutex state", LockRank::MutexState};
    bool m_locked = false;
    Thread* m_owner = nullptr; // null before the scheduler runs
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
