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

// What expired: SIGALRM with a kernel siginfo, a POSIX timer's signal
// with SI_TIMER (its id, overrun and value), to its thread if it names one
// that still lives, else to the process.
void send_expired(Process& process, const IntervalTimers::Expired& expired) {
    for (int i = 0; i < expired.sent_count; ++i) {
        const TimerSignal& sent = expired.sent[i];
        if (sent.timer_id < 0) {
            process.send_signal_locked(sent.signal);
            continue;
        }
        signals::SigInfo info{};
        info.code = signals::SI_TIMER;
        info.timer.timer_id = sent.timer_id;
        info.timer.overrun = sent.overrun;
        info.timer.value = sent.value;
        Thread* thread = sent.thread_id != 0 ? Process::find_thread(sent.thread_id) : nullptr;
        if (thread && thread->process() == &process) {
            (void)process.send_thread_signal_locked(thread, sent.signal, info);
        } else {
            (void)process.send_signal_locked(sent.signal, info);
        }
    }
}

} // namespace

void expire_due(Process& process, u64 now_ns) {
    VERIFY(Process::table_lock().is_held());
    if (process.timers.next_deadline() <= now_ns) {
        send_expired(process, process.timers.expire(now_ns, process.pending_anywhere_locked()));
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
            process.timers.expire(now, process.pending_anywhere_locked());
        send_expired(process, expired);
        earliest = min(earliest, expired.next_deadline_ns);
    });
    __atomic_store_n(&earliest_deadline_ns, earliest, __ATOMIC_RELAXED);
}

} // namespace kite::process_timers
