// timerfd.cpp: see timerfd.h. One spinlock guards every timerfd's setting
// and count and the list of armed ones, since the tick walks that list from
// the interrupt handler; earliest_deadline lets the tick skip the lock
// while no armed timer is due.
#include "fs/timerfd.h"

#include "api/constants.h"
#include "fs/poll_wait.h"
#include "sched/scheduler.h"
#include "sync/spinlock.h"
#include "time/clock.h"

namespace kite::timerfd {

namespace {

constexpr const char* timerfd_kind = "[timerfd]";
constexpr u64 ns_per_second = 1'000'000'000;

class TimerFd;

Spinlock lock{"timerfds", LockRank::TimerFds};
TimerFd* armed = nullptr;        // under lock
u64 earliest_deadline = ~u64{0}; // monotonic ns; read without the lock by the tick

u64 to_ns(const abi::Timespec& time) {
    return min<u64>(static_cast<u64>(time.seconds), 1ull << 32) * ns_per_second +
           static_cast<u64>(time.nanoseconds);
}
abi::Timespec to_timespec(u64 ns) {
    return {static_cast<long>(ns / ns_per_second), static_cast<long>(ns % ns_per_second)};
}

class TimerFd final : public Vnode {
  public:
    explicit TimerFd(bool realtime) : Vnode(VnodeType::Anonymous, 0600), m_realtime(realtime) {}
    ~TimerFd() override {
        SpinlockGuard guard(lock);
        disarm_locked();
    }

    const char* anonymous_kind() const override { return timerfd_kind; }
    bool is_seekable() const override { return false; }
    u64 poll_event_count() const override { return __atomic_load_n(&m_events, __ATOMIC_RELAXED); }
    u32 poll_ready() override {
        SpinlockGuard guard(lock);
        expire_locked(clock::monotonic_ns());
        return m_expirations > 0 ? abi::POLLIN | abi::POLLRDNORM : 0;
    }
    ErrorOr<usize> read(u64, const IoBuffer& to, usize length) override {
        return read_with_flags(0, to, length, 0);
    }
    ErrorOr<usize> read_with_flags(u64, const IoBuffer& to, usize length, u32 flags) override {
        if (length < sizeof(u64)) {
            return Error(Errno::INVAL, "a timerfd reads 8 bytes");
        }
        u64 count;
        {
            SpinlockGuard guard(lock);
            for (;;) {
                expire_locked(clock::monotonic_ns());
                if (m_expirations > 0) {
                    break;
                }
                if (flags & abi::O_NONBLOCK) {
                    return Error(Errno::AGAIN, "no expiry yet");
                }
                if (m_readable.wait(lock) == WaitResult::Interrupted) {
                    return Error(Errno::RESTARTSYS, "interrupted by a signal");
                }
            }
            count = m_expirations;
            m_expirations = 0;
        }
        TRY(to.write(0, &count, sizeof(count)));
        return sizeof(count);
    }

    abi::Itimerspec set(const abi::Itimerspec& setting, bool absolute) {
        SpinlockGuard guard(lock);
        const u64 now = clock::monotonic_ns();
        const abi::Itimerspec old = get_locked(now);
        disarm_locked();
        m_expirations = 0;
        m_interval_ns = to_ns(setting.interval);
        const u64 value = to_ns(setting.value);
        if (value == 0) {
            m_interval_ns = 0;
            return old;
        }
        u64 deadline = now + value;
        if (absolute) {
            // The wall clock is the monotonic one plus a constant (for
            // now), so a wall-clock deadline is a monotonic one.
            const i64 offset = m_realtime ? clock::realtime_ns() - static_cast<i64>(now) : 0;
            const i64 at = static_cast<i64>(value) - offset;
            deadline = at > 0 ? static_cast<u64>(at) : 0;
        }
        m_deadline = deadline;
        m_armed = true;
        m_next = armed;
        armed = this;
        if (deadline < earliest_deadline) {
            __atomic_store_n(&earliest_deadline, deadline, __ATOMIC_RELAXED);
        }
        return old;
    }

    abi::Itimerspec get() {
        SpinlockGuard guard(lock);
        return get_locked(clock::monotonic_ns());
    }

    // Counts the expiries up to now; wakes whoever waits for them. A
    // periodic timer moves on by whole periods, a one-shot disarms.
    void expire_locked(u64 now) {
        if (!m_armed || now < m_deadline) {
            return;
        }
        u64 count = 1;
        if (m_interval_ns > 0) {
            count += (now - m_deadline) / m_interval_ns;
            m_deadline += count * m_interval_ns;
        } else {
            disarm_locked();
        }
        m_expirations += count;
        __atomic_add_fetch(&m_events, 1, __ATOMIC_RELAXED);
        m_readable.wake_all();
        poll_wait::notify();
    }

    [[nodiscard]] bool is_armed() const { return m_armed; }
    [[nodiscard]] u64 deadline() const { return m_deadline; }
    TimerFd* next_armed() const { return m_next; }

  private:
    abi::Itimerspec get_locked(u64 now) {
        expire_locked(now);
        abi::Itimerspec value{};
        if (m_armed) {
            value.value = to_timespec(m_deadline > now ? m_deadline - now : 0);
            value.interval = to_timespec(m_interval_ns);
        }
        return value;
    }
    void disarm_locked() {
        if (!m_armed) {
            return;
        }
        m_armed = false;
        for (TimerFd** at = &armed; *at; at = &(*at)->m_next) {
            if (*at == this) {
                *at = m_next;
                break;
            }
        }
        m_next = nullptr;
    }

    bool m_realtime;
    // Under lock.
    bool m_armed = false;
    u64 m_deadline = 0; // monotonic ns
    u64 m_interval_ns = 0;
    u64 m_expirations = 0;
    TimerFd* m_next = nullptr; // on the armed list
    u64 m_events = 0;          // for EPOLLET: every batch of expiries
    WaitQueue m_readable;
};

} // namespace

ErrorOr<RefPtr<Vnode>> create(bool realtime) {
    auto timer = TRY(try_make_ref<TimerFd>(realtime));
    return RefPtr<Vnode>(timer);
}

bool is_timerfd(const Vnode& vnode) {
    return vnode.anonymous_kind() == timerfd_kind;
}

abi::Itimerspec set(Vnode& timer, const abi::Itimerspec& setting, bool absolute) {
    return static_cast<TimerFd&>(timer).set(setting, absolute);
}

abi::Itimerspec get(Vnode& timer) {
    return static_cast<TimerFd&>(timer).get();
}

void tick() {
    const u64 now = clock::monotonic_ns();
    if (now < __atomic_load_n(&earliest_deadline, __ATOMIC_RELAXED)) {
        return;
    }
    SpinlockGuard guard(lock);
    u64 earliest = ~u64{0};
    for (TimerFd* timer = armed; timer;) {
        TimerFd* next = timer->next_armed(); // expiring may take it off the list
        timer->expire_locked(now);
        if (timer->is_armed()) {
            earliest = min(earliest, timer->deadline());
        }
        timer = next;
    }
    __atomic_store_n(&earliest_deadline, earliest, __ATOMIC_RELAXED);
}

} // namespace kite::timerfd
