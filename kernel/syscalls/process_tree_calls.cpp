// process_tree_calls.cpp: fork and its relatives, wait4 and waitid,
// process groups and sessions.
#include "mm/user_memory.h"
#include "proc/process.h"
#include "syscalls/syscall.h"
#include "time/clock.h"

namespace kite {

namespace {

using namespace abi; // W*, P_*, CLD_*, Rusage, ChildSiginfo

constexpr u64 WALL_AND_CLONE = WALL | WCLONE; // accepted, one thread each (so is WNOTHREAD)

Rusage rusage_of(const Process::CpuTimes& times) {
    const u64 user_us = times.user_ticks * clock::tick_period_ps() / 1'000'000;
    const u64 system_us = times.system_ticks * clock::tick_period_ps() / 1'000'000;
    Rusage usage{};
    usage.user_seconds = static_cast<i64>(user_us / 1'000'000);
    usage.user_microseconds = static_cast<i64>(user_us % 1'000'000);
    usage.system_seconds = static_cast<i64>(system_us / 1'000'000);
    usage.system_microseconds = static_cast<i64>(system_us % 1'000'000);
    return usage;
}

// A Linux wait status as waitid's si_code and si_status.
ChildSiginfo siginfo_of(const Process::WaitResult& result) {
    const int status = result.status;
    ChildSiginfo info{abi::signals::CHLD, 0, CLD_EXITED, 0, result.pid, 0, 0};
    if (status == 0xffff) {
        info.code = CLD_CONTINUED;
        info.status = abi::signals::CONT;
    } else if ((status & 0xff) == 0x7f) {
        info.code = CLD_STOPPED;
        info.status = (status >> 8) & 0xff;
    } else if ((status & 0x7f) != 0) {
        info.code = (status & 0x80) ? CLD_DUMPED : CLD_KILLED;
        info.status = status & 0x7f;
    } else {
        info.status = (status >> 8) & 0xff;
    }
    return info;
}

Process* process_by_id(i32 pid) {
    return pid == 0 ? Process::current() : Process::find(pid);
}

} // namespace

SyscallResult sys_fork(const SyscallArguments& args) {
    Process* child = TRY(Process::current()->fork(*args.frame));
    return child->pid();
}

// vfork's caller may not touch memory until the child execs or exits;
// a copy-on-write fork keeps that promise and more.
SyscallResult sys_vfork(const SyscallArguments& args) {
    return sys_fork(args);
}

// clone with exactly what C libraries pass for fork: SIGCHLD, no sharing.
SyscallResult sys_clone(const SyscallArguments& args) {
    if (args.a0 != static_cast<u64>(abi::signals::CHLD)) {
        return Error(Errno::INVAL, "only fork-style clone is supported");
    }
    if (args.a1 != 0) {
        return Error(Errno::INVAL, "a new stack needs shared memory, which is not supported");
    }
    return sys_fork(args);
}

SyscallResult sys_wait4(const SyscallArguments& args) {
    const i32 selector = static_cast<i32>(args.a0);
    const u64 options = args.a2;
    if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | WALL_AND_CLONE)) {
        return Error(Errno::INVAL, "unknown wait options");
    }
    if (selector == INT32_MIN) {
        return Error(Errno::SRCH, "no such process group");
    }
    Process::WaitOptions wanted;
    wanted.stopped = options & WUNTRACED;
    wanted.continued = options & WCONTINUED;
    wanted.no_hang = options & WNOHANG;
    const auto result = TRY(Process::current()->wait_for_child(selector, wanted));
    if (result.pid != 0 && args.a1 != 0) {
        TRY(write_user<i32>({args.a1}, result.status));
    }
    if (result.pid != 0 && args.a3 != 0) {
        TRY(write_user({args.a3}, rusage_of(result.times)));
    }
    return result.pid;
}

// waitid(idtype, id, infop, options, rusage): P_ALL, P_PID or P_PGID (id 0:
// the caller's group); at least one of WEXITED, WSTOPPED, WCONTINUED.
SyscallResult sys_waitid(const SyscallArguments& args) {
    const u64 options = args.a3;
    if (options &
        ~(WNOHANG | WUNTRACED | WEXITED | WCONTINUED | WNOWAIT | WALL_AND_CLONE | WNOTHREAD)) {
        return Error(Errno::INVAL, "unknown wait options");
    }
    if (!(options & (WEXITED | WUNTRACED | WCONTINUED))) {
        return Error(Errno::INVAL, "waitid must wait for something");
    }
    const i32 id = static_cast<i32>(args.a1);
    i32 selector;
    switch (args.a0) {
    case P_ALL:
        selector = -1;
        break;
    case P_PID:
        if (id <= 0) {
            return Error(Errno::INVAL, "P_PID needs a positive pid");
        }
        selector = id;
        break;
    case P_PGID:
        if (id < 0) {
            return Error(Errno::INVAL, "P_PGID needs a group id");
        }
        selector = id == 0 ? 0 : -id;
        break;
    default:
        return Error(Errno::INVAL, "unknown idtype");
    }
    Process::WaitOptions wanted;
    wanted.exited = options & WEXITED;
    wanted.stopped = options & WUNTRACED;
    wanted.continued = options & WCONTINUED;
    wanted.no_hang = options & WNOHANG;
    wanted.keep = options & WNOWAIT;
    const auto result = TRY(Process::current()->wait_for_child(selector, wanted));
    if (args.a2 != 0) { // nothing ready (WNOHANG): the fields are zeroed
        TRY(write_user({args.a2}, result.pid != 0 ? siginfo_of(result) : ChildSiginfo{}));
    }
    if (args.a4 != 0) {
        TRY(write_user({args.a4}, rusage_of(result.times)));
    }
    return 0;
}

SyscallResult sys_getpgid(const SyscallArguments& args) {
    SpinlockGuard guard(Process::table_lock());
    Process* process = process_by_id(static_cast<i32>(args.a0));
    if (!process) {
        return Error(Errno::SRCH, "no such process");
    }
    return process->process_group();
}

SyscallResult sys_getsid(const SyscallArguments& args) {
    SpinlockGuard guard(Process::table_lock());
    Process* process = process_by_id(static_cast<i32>(args.a0));
    if (!process) {
        return Error(Errno::SRCH, "no such process");
    }
    return process->session();
}

// setpgid(pid, pgid): the caller or one of its children, into a group of
// the same session (a new one when pgid is the target's pid).
SyscallResult sys_setpgid(const SyscallArguments& args) {
    Process* self = Process::current();
    const i32 pid = static_cast<i32>(args.a0) == 0 ? self->pid() : static_cast<i32>(args.a0);
    const i32 requested = static_cast<i32>(args.a1);
    if (requested < 0) {
        return Error(Errno::INVAL, "negative process group");
    }
    SpinlockGuard guard(Process::table_lock());
    Process* target = Process::find(pid);
    if (!target || (target != self && target->parent() != self)) {
        return Error(Errno::SRCH, "not the caller or one of its children");
    }
    if (target->session() != self->session()) {
        return Error(Errno::PERM, "child in another session");
    }
    if (target->session() == target->pid()) {
        return Error(Errno::PERM, "a session leader cannot change its group");
    }
    const i32 pgid = requested == 0 ? target->pid() : requested;
    if (pgid != target->pid()) {
        bool exists = false;
        Process::for_each_locked([&](Process& p) {
            exists = exists || (p.process_group() == pgid && p.session() == self->session());
        });
        if (!exists) {
            return Error(Errno::PERM, "no such process group in this session");
        }
    }
    target->set_process_group(pgid);
    return 0;
}

SyscallResult sys_setsid(const SyscallArguments&) {
    Process* self = Process::current();
    bool leads_a_group = false;
    SpinlockGuard guard(Process::table_lock());
    Process::for_each_locked([&](Process& p) {
        leads_a_group = leads_a_group || (&p != self && p.process_group() == self->pid());
    });
    if (self->process_group() == self->pid() || leads_a_group) {
        return Error(Errno::PERM, "already a process group leader");
    }
    self->set_session(self->pid());
    self->set_process_group(self->pid());
    return self->pid();
}

} // namespace kite
