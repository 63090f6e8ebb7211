// scheduling_calls.cpp: what C libraries ask of the scheduler. One policy
// (SCHED_OTHER: round robin) on every CPU, with each thread's CPU affinity;
// the nice value is kept, inherited and reported, though the round robin
// does not weigh it yet.
#include "arch/x86_64/cpu_local.h"
#include "proc/process.h"
#include "sched/scheduler.h"
#include "syscalls/syscall.h"

namespace kite {

namespace {

constexpr u64 cpu_mask_bytes = sizeof(u64); // one word: CPU 0 is bit 0 (max_cpus <= 64)
static_assert(max_cpus <= 64);

// The mask of the CPUs there are (Linux's cpu_active_mask).
u64 cpus_present() {
    const u32 online = cpu_local::online();
    return online >= 64 ? ~u64{0} : (u64{1} << online) - 1;
}

constexpr int SCHED_OTHER = 0, SCHED_FIFO = 1, SCHED_RR = 2, SCHED_BATCH = 3, SCHED_IDLE = 5,
              SCHED_DEADLINE = 6;
constexpr int PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2;
constexpr int nice_min = -20, nice_max = 19;

// Whether pid (0: the caller) names a process; the table lock is held.
bool exists_locked(int pid) {
    return pid == 0 || Process::find(pid) != nullptr;
}

ErrorOr<void> check_process(int pid) {
    SpinlockGuard guard(Process::table_lock());
    if (pid < 0 || !exists_locked(pid)) {
        return Error(Errno::SRCH, "no such process");
    }
    return {};
}

// sched_get_priority_max/min: the static priority range of a policy.
ErrorOr<i64> priority_limit(u64 policy, bool maximum) {
    switch (policy) {
    case SCHED_FIFO:
    case SCHED_RR:
        return maximum ? 99 : 1;
    case SCHED_OTHER:
    case SCHED_BATCH:
    case SCHED_IDLE:
    case SCHED_DEADLINE:
        return 0;
    default:
        return Error(Errno::INVAL, "unknown scheduling policy");
    }
}

// getpriority/setpriority's selection: which and who.
bool selected(const Process& process, int which, int who, const Process& caller) {
    switch (which) {
    case PRIO_PROCESS:
        return process.pid() == (who == 0 ? caller.pid() : who);
    case PRIO_PGRP:
        return process.process_group() == (who == 0 ? caller.process_group() : who);
    default: // PRIO_USER
        return process.uid == static_cast<u32>(who == 0 ? caller.uid : who);
    }
}

// The thread a pid argument names, as Linux's affinity calls take it: 0
// the caller, else any thread's id. The table lock is held.
Thread* affinity_target_locked(i64 pid) {
    if (pid == 0) {
        return Scheduler::current();
    }
    if (pid < 0 || pid > 0x7fffffff) {
        return nullptr;
    }
    return Process::find_thread(static_cast<i32>(pid));
}

} // namespace

// The length must hold every CPU and be whole words (EINVAL, checked
// first, as Linux does); the thread's mask among the CPUs there are, and
// its size, are returned.
SyscallResult sys_sched_getaffinity(const SyscallArguments& args) {
    const u64 length = args.a1;
    if (length * 8 < cpu_local::online() || length % sizeof(u64) != 0) {
        return Error(Errno::INVAL, "the mask must be whole words, one bit for each CPU");
    }
    u64 mask;
    {
        SpinlockGuard guard(Process::table_lock());
        const Thread* thread = affinity_target_locked(static_cast<i64>(static_cast<i32>(args.a0)));
        if (!thread) {
            return Error(Errno::SRCH, "no such thread");
        }
        mask = thread->affinity() & cpus_present();
    }
    TRY(write_user<u64>({args.a2}, mask));
    return cpu_mask_bytes;
}

// A mask shorter than a word is taken with the rest zero; it must name a
// CPU that is there (bits for CPUs there are not are kept, as Linux keeps
// them for CPUs that may come online). The caller, moved off a CPU it may
// no longer use, is on an allowed one when the call returns.
SyscallResult sys_sched_setaffinity(const SyscallArguments& args) {
    u64 mask = 0;
    const u64 length = args.a1 < cpu_mask_bytes ? args.a1 : cpu_mask_bytes;
    TRY(copy_from_user(&mask, {args.a2}, length));
    {
        SpinlockGuard guard(Process::table_lock());
        Thread* thread = affinity_target_locked(static_cast<i64>(static_cast<i32>(args.a0)));
        if (!thread) {
            return Error(Errno::SRCH, "no such thread");
        }
        if ((mask & cpus_present()) == 0) {
            return Error(Errno::INVAL, "the mask names no CPU there is");
        }
        Scheduler::set_affinity(thread, mask);
    }
    while (!(Scheduler::current()->affinity() & (u64{1} << cpu_local::id()))) {
        Scheduler::yield();
    }
    return 0;
}

SyscallResult sys_sched_getscheduler(const SyscallArguments& args) {
    const int pid = int_argument(args.a0);
    if (pid < 0) {
        return Error(Errno::INVAL, "negative pid");
    }
    TRY(check_process(pid));
    return SCHED_OTHER;
}

SyscallResult sys_sched_getparam(const SyscallArguments& args) {
    const int pid = int_argument(args.a0);
    if (pid < 0 || args.a1 == 0) {
        return Error(Errno::INVAL, "negative pid or no parameter block");
    }
    TRY(check_process(pid));
    TRY(write_user<i32>({args.a1}, 0)); // sched_priority: 0 for SCHED_OTHER
    return 0;
}

SyscallResult sys_sched_get_priority_max(const SyscallArguments& args) {
    return priority_limit(args.a0, true);
}

SyscallResult sys_sched_get_priority_min(const SyscallArguments& args) {
    return priority_limit(args.a0, false);
}

// The kernel's getpriority returns 20 - nice (1..40), so that no success
// looks like an error; the C library turns it back.
SyscallResult sys_getpriority(const SyscallArguments& args) {
    const int which = int_argument(args.a0);
    const int who = int_argument(args.a1);
    if (which < PRIO_PROCESS || which > PRIO_USER) {
        return Error(Errno::INVAL, "unknown which");
    }
    const Process& caller = *Process::current();
    i64 best = -1;
    Process::for_each([&](Process& process) {
        if (process.state() == ProcessState::Running && selected(process, which, who, caller)) {
            const i64 value = 20 - process.nice;
            best = value > best ? value : best;
        }
    });
    if (best < 0) {
        return Error(Errno::SRCH, "no process matches");
    }
    return best;
}

// Clamped to -20..19; everyone is root, so lowering is allowed too.
SyscallResult sys_setpriority(const SyscallArguments& args) {
    const int which = int_argument(args.a0);
    const int who = int_argument(args.a1);
    int nice = int_argument(args.a2);
    if (which < PRIO_PROCESS || which > PRIO_USER) {
        return Error(Errno::INVAL, "unknown which");
    }
    nice = nice < nice_min ? nice_min : (nice > nice_max ? nice_max : nice);
    const Process& caller = *Process::current();
    bool found = false;
    Process::for_each([&](Process& process) {
        if (process.state() == ProcessState::Running && selected(process, which, who, caller)) {
            process.nice = nice;
            found = true;
        }
    });
    if (!found) {
        return Error(Errno::SRCH, "no process matches");
    }
    return 0;
}

} // namespace kite
