// fpu.cpp: see fpu.h.
#include "arch/x86_64/fpu.h"

#include "arch/x86_64/cpu.h"

namespace kite::fpu {

namespace {
FpuState clean;
} // namespace

void init() {
    u64 cr0 = cpu::read_cr0();
    cr0 &= ~(u64{1} << 2); // EM: no emulation
    cr0 &= ~(u64{1} << 3); // TS: no lazy switching
    cr0 |= u64{1} << 1;    // MP
    asm volatile("mov %0, %%cr0" : : "r"(cr0));
    u64 cr4 = cpu::read_cr4();
    cr4 |= (u64{1} << 9) | (u64{1} << 10); // OSFXSR, OSXMMEXCPT
    asm volatile("mov %0, %%cr4" : : "r"(cr4));
    asm volatile("fninit");
    const u32 mxcsr = 0x1F80;
    asm volatile("ldmxcsr %0" : : "m"(mxcsr));
    save(clean);
}

const FpuState& initial_state() {
    return clean;
}

} // namespace kite::fpu
