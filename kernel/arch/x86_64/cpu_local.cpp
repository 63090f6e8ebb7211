// cpu_local.cpp: see cpu_local.h.
#include "arch/x86_64/cpu_local.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"

extern "C" void syscall_entry();

// Constant-initialized, so the boot CPU's self pointer is right before
// boot.asm loads its address into the GS base.
kite::CpuLocal cpu_locals[kite::max_cpus] = {{.self = &cpu_locals[0]}};

namespace kite::cpu_local {

namespace {

constexpr u32 msr_star = 0xC0000081;
constexpr u32 msr_lstar = 0xC0000082;
constexpr u32 msr_fmask = 0xC0000084;
constexpr u64 efer_sce = 1;
// Cleared on syscall entry: TF, IF, DF, AC (and NT, which iretq would honour).
constexpr u64 fmask = (1u << 8) | (1u << 9) | (1u << 10) | (1u << 18) | (1u << 14);

void (*syscall_target)() = syscall_entry;
u32 online_count = 1; // the boot CPU

} // namespace

void init(CpuLocal& local, u32 id) {
    local.self = &local;
    local.id = id;
    cpu::wrmsr(msr_gs_base, reinterpret_cast<u64>(&local));
    cpu::wrmsr(msr_kernel_gs_base, 0);
    cpu::wrmsr(cpu::msr_efer, cpu::rdmsr(cpu::msr_efer) | efer_sce);
    // syscall: CS = STAR[47:32], SS = +8. sysret (64-bit): CS = STAR[63:48]
    // + 16, SS = STAR[63:48] + 8, both with RPL 3 (see gdt.h).
    const u64 star = (u64{0x18} << 48) | (u64{gdt::kernel_code_selector} << 32);
    cpu::wrmsr(msr_star, star);
    cpu::wrmsr(msr_lstar,
               reinterpret_cast<u64>(__atomic_load_n(&syscall_target, __ATOMIC_ACQUIRE)));
    cpu::wrmsr(msr_fmask, fmask);
}

void use_syscall_entry(void (*entry)()) {
    __atomic_store_n(&syscall_target, entry, __ATOMIC_RELEASE);
    cpu::wrmsr(msr_lstar, reinterpret_cast<u64>(entry));
}

void set_kernel_stack(u64 top) {
    get().kernel_rsp = top;
    gdt::set_kernel_stack(top);
}

CpuLocal& of(u32 id) {
    return cpu_locals[id];
}

u32 online() {
    return __atomic_load_n(&online_count, __ATOMIC_ACQUIRE);
}

void mark_online() {
    __atomic_add_fetch(&online_count, 1, __ATOMIC_RELEASE);
}

} // namespace kite::cpu_local
