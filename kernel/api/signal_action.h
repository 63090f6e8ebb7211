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

// siginfo_t: which of the union's forms is filled depends on the signal
// and si_code.
struct SigInfo {
    i32 signo;
    i32 errno_value;
    i32 code;
    i32 pad;
    union {
        struct { // SI_USER, SI_TKILL, SI_QUEUE (value: the sigval)
            i32 pid;
            u32 uid;
            u64 value;
        } kill;
        struct { // SIGCHLD: CLD_*
            i32 pid;
            u32 uid;
            i32 status;
            i32 pad;
            i64 user_time; // clock ticks (USER_HZ)
            i64 system_time;
        } child;
        struct { // SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP from the CPU
            u64 address;
        } fault;
        struct { // SI_TIMER
            i32 timer_id;
            i32 overrun;
            u64 value;
        } timer;
        u8 bytes[112];
    };
};
static_assert(sizeof(SigInfo) == 128);
static_assert(__builtin_offsetof(SigInfo, kill.pid) == 16);
static_assert(__builtin_offsetof(SigInfo, kill.value) == 24);
static_assert(__builtin_offsetof(SigInfo, child.status) == 24);
static_assert(__builtin_offsetof(SigInfo, child.user_time) == 32);
static_assert(__builtin_offsetof(SigInfo, fault.address) == 16);

// si_code values (Linux's uapi/asm-generic/siginfo.h).
constexpr i32 SI_USER = 0;
constexpr i32 SI_KERNEL = 0x80;
constexpr i32 SI_QUEUE = -1;
constexpr i32 SI_TIMER = -2;
constexpr i32 SI_TKILL = -6;
constexpr i32 ILL_ILLOPN = 2;
constexpr i32 FPE_INTDIV = 1;
constexpr i32 FPE_FLTDIV = 3;
constexpr i32 SEGV_MAPERR = 1;
constexpr i32 SEGV_ACCERR = 2;
constexpr i32 BUS_ADRALN = 1;
constexpr i32 BUS_ADRERR = 2; // a file mapping's page past the end of its file
constexpr i32 TRAP_BRKPT = 1;
constexpr i32 TRAP_TRACE = 2;

// stack_t (sigaltstack) and its flags.
struct StackT {
    u64 sp;
    i32 flags;
    i32 pad;
    u64 size;
};
static_assert(sizeof(StackT) == 24);
constexpr i32 SS_ONSTACK = 1;
constexpr i32 SS_DISABLE = 2;
constexpr i32 SS_AUTODISARM = static_cast<i32>(1u << 31);
constexpr u64 MINSIGSTKSZ = 2048;

struct Frame {          // struct rt_sigframe
    u64 return_address; // sa_restorer
    UContext context;
    SigInfo info;
};
static_assert(sizeof(Frame) == 440);

} // namespace kite::abi::signals
