// poll_wait.h: how poll(2) waits on several files at once. Whatever may make
// a file readable or writable (console input, a pipe's data or its ends
// going) calls notify(); a poller takes the generation, checks its files,
// and sleeps only while the generation is still the one it took, so a
// change between its check and its sleep is never missed. One queue for
// every file: a change wakes each poller, who checks its files again. That
// is cheap for the few pollers a shell and its editors make, and it keeps
// every file type's own locking as it is.
#pragma once

#include "sched/scheduler.h"

namespace kite::poll_wait {

[[nodiscard]] u64 generation();
// From any context, interrupt handlers included.
void notify();
// Sleeps until a notify() after the generation `seen`, the timeout (ns; 0:
// none) or a signal (Interrupted).
[[nodiscard]] WaitResult wait_for_change(u64 seen, u64 timeout_ns);

} // namespace kite::poll_wait
