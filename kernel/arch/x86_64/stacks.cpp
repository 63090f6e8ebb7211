// stacks.cpp: the interrupt-stack-table stacks (see gdt.cpp).
#include "arch/x86_64/stacks.h"

#include "mm/kernel_stack.h"

namespace kite {

[[gnu::section(".bss.stacks")]] GuardedStack<8192> double_fault_stack;
[[gnu::section(".bss.stacks")]] GuardedStack<8192> nmi_stack;
[[gnu::section(".bss.stacks")]] GuardedStack<8192> machine_check_stack;

namespace {

u64 addr(const void* p) {
    return reinterpret_cast<u64>(p);
}

} // namespace

bool find_stack(u64 address, KnownStack& out) {
    const KnownStack fixed[] = {
        {"boot stack", addr(boot_stack_guard), addr(boot_stack_bottom), addr(boot_stack_top)},
        {"IST1 (double fault) stack", addr(double_fault_stack.guard_page()),
         addr(double_fault_stack.bottom()), addr(double_fault_stack.top())},
        {"IST2 (NMI) stack", addr(nmi_stack.guard_page()), addr(nmi_stack.bottom()),
         addr(nmi_stack.top())},
        {"IST3 (machine check) stack", addr(machine_check_stack.guard_page()),
         addr(machine_check_stack.bottom()), addr(machine_check_stack.top())},
    };
    for (const KnownStack& stack : fixed) {
        if (address >= stack.guard && address <= stack.top) {
            out = stack;
            return true;
        }
    }
    const u64 area_end = kernel_stack_area + kernel_stack_slots * kernel_stack_slot_size;
    if (address >= kernel_stack_area && address < area_end) {
        const u64 slot = (address - kernel_stack_area) / kernel_stack_slot_size;
        const u64 top = kernel_stack_area + (slot + 1) * kernel_stack_slot_size;
        out = {"kernel stack", top - kernel_stack_size - page_size, top - kernel_stack_size, top};
        return true;
    }
    return false;
}

} // namespace kite
