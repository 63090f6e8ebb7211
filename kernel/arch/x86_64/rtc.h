// rtc.h: the CMOS real-time clock, read once at boot for the wall clock.
#pragma once

#include "time/calendar.h"

namespace kite::rtc {

// Reads the RTC (waiting out an update in progress, decoding BCD and 12-hour
// formats). Returns false if it never settled.
[[nodiscard]] bool read(DateTime& out);

} // namespace kite::rtc
