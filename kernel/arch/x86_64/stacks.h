// stacks.h: statically allocated kernel stacks, each with a guard page below
// it that kernel_map.cpp leaves unmapped, so running off the bottom faults.
#pragma once

#include "lib/types.h"

namespace kite {

constexpr usize page_size = 4096;

template <usize Size>
struct alignas(page_size) GuardedStack {
    static_assert(Size % page_size == 0);
    u8 guard[page_size];
    alignas(16) u8 memory[Size];

    [[nodiscard]] u8* bottom() { return memory; }
    [[nodiscard]] u8* top() { return memory + Size; }
    [[nodiscard]] const u8* guard_page() const { return guard; }
};

extern GuardedStack<8192> double_fault_stack;
extern GuardedStack<8192> nmi_stack;
extern GuardedStack<8192> machine_check_stack;

// The boot stack, defined in boot.asm: a guard page, then the stack.
extern "C" u8 boot_stack_guard[];
extern "C" u8 boot_stack_bottom[];
extern "C" u8 boot_stack_top[];

// A stack the kernel knows about: [bottom, top) is usable, [guard, bottom)
// is its unmapped guard.
struct KnownStack {
    const char* name;
    u64 guard;
    u64 bottom;
    u64 top;
};

// The stack that address lies on or in whose guard page it lies, or false.
// Covers the boot stack, the IST stacks and the kernel-stack area.
[[nodiscard]] bool find_stack(u64 address, KnownStack& out);

} // namespace kite
