// ipc_calls.cpp: System V IPC's system calls (shm*, sem*, msg*). The
// arguments are Linux's C ints and sizes; the objects and their rules are
// in ipc/shm.cpp, ipc/sem.cpp and ipc/msg.cpp.
#include "ipc/msg.h"
#include "ipc/sem.h"
#include "ipc/shm.h"
#include "syscalls/clocks.h"
#include "syscalls/syscall.h"

namespace kite {

namespace {

u32 flags_argument(u64 raw) {
    return static_cast<u32>(raw);
}

} // namespace

SyscallResult sys_shmget(const SyscallArguments& args) {
    return ipc::shm::get(int_argument(args.a0), args.a1, flags_argument(args.a2));
}

SyscallResult sys_shmat(const SyscallArguments& args) {
    return ipc::shm::attach(int_argument(args.a0), args.a1, flags_argument(args.a2));
}

SyscallResult sys_shmdt(const SyscallArguments& args) {
    return ipc::shm::detach(args.a0);
}

SyscallResult sys_shmctl(const SyscallArguments& args) {
    return ipc::shm::control(int_argument(args.a0), int_argument(args.a1), args.a2);
}

SyscallResult sys_semget(const SyscallArguments& args) {
    return ipc::sem::get(int_argument(args.a0), int_argument(args.a1), flags_argument(args.a2));
}

SyscallResult sys_semop(const SyscallArguments& args) {
    return ipc::sem::operate(int_argument(args.a0), args.a1, args.a2, ipc::sem::no_timeout);
}

SyscallResult sys_semtimedop(const SyscallArguments& args) {
    u64 timeout = ipc::sem::no_timeout;
    if (args.a3 != 0) {
        // Linux reads the timeout before it looks at the set.
        if (args.a2 < 1 || static_cast<i64>(args.a2) < 0) {
            return Error(Errno::INVAL, "no operations");
        }
        timeout = TRY(read_timespec_ns(args.a3));
    }
    return ipc::sem::operate(int_argument(args.a0), args.a1, args.a2, timeout);
}

// semctl's fourth argument is a union semun passed by value: SETVAL's int
// or a pointer, both in the register.
SyscallResult sys_semctl(const SyscallArguments& args) {
    return ipc::sem::control(int_argument(args.a0), int_argument(args.a1), int_argument(args.a2),
                             args.a3);
}

SyscallResult sys_msgget(const SyscallArguments& args) {
    return ipc::msg::get(int_argument(args.a0), flags_argument(args.a1));
}

SyscallResult sys_msgsnd(const SyscallArguments& args) {
    return ipc::msg::send(int_argument(args.a0), args.a1, args.a2, flags_argument(args.a3));
}

SyscallResult sys_msgrcv(const SyscallArguments& args) {
    return ipc::msg::receive(int_argument(args.a0), args.a1, args.a2, static_cast<i64>(args.a3),
                             flags_argument(args.a4));
}

SyscallResult sys_msgctl(const SyscallArguments& args) {
    return ipc::msg::control(int_argument(args.a0), int_argument(args.a1), args.a2);
}

} // namespace kite
