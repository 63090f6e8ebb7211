// job_control.h: the terminal's side of job control, as a Unix tty does it:
// the foreground process group, SIGTTIN for a background reader, the
// session check of TIOCSPGRP, and the terminal's signals (Ctrl-C, Ctrl-\,
// Ctrl-Z) going to the foreground group. The terminal knows processes only
// through the small Host interface that the process layer installs.
#pragma once

#include "api/signals.h"
#include "lib/error.h"

namespace kite::job_control {

struct Host {
    // The calling thread's process group and session; 0 for a kernel thread.
    i32 (*caller_group)();
    i32 (*caller_session)();
    // Sends signal (Linux number) to every live process of group pgid;
    // false if there is none.
    bool (*signal_group)(i32 pgid, int signal);
    // Whether some process of session sid is in group pgid.
    bool (*group_in_session)(i32 pgid, i32 sid);
    // Whether the caller ignores or blocks signal (then it cannot be
    // stopped by it).
    bool (*caller_ignores_or_blocks)(int signal);
};
void set_host(const Host& host);

// The console's foreground process group (0: none); only it may read.
[[nodiscard]] i32 foreground_group();
void set_foreground_group(i32 pgid);
// TIOCSPGRP: the caller may make a group of its own session the foreground.
[[nodiscard]] ErrorOr<void> request_foreground(i32 pgid);

// Before a read: a process outside the foreground group is stopped with
// SIGTTIN (its whole group) and the read restarts once it is continued; if
// it ignores or blocks SIGTTIN, the read fails with EIO, as on Linux.
[[nodiscard]] ErrorOr<void> check_reader();

// A terminal signal: to the foreground group, or, if that has no process,
// to the fallback (the kernel's monitor); false if nobody took it.
using Fallback = void (*)(int signal);
void set_fallback(Fallback fallback);
void signal_foreground(int signal);

} // namespace kite::job_control
