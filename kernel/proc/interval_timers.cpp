// interval_timers.cpp: see interval_timers.h. No locks, clocks or
// processes here: the callers hold the process table lock and pass the time.
#include "proc/interval_timers.h"

#include "api/signals.h"

namespace kite {

namespace {

using abi::signals::bit;

// A periodic deadline that has passed moves on by whole periods to the
// first one after now (as Linux's hrtimer_forward); gives how many periods
// were skipped besides the one that expired.
u64 forward(u64& deadline, u64 interval, u64 now) {
    const u64 skipped = (now - deadline) / interval;
    deadline += (skipped + 1) * interval;
    return skipped;
}

int saturating_add(int count, u64 more) {
    constexpr int max = 0x7fffffff; // Linux's DELAYTIMER_MAX
    return more >= static_cast<u64>(max - count) ? max : count + static_cast<int>(more);
}

} // namespace

IntervalTimers::~IntervalTimers() = default;

TimerValue IntervalTimers::cpu_value(const CpuTimer& timer, u64 tick_ns) {
    if (!timer.armed) {
        return {0, timer.interval_ns};
    }
    return {timer.left_ns > 0 ? static_cast<u64>(timer.left_ns) : tick_ns, timer.interval_ns};
}

TimerValue IntervalTimers::get(IntervalTimer which, u64 now_ns, u64 tick_ns) const {
    switch (which) {
    case IntervalTimer::Real:
        if (m_real_at_ns == 0) {
            return {};
        }
        return {m_real_at_ns > now_ns ? m_real_at_ns - now_ns : 1000, m_real_interval_ns};
    case IntervalTimer::Virtual:
        return cpu_value(m_virtual, tick_ns);
    case IntervalTimer::Prof:
        return cpu_value(m_prof, tick_ns);
    }
    return {};
}

TimerValue IntervalTimers::set(IntervalTimer which, const TimerValue& setting, u64 now_ns,
                               u64 tick_ns) {
    const TimerValue old = get(which, now_ns, tick_ns);
    if (which == IntervalTimer::Real) {
        m_real_at_ns = setting.value_ns == 0 ? 0 : now_ns + setting.value_ns;
        m_real_interval_ns = setting.value_ns == 0 ? 0 : setting.interval_ns;
        return old;
    }
    CpuTimer& timer = which == IntervalTimer::Virtual ? m_virtual : m_prof;
    timer.armed = setting.value_ns != 0;
    timer.left_ns = timer.armed ? static_cast<i64>(setting.value_ns + tick_ns) : 0;
    timer.interval_ns = setting.interval_ns;
    return old;
}

u64 IntervalTimers::charge_tick(bool in_user_mode, u64 tick_ns) {
    u64 signals = 0;
    const auto charge = [&](CpuTimer& timer, int signal) {
        if (!timer.armed) {
            return;
        }
        timer.left_ns -= static_cast<i64>(tick_ns);
        if (timer.left_ns > 0) {
            return;
        }
        signals |= bit(signal);
        if (timer.interval_ns == 0) {
            timer.armed = false;
            timer.left_ns = 0;
        } else {
            // Still at or below 0 if the period is shorter than a tick: it
            // fires again on the next one (once a tick at most, as Linux).
            timer.left_ns += static_cast<i64>(timer.interval_ns);
        }
    };
    if (in_user_mode) {
        charge(m_virtual, abi::signals::VTALRM);
    }
    charge(m_prof, abi::signals::PROF);
    return signals;
}

IntervalTimers::PosixTimer* IntervalTimers::find(int id) const {
    if (!m_posix || id < 0 || id >= max_posix_timers || !m_posix->timers[id].in_use) {
        return nullptr;
    }
    return &m_posix->timers[id];
}

ErrorOr<int> IntervalTimers::create(const PosixTimerSetup& wanted) {
    if (!m_posix) {
        m_posix = TRY(try_make<PosixTimers>());
    }
    for (int id = 0; id < max_posix_timers; ++id) {
        PosixTimer& timer = m_posix->timers[id];
        if (!timer.in_use) {
            timer = {};
            timer.in_use = true;
            timer.setup = wanted;
            if (wanted.value_is_id) {
                timer.setup.value = static_cast<u64>(id);
            }
            return id;
        }
    }
    return Error(Errno::AGAIN, "too many POSIX timers");
}

ErrorOr<void> IntervalTimers::remove(int id) {
    PosixTimer* timer = find(id);
    if (!timer) {
        return Error(Errno::INVAL, "no such timer");
    }
    *timer = {};
    return {};
}

ErrorOr<PosixTimerSetup> IntervalTimers::setup(int id) const {
    const PosixTimer* timer = find(id);
    if (!timer) {
        return Error(Errno::INVAL, "no such timer");
    }
    return timer->setup;
}

ErrorOr<TimerValue> IntervalTimers::get_posix(int id, u64 now_ns) const {
    const PosixTimer* timer = find(id);
    if (!timer) {
        return Error(Errno::INVAL, "no such timer");
    }
    if (timer->expires_at_ns == 0) {
        return TimerValue{};
    }
    if (timer->expires_at_ns > now_ns) {
        return TimerValue{timer->expires_at_ns - now_ns, timer->interval_ns};
    }
    // Due, and the tick has not seen it yet. Linux shows 1 ns for a timer
    // that signals; one that does not has expired (0), or is in its next
    // period.
    if (timer->setup.signal) {
        return TimerValue{1, timer->interval_ns};
    }
    if (timer->interval_ns == 0) {
        return TimerValue{};
    }
    const u64 into_period = (now_ns - timer->expires_at_ns) % timer->interval_ns;
    return TimerValue{timer->interval_ns - into_period, timer->interval_ns};
}

ErrorOr<TimerValue> IntervalTimers::set_posix(int id, u64 expires_at_ns, u64 interval_ns,
                                              u64 now_ns) {
    const TimerValue old = TRY(get_posix(id, now_ns));
    PosixTimer& timer = *find(id);
    timer.expires_at_ns = expires_at_ns;
    timer.interval_ns = expires_at_ns == 0 ? 0 : interval_ns;
    timer.overrun = 0;
    timer.overrun_last = 0;
    return old;
}

ErrorOr<int> IntervalTimers::overrun(int id, u64 pending) const {
    const PosixTimer* timer = find(id);
    if (!timer) {
        return Error(Errno::INVAL, "no such timer");
    }
    // While the signal sent last waits, the last delivered one was the one
    // before it.
    const bool waiting = timer->setup.signal && (pending & bit(timer->setup.signal_number));
    return waiting ? timer->overrun_last : timer->overrun;
}

void IntervalTimers::delete_posix_timers() {
    m_posix.reset();
}

void IntervalTimers::clear() {
    m_real_at_ns = 0;
    m_real_interval_ns = 0;
    m_virtual = {};
    m_prof = {};
    m_posix.reset();
}

IntervalTimers::Expired IntervalTimers::expire(u64 now_ns, u64 pending) {
    Expired expired;
    if (m_real_at_ns != 0 && m_real_at_ns <= now_ns) {
        expired.signals |= bit(abi::signals::ALRM);
        expired.sent[expired.sent_count++] = {abi::signals::ALRM, -1, 0, 0, 0};
        if (m_real_interval_ns == 0) {
            m_real_at_ns = 0;
        } else {
            (void)forward(m_real_at_ns, m_real_interval_ns, now_ns);
        }
    }
    if (m_posix) {
        for (int id = 0; id < max_posix_timers; ++id) {
            PosixTimer& timer = m_posix->timers[id];
            if (!timer.in_use || timer.expires_at_ns == 0 || timer.expires_at_ns > now_ns) {
                continue;
            }
            u64 skipped = 0;
            if (timer.interval_ns == 0) {
                timer.expires_at_ns = 0;
            } else {
                skipped = forward(timer.expires_at_ns, timer.interval_ns, now_ns);
            }
            if (!timer.setup.signal) {
                continue;
            }
            const u64 signal = bit(timer.setup.signal_number);
            if ((pending | expired.signals) & signal) {
                // The signal this timer sent has not been delivered yet:
                // this expiry joins it as an overrun.
                timer.overrun = saturating_add(timer.overrun, skipped + 1);
            } else {
                // The signal sent before has been delivered: its count is
                // final, and a new one starts.
                timer.overrun_last = timer.overrun;
                timer.overrun = saturating_add(0, skipped);
                expired.signals |= signal;
                expired.sent[expired.sent_count++] = {
                    timer.setup.signal_number, id, timer.overrun, timer.setup.thread_id,
                    timer.setup.value_is_id ? static_cast<u64>(id) : timer.setup.value};
            }
        }
    }
    expired.next_deadline_ns = next_deadline();
    return expired;
}

u64 IntervalTimers::next_deadline() const {
    u64 next = m_real_at_ns != 0 ? m_real_at_ns : no_deadline;
    if (m_posix) {
        for (const PosixTimer& timer : m_posix->timers) {
            if (timer.in_use && timer.expires_at_ns != 0 && timer.expires_at_ns < next) {
                next = timer.expires_at_ns;
            }
        }
    }
    return next;
}

} // namespace kite
