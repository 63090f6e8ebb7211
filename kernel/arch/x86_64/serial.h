// serial.h: the COM1 UART (16550), 115200 baud 8N1, polled output.
#pragma once

#include "lib/string_view.h"
#include "lib/types.h"

namespace kite::serial {

// Programs COM1. Returns false if no UART answers (output then goes nowhere).
bool init();
void write(StringView text); // "\n" is sent as "\r\n"

using ByteSink = void (*)(u8 byte);
// Delivers every received byte to sink from IRQ 4 (COM1 receive interrupt).
void enable_receive(ByteSink sink);

} // namespace kite::serial
