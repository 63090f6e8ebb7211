// process_timers.cpp: see process_timers.h. Every process's timers are
// guarded by the process table lock; the tick takes it only when there is
// something to do.
#include "proc/process_timers.h"

#include "api/signals.h"
#include "proc/process.h"
#include "time/clock.h"

namespace kite::process_timers {

u64 earliest_deadline_ns = IntervalTimers::no_deadline;

namespace {

void send_each(Process& process, u64 signals) {
    for (int signal = 1; signals != 0; ++signal, signals >>= 1) {
        if (signals & 1) {
            process.send_signal_locked(signal);
        }
    }
}

} // namespace

void expire_due(Process& process, u64 now_ns) {
    VERIFY(Process::table_lock().is_held());
    if (process.timers.next_deadline() <= now_ns) {
        send_each(process, process.timers.expire(now_ns, process.pending_signals()).signals);
    }
}

void note_deadline(u64 deadline_ns) {
    VERIFY(Process::table_lock().is_held());
    if (deadline_ns < earliest_deadline_ns) {
        __atomic_store_n(&earliest_deadline_ns, deadline_ns, __ATOMIC_RELAXED);
    }
}

void charge_running(Process& running, bool in_user_mode) {
    SpinlockGuard guard(Process::table_lock());
    send_each(running, running.timers.charge_tick(in_user_mode, clock::tick_period_ns()));
}

void expire_if_due() {
    const u64 now = clock::monotonic_ns();
    if (now < __atomic_load_n(&earliest_deadline_ns, __ATOMIC_RELAXED)) {
        return;
    }
    SpinlockGuard guard(Process::table_lock());
    u64 earliest = IntervalTimers::no_deadline;
    Process::for_each_locked([now, &earliest](Process& process) {
        const IntervalTimers::Expired expired =
            process.timers.expire(now, process.pending_signals());
        send_each(process, expired.signals);
        earliest = min(earliest, expired.next_deadline_ns);
    });
    __atomic_store_n(&earliest_deadline_ns, earliest, __ATOMIC_RELAXED);
}

} // namespace kite::process_timers
