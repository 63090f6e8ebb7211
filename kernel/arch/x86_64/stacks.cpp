// stacks.cpp: the interrupt-stack-table stacks (see gdt.cpp).
#include "arch/x86_64/stacks.h"

namespace kite {

[[gnu::section(".bss.stacks")]] GuardedStack<8192> double_fault_stack;
[[gnu::section(".bss.stacks")]] GuardedStack<8192> nmi_stack;
[[gnu::section(".bss.stacks")]] GuardedStack<8192> machine_check_stack;

} // namespace kite
