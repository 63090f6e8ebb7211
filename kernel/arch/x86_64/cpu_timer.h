// cpu_timer.h: the scheduler tick of the application processors, from
// their local APIC timers. The boot CPU's tick is the clock's (the PIT
// through the I/O APIC, time/clock.h); the others count their own at the
// same rate, calibrated once against the TSC-based clock. Each tick calls
// the hook (the scheduler's and CPU-time accounting), then switches if the
// slice is over.
#pragma once

#include "lib/types.h"

namespace kite::cpu_timer {

constexpr u8 vector = 0xEF;

using Hook = void (*)(bool in_user_mode);

// On the boot CPU, with its local APIC enabled, before the others start:
// measures the APIC timer's rate and installs the handler.
void calibrate(Hook hook);
// On an application processor: its timer, periodic at clock::tick_hz.
// Does nothing if calibrate found no usable rate.
void start_this_cpu();

// The APIC timer's count per tick (0 if not calibrated), for the log.
[[nodiscard]] u32 count_per_tick();

} // namespace kite::cpu_timer
