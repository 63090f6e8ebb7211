// timerfd.h: timerfd_create(2)'s descriptor: a timer on CLOCK_MONOTONIC or
// CLOCK_REALTIME whose expiries are counted, not signalled; a read of 8
// bytes takes the count (waiting while it is 0). Expiries are counted from
// the clock whenever the timer is looked at, so counts never depend on the
// tick; the tick (tick(), from the timer interrupt) only wakes readers and
// pollers once an armed timer's time has come.
#pragma once

#include "api/types.h"
#include "fs/vnode.h"

namespace kite::timerfd {

[[nodiscard]] ErrorOr<RefPtr<Vnode>> create(bool realtime);
[[nodiscard]] bool is_timerfd(const Vnode& vnode);

// timerfd_settime on a timerfd (is_timerfd holds); the setting before.
// absolute: TFD_TIMER_ABSTIME (the value is a time on the timer's clock).
[[nodiscard]] abi::Itimerspec set(Vnode& timer, const abi::Itimerspec& setting, bool absolute);
[[nodiscard]] abi::Itimerspec get(Vnode& timer);

// From the timer interrupt, every tick.
void tick();

} // namespace kite::timerfd
