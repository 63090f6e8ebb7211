// gdt.h: the Global Descriptor Table and the 64-bit Task State Segment.
//
// Selector layout (fixed by syscall/sysret, which derive the user selectors
// from STAR as base+8 for SS and base+16 for CS):
//   0x00 null   0x08 kernel code   0x10 kernel data
//   0x18 null (the sysret base)    0x20 user data   0x28 user code
//   0x30 TSS (two slots)
#pragma once

#include "lib/types.h"

namespace kite::gdt {

constexpr u16 kernel_code_selector = 0x08;
constexpr u16 kernel_data_selector = 0x10;
constexpr u16 user_data_selector = 0x20 | 3;
constexpr u16 user_code_selector = 0x28 | 3;
constexpr u16 tss_selector = 0x30;

// Interrupt stack table slots (TSS.IST1..7, numbered from 1 as the CPU does).
enum class Ist : u8 { None = 0, DoubleFault = 1, Nmi = 2, MachineCheck = 3 };

struct [[gnu::packed]] SegmentDescriptor {
    u16 limit_low;
    u16 base_low;
    u8 base_middle;
    u8 access;      // present, DPL, type
    u8 flags_limit; // granularity, long mode, limit 19:16
    u8 base_high;
};
static_assert(sizeof(SegmentDescriptor) == 8);
static_assert(__builtin_offsetof(SegmentDescriptor, access) == 5);

struct [[gnu::packed]] SystemSegmentDescriptor { // 16 bytes in long mode
    SegmentDescriptor low;
    u32 base_upper;
    u32 reserved;
};
static_assert(sizeof(SystemSegmentDescriptor) == 16);

struct [[gnu::packed]] TaskStateSegment {
    u32 reserved0;
    u64 rsp[3]; // stack for entry from ring 0..2; rsp[0] for ring 3 -> 0
    u64 reserved1;
    u64 ist[7]; // IST1..IST7
    u64 reserved2;
    u16 reserved3;
    u16 io_map_base;
};
static_assert(sizeof(TaskStateSegment) == 104);
static_assert(__builtin_offsetof(TaskStateSegment, rsp) == 4);
static_assert(__builtin_offsetof(TaskStateSegment, ist) == 36);
static_assert(__builtin_offsetof(TaskStateSegment, io_map_base) == 102);

struct [[gnu::packed]] DescriptorTablePointer {
    u16 limit;
    u64 base;
};
static_assert(sizeof(DescriptorTablePointer) == 10);

// The bounds [bottom, top) of a stack.
struct StackBounds {
    u64 bottom;
    u64 top;
};

// Builds and loads CPU `cpu`'s GDT and TSS, with these IST1..IST3 stacks,
// and reloads every segment register (keeping the GS base).
void init(u32 cpu, const StackBounds (&ist)[3]);
// The boot CPU's, with the static IST stacks of stacks.h.
void init_boot_cpu();

// The stack this CPU switches to on an interrupt from user mode (TSS.RSP0).
void set_kernel_stack(u64 top);

// This CPU's IST stack in slot, for reports and tests.
StackBounds ist_stack(Ist slot);

} // namespace kite::gdt
