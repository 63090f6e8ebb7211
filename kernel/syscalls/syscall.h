// syscall.h: the system-call interface inside the kernel. Handlers take the
// six argument registers and return ErrorOr<i64>; the dispatcher
// (dispatch.cpp) turns an Error into -errno, in that one place.
#pragma once

#include "arch/x86_64/interrupt_frame.h"
#include "lib/error.h"
#include "mm/user_memory.h"

namespace kite {

struct SyscallArguments {
    u64 a0, a1, a2, a3, a4, a5; // rdi rsi rdx r10 r8 r9
    InterruptFrame* frame;      // for execve, which replaces the user context
};

using SyscallResult = ErrorOr<i64>;

// Typed views of an argument register, for handlers that read better with
// them than with raw args.aN.
//
// A user pointer to a T: reads and writes go through the checked user
// copies (EFAULT for a bad address); null is a value handlers may test.
template <typename T>
class UserPointer {
  public:
    explicit UserPointer(u64 address) : m_address(address) {}
    [[nodiscard]] bool is_null() const { return m_address == 0; }
    [[nodiscard]] ErrorOr<T> read() const { return read_user<T>({m_address}); }
    [[nodiscard]] ErrorOr<void> write(const T& value) const {
        return write_user({m_address}, value);
    }

  private:
    u64 m_address;
};

template <typename T>
[[nodiscard]] UserPointer<T> user_pointer(u64 raw) {
    return UserPointer<T>(raw);
}

// A descriptor or other C int argument: the low 32 bits, sign-extended, as
// Linux reads an int from a 64-bit register.
[[nodiscard]] inline int int_argument(u64 raw) {
    return static_cast<int>(static_cast<i32>(raw));
}

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
