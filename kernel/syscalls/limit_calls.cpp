// limit_calls.cpp: resource limits: getrlimit, setrlimit, prlimit64. The
// rules are proc/resource_limits.h's; here are the arguments, the order of
// Linux's checks (the new value is read before anything else, the old one
// written last, after the change), and the process a pid names.
#include "proc/process.h"
#include "proc/resource_limits.h"
#include "syscalls/syscall.h"

namespace kite {

namespace {

// Everything runs as root, which has CAP_SYS_RESOURCE: hard limits may go up.
bool may_raise_hard(const Process& process) {
    return process.uid == 0;
}

// Gets and/or sets one limit of the process pid names (0: the caller; any
// thread's tid names its process, as on Linux); the table lock is held
// while the pair changes, so prlimit64 from another process sees it whole.
ErrorOr<ResourceLimit> exchange(i32 pid, u64 number, const ResourceLimit* wanted) {
    Process* self = Process::current();
    SpinlockGuard guard(Process::table_lock());
    Process* target = self;
    if (pid != 0) {
        Thread* thread = pid > 0 ? Process::find_thread(pid) : nullptr;
        target = thread ? thread->process() : (pid > 0 ? Process::find(pid) : nullptr);
        if (!target) {
            return Error(Errno::SRCH, "no such process");
        }
    }
    const Resource resource = TRY(ResourceLimits::resource_from(number)); // after ESRCH
    const ResourceLimit old = target->limits.get(resource);
    if (wanted) {
        TRY(target->limits.set(resource, *wanted, may_raise_hard(*self)));
    }
    return old;
}

} // namespace

SyscallResult sys_getrlimit(const SyscallArguments& args) {
    const ResourceLimit old = TRY(exchange(0, static_cast<u32>(args.a0), nullptr));
    TRY(write_user({args.a1}, old));
    return 0;
}

SyscallResult sys_setrlimit(const SyscallArguments& args) {
    const auto wanted = TRY(read_user<ResourceLimit>({args.a1}));
    TRY(exchange(0, static_cast<u32>(args.a0), &wanted));
    return 0;
}

// prlimit64(pid, resource, new, old): either pointer may be null. A bad
// `old` is EFAULT after the new limit has been set, as on Linux.
SyscallResult sys_prlimit64(const SyscallArguments& args) {
    ResourceLimit wanted{};
    if (args.a2 != 0) {
        wanted = TRY(read_user<ResourceLimit>({args.a2}));
    }
    const ResourceLimit old = TRY(exchange(int_argument(args.a0), static_cast<u32>(args.a1),
                                           args.a2 != 0 ? &wanted : nullptr));
    if (args.a3 != 0) {
        TRY(write_user({args.a3}, old));
    }
    return 0;
}

} // namespace kite
