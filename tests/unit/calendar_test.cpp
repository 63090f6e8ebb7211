// Host tests for kernel/time/calendar.cpp, against known instants and the
// C library's timegm.
#include "time/calendar.h"

#include <gtest/gtest.h>

#include <ctime>

namespace {

TEST(Calendar, KnownInstants) {
    EXPECT_EQ(kite::to_unix_time({1970, 1, 1, 0, 0, 0}), 0);
    EXPECT_EQ(kite::to_unix_time({2000, 3, 1, 0, 0, 0}), 951868800);
    EXPECT_EQ(kite::to_unix_time({2038, 1, 19, 3, 14, 8}), 2147483648LL);
    EXPECT_EQ(kite::to_unix_time({1969, 12, 31, 23, 59, 59}), -1);
}

TEST(Calendar, RoundTripsAndAgreesWithTimegm) {
    for (long long t = -2208988800LL; t < 4102444800LL; t += 86400 * 37 + 3671) {
        const kite::DateTime d = kite::from_unix_time(t);
        ASSERT_EQ(kite::to_unix_time(d), t);
        std::tm tm{};
        tm.tm_year = d.year - 1900;
        tm.tm_mon = d.month - 1;
        tm.tm_mday = d.day;
        tm.tm_hour = d.hour;
        tm.tm_min = d.minute;
        tm.tm_sec = d.second;
        ASSERT_EQ(timegm(&tm), t);
    }
}

TEST(Calendar, LeapDays) {
    EXPECT_EQ(kite::from_unix_time(kite::to_unix_time({2024, 2, 29, 12, 0, 0})).day, 29);
    const kite::DateTime after =
        kite::from_unix_time(kite::to_unix_time({2100, 2, 28, 0, 0, 0}) + 86400);
    EXPECT_EQ(after.month, 3); // 2100 is not a leap year
    EXPECT_EQ(after.day, 1);
}

} // namespace
