// signal_pending.cpp: the checks of signal_pending.h.
#include "proc/signal_pending.h"

#include "proc/process.h"

namespace kite {

bool signal_pending() {
    const Thread* thread = Scheduler::current();
    return thread && thread->interrupt_pending();
}

bool fatal_signal_pending() {
    // Every SIGKILL interrupts every thread it ends, so the flag is the
    // fast test; the lock is taken only when something is pending.
    if (!signal_pending()) {
        return false;
    }
    Thread& self = *Scheduler::current();
    return self.process() && self.process()->kill_pending(self);
}

} // namespace kite
