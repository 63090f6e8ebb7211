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
    // The caller's pid (a session leader's is its session id); 0 for a
    // kernel thread.
    i32 (*caller_pid)();
    // Whether any live process is in session sid.
    bool (*session_exists)(i32 sid);
};
void set_host(const Host& host);

// The console's foreground process group (0: none); only it may read.
[[nodiscard]] i32 foreground_group();
void set_foreground_group(i32 pgid);
// TIOCSPGRP: the caller may make a group of its own session the foreground.
[[nodiscard]] ErrorOr<void> request_foreground(i32 pgid);

// The session whose controlling terminal the console is (0: none). Kite
// keeps no terminal per process: every process of that session has it,
// one of another session has none (setsid leaves it behind, as on Linux).
[[nodiscard]] i32 terminal_session();
void set_terminal_session(i32 sid);
// ENOTTY unless the console is the caller's controlling terminal (the
// check of TIOCGPGRP, TIOCSPGRP and TIOCGSID).
[[nodiscard]] ErrorOr<void> check_controlling();
// TIOCSCTTY: a session leader without a terminal takes the console, if no
// live session has it or `steal` (root's argument 1) is given; EPERM
// otherwise. Its group becomes the foreground.
[[nodiscard]] ErrorOr<void> make_controlling(bool steal);
// TIOCNOTTY: ENOTTY if the console is not the caller's. A session leader
// lets go of it for its whole session, and the foreground group gets
// SIGHUP and SIGCONT, as Linux's disassociate_ctty.
[[nodiscard]] ErrorOr<void> give_up_controlling();
// A signal for the foreground group only, no fallback (SIGWINCH).
void signal_foreground_group(int signal);

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
