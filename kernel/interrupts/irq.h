// irq.h: device interrupts by IRQ line, independent of the interrupt
// controller behind them. Drivers register a handler for their IRQ and
// enable it; the controller (interrupts/controller.h) does the rest.
//
// Rule: a handler runs with interrupts off on the interrupted stack. It may
// not sleep or allocate large amounts; it acknowledges its device, moves
// data into a buffer and wakes whoever waits for it.
#pragma once

#include "arch/x86_64/interrupt_frame.h"
#include "lib/types.h"

namespace kite::irq {

constexpr u8 line_count = 16;
constexpr u8 first_vector = 32; // IRQ n arrives at vector 32 + n

using Handler = void (*)(InterruptFrame& frame);

// Sets up the interrupt controller with every line masked.
void init();
// Routes IRQ line to handler and unmasks it.
void install(u8 line, Handler handler);
void uninstall(u8 line);

// A PCI device's legacy interrupt: such lines may be shared by several
// devices (level-triggered), so every handler on the line runs each time
// and checks whether its own device interrupted. Unmasks the line.
using SharedHandler = void (*)(void* context);
constexpr usize max_shared_handlers = 4;
[[nodiscard]] bool add_shared(u8 line, SharedHandler handler, void* context);

// How many interrupts line has delivered (spurious ones not counted).
[[nodiscard]] u64 count(u8 line);
[[nodiscard]] u64 spurious_count();

} // namespace kite::irq
