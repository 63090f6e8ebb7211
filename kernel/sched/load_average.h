// load_average.h: the 1, 5 and 15 minute load averages /proc/loadavg and
// sysinfo report, computed as Linux computes them (kernel/sched/loadavg.c):
// every 5 seconds the number of active threads (runnable, the running one
// included, plus those in an uninterruptible wait) is folded into three
// exponentially decayed averages, in 11-bit fixed point.
#pragma once

#include "lib/types.h"

namespace kite::load_average {

constexpr u32 fixed_shift = 11;              // Linux's FSHIFT
constexpr u64 fixed_one = u64{1} << fixed_shift; // 1.0
constexpr u32 sample_seconds = 5;           // LOAD_FREQ is 5 s (and a tick)
// exp(-5 s / 1 min), exp(-5 s / 5 min), exp(-5 s / 15 min) in fixed point.
constexpr u64 decay[3] = {1884, 2014, 2037};

// One fold of `active` threads into an average: Linux's calc_load, which
// rounds up while the load rises so that a steady load is reached.
[[nodiscard]] constexpr u64 fold(u64 average, u64 decay_factor, u64 active) {
    const u64 active_fixed = active * fixed_one;
    u64 next = average * decay_factor + active_fixed * (fixed_one - decay_factor);
    if (active_fixed >= average) {
        next += fixed_one - 1;
    }
    return next / fixed_one;
}

// From the timer tick, every sample_seconds: folds `active` into the three.
void sample(u64 active);

// The three averages in fixed point (1, 5, 15 minutes).
struct Averages {
    u64 fixed[3];
};
[[nodiscard]] Averages averages();

} // namespace kite::load_average
