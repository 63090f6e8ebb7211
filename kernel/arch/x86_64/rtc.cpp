// rtc.cpp: CMOS registers through ports 0x70 (index) and 0x71 (data).
#include "arch/x86_64/rtc.h"

#include "arch/x86_64/cpu.h"

namespace kite::rtc {

namespace {

u8 cmos(u8 index) {
    cpu::outb(0x70, index | 0x80); // bit 7 keeps NMIs disabled during the access
    return cpu::inb(0x71);
}

bool update_in_progress() {
    return cmos(0x0A) & 0x80;
}

struct Raw {
    u8 second, minute, hour, day, month, year, century;
    bool operator==(const Raw&) const = default;
};

Raw read_raw() {
    return {cmos(0x00), cmos(0x02), cmos(0x04), cmos(0x07), cmos(0x08), cmos(0x09), cmos(0x32)};
}

u8 from_bcd(u8 v) {
    return static_cast<u8>((v & 0x0F) + (v >> 4) * 10);
}

} // namespace

bool read(DateTime& out) {
    // Read until two reads agree with no update in between.
    for (int attempt = 0; attempt < 1000; ++attempt) {
        while (update_in_progress()) {
        }
        const Raw first = read_raw();
        while (update_in_progress()) {
        }
        const Raw second = read_raw();
        if (!(first == second)) {
            continue;
        }
        const u8 status_b = cmos(0x0B);
        const bool binary = status_b & 0x04;
        const bool hours_24 = status_b & 0x02;
        Raw r = first;
        const bool pm = r.hour & 0x80;
        r.hour &= 0x7F;
        if (!binary) {
            r = {from_bcd(r.second), from_bcd(r.minute), from_bcd(r.hour),   from_bcd(r.day),
                 from_bcd(r.month),  from_bcd(r.year),   from_bcd(r.century)};
        }
        if (!hours_24) {
            r.hour = static_cast<u8>(r.hour % 12 + (pm ? 12 : 0));
        }
        const u32 century = r.century >= 19 && r.century <= 30 ? r.century : 20;
        out = {
            static_cast<i32>(century * 100 + r.year), r.month, r.day, r.hour, r.minute, r.second};
        return true;
    }
    return false;
}

} // namespace kite::rtc
