// held_locks.h: the sleeping locks one thread holds, in the order taken, so
// that sync/mutex.cpp can check the lock order per thread (a mutex stays
// with its thread across a context switch; spinlocks are tracked per CPU).
#pragma once

#include "lib/types.h"

namespace kite {

class Mutex;

struct HeldMutexes {
    static constexpr usize capacity = 4;
    const Mutex* locks[capacity] = {};
    u32 count = 0;
};

} // namespace kite
