// cpu_local.cpp: see cpu_local.h.
#include "arch/x86_64/cpu_local.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"

extern "C" void syscall_entry();

namespace kite::cpu_local {

CpuLocal boot_cpu;

namespace {

constexpr u32 msr_star = 0xC0000081;
constexpr u32 msr_lstar = 0xC0000082;
constexpr u32 msr_fmask = 0xC0000084;
constexpr u64 efer_sce = 1;
// Cleared on syscall entry: TF, IF, DF, AC (and NT, which iretq would honour).
constexpr u64 fmask = (1u << 8) | (1u << 9) | (1u << 10) | (1u << 18) | (1u << 14);

} // namespace

void init() {
    boot_cpu.self = &boot_cpu;
    cpu::wrmsr(msr_gs_base, reinterpret_cast<u64>(&boot_cpu));
    cpu::wrmsr(msr_kernel_gs_base, 0);
    cpu::wrmsr(cpu::msr_efer, cpu::rdmsr(cpu::msr_efer) | efer_sce);
    // syscall: CS = STAR[47:32], SS = +8. sysret (64-bit): CS = STAR[63:48]
    // + 16, SS = STAR[63:48] + 8, both with RPL 3 (see gdt.h).
    const u64 star = (u64{0x18} << 48) | (u64{gdt::kernel_code_selector} << 32);
    cpu::wrmsr(msr_star, star);
    cpu::wrmsr(msr_lstar, reinterpret_cast<u64>(syscall_entry));
    cpu::wrmsr(msr_fmask, fmask);
}

void use_syscall_entry(void (*entry)()) {
    cpu::wrmsr(msr_lstar, reinterpret_cast<u64>(entry));
}

void set_kernel_stack(u64 top) {
    boot_cpu.kernel_rsp = top;
    gdt::set_kernel_stack(top);
}

} // namespace kite::cpu_local
