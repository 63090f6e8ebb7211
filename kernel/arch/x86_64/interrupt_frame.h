// interrupt_frame.h: the stack frame built by interrupt_stubs.asm, lowest
// address first: the general registers pushed by interrupt_common, the
// vector and error code pushed by the stub, then what the CPU pushed.
#pragma once

#include "lib/types.h"

namespace kite {

struct InterruptFrame {
    u64 r15, r14, r13, r12, r11, r10, r9, r8;
    u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
    u64 vector;
    u64 error_code; // 0 when the CPU pushes none
    u64 rip, cs, rflags, rsp, ss;

    // Vectors no CPU exception or interrupt has: a system call's frame
    // (syscall_entry.asm), and a frame filled with a whole user context
    // (rt_sigreturn's, or exec's new program), which is no system call to
    // restart and must leave by iretq (sysret would lose its rcx and r11).
    static constexpr u64 system_call = 0x100;
    static constexpr u64 restored_context = 0x101;

    [[nodiscard]] bool from_user() const { return (cs & 3) == 3; }
};
static_assert(sizeof(InterruptFrame) == 22 * 8);
static_assert(__builtin_offsetof(InterruptFrame, rax) == 14 * 8);
static_assert(__builtin_offsetof(InterruptFrame, vector) == 15 * 8);
static_assert(__builtin_offsetof(InterruptFrame, rip) == 17 * 8);
static_assert(__builtin_offsetof(InterruptFrame, ss) == 21 * 8);

} // namespace kite
