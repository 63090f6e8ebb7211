// idt.cpp: IDT setup and interrupt_dispatch, the one C++ entry point for
// every interrupt and exception.
#include "arch/x86_64/idt.h"

#include "arch/x86_64/exceptions.h"
#include "arch/x86_64/gdt.h"
#include "console/console.h"

extern "C" const kite::u64 interrupt_stub_table[kite::idt::vector_count];

namespace kite::idt {

namespace {

constexpr u8 gate_present = 0x80;
constexpr u8 gate_dpl3 = 0x60;
constexpr u8 gate_interrupt = 0x0E; // clears IF on entry

alignas(16) Gate table[vector_count];
Handler handlers[vector_count];
Handler return_to_user_hook = nullptr;
u64 counts[vector_count];

Gate make_gate(u64 address, gdt::Ist ist, bool user_callable) {
    return {static_cast<u16>(address),
            gdt::kernel_code_selector,
            static_cast<u8>(ist),
            static_cast<u8>(gate_present | gate_interrupt | (user_callable ? gate_dpl3 : 0)),
            static_cast<u16>(address >> 16),
            static_cast<u32>(address >> 32),
            0};
}

gdt::Ist ist_for(usize vector) {
    switch (static_cast<ExceptionVector>(vector)) {
    case ExceptionVector::DoubleFault:
        return gdt::Ist::DoubleFault;
    case ExceptionVector::NonMaskableInterrupt:
        return gdt::Ist::Nmi;
    case ExceptionVector::MachineCheck:
        return gdt::Ist::MachineCheck;
    default:
        return gdt::Ist::None;
    }
}

} // namespace

void init() {
    for (usize v = 0; v < vector_count; ++v) {
        // int3 and into may be executed by user code (they become SIGTRAP).
        const bool user_callable = v == static_cast<usize>(ExceptionVector::Breakpoint) ||
                                   v == static_cast<usize>(ExceptionVector::Overflow);
        table[v] = make_gate(interrupt_stub_table[v], ist_for(v), user_callable);
    }
    load();
}

void load() {
    const gdt::DescriptorTablePointer pointer{sizeof(table) - 1, reinterpret_cast<u64>(table)};
    asm volatile("lidt %0" : : "m"(pointer) : "memory");
}

void set_handler(u8 vector, Handler handler) {
    handlers[vector] = handler;
}

void set_return_to_user_hook(Handler hook) {
    return_to_user_hook = hook;
}

u64 count(u8 vector) {
    return counts[vector];
}

} // namespace kite::idt

using namespace kite;

extern "C" void interrupt_dispatch(InterruptFrame* frame) {
    const usize vector = frame->vector & 0xFF;
    ++idt::counts[vector];
    if (vector < idt::first_irq_vector) {
        handle_exception(*frame);
    } else if (idt::handlers[vector]) {
        idt::handlers[vector](*frame);
    } else {
        kprintln("interrupt: vector {} has no handler; ignored", vector);
    }
    if (frame->from_user() && idt::return_to_user_hook) {
        idt::return_to_user_hook(*frame);
    }
}
