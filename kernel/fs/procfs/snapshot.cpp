// snapshot.cpp: see snapshot.h.
#include "fs/procfs/snapshot.h"

#include "api/signal_action.h"
#include "api/types.h"
#include "proc/pending_signals.h"
#include "time/clock.h"

namespace kite::procfs {

namespace {

// The thread of process with this tid, or nullptr (the table lock is held).
Thread* thread_of(const Process& process, i32 tid) {
    for (Thread* t = process.first_thread(); t; t = t->user.next_in_process) {
        if (t->user.tid == tid) {
            return t;
        }
    }
    return nullptr;
}

char state_letter(const Process& process, const Thread* thread) {
    if (process.state() == ProcessState::Zombie || !thread) {
        return 'Z';
    }
    if (process.is_stopped()) {
        return 'T';
    }
    switch (thread->state()) {
    case ThreadState::Running:
    case ThreadState::Runnable:
        return 'R';
    case ThreadState::Blocked:
        return thread->in_uninterruptible_wait() ? 'D' : 'S';
    case ThreadState::Dead:
        return 'X';
    }
    return 'R';
}

} // namespace

u64 to_clock_ticks(u64 ticks) {
    return ticks * clock::tick_period_ps() / (1'000'000'000'000 / abi::user_hz);
}

ErrorOr<RefPtr<OpenFile>> open_file_of(const Target& target, int fd, bool* close_on_exec) {
    SpinlockGuard guard(Process::table_lock());
    Process* process = Process::find(target.pid);
    if (!process || process->state() == ProcessState::Zombie) {
        return Error(Errno::NOENT, "no such process");
    }
    auto file = process->fds().get(fd);
    if (file.is_error()) {
        return Error(Errno::NOENT, "no such descriptor");
    }
    if (close_on_exec) {
        *close_on_exec = process->fds().close_on_exec_flag(fd).value();
    }
    return file.release_value();
}

bool target_exists(const Target& target) {
    SpinlockGuard guard(Process::table_lock());
    const Process* process = Process::find(target.pid);
    return process && (target.tid == 0 || thread_of(*process, target.tid));
}

ErrorOr<Snapshot> take_snapshot(const Target& target) {
    Snapshot s;
    SpinlockGuard guard(Process::table_lock());
    Process* process = Process::find(target.pid);
    if (!process) {
        return Error(Errno::NOENT, "no such process");
    }
    const Thread* thread = process->first_thread();
    if (target.tid != 0) {
        thread = thread_of(*process, target.tid);
        if (!thread) {
            return Error(Errno::NOENT, "no such thread");
        }
    }
    s.pid = process->pid();
    s.tid = thread ? thread->user.tid : process->pid();
    s.ppid = process->parent_pid();
    s.pgrp = process->process_group();
    s.session = process->session();
    const char* name = process->name();
    for (usize i = 0; i + 1 < sizeof(s.name) && name[i]; ++i) {
        s.name[i] = name[i];
    }
    s.state = state_letter(*process, thread);
    s.uid = process->uid;
    s.gid = process->gid;
    s.nice = process->nice;
    s.threads = process->thread_count();
    s.start_ticks = process->start_ticks;
    if (target.tid != 0) {
        s.user_ticks = thread->user_ticks;
        s.system_ticks = thread->runtime_ticks - thread->user_ticks;
    } else {
        const Process::CpuTimes own = process->cpu_times_locked();
        s.user_ticks = own.user_ticks;
        s.system_ticks = own.system_ticks;
        const Process::CpuTimes children = process->children_cpu_times();
        s.children_user_ticks = children.user_ticks;
        s.children_system_ticks = children.system_ticks;
    }
    s.thread_pending = thread ? thread->user.pending.mask() : 0;
    s.shared_pending = process->pending_signals();
    s.blocked = thread ? thread->user.blocked_signals : 0;
    for (int signal = 1; signal <= signals::count; ++signal) {
        const u64 handler = process->signal_actions[signal].handler;
        const u64 bit = u64{1} << (signal - 1);
        if (handler == abi::signals::SIG_IGN) {
            s.ignored |= bit;
        } else if (handler != abi::signals::SIG_DFL) {
            s.caught |= bit;
        }
    }
    s.pending_limit = process->limits.soft(Resource::PendingSignals);
    s.pending_queued = PendingSignals::queued_for_user();
    s.fd_slots = process->state() == ProcessState::Zombie ? 0 : process->fds().capacity();
    s.exit_code = process->state() == ProcessState::Zombie ? process->wait_status() : 0;
    s.space = process->user_space();
    return s;
}

} // namespace kite::procfs
