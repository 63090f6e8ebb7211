// process_calls.cpp: process identity, exit, exec, and per-thread settings.
#include "api/constants.h"
#include "api/types.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "mm/kmalloc.h"
#include "mm/user_memory.h"
#include "proc/exec.h"
#include "proc/host_names.h"
#include "proc/process.h"
#include "syscalls/syscall.h"
#include "syscalls/user_path.h"

namespace kite {

namespace {
constexpr u64 ARCH_SET_FS = 0x1002;
constexpr u64 ARCH_GET_FS = 0x1003;
// prctl options (linux/prctl.h).
constexpr u64 PR_SET_PDEATHSIG = 1;
constexpr u64 PR_GET_PDEATHSIG = 2;
constexpr u64 PR_GET_DUMPABLE = 3;
constexpr u64 PR_SET_NAME = 15;
constexpr u64 PR_GET_NAME = 16;
constexpr u64 PR_SET_CHILD_SUBREAPER = 36;
constexpr u64 PR_GET_CHILD_SUBREAPER = 37;
constexpr usize comm_size = 16; // Linux's TASK_COMM_LEN, the NUL included
} // namespace

// exit ends the calling thread; the process ends with its last thread.
SyscallResult sys_exit(const SyscallArguments& args) {
    Process::current()->exit_thread(static_cast<int>((args.a0 & 0xFF) << 8));
}

SyscallResult sys_exit_group(const SyscallArguments& args) {
    Process::current()->exit(static_cast<int>((args.a0 & 0xFF) << 8));
}

SyscallResult sys_getpid(const SyscallArguments&) {
    return Process::current()->pid();
}
SyscallResult sys_gettid(const SyscallArguments&) {
    return Scheduler::current()->user.tid;
}
SyscallResult sys_getppid(const SyscallArguments&) {
    // The parent may exit and be freed meanwhile: read it under the lock.
    SpinlockGuard guard(Process::table_lock());
    return Process::current()->parent_pid();
}
SyscallResult sys_getuid(const SyscallArguments&) {
    return Process::current()->uid;
}
SyscallResult sys_geteuid(const SyscallArguments&) {
    return Process::current()->uid;
}
SyscallResult sys_getgid(const SyscallArguments&) {
    return Process::current()->gid;
}
SyscallResult sys_getegid(const SyscallArguments&) {
    return Process::current()->gid;
}

SyscallResult sys_set_tid_address(const SyscallArguments& args) {
    Thread& self = *Scheduler::current();
    self.user.clear_child_tid = args.a0;
    return self.user.tid;
}

SyscallResult sys_sched_yield(const SyscallArguments&) {
    Scheduler::yield();
    return 0;
}

SyscallResult sys_arch_prctl(const SyscallArguments& args) {
    Thread* thread = Scheduler::current();
    switch (args.a0) {
    case ARCH_SET_FS:
        if (args.a1 >= user_task_size) {
            return Error(Errno::PERM, "FS base outside user space");
        }
        thread->fs_base = args.a1;
        cpu::wrmsr(cpu_local::msr_fs_base, args.a1);
        return 0;
    case ARCH_GET_FS:
        TRY(write_user<u64>({args.a1}, thread->fs_base));
        return 0;
    default:
        return Error(Errno::INVAL, "unsupported arch_prctl code");
    }
}

SyscallResult sys_uname(const SyscallArguments& args) {
    abi::Utsname name{};
    auto set = [](char* field, const char* text) {
        for (usize i = 0; text[i] && i < 64; ++i) {
            field[i] = text[i];
        }
    };
    set(name.sysname, "Kite");
    set(name.nodename, host_names::host().text);
    set(name.release, KITE_VERSION);
    set(name.version, "Kite " KITE_VERSION);
    set(name.machine, "x86_64");
    set(name.domainname, host_names::domain().text);
    TRY(write_user({args.a0}, name));
    return 0;
}

SyscallResult sys_execve(const SyscallArguments& args) {
    const UserPath path = TRY(UserPath::copy(args.a0));
    ProgramArguments arguments = TRY(copy_arguments_from_user(args.a1, args.a2));
    TRY(exec(*Process::current(), path.view(), arguments, *args.frame));
    return 0; // rax of the new program starts at 0
}

// prctl: the calls C libraries and busybox make. PR_SET_NAME names the
// process as ps shows it (busybox names each applet so after exec'ing
// itself through /proc/self/exe), cut to 15 bytes as on Linux;
// PR_GET_NAME gives those 16 bytes back; every process is dumpable.
// PR_SET_PDEATHSIG asks for a signal when the thread that made this
// process ends (for the calling thread: a per-thread setting, as Linux's),
// PR_SET_CHILD_SUBREAPER makes orphaned descendants come here instead of
// init (proc/orphans.cpp does both). Other options are EINVAL, as Linux
// answers an unknown one.
SyscallResult sys_prctl(const SyscallArguments& args) {
    Process* self = Process::current();
    switch (args.a0) {
    case PR_GET_DUMPABLE:
        return 1;
    case PR_SET_PDEATHSIG: {
        if (args.a1 > static_cast<u64>(signals::count)) {
            return Error(Errno::INVAL, "not a signal");
        }
        SpinlockGuard guard(Process::table_lock()); // the parent's end reads it under it
        Scheduler::current()->user.parent_death_signal = static_cast<int>(args.a1);
        return 0;
    }
    case PR_GET_PDEATHSIG:
        TRY(write_user<i32>({args.a1}, Scheduler::current()->user.parent_death_signal));
        return 0;
    case PR_SET_CHILD_SUBREAPER: {
        SpinlockGuard guard(Process::table_lock());
        self->child_subreaper = args.a1 != 0;
        return 0;
    }
    case PR_GET_CHILD_SUBREAPER:
        TRY(write_user<i32>({args.a1}, self->child_subreaper ? 1 : 0));
        return 0;
    case PR_SET_NAME: {
        char name[comm_size] = {};
        // Byte by byte: a name may end just before an unmapped page, and a
        // longer one is cut short, not refused.
        for (usize i = 0; i + 1 < comm_size; ++i) {
            TRY(copy_from_user(&name[i], UserAddress{args.a1}.offset(i), 1));
            if (name[i] == '\0') {
                break;
            }
        }
        SpinlockGuard guard(Process::table_lock()); // ps reads names under it
        self->set_name(name);
        return 0;
    }
    case PR_GET_NAME: {
        char name[comm_size] = {};
        {
            SpinlockGuard guard(Process::table_lock());
            const char* own = self->name();
            for (usize i = 0; i + 1 < comm_size && own[i] != '\0'; ++i) {
                name[i] = own[i];
            }
        }
        TRY(copy_to_user({args.a1}, name, comm_size));
        return 0;
    }
    default:
        return Error(Errno::INVAL, "prctl option not supported");
    }
}

} // namespace kite
