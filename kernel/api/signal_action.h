// signal_action.h: what rt_sigaction, rt_sigprocmask and signal delivery
// exchange with user space, in kite::abi::signals: SIG_BLOCK..., SA_* and
// SIG_DFL/SIG_IGN (from constants_list.h), struct kernel_sigaction and the
// frame put on the user stack (arch/x86/include/uapi/asm/sigcontext.h and
// ucontext.h layouts, so that C libraries' handlers and sigreturn work
// unchanged).
#pragma once

#include "api/signals.h"
#include "api/types.h"
#include "lib/types.h"

namespace kite::abi::signals {

#define SIGMASK_HOW(name, value) constexpr u64 SIG_##name = value;
#define SA_FLAG(name, value) constexpr u64 SA_##name = value;
#define SIG_HANDLER(name, value) constexpr u64 SIG_##name = value;
#include "api/constants_list.h"

using Action = SigAction;

struct SigContext {
    u64 r8, r9, r10, r11, r12, r13, r14, r15;
    u64 rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
    u16 cs, gs, fs, ss;
    u64 err, trapno, oldmask, cr2;
    u64 fpstate;
    u64 reserved[8];
};
static_assert(sizeof(SigContext) == 256);
static_assert(__builtin_offsetof(SigContext, rip) == 128);

struct UContext {
    u64 flags;
    u64 link;
    u64 stack_sp;
    i32 stack_flags;
    i32 stack_pad;
    u64 stack_size;
    SigContext mcontext;
    u64 sigmask;
};
static_assert(sizeof(UContext) == 304);

struct SigInfo {
    i32 signo;
    i32 errno_value;
    i32 code;
    i32 pad;
    i32 pid;
    u32 uid;
    u8 rest[104];
};
static_assert(sizeof(SigInfo) == 128);

struct Frame {          // struct rt_sigframe
    u64 return_address; // sa_restorer
    UContext context;
    SigInfo info;
};
static_assert(sizeof(Frame) == 440);

} // namespace kite::abi::signals
