// clock.h: kernel time. A periodic timer interrupt counts ticks; the TSC,
// calibrated against the PIT at boot, gives a monotonic clock with
// nanosecond resolution between ticks; the CMOS RTC read at boot anchors the
// wall clock. They back clock_gettime, gettimeofday, nanosleep, times and
// uptime.
#pragma once

#include "lib/types.h"

namespace kite::clock {

constexpr u32 tick_hz = 1000; // 1 ms ticks

// Calibrates the TSC, reads the RTC and starts the tick on IRQ 0.
void init();

[[nodiscard]] u64 ticks();
[[nodiscard]] u64 tick_period_ns(); // rounded; exact period is tick_period_ps()/1000
[[nodiscard]] u64 tick_period_ps();
// Nanoseconds since clock::init; never goes backwards.
[[nodiscard]] u64 monotonic_ns();
// Nanoseconds since 1970-01-01 UTC.
[[nodiscard]] i64 realtime_ns();

[[nodiscard]] u64 tsc_hz();
[[nodiscard]] bool tsc_invariant();

// Called once per tick from the IRQ 0 handler, after the tick counter
// moved (the scheduler's time slices and CPU-time accounting); says
// whether the tick interrupted user mode.
using TickHook = void (*)(bool in_user_mode);
void set_tick_hook(TickHook hook);

} // namespace kite::clock
