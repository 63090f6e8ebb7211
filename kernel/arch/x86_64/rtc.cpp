// rtc.cpp: CMOS registers through ports 0x70 (index; bit 7 masks NMIs) and
// 0x71 (data).
#include "arch/x86_64/rtc.h"

#include "arch/x86_64/cpu.h"

namespace kite::rtc {

namespace {

u8 cmos(u8 index) {
    cpu::outb(0x70, index | 0x80); // NMIs masked during the access
    return cpu::inb(0x71);
}

// Every access kept NMIs masked; unmask them again when done.
void enable_nmi() {
    cpu::outb(0x70, 0x0D);
    (void)cpu::inb(0x71);
}

bool update_in_progress() {
    return cmos(0x0A) & 0x80;
}

// Bounded: a missing RTC reads 0xFF (always "updating") and must not hang.
bool wait_for_update_to_end() {
    for (int i = 0; i < 1'000'000; ++i) {
        if (!update_in_progress()) {
            return true;
        }
    }
    return false;
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

// Reads until two reads agree with no update in between.
bool read_settled(DateTime& out) {
    for (int attempt = 0; attempt < 1000; ++attempt) {
        if (!wait_for_update_to_end()) {
            return false;
        }
        const Raw first = read_raw();
        if (!wait_for_update_to_end()) {
            return false;
        }
        if (!(first == read_raw())) {
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

} // namespace

bool read(DateTime& out) {
    const bool settled = read_settled(out);
    enable_nmi();
    return settled;
}

} // namespace kite::rtc
