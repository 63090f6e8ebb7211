// process_tree_calls.cpp: fork and its relatives, wait4 and waitid,
// process groups and sessions.
#include "mm/user_memory.h"
#include "proc/process.h"
#include "syscalls/syscall.h"
#include "time/clock.h"

namespace kite {

namespace {

using namespace abi; // W*, P_*, CLD_*, Rusage, ChildSiginfo

// WNOTHREAD is accepted too; it changes nothing, since children belong to
// the process, not to the thread that made them.
constexpr u64 WALL_AND_CLONE = WALL | WCLONE;

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

constexpr u64 exit_signal_byte = 0xff; // Linux's CSIGNAL

// The checks Linux makes of any clone, in its order and with its errors,
// then what Kite cannot do yet (EINVAL): sharing descriptors, directory or
// handlers between processes, threads that do not share all of them, a
// vfork thread, namespaces and pidfds.
ErrorOr<void> check_clone_flags(u64 flags) {
    if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS) ||
        (flags & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS)) {
        return Error(Errno::INVAL, "a new mount or user namespace cannot share the directory");
    }
    if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND)) {
        return Error(Errno::INVAL, "CLONE_THREAD needs CLONE_SIGHAND");
    }
    if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM)) {
        return Error(Errno::INVAL, "CLONE_SIGHAND needs CLONE_VM");
    }
    // A thread shares everything a process has (one Process holds it all);
    // a process shares only memory, if asked.
    constexpr u64 thread_shares = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND;
    if (flags & CLONE_THREAD) {
        if ((flags & thread_shares) != thread_shares || (flags & CLONE_VFORK)) {
            return Error(Errno::INVAL, "clone: a thread must share memory, files, directory "
                                       "and handlers, and cannot vfork");
        }
    } else if (flags & (CLONE_FS | CLONE_FILES | CLONE_SIGHAND)) {
        return Error(Errno::INVAL, "clone: processes sharing tables are not supported");
    }
    constexpr u64 not_yet = CLONE_PARENT | CLONE_PIDFD | CLONE_NEWNS | CLONE_NEWCGROUP |
                            CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |
                            CLONE_NEWNET | CLONE_INTO_CGROUP;
    if (flags & not_yet) {
        return Error(Errno::INVAL, "clone: namespaces, pidfds and CLONE_PARENT are not supported");
    }
    return {};
}

// The common part of clone and clone3, once their arguments are read.
SyscallResult clone_with(const SyscallArguments& args, u64 flags, int exit_signal, u64 stack,
                         u64 parent_tid, u64 child_tid, u64 tls) {
    TRY(check_clone_flags(flags));
    Process::CloneRequest request;
    request.share_memory = flags & CLONE_VM;
    request.wait_for_exec = flags & CLONE_VFORK;
    request.clear_handlers = flags & CLONE_CLEAR_SIGHAND;
    request.exit_signal = exit_signal;
    request.stack = stack;
    if (flags & CLONE_SETTLS) {
        // What arch_prctl(ARCH_SET_FS) accepts: a canonical user address.
        if (tls >= user_task_size) {
            return Error(Errno::PERM, "the TLS base is not a user address");
        }
        request.set_tls = true;
        request.tls = tls;
    }
    if (flags & CLONE_PARENT_SETTID) {
        request.parent_tid = parent_tid;
    }
    if (flags & CLONE_CHILD_SETTID) {
        request.set_child_tid = child_tid;
    }
    if (flags & CLONE_CHILD_CLEARTID) {
        request.clear_child_tid = child_tid;
    }
    if (flags & CLONE_THREAD) {
        return TRY(Process::current()->clone_thread(*args.frame, request));
    }
    return TRY(Process::current()->clone(*args.frame, request));
}

} // namespace

SyscallResult sys_fork(const SyscallArguments& args) {
    return clone_with(args, 0, abi::signals::CHLD, 0, 0, 0, 0);
}

// vfork shares the caller's memory with the child and suspends the caller
// until the child execs or exits.
SyscallResult sys_vfork(const SyscallArguments& args) {
    return clone_with(args, CLONE_VM | CLONE_VFORK, abi::signals::CHLD, 0, 0, 0, 0);
}

// clone(flags, stack, parent_tid, child_tid, tls) on x86-64. Only the low
// 32 bits of flags count; their low byte is the exit signal, any value of
// it accepted (one above 64 is never sent), as Linux does.
SyscallResult sys_clone(const SyscallArguments& args) {
    const u64 flags = args.a0 & 0xffff'ffff;
    return clone_with(args, flags & ~exit_signal_byte, static_cast<int>(flags & exit_signal_byte),
                      args.a1, args.a2, args.a3, args.a4);
}

// clone3(args, size): struct clone_args of at least its first version's
// 64 bytes; what lies beyond the fields Kite knows must be zero (E2BIG),
// as for Linux's copy_struct_from_user. The stack is given as base and
// size.
SyscallResult sys_clone3(const SyscallArguments& args) {
    const u64 size = args.a1;
    if (size > page_size) {
        return Error(Errno::TOOBIG, "clone_args larger than a page");
    }
    if (size < clone_args_size_ver0) {
        return Error(Errno::INVAL, "clone_args smaller than its first version");
    }
    // The tail first, as Linux: fields this kernel does not know are E2BIG
    // even if the head cannot be read.
    CloneArgs clone_args{};
    for (u64 at = sizeof(clone_args); at < size; at += sizeof(u64)) {
        u8 tail[sizeof(u64)] = {};
        const u64 length = size - at < sizeof(tail) ? size - at : sizeof(tail);
        TRY(copy_from_user(tail, {args.a0 + at}, length));
        for (u64 i = 0; i < length; ++i) {
            if (tail[i] != 0) {
                return Error(Errno::TOOBIG, "clone_args has fields this kernel does not know");
            }
        }
    }
    TRY(copy_from_user(&clone_args, {args.a0},
                       size < sizeof(clone_args) ? size : sizeof(clone_args)));
    const u64 flags = clone_args.flags;
    if ((flags & ~(u64{0xffff'ffff} | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP)) ||
        (flags & (CLONE_DETACHED | (exit_signal_byte & ~CLONE_NEWTIME)))) {
        return Error(Errno::INVAL, "unknown clone3 flags");
    }
    if ((clone_args.exit_signal & ~exit_signal_byte) ||
        clone_args.exit_signal > static_cast<u64>(abi::signals::count)) {
        return Error(Errno::INVAL, "not a signal");
    }
    if ((flags & CLONE_CLEAR_SIGHAND) && (flags & CLONE_SIGHAND)) {
        return Error(Errno::INVAL, "CLONE_CLEAR_SIGHAND with shared handlers");
    }
    if ((flags & (CLONE_THREAD | CLONE_PARENT)) && clone_args.exit_signal != 0) {
        return Error(Errno::INVAL, "a thread or sibling has no exit signal of its own");
    }
    if (clone_args.set_tid != 0 || clone_args.set_tid_size != 0) {
        return Error(Errno::INVAL, "choosing the child's pid is not supported");
    }
    if ((clone_args.stack == 0) != (clone_args.stack_size == 0) ||
        clone_args.stack + clone_args.stack_size < clone_args.stack ||
        clone_args.stack + clone_args.stack_size > user_task_size) {
        return Error(Errno::INVAL, "a stack needs a base and a size inside user space");
    }
    if (flags & CLONE_NEWTIME) {
        return Error(Errno::INVAL, "time namespaces are not supported");
    }
    const u64 stack_top = clone_args.stack == 0 ? 0 : clone_args.stack + clone_args.stack_size;
    return clone_with(args, flags, static_cast<int>(clone_args.exit_signal), stack_top,
                      clone_args.parent_tid, clone_args.child_tid, clone_args.tls);
}

SyscallResult sys_wait4(const SyscallArguments& args) {
    const i32 selector = static_cast<i32>(args.a0);
    const u64 options = args.a2;
    if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | WALL_AND_CLONE | WNOTHREAD)) {
        return Error(Errno::INVAL, "unknown wait options");
    }
    if (selector == INT32_MIN) {
        return Error(Errno::SRCH, "no such process group");
    }
    Process::WaitOptions wanted;
    wanted.stopped = options & WUNTRACED;
    wanted.continued = options & WCONTINUED;
    wanted.no_hang = options & WNOHANG;
    wanted.clone_children = options & WCLONE;
    wanted.all_children = options & WALL;
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
    wanted.clone_children = options & WCLONE;
    wanted.all_children = options & WALL;
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

// getpgrp(): getpgid(0), which job-control shells ask to see whether they
// are in the terminal's foreground group.
SyscallResult sys_getpgrp(const SyscallArguments&) {
    SpinlockGuard guard(Process::table_lock());
    return Process::current()->process_group();
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
// the same session (a new one when pgid is the target's pid). As Linux, a
// pgid of 0 stands for the pid given before anything is checked, so a
// negative pid with pgid 0 is EINVAL (a negative group), not ESRCH.
SyscallResult sys_setpgid(const SyscallArguments& args) {
    Process* self = Process::current();
    const i32 pid = static_cast<i32>(args.a0) == 0 ? self->pid() : static_cast<i32>(args.a0);
    const i32 pgid = static_cast<i32>(args.a1) == 0 ? pid : static_cast<i32>(args.a1);
    if (pgid < 0) {
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
