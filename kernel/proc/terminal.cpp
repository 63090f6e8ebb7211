// terminal.cpp: what the terminal knows of processes (tty/job_control.h):
// the caller's group and session, signalling a group, whether a group is
// in a session, and whether the caller would take a signal, answered from
// the process table.
#include "proc/process.h"

namespace kite {

namespace {

// A field of the calling process, read under the table lock; 0 for a
// kernel thread.
template <typename Field>
i32 of_caller(Field field) {
    Process* self = Process::current();
    if (!self) {
        return 0;
    }
    SpinlockGuard guard(Process::table_lock());
    return field(*self);
}

i32 caller_group() {
    return of_caller([](Process& p) { return p.process_group(); });
}

i32 caller_session() {
    return of_caller([](Process& p) { return p.session(); });
}

bool signal_group(i32 pgid, int signal) {
    bool sent = false;
    Process::for_each([&](Process& p) {
        if (p.process_group() == pgid && p.state() == ProcessState::Running) {
            p.send_signal_locked(signal);
            sent = true;
        }
    });
    return sent;
}

bool caller_ignores_or_blocks(int signal) {
    Process* self = Process::current();
    if (!self) {
        return false;
    }
    SpinlockGuard guard(Process::table_lock());
    return self->signal_actions[signal].handler == signals::SIG_IGN ||
           (Scheduler::current()->user.blocked_signals & signals::bit(signal));
}

i32 caller_pid() {
    Process* self = Process::current();
    return self ? self->pid() : 0;
}

bool session_exists(i32 sid) {
    bool found = false;
    Process::for_each([&](Process& p) {
        found = found || (p.session() == sid && p.state() == ProcessState::Running);
    });
    return found;
}

bool group_in_session(i32 pgid, i32 sid) {
    bool found = false;
    Process::for_each(
        [&](Process& p) { found = found || (p.process_group() == pgid && p.session() == sid); });
    return found;
}

} // namespace

void Process::install_console_signals(job_control::Fallback fallback) {
    if (fallback) {
        job_control::set_fallback(fallback);
    }
    job_control::set_host({caller_group, caller_session, signal_group, group_in_session,
                           caller_ignores_or_blocks, caller_pid, session_exists});
}

} // namespace kite
