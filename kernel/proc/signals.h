// signals.h: Linux signal numbers and the structures signal delivery puts on
// the user stack (arch/x86/include/uapi/asm/sigcontext.h and ucontext.h
// layouts, so that C libraries' handlers and sigreturn work unchanged).
#pragma once

#include "lib/types.h"

namespace kite::signals {

enum : int {
    HUP = 1,
    INT = 2,
    QUIT = 3,
    ILL = 4,
    TRAP = 5,
    ABRT = 6,
    BUS = 7,
    FPE = 8,
    KILL = 9,
    USR1 = 10,
    SEGV = 11,
    USR2 = 12,
    PIPE = 13,
    ALRM = 14,
    TERM = 15,
    CHLD = 17,
    CONT = 18,
    STOP = 19,
    TSTP = 20,
    TTIN = 21,
    TTOU = 22,
    URG = 23,
    WINCH = 28,
};
constexpr int count = 64;

constexpr u64 bit(int signal) {
    return u64{1} << (signal - 1);
}
constexpr u64 unblockable = bit(KILL) | bit(STOP);
constexpr u64 stop_signals = bit(STOP) | bit(TSTP) | bit(TTIN) | bit(TTOU);

// sa_flags
constexpr u64 SA_SIGINFO = 0x4;
constexpr u64 SA_RESTORER = 0x04000000;
constexpr u64 SA_ONSTACK = 0x08000000;
constexpr u64 SA_RESTART = 0x10000000;
constexpr u64 SA_NODEFER = 0x40000000;
constexpr u64 SA_RESETHAND = 0x80000000;
constexpr u64 SIG_DFL = 0;
constexpr u64 SIG_IGN = 1;

struct Action { // struct kernel_sigaction
    u64 handler;
    u64 flags;
    u64 restorer;
    u64 mask;
};
static_assert(sizeof(Action) == 32);

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

} // namespace kite::signals
