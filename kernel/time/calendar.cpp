// calendar.cpp: day counting by the "days from civil" method: shift the year
// to start in March so the leap day is the year's last, then count 400-year
// eras of 146097 days.
#include "time/calendar.h"

namespace kite {

namespace {

i64 days_from_civil(i64 y, u32 m, u32 d) {
    y -= m <= 2;
    const i64 era = (y >= 0 ? y : y - 399) / 400;
    const u32 year_of_era = static_cast<u32>(y - era * 400);
    const u32 day_of_year = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const u32 day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + static_cast<i64>(day_of_era) - 719468;
}

} // namespace

i64 to_unix_time(const DateTime& w) {
    return days_from_civil(w.year, w.month, w.day) * 86400 + w.hour * 3600 + w.minute * 60 +
           w.second;
}

DateTime from_unix_time(i64 seconds) {
    i64 days = seconds / 86400;
    i64 rest = seconds % 86400;
    if (rest < 0) {
        rest += 86400;
        --days;
    }
    days += 719468;
    const i64 era = (days >= 0 ? days : days - 146096) / 146097;
    const u32 day_of_era = static_cast<u32>(days - era * 146097);
    const u32 year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const u32 day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const u32 mp = (5 * day_of_year + 2) / 153;
    const u32 day = day_of_year - (153 * mp + 2) / 5 + 1;
    const u32 month = mp < 10 ? mp + 3 : mp - 9;
    const i64 year = static_cast<i64>(year_of_era) + era * 400 + (month <= 2);
    return {static_cast<i32>(year),
            static_cast<u8>(month),
            static_cast<u8>(day),
            static_cast<u8>(rest / 3600),
            static_cast<u8>(rest % 3600 / 60),
            static_cast<u8>(rest % 60)};
}

} // namespace kite
