// futex.h: futexes, the user-space locks' way to sleep in the kernel: a
// thread waits on a u32 in user memory only if it still holds the value it
// expects, and a waker wakes the threads waiting on that word. A word is
// named by its address in the caller's user space (private futexes, and
// shared ones in private memory) or by the MAP_SHARED object and offset
// (shared futexes in shared memory), and by its form: private and shared
// waits on one word are apart, as on Linux. Also the robust futex list a
// thread leaves behind when it ends.
#pragma once

#include "lib/error.h"
#include "lib/types.h"

namespace kite {
class Thread;
}

namespace kite::futex {

constexpr u32 any_bitset = 0xffff'ffff;
constexpr u64 no_deadline = ~u64{0};

enum class Clock : u8 { Monotonic, Realtime };

// Sleeps while the u32 at address equals expected: EAGAIN if it does not
// (checked under the futex lock, so no wake between the check and the
// sleep is lost), ETIMEDOUT once the deadline passes (absolute ns on
// `clock`, or no_deadline), on a signal ERESTARTSYS (no deadline) or
// ERESTARTNOHAND (a handler makes it EINTR, as Linux's restart block does). Woken only by a wake
// whose bitset shares a bit with this one.
[[nodiscard]] ErrorOr<void> wait(u64 address, u32 expected, u32 bitset, bool shared, u64 deadline,
                                 Clock clock);
// Wakes up to count waiters on address whose bitset meets this one; gives
// how many.
[[nodiscard]] ErrorOr<usize> wake(u64 address, usize count, u32 bitset, bool shared);
// FUTEX_REQUEUE and FUTEX_CMP_REQUEUE: wakes up to wake_count waiters on
// from and moves up to requeue_count others to wait on to; with a compare
// value, EAGAIN unless the word at from still holds it. Gives the number
// woken plus the number moved.
[[nodiscard]] ErrorOr<usize> requeue(u64 from, u64 to, usize wake_count, usize requeue_count,
                                     const u32* compare, bool shared);
// FUTEX_WAKE_OP: changes the word at second by the operation encoded in
// op, wakes up to count waiters on first and, if the old value of second
// passes op's comparison, up to second_count waiters on second.
[[nodiscard]] ErrorOr<usize> wake_op(u64 first, u64 second, usize count, usize second_count, u32 op,
                                     bool shared);

// The robust list of a thread that ends or execs (set_robust_list): every
// futex it still holds is marked FUTEX_OWNER_DIED and a waiter woken.
void release_robust_list(Thread& thread);

} // namespace kite::futex
