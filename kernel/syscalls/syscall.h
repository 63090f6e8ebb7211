// syscall.h: the system-call interface inside the kernel. Handlers take the
// six argument registers and return ErrorOr<i64>; the dispatcher
// (dispatch.cpp) turns an Error into -errno, in that one place.
#pragma once

#include "arch/x86_64/interrupt_frame.h"
#include "lib/error.h"

namespace kite {

struct SyscallArguments {
    u64 a0, a1, a2, a3, a4, a5; // rdi rsi rdx r10 r8 r9
    InterruptFrame* frame;      // for execve, which replaces the user context
};

using SyscallResult = ErrorOr<i64>;

enum class SyscallNumber : u64 {
#define SYSCALL(number, name) name = number,
#include "syscalls/syscall_list.h"
#undef SYSCALL
};

#define SYSCALL(number, name) SyscallResult sys_##name(const SyscallArguments& args);
#include "syscalls/syscall_list.h"
#undef SYSCALL

// Installs the user-fault hooks; after cpu_local::init.
void syscalls_init();

struct SyscallStats {
    u64 calls;
    u64 unknown;
};
[[nodiscard]] SyscallStats syscall_stats();

} // namespace kite
