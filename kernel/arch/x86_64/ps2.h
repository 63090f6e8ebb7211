// ps2.h: the 8042 PS/2 controller and its first port (the keyboard).
#pragma once

#include "lib/types.h"

namespace kite::ps2 {

using ScancodeSink = void (*)(u8 scancode);

// Initialises the controller (self-test, translation to scancode set 1 kept
// on) and delivers every keyboard byte to sink from IRQ 1. Returns false if
// no controller answers.
bool init(ScancodeSink sink);

// Pulses the CPU reset line through the controller.
void reset_machine();

} // namespace kite::ps2
