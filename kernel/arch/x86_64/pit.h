// pit.h: the 8253/8254 programmable interval timer: channel 0 as the
// periodic tick on IRQ 0, channel 2 as a one-shot stopwatch for calibrating
// the TSC (and for checking the clock built on it).
#pragma once

#include "lib/types.h"

namespace kite::pit {

constexpr u64 input_hz = 1193182;

// Programs channel 0 to interrupt hz times a second (rate generator).
// Returns the exact tick period in nanoseconds times 1000 (picoseconds), as
// the divisor rounds the rate.
u64 start_periodic(u32 hz);

// What another clock counted while PIT channel 2 counted a known interval.
struct Measurement {
    u64 clock_delta = 0; // the other clock's units
    u64 exact_ns = 0;    // the interval the PIT counted
    // How far clock_delta may be off, in the clock's units: half the width
    // of the bracket around each end's counter reading.
    u64 uncertainty = 0;
};

// Busy-waits about `microseconds` (at most 50000) on channel 2 and measures
// that interval with read_clock. Each end is the tightest of several
// counter readings taken between two reads of the clock, so a host that
// stops the emulated CPU for a while (a loaded machine) stretches only
// readings that are then discarded; a stop between the ends stretches both
// clocks alike. False if the PIT did not count as programmed (missing, or
// run out because the guest was stopped too long). Interrupts should be off.
[[nodiscard]] bool measure(u32 microseconds, u64 (*read_clock)(), Measurement& result);

} // namespace kite::pit
