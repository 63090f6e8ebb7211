// gdt.cpp: builds each CPU's GDT and TSS as it starts (the TSS holds that
// CPU's stacks, and a busy TSS descriptor cannot be shared). The double
// fault, NMI and machine check handlers run on IST stacks of their own, so
// they work even when the kernel stack is exhausted (a kernel stack overflow
// becomes a readable double-fault report instead of a triple fault and a
// reboot).
#include "arch/x86_64/gdt.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/stacks.h"

namespace kite::gdt {

namespace {

constexpr u8 access_present = 0x80;
constexpr u8 access_dpl3 = 0x60;
constexpr u8 access_code_or_data = 0x10;
constexpr u8 access_executable = 0x08;
constexpr u8 access_writable = 0x02;
constexpr u8 access_tss_available = 0x09;
constexpr u8 flags_long_mode = 0x20;

constexpr SegmentDescriptor segment(u8 access, u8 flags) {
    return {0, 0, 0, access, flags, 0};
}

struct [[gnu::packed]] Table {
    SegmentDescriptor null;
    SegmentDescriptor kernel_code;
    SegmentDescriptor kernel_data;
    SegmentDescriptor sysret_base;
    SegmentDescriptor user_data;
    SegmentDescriptor user_code;
    SystemSegmentDescriptor tss;
};
static_assert(__builtin_offsetof(Table, kernel_code) == kernel_code_selector);
static_assert(__builtin_offsetof(Table, kernel_data) == kernel_data_selector);
static_assert(__builtin_offsetof(Table, user_data) == (user_data_selector & ~3));
static_assert(__builtin_offsetof(Table, user_code) == (user_code_selector & ~3));
static_assert(__builtin_offsetof(Table, tss) == tss_selector);

constexpr Table initial_table = {
    .null = {},
    .kernel_code =
        segment(access_present | access_code_or_data | access_executable, flags_long_mode),
    .kernel_data = segment(access_present | access_code_or_data | access_writable, 0),
    .sysret_base = {},
    .user_data = segment(access_present | access_dpl3 | access_code_or_data | access_writable, 0),
    .user_code = segment(access_present | access_dpl3 | access_code_or_data | access_executable,
                         flags_long_mode),
    .tss = {},
};

struct alignas(64) CpuTables {
    Table table;
    TaskStateSegment tss;
    StackBounds ist[3]; // IST1..IST3
};
CpuTables cpu_tables[max_cpus];

} // namespace

void set_kernel_stack(u64 top) {
    cpu_tables[cpu_local::get().id].tss.rsp[0] = top;
}

StackBounds ist_stack(Ist slot) {
    if (slot == Ist::None) {
        return {0, 0};
    }
    return cpu_tables[cpu_local::get().id].ist[static_cast<u8>(slot) - 1];
}

StackBounds boot_cpu_ist_stack(Ist slot) {
    switch (slot) {
    case Ist::DoubleFault:
        return {reinterpret_cast<u64>(double_fault_stack.bottom()),
                reinterpret_cast<u64>(double_fault_stack.top())};
    case Ist::Nmi:
        return {reinterpret_cast<u64>(nmi_stack.bottom()), reinterpret_cast<u64>(nmi_stack.top())};
    case Ist::MachineCheck:
        return {reinterpret_cast<u64>(machine_check_stack.bottom()),
                reinterpret_cast<u64>(machine_check_stack.top())};
    case Ist::None:
        break;
    }
    return {0, 0};
}

void init(u32 cpu, const StackBounds (&ist)[3]) {
    CpuTables& tables = cpu_tables[cpu];
    tables.table = initial_table;
    Table& table = tables.table;
    TaskStateSegment& tss = tables.tss;
    for (usize i = 0; i < 3; ++i) {
        tables.ist[i] = ist[i];
        tss.ist[i] = ist[i].top;
    }
    tss.io_map_base = sizeof(TaskStateSegment); // no I/O permission bitmap

    const u64 base = reinterpret_cast<u64>(&tss);
    const u32 limit = sizeof(TaskStateSegment) - 1;
    table.tss.low = {static_cast<u16>(limit),
                     static_cast<u16>(base),
                     static_cast<u8>(base >> 16),
                     access_present | access_tss_available,
                     0,
                     static_cast<u8>(base >> 24)};
    table.tss.base_upper = static_cast<u32>(base >> 32);

    const DescriptorTablePointer pointer{sizeof(Table) - 1, reinterpret_cast<u64>(&table)};
    // Loading GS below may clear its base (AMD CPUs do for a null
    // selector), and the base is this CPU's CpuLocal: put it back.
    const u64 gs_base = cpu::rdmsr(cpu_local::msr_gs_base);
    asm volatile("lgdt %0" : : "m"(pointer) : "memory");
    // Reload CS with a far return, then the data segments and the task register.
    asm volatile("pushq %[code]\n"
                 "leaq 1f(%%rip), %%rax\n"
                 "pushq %%rax\n"
                 "lretq\n"
                 "1:\n"
                 "movw %[data], %%ax\n"
                 "movw %%ax, %%ds\n"
                 "movw %%ax, %%es\n"
                 "movw %%ax, %%ss\n"
                 "xorl %%eax, %%eax\n"
                 "movw %%ax, %%fs\n"
                 "movw %%ax, %%gs\n"
                 :
                 : [code] "i"(kernel_code_selector), [data] "i"(kernel_data_selector)
                 : "rax", "memory");
    cpu::wrmsr(cpu_local::msr_gs_base, gs_base);
    asm volatile("ltr %0" : : "r"(tss_selector) : "memory");
}

void init_boot_cpu() {
    const StackBounds ist[3] = {boot_cpu_ist_stack(Ist::DoubleFault), boot_cpu_ist_stack(Ist::Nmi),
                                boot_cpu_ist_stack(Ist::MachineCheck)};
    init(0, ist);
}

} // namespace kite::gdt
