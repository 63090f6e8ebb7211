// Host tests for kernel/proc/interval_timers.cpp: the timers' arithmetic,
// with the time, the tick and the pending signals given by the test.
#include "proc/interval_timers.h"

#include "api/signals.h"

#include <gtest/gtest.h>

namespace {

using kite::IntervalTimer;
using kite::IntervalTimers;
using kite::TimerValue;
using kite::abi::signals::bit;
namespace sig = kite::abi::signals;

constexpr kite::u64 ms = 1'000'000;
constexpr kite::u64 tick = ms;

TEST(IntervalTimers, RealCountsDownFiresAndMovesOnByWholePeriods) {
    IntervalTimers timers;
    EXPECT_EQ(timers.next_deadline(), IntervalTimers::no_deadline);
    TimerValue old = timers.set(IntervalTimer::Real, {10 * ms, 4 * ms}, 100 * ms, tick);
    EXPECT_EQ(old.value_ns, 0u);
    EXPECT_EQ(timers.get(IntervalTimer::Real, 103 * ms, tick).value_ns, 7 * ms);
    EXPECT_EQ(timers.next_deadline(), 110 * ms);
    EXPECT_EQ(timers.expire(109 * ms, 0).signals, 0u);
    // 7 ms late: one signal, the periods missed skipped, the next in the future.
    const IntervalTimers::Expired expired = timers.expire(117 * ms, 0);
    EXPECT_EQ(expired.signals, bit(sig::ALRM));
    EXPECT_EQ(expired.next_deadline_ns, 118 * ms);
    // Due but not yet seen by a tick: Linux's 1 us.
    EXPECT_EQ(timers.get(IntervalTimer::Real, 119 * ms, tick).value_ns, 1000u);
    // No value: disarmed, and no period kept.
    old = timers.set(IntervalTimer::Real, {0, 5 * ms}, 117 * ms, tick);
    EXPECT_EQ(old.value_ns, 1 * ms);
    EXPECT_EQ(old.interval_ns, 4 * ms);
    EXPECT_EQ(timers.get(IntervalTimer::Real, 117 * ms, tick).interval_ns, 0u);
    EXPECT_EQ(timers.next_deadline(), IntervalTimers::no_deadline);
}

TEST(IntervalTimers, VirtualCountsUserTicksProfAllTicks) {
    IntervalTimers timers;
    EXPECT_FALSE(timers.cpu_timers_armed());
    (void)timers.set(IntervalTimer::Virtual, {2 * ms, 0}, 0, tick);
    (void)timers.set(IntervalTimer::Prof, {2 * ms, 3 * ms}, 0, tick);
    EXPECT_TRUE(timers.cpu_timers_armed());
    // Linux adds a tick to the value.
    EXPECT_EQ(timers.get(IntervalTimer::Virtual, 0, tick).value_ns, 3 * ms);
    EXPECT_EQ(timers.charge_tick(false, tick), 0u);
    EXPECT_EQ(timers.charge_tick(false, tick), 0u);
    EXPECT_EQ(timers.charge_tick(false, tick), bit(sig::PROF));              // re-armed: 3 ms
    EXPECT_EQ(timers.get(IntervalTimer::Virtual, 0, tick).value_ns, 3 * ms); // untouched
    EXPECT_EQ(timers.charge_tick(true, tick), 0u);
    EXPECT_EQ(timers.charge_tick(true, tick), 0u);
    EXPECT_EQ(timers.charge_tick(true, tick), bit(sig::VTALRM) | bit(sig::PROF));
    EXPECT_EQ(timers.get(IntervalTimer::Virtual, 0, tick).value_ns, 0u); // one shot: spent
    EXPECT_EQ(timers.get(IntervalTimer::Prof, 0, tick).value_ns, 3 * ms);
    // A CPU timer keeps a period given with no value, unarmed.
    (void)timers.set(IntervalTimer::Prof, {0, 7 * ms}, 0, tick);
    EXPECT_FALSE(timers.cpu_timers_armed());
    EXPECT_EQ(timers.get(IntervalTimer::Prof, 0, tick).interval_ns, 7 * ms);
}

TEST(IntervalTimers, PosixTimersAreBoundedAndReused) {
    IntervalTimers timers;
    for (int i = 0; i < IntervalTimers::max_posix_timers; ++i) {
        auto id = timers.create({0, false, 0, 0, false});
        ASSERT_FALSE(id.is_error());
        EXPECT_EQ(id.value(), i);
    }
    auto full = timers.create({0, false, 0, 0, false});
    ASSERT_TRUE(full.is_error());
    EXPECT_EQ(full.error().code(), kite::Errno::AGAIN);
    EXPECT_FALSE(timers.remove(5).is_error());
    EXPECT_TRUE(timers.remove(5).is_error());
    auto again = timers.create({0, true, sig::USR1, 0, true});
    ASSERT_FALSE(again.is_error());
    EXPECT_EQ(again.value(), 5);
    EXPECT_EQ(timers.setup(5).value().value, 5u); // no sigevent: the value is the id
    EXPECT_TRUE(timers.get_posix(-1, 0).is_error());
    EXPECT_TRUE(timers.get_posix(IntervalTimers::max_posix_timers, 0).is_error());
    timers.delete_posix_timers();
    EXPECT_TRUE(timers.get_posix(0, 0).is_error());
}

TEST(IntervalTimers, ExpiriesWhileTheSignalWaitsAreOverruns) {
    IntervalTimers timers;
    const int id = timers.create({1, true, sig::USR2, 0, false}).value();
    (void)timers.set_posix(id, 10 * ms, 1 * ms, 0).value();
    IntervalTimers::Expired expired = timers.expire(10 * ms, 0);
    EXPECT_EQ(expired.signals, bit(sig::USR2));
    EXPECT_EQ(expired.next_deadline_ns, 11 * ms);
    const kite::u64 pending = bit(sig::USR2);
    EXPECT_EQ(timers.expire(11 * ms, pending).signals, 0u);
    EXPECT_EQ(timers.expire(14 * ms, pending).signals, 0u); // 12, 13 and 14: three more
    EXPECT_EQ(timers.overrun(id, pending).value(), 0);      // the one before: none
    EXPECT_EQ(timers.overrun(id, 0).value(), 4);            // delivered: its four
    // The next signal starts a new count; the delivered one's stays readable.
    EXPECT_EQ(timers.expire(15 * ms, 0).signals, bit(sig::USR2));
    EXPECT_EQ(timers.overrun(id, pending).value(), 4);
    EXPECT_EQ(timers.overrun(id, 0).value(), 0);
    // timer_gettime: due and unseen shows 1 ns; disarming drops the period.
    EXPECT_EQ(timers.get_posix(id, 16 * ms).value().value_ns, 1u);
    EXPECT_EQ(timers.set_posix(id, 0, 1 * ms, 16 * ms).value().interval_ns, 1 * ms);
    EXPECT_EQ(timers.get_posix(id, 16 * ms).value().interval_ns, 0u);
    EXPECT_EQ(timers.next_deadline(), IntervalTimers::no_deadline);
}

TEST(IntervalTimers, SignalNoneTimersOnlyCount) {
    IntervalTimers timers;
    const int id = timers.create({1, false, 0, 0, false}).value();
    (void)timers.set_posix(id, 10 * ms, 4 * ms, 0).value();
    EXPECT_EQ(timers.get_posix(id, 13 * ms).value().value_ns, 1 * ms); // into its next period
    EXPECT_EQ(timers.expire(13 * ms, 0).signals, 0u);
    EXPECT_EQ(timers.get_posix(id, 13 * ms).value().value_ns, 1 * ms);
    (void)timers.set_posix(id, 20 * ms, 0, 13 * ms).value();
    EXPECT_EQ(timers.get_posix(id, 25 * ms).value().value_ns, 0u); // expired
}

TEST(IntervalTimers, ClearStopsEverything) {
    IntervalTimers timers;
    (void)timers.set(IntervalTimer::Real, {10 * ms, 0}, 0, tick);
    (void)timers.set(IntervalTimer::Virtual, {10 * ms, 0}, 0, tick);
    const int id = timers.create({1, true, sig::USR1, 0, false}).value();
    (void)timers.set_posix(id, 5 * ms, 0, 0).value();
    timers.clear();
    EXPECT_FALSE(timers.cpu_timers_armed());
    EXPECT_EQ(timers.next_deadline(), IntervalTimers::no_deadline);
    EXPECT_EQ(timers.expire(100 * ms, 0).signals, 0u);
    EXPECT_TRUE(timers.get_posix(id, 0).is_error());
}

} // namespace
