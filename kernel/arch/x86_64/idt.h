// idt.h: the Interrupt Descriptor Table and the registry of handlers.
#pragma once

#include "arch/x86_64/interrupt_frame.h"
#include "lib/types.h"

namespace kite::idt {

constexpr usize vector_count = 256;
constexpr u8 first_irq_vector = 32;

struct [[gnu::packed]] Gate {
    u16 offset_low;
    u16 selector;
    u8 ist;       // bits 0-2: IST slot, 0 = none
    u8 type_attr; // present, DPL, gate type
    u16 offset_middle;
    u32 offset_high;
    u32 reserved;
};
static_assert(sizeof(Gate) == 16);
static_assert(__builtin_offsetof(Gate, type_attr) == 5);
static_assert(__builtin_offsetof(Gate, offset_high) == 8);

using Handler = void (*)(InterruptFrame& frame);

// Fills and loads the IDT: every vector goes through its assembly stub to
// interrupt_dispatch. CPU exceptions (0-31) go to the exception handler.
void init();
// Loads the table init filled on this CPU (an application processor).
void load();

// Routes a vector >= 32 to handler (nullptr removes it).
void set_handler(u8 vector, Handler handler);

// Called at the end of any interrupt or exception that came from user mode,
// before returning there (signal delivery).
void set_return_to_user_hook(Handler hook);

// How many times each vector has been taken since boot.
[[nodiscard]] u64 count(u8 vector);

} // namespace kite::idt
