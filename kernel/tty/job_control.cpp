// job_control.cpp: see job_control.h.
#include "tty/job_control.h"

namespace kite::job_control {

namespace {

Host the_host{};
Fallback fallback = nullptr;
// Read and written whole (one aligned word): no lock needed for it alone.
i32 foreground = 0;
i32 session = 0; // the same, for the controlling session

i32 caller_session() {
    return the_host.caller_session ? the_host.caller_session() : 0;
}

} // namespace

void set_host(const Host& host) {
    the_host = host;
}

i32 foreground_group() {
    return __atomic_load_n(&foreground, __ATOMIC_RELAXED);
}

void set_foreground_group(i32 pgid) {
    __atomic_store_n(&foreground, pgid, __ATOMIC_RELAXED);
}

ErrorOr<void> request_foreground(i32 pgid) {
    if (pgid < 0) {
        return Error(Errno::INVAL, "negative process group");
    }
    const i32 session = the_host.caller_session ? the_host.caller_session() : 0;
    if (!the_host.group_in_session || session == 0 || !the_host.group_in_session(pgid, session)) {
        return Error(Errno::PERM, "no such process group in this session");
    }
    set_foreground_group(pgid);
    return {};
}

ErrorOr<void> check_reader() {
    const i32 group = the_host.caller_group ? the_host.caller_group() : 0;
    const i32 front = foreground_group();
    if (group != 0 && front != 0 && group != front) {
        if (the_host.caller_ignores_or_blocks &&
            the_host.caller_ignores_or_blocks(abi::signals::TTIN)) {
            return Error(Errno::IO, "background read with SIGTTIN ignored or blocked");
        }
        (void)the_host.signal_group(group, abi::signals::TTIN);
        return Error(Errno::RESTARTSYS, "background read");
    }
    return {};
}

i32 terminal_session() {
    return __atomic_load_n(&session, __ATOMIC_RELAXED);
}

void set_terminal_session(i32 sid) {
    __atomic_store_n(&session, sid, __ATOMIC_RELAXED);
}

ErrorOr<void> check_controlling() {
    const i32 own = caller_session();
    if (own == 0 || own != terminal_session()) {
        return Error(Errno::NOTTY, "not the caller's controlling terminal");
    }
    return {};
}

ErrorOr<void> make_controlling(bool steal) {
    const i32 own = caller_session();
    const i32 pid = the_host.caller_pid ? the_host.caller_pid() : 0;
    if (own != 0 && own == pid && own == terminal_session()) {
        return {}; // already the leader's
    }
    if (own == 0 || own != pid) {
        return Error(Errno::PERM, "only a session leader takes a terminal");
    }
    const i32 holder = terminal_session();
    if (holder != 0 && the_host.session_exists && the_host.session_exists(holder) && !steal) {
        return Error(Errno::PERM, "the terminal is another session's");
    }
    set_terminal_session(own);
    set_foreground_group(the_host.caller_group ? the_host.caller_group() : own);
    return {};
}

ErrorOr<void> give_up_controlling() {
    TRY(check_controlling());
    const i32 own = caller_session();
    const i32 pid = the_host.caller_pid ? the_host.caller_pid() : 0;
    if (own != pid) {
        return {}; // Kite keeps no terminal per process: the session keeps it
    }
    const i32 group = foreground_group();
    set_terminal_session(0);
    set_foreground_group(0);
    if (group != 0 && the_host.signal_group) {
        (void)the_host.signal_group(group, abi::signals::HUP);
        (void)the_host.signal_group(group, abi::signals::CONT);
    }
    return {};
}

void signal_foreground_group(int signal) {
    const i32 group = foreground_group();
    if (group != 0 && the_host.signal_group) {
        (void)the_host.signal_group(group, signal);
    }
}

void set_fallback(Fallback handler) {
    fallback = handler;
}

void signal_foreground(int signal) {
    const i32 group = foreground_group();
    const bool sent = group != 0 && the_host.signal_group && the_host.signal_group(group, signal);
    if (!sent && fallback) {
        fallback(signal);
    }
}

} // namespace kite::job_control
