// pit.h: the 8253/8254 programmable interval timer: channel 0 as the
// periodic tick on IRQ 0, channel 2 as a one-shot stopwatch for calibrating
// the TSC.
#pragma once

#include "lib/types.h"

namespace kite::pit {

constexpr u64 input_hz = 1193182;

// Programs channel 0 to interrupt hz times a second (rate generator).
// Returns the exact tick period in nanoseconds times 1000 (picoseconds), as
// the divisor rounds the rate.
u64 start_periodic(u32 hz);

// Busy-waits about `microseconds` (at most 50000) on channel 2 and returns
// how many TSC cycles passed and, through exact_us, the interval the PIT
// really measured. Interrupts should be off.
u64 measure_tsc(u32 microseconds, u64& exact_ns);

} // namespace kite::pit
