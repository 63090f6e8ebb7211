// load_average.h: the load averages over 1, 5 and 15 minutes, as Linux
// computes them (kernel/sched/loadavg.c): every 5 seconds the number of
// threads running or waiting to run is folded into three exponentially
// decaying averages, in fixed point with 11 fraction bits (FSHIFT).
// sysinfo reports them with 16 (SI_LOAD_SHIFT); /proc/loadavg prints them.
#pragma once

#include "lib/types.h"

namespace kite::load_average {

constexpr u32 fraction_bits = 11; // Linux's FSHIFT
constexpr u64 fixed_one = u64{1} << fraction_bits;
constexpr u32 sample_seconds = 5; // Linux's LOAD_FREQ

// From the timer tick (the scheduler lock held): every sample_seconds, the
// count of runnable and running threads, the idle thread not counted.
void sample(u32 active);

struct Averages {
    u64 fixed[3]; // 1, 5, 15 minutes; fixed_one is a load of 1.0
};
[[nodiscard]] Averages averages();

} // namespace kite::load_average
