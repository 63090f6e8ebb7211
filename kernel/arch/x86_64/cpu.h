// cpu.h: thin wrappers over x86-64 instructions the kernel needs. Each is a
// single instruction (or a fixed short sequence); no policy lives here.
#pragma once

#include "lib/types.h"

namespace kite::cpu {

inline void outb(u16 port, u8 value) {
    asm volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}
inline void outw(u16 port, u16 value) {
    asm volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}
inline void outl(u16 port, u32 value) {
    asm volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}
inline u8 inb(u16 port) {
    u8 value;
    asm volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

inline u16 inw(u16 port) {
    u16 value;
    asm volatile("inw %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}
inline u32 inl(u16 port) {
    u32 value;
    asm volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}
// Moves count 16-bit words between a port and memory (an ATA data port).
inline void insw(u16 port, void* to, u64 count) {
    asm volatile("rep insw" : "+D"(to), "+c"(count) : "d"(port) : "memory");
}
inline void outsw(u16 port, const void* from, u64 count) {
    asm volatile("rep outsw" : "+S"(from), "+c"(count) : "d"(port) : "memory");
}
inline u64 read_cr0() {
    u64 v;
    asm volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}
inline void write_cr0(u64 v) {
    asm volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}
inline u64 read_cr2() {
    u64 v;
    asm volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}
inline u64 read_cr3() {
    u64 v;
    asm volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}
inline void write_cr3(u64 v) {
    asm volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}
inline u64 read_cr4() {
    u64 v;
    asm volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}
inline void write_cr4(u64 v) {
    asm volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}
inline u64 read_rflags() {
    u64 v;
    asm volatile("pushfq; popq %0" : "=r"(v));
    return v;
}
inline u64 read_rbp() {
    u64 v;
    asm volatile("mov %%rbp, %0" : "=r"(v));
    return v;
}
inline u64 read_rsp() {
    u64 v;
    asm volatile("mov %%rsp, %0" : "=r"(v));
    return v;
}

inline u64 rdmsr(u32 msr) {
    u32 low, high;
    asm volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
    return (static_cast<u64>(high) << 32) | low;
}
inline void wrmsr(u32 msr, u64 value) {
    asm volatile("wrmsr"
                 :
                 : "c"(msr), "a"(static_cast<u32>(value)), "d"(static_cast<u32>(value >> 32)));
}

inline u64 rdtsc() {
    u32 low, high;
    asm volatile("rdtsc" : "=a"(low), "=d"(high));
    return (static_cast<u64>(high) << 32) | low;
}

inline void invlpg(u64 address) {
    asm volatile("invlpg (%0)" : : "r"(address) : "memory");
}
inline void flush_tlb() {
    write_cr3(read_cr3());
}
// Global entries (the kernel's) too: clearing CR4.PGE drops them (SDM 3A
// 4.10.4.1). Interrupts must be off, so nothing runs between the writes.
inline void flush_tlb_global() {
    constexpr u64 cr4_pge = u64{1} << 7;
    const u64 cr4 = read_cr4();
    if (cr4 & cr4_pge) {
        write_cr4(cr4 & ~cr4_pge);
        write_cr4(cr4);
    } else {
        flush_tlb();
    }
}

inline void disable_interrupts() {
    asm volatile("cli" : : : "memory");
}
inline void enable_interrupts() {
    asm volatile("sti" : : : "memory");
}
inline bool interrupts_enabled() {
    return (read_rflags() & (1u << 9)) != 0;
}
inline void halt() {
    asm volatile("hlt");
}
inline void pause() {
    asm volatile("pause");
}

// Stops this CPU for good: interrupts off, then hlt (which an NMI can wake,
// hence the loop).
[[noreturn]] inline void halt_forever() {
    for (;;) {
        asm volatile("cli; hlt");
    }
}

constexpr u32 msr_efer = 0xC0000080;
constexpr u64 efer_nxe = 1u << 11;
constexpr u64 cr0_wp = 1u << 16;

} // namespace kite::cpu
