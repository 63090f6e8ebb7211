// load_average.cpp: see load_average.h. Linux's calc_load with its
// constants: EXP_n = fixed_one / exp(5 s / n minutes).
#include "sched/load_average.h"

namespace kite::load_average {

namespace {

constexpr u64 decay[3] = {1884, 2014, 2037}; // EXP_1, EXP_5, EXP_15
// Written by the tick alone; each word is read whole.
u64 loads[3] = {};

// Linux's calc_load: load * e + active * (1 - e), rounded up while rising.
u64 fold(u64 load, u64 e, u64 active) {
    u64 next = load * e + active * (fixed_one - e);
    if (active >= load) {
        next += fixed_one - 1;
    }
    return next / fixed_one;
}

} // namespace

void sample(u32 active) {
    const u64 fixed_active = u64{active} * fixed_one;
    for (usize i = 0; i < 3; ++i) {
        __atomic_store_n(&loads[i], fold(loads[i], decay[i], fixed_active), __ATOMIC_RELAXED);
    }
}

Averages averages() {
    Averages out;
    for (usize i = 0; i < 3; ++i) {
        out.fixed[i] = __atomic_load_n(&loads[i], __ATOMIC_RELAXED);
    }
    return out;
}

} // namespace kite::load_average
