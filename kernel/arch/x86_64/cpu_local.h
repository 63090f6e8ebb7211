// cpu_local.h: per-CPU data, reached through the GS segment base while the
// CPU runs kernel code (swapgs exchanges it with the user's GS base on every
// entry from and return to ring 3). One CPU for now; the layout is shared
// with syscall_entry.asm, hence the offset checks.
#pragma once

#include "lib/types.h"

namespace kite {

class Thread;
class Spinlock;

struct CpuLocal {
    CpuLocal* self;  // gs:0
    u64 kernel_rsp;  // gs:8   top of the running thread's kernel stack
    u64 user_rsp;    // gs:16  the user's rsp during syscall entry
    Thread* current; // gs:24
    u32 id;          // 0 for the boot CPU
    // The innermost spinlock this CPU holds; each held lock links to the
    // one taken before it (sync/spinlock.h checks the lock order against
    // this chain). Null when none is held.
    Spinlock* innermost_spinlock;
};
static_assert(__builtin_offsetof(CpuLocal, kernel_rsp) == 8);
static_assert(__builtin_offsetof(CpuLocal, user_rsp) == 16);
static_assert(__builtin_offsetof(CpuLocal, current) == 24);

namespace cpu_local {

constexpr u32 msr_fs_base = 0xC0000100;
constexpr u32 msr_gs_base = 0xC0000101;
constexpr u32 msr_kernel_gs_base = 0xC0000102;

// Points GS at this CPU's CpuLocal (kernel GS base) and sets up the
// syscall MSRs (EFER.SCE, STAR, LSTAR, FMASK).
void init();
// Points the syscall instruction at another entry (syscall_entry.asm's
// syscall_entry_poisoning, for the stack-poison debug mode).
void use_syscall_entry(void (*entry)());

// Where entries from ring 3 land while `thread` runs (TSS.RSP0 and
// CpuLocal.kernel_rsp).
void set_kernel_stack(u64 top);

// This CPU's block. One CPU for now: a plain global, usable before init().
extern CpuLocal boot_cpu;
[[nodiscard]] inline CpuLocal& get() {
    return boot_cpu;
}

} // namespace cpu_local
} // namespace kite
