// alarm.cpp: alarm(2). Each process keeps the monotonic time its alarm is
// due; the timer tick compares the earliest of them with the clock and only
// walks the process list when one is due, so a tick without a due alarm
// costs one comparison.
#include "proc/process.h"
#include "time/clock.h"

namespace kite {

namespace {

constexpr u64 no_alarm = ~u64{0};
constexpr u64 ns_per_second = 1'000'000'000;
// Not later than any armed alarm (it may be earlier: a cancelled alarm
// leaves it behind, and the next walk recomputes it).
u64 earliest_alarm_ns = no_alarm;

} // namespace

u64 Process::set_alarm(u64 seconds) {
    SpinlockGuard guard(table_lock()); // the tick reads the deadlines
    const u64 now = clock::monotonic_ns();
    u64 left = 0;
    if (m_alarm_at_ns != 0 && m_alarm_at_ns <= now) {
        // Due, but no tick has fired it yet: it fires now, as it would
        // have, and nothing was left of it.
        m_alarm_at_ns = 0;
        send_signal_locked(signals::ALRM);
    }
    if (m_alarm_at_ns != 0) {
        const u64 left_ns = m_alarm_at_ns > now ? m_alarm_at_ns - now : 0;
        // Linux rounds to the nearest second, but never to 0 while an alarm
        // is pending.
        left = (left_ns + ns_per_second / 2) / ns_per_second;
        if (left == 0) {
            left = 1;
        }
    }
    m_alarm_at_ns = seconds == 0 ? 0 : now + seconds * ns_per_second;
    if (m_alarm_at_ns != 0 && m_alarm_at_ns < earliest_alarm_ns) {
        earliest_alarm_ns = m_alarm_at_ns;
    }
    return left;
}

void Process::expire_alarms() {
    if (earliest_alarm_ns == no_alarm) {
        return; // the usual tick: no alarm armed, not even a clock read
    }
    const u64 now = clock::monotonic_ns();
    if (now < earliest_alarm_ns) {
        return;
    }
    earliest_alarm_ns = no_alarm;
    for_each([now](Process& process) {
        if (process.m_alarm_at_ns == 0) {
            return;
        }
        if (process.m_alarm_at_ns <= now) {
            process.m_alarm_at_ns = 0;
            process.send_signal_locked(signals::ALRM);
        } else if (process.m_alarm_at_ns < earliest_alarm_ns) {
            earliest_alarm_ns = process.m_alarm_at_ns;
        }
    });
}

} // namespace kite
