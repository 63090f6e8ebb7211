// load_average.cpp: see load_average.h. Written by the tick only (one
// CPU), read by /proc: each figure is one aligned word, so a reader sees
// each as it was before or after a fold.
#include "sched/load_average.h"

namespace kite::load_average {

namespace {
u64 current[3] = {0, 0, 0};
} // namespace

void sample(u64 active) {
    for (usize i = 0; i < 3; ++i) {
        __atomic_store_n(&current[i], fold(current[i], decay[i], active), __ATOMIC_RELAXED);
    }
}

Averages averages() {
    Averages out;
    for (usize i = 0; i < 3; ++i) {
        out.fixed[i] = __atomic_load_n(&current[i], __ATOMIC_RELAXED);
    }
    return out;
}

} // namespace kite::load_average
