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

void Mutex::lock() {
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
    {
        SpinlockGuard guard(m_state);
        while (m_locked) {
            if (m_owner == Scheduler::current()) [[unlikely]] {
                panic("mutex '{}' taken twice by one thread", m_name);
            }
            (void)m_waiters.wait(m_state);
        }
        m_locked = true;
        m_owner = Scheduler::current();
    }
    if (held) {
        if (held->count == HeldMutexes::capacity) [[unlikely]] {
            panic("more than {} mutexes held by one thread (taking '{}')", HeldMutexes::capacity,
                  m_name);
        }
        held->locks[held->count++] = this;
    }
}

void Mutex::unlock() {
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
    SpinlockGuard guard(m_state);
    m_locked = false;
    m_owner = nullptr;
    m_waiters.wake_one();
}

bool Mutex::is_held() const {
    return m_locked && m_owner == Scheduler::current();
}

} // namespace kite
