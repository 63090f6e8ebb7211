// process_timers.h: the processes' timers (proc/interval_timers.h) and the
// timer tick. The tick charges the running process's CPU-time timers, and
// looks at the real-time ones only when the earliest deadline of them all
// has come, so that a tick with no timer due costs a comparison or two.
#pragma once

#include "lib/types.h"

namespace kite {
class Process;
}

namespace kite::process_timers {

// From the timer interrupt, after the scheduler has charged the tick to
// the running thread.
void tick(bool in_user_mode);

// Fires the process's real-time timers that are due at now_ns but that no
// tick has seen yet (the table lock is held), so that a call reading or
// replacing a timer finds it as Linux would, with its expiry behind it.
void expire_due(Process& process, u64 now_ns);

// After a process's real-time timers changed (the process table lock is
// held): a timer may now be due at deadline_ns.
void note_deadline(u64 deadline_ns);

} // namespace kite::process_timers
