// clocks.h: the clocks behind Linux's clock ids, for clock_gettime,
// clock_getres, clock_nanosleep and timer_create (syscalls/time_calls.cpp,
// syscalls/timer_calls.cpp).
#pragma once

#include "lib/error.h"

namespace kite {

// What a clock id reads. The monotonic clock serves CLOCK_MONOTONIC, _RAW,
// _COARSE and CLOCK_BOOTTIME (Kite does not suspend, nor slew the clock);
// the wall clock CLOCK_REALTIME, _COARSE and CLOCK_TAI (Linux's TAI offset
// is 0 until NTP sets it).
enum class ClockBase : u8 { Realtime, Monotonic, ProcessCpu, ThreadCpu };

struct Clock {
    ClockBase base;
    bool coarse;    // *_COARSE: Linux's resolution is a tick
    bool can_sleep; // clock_nanosleep and timer_create take it (Linux: the
                    // others give EOPNOTSUPP)
};

// The clock with this id (a clockid_t, an int), or EINVAL.
[[nodiscard]] ErrorOr<Clock> clock_from_id(u64 raw);
// Its time now, in nanoseconds.
[[nodiscard]] i64 clock_now_ns(ClockBase base);
// What clock_getres answers.
[[nodiscard]] u64 clock_resolution_ns(const Clock& clock);
// Nanoseconds of CPU time in `ticks` timer ticks (CPU time is counted in
// whole ticks).
[[nodiscard]] u64 cpu_ticks_to_ns(u64 ticks);
// A struct timespec from user space as nanoseconds: EFAULT, or EINVAL for
// a negative or out-of-range one; seconds beyond 2^32 are cut to it (a
// wait that long is for ever).
[[nodiscard]] ErrorOr<u64> read_timespec_ns(u64 address);

} // namespace kite
