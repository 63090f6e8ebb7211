// process_tree_calls.cpp: fork and its relatives, wait4, process groups
// and sessions.
#include "mm/user_memory.h"
#include "proc/process.h"
#include "syscalls/syscall.h"

namespace kite {

namespace {

constexpr u64 SIGCHLD = 17;
constexpr u64 WNOHANG = 1;
constexpr u64 WUNTRACED = 2;
constexpr u64 WCONTINUED = 8;
constexpr u64 WALL_AND_CLONE = 0xC0000000; // __WALL | __WCLONE: accepted, one thread each

struct Rusage {
    i64 fields[18];
};
static_assert(sizeof(Rusage) == 144);

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
    if (args.a0 != SIGCHLD) {
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
    const auto result =
        TRY(Process::current()->wait_for_child(selector, options & WNOHANG, options & WUNTRACED));
    if (result.pid != 0 && args.a1 != 0) {
        TRY(write_user<i32>({args.a1}, result.status));
    }
    if (result.pid != 0 && args.a3 != 0) {
        TRY(write_user({args.a3}, Rusage{}));
    }
    return result.pid;
}

SyscallResult sys_getpgid(const SyscallArguments& args) {
    Process* process = process_by_id(static_cast<i32>(args.a0));
    if (!process) {
        return Error(Errno::SRCH, "no such process");
    }
    return process->process_group();
}

SyscallResult sys_getsid(const SyscallArguments& args) {
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
        Process::for_each([&](Process& p) {
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
    Process::for_each([&](Process& p) {
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
