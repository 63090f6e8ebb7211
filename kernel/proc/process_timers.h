// process_timers.h: the processes' timers (proc/interval_timers.h) and the
// timer tick. The tick charges the running process's CPU-time timers, and
// looks at the real-time ones only when the earliest deadline of them all
// has come, so that a tick with no timer armed costs a few loads and
// comparisons, inline in the tick hook.
#pragma once

#include "proc/process.h"

namespace kite::process_timers {

// Not later than any armed real-time deadline of any process (it may be
// earlier: a timer disarmed or deleted leaves it behind, and the next walk
// recomputes it). Written under the table lock; the tick's first look is
// without it (one CPU, and a late look only delays the walk by a tick).
extern u64 earliest_deadline_ns;

// The tick's work past its first looks (process_timers.cpp).
void charge_running(Process& running, bool in_user_mode);
void expire_if_due();

// From any CPU's timer interrupt, after the scheduler has charged the
// tick to the running thread: the running process's CPU-time timers.
inline void charge_tick(bool in_user_mode) {
    Process* running = Process::current();
    if (running && running->timers.cpu_timers_armed()) [[unlikely]] {
        charge_running(*running, in_user_mode);
    }
}

// From the boot CPU's timer interrupt (the clock's): charge_tick, and the
// real-time timers.
inline void tick(bool in_user_mode) {
    charge_tick(in_user_mode);
    if (__atomic_load_n(&earliest_deadline_ns, __ATOMIC_RELAXED) != IntervalTimers::no_deadline)
        [[unlikely]] {
        expire_if_due();
    }
}

// Fires the process's real-time timers that are due at now_ns but that no
// tick has seen yet (the table lock is held), so that a call reading or
// replacing a timer finds it as Linux would, with its expiry behind it.
void expire_due(Process& process, u64 now_ns);

// After a process's real-time timers changed (the process table lock is
// held): a timer may now be due at deadline_ns.
void note_deadline(u64 deadline_ns);

} // namespace kite::process_timers
