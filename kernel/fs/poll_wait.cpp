// poll_wait.cpp: see poll_wait.h.
#include "fs/poll_wait.h"

#include "sync/spinlock.h"

namespace kite::poll_wait {

namespace {
Spinlock lock{"poll wait", LockRank::PollWait};
u64 current_generation = 0; // under lock
WaitQueue pollers;
} // namespace

u64 generation() {
    SpinlockGuard guard(lock);
    return current_generation;
}

void notify() {
    SpinlockGuard guard(lock);
    ++current_generation;
    pollers.wake_all();
}

WaitResult wait_for_change(u64 seen, u64 timeout_ns) {
    SpinlockGuard guard(lock);
    while (current_generation == seen) {
        // A timed wait is one sleep: the caller measures its own deadline.
        const WaitResult result = pollers.wait(lock, timeout_ns);
        if (result != WaitResult::Woken || timeout_ns != 0) {
            return result;
        }
    }
    return WaitResult::Woken;
}

} // namespace kite::poll_wait
