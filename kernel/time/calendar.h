// calendar.h: civil dates and Unix time (proleptic Gregorian calendar, UTC).
#pragma once

#include "lib/types.h"

namespace kite {

struct DateTime {
    i32 year;
    u8 month; // 1-12
    u8 day;   // 1-31
    u8 hour;
    u8 minute;
    u8 second;
};

// Seconds since 1970-01-01 00:00:00 UTC.
[[nodiscard]] i64 to_unix_time(const DateTime& when);
[[nodiscard]] DateTime from_unix_time(i64 seconds);

} // namespace kite
