// cpu_local.h: per-CPU data, reached through the GS segment base while the
// CPU runs kernel code (swapgs exchanges it with the user's GS base on every
// entry from and return to ring 3). Each CPU's GS base points at its own
// CpuLocal from its first instruction of C++: boot.asm sets the boot CPU's
// before the global constructors, smp_boot's entry an application
// processor's. The layout is shared with syscall_entry.asm, hence the
// offset checks.
#pragma once

#include "lib/types.h"

namespace kite {

class Thread;
class Spinlock;
class AddressSpace;

// The most CPUs Kite runs on; more in the MADT are reported and left off.
constexpr u32 max_cpus = 16;

// A cache line each, so CPUs do not share lines they write.
struct alignas(64) CpuLocal {
    CpuLocal* self = nullptr;  // gs:0
    u64 kernel_rsp = 0;        // gs:8   top of the running thread's kernel stack
    u64 user_rsp = 0;          // gs:16  the user's rsp during syscall entry
    Thread* current = nullptr; // gs:24
    u32 id = 0;                // index in cpu_locals: 0 for the boot CPU
    u32 apic_id = 0;           // the local APIC's ID (what IPIs are addressed to)
    // The innermost spinlock this CPU holds; each held lock links to the
    // one taken before it (sync/spinlock.h checks the lock order against
    // this chain). Null when none is held.
    Spinlock* innermost_spinlock = nullptr;

    // The scheduler's per-CPU state, under the scheduler lock: this CPU's
    // idle thread, whether it should switch at the next chance (another CPU
    // may set it, then sends a reschedule IPI), and a Dead thread whose
    // stack this CPU just left.
    Thread* idle = nullptr;
    bool need_resched = false;
    Thread* to_reap = nullptr;
    // Ticks this CPU's timer charged to user mode and to the kernel (not
    // idle), for /proc/stat's per-CPU lines.
    u64 user_ticks = 0;
    u64 system_ticks = 0;

    // The address space whose tables CR3 holds (AddressSpace::activate),
    // and whether it stays loaded only lazily, under a kernel thread or the
    // idle thread that does not use its user half: a TLB shootdown then
    // loads the kernel's tables instead of flushing (mm/tlb.h).
    AddressSpace* loaded_space = nullptr;
    bool lazy_space = false;
};
static_assert(__builtin_offsetof(CpuLocal, self) == 0);
static_assert(__builtin_offsetof(CpuLocal, kernel_rsp) == 8);
static_assert(__builtin_offsetof(CpuLocal, user_rsp) == 16);
static_assert(__builtin_offsetof(CpuLocal, current) == 24);

namespace cpu_local {

constexpr u32 msr_fs_base = 0xC0000100;
constexpr u32 msr_gs_base = 0xC0000101;
constexpr u32 msr_kernel_gs_base = 0xC0000102;

// Sets up this CPU's syscall MSRs (EFER.SCE, STAR, LSTAR, FMASK) and
// points GS at `local`, whose self and id it fills in. The boot CPU calls
// it once its GDT is loaded; each application processor from its entry.
void init(CpuLocal& local, u32 id);
// Points the syscall instruction at another entry (syscall_entry.asm's
// syscall_entry_poisoning, for the stack-poison debug mode) on this CPU
// and on every CPU started later.
void use_syscall_entry(void (*entry)());

// Where entries from ring 3 land while `thread` runs (TSS.RSP0 and
// CpuLocal.kernel_rsp).
void set_kernel_stack(u64 top);

// Every CPU's block, indexed by CpuLocal::id; online() of them run.
[[nodiscard]] CpuLocal& of(u32 id);
[[nodiscard]] u32 online();
// Counts a CPU that has finished starting (smp_boot).
void mark_online();

// This CPU's block: one load through GS. Volatile, as a thread moved to
// another CPU between two calls must see the second CPU's block. The
// reference stays this CPU's only while the thread cannot move (interrupts
// off); otherwise use the one-load readers below.
[[nodiscard]] inline CpuLocal& get() {
    CpuLocal* self;
    asm volatile("movq %%gs:0, %0" : "=r"(self));
    return *self;
}

// Fields that code with interrupts on may read, each in one load through
// GS: a thread may move to another CPU between any two instructions, so a
// CpuLocal& taken first and read later may be the old CPU's. With one load
// the value is always the running CPU's, which for these is what the
// caller wants: its own thread, and the CPU it runs on at that instant.
[[nodiscard]] inline Thread* current_thread() {
    Thread* thread;
    asm volatile("movq %%gs:%c1, %0" : "=r"(thread) : "i"(__builtin_offsetof(CpuLocal, current)));
    return thread;
}
[[nodiscard]] inline u32 id() {
    u32 value;
    asm volatile("movl %%gs:%c1, %0" : "=r"(value) : "i"(__builtin_offsetof(CpuLocal, id)));
    return value;
}
// Null whenever interrupts are on (a held spinlock keeps them off).
[[nodiscard]] inline Spinlock* innermost_spinlock() {
    Spinlock* lock;
    asm volatile("movq %%gs:%c1, %0"
                 : "=r"(lock)
                 : "i"(__builtin_offsetof(CpuLocal, innermost_spinlock)));
    return lock;
}
// Interrupts off (the spinlocks' own bookkeeping).
inline void set_innermost_spinlock(Spinlock* lock) {
    asm volatile("movq %0, %%gs:%c1"
                 :
                 : "r"(lock), "i"(__builtin_offsetof(CpuLocal, innermost_spinlock))
                 : "memory");
}

} // namespace cpu_local
} // namespace kite

// For boot.asm, which points the boot CPU's GS base here before any C++.
extern "C" kite::CpuLocal cpu_locals[kite::max_cpus];
