// pit.cpp: see pit.h. Ports: 0x40-0x42 channel data, 0x43 mode/command,
// 0x61 bit 0 gates channel 2 and bit 5 reads its output.
#include "arch/x86_64/pit.h"

#include "arch/x86_64/cpu.h"

namespace kite::pit {

namespace {
constexpr u16 channel0 = 0x40;
constexpr u16 channel2 = 0x42;
constexpr u16 command = 0x43;
constexpr u16 speaker_control = 0x61;
} // namespace

u64 start_periodic(u32 hz) {
    const u32 divisor = static_cast<u32>((input_hz + hz / 2) / hz);
    cpu::outb(command, 0x34); // channel 0, lobyte/hibyte, mode 2, binary
    cpu::outb(channel0, static_cast<u8>(divisor & 0xFF));
    cpu::outb(channel0, static_cast<u8>(divisor >> 8));
    return u64{divisor} * 1'000'000'000'000 / input_hz;
}

namespace {

// Channel 2's count, latched between two reads of another clock.
struct Reading {
    u64 before;
    u64 after;
    u16 count;
};

Reading read_counter(u64 (*read_clock)()) {
    Reading reading{};
    reading.before = read_clock();
    cpu::outb(command, 0x80); // latch channel 2's count
    const u8 low = cpu::inb(channel2);
    const u8 high = cpu::inb(channel2);
    reading.after = read_clock();
    reading.count = static_cast<u16>(low | high << 8);
    return reading;
}

// The reading with the narrowest bracket of a few in a row.
Reading tightest_reading(u64 (*read_clock)()) {
    Reading best = read_counter(read_clock);
    for (int i = 0; i < 7; ++i) {
        const Reading reading = read_counter(read_clock);
        if (reading.after - reading.before < best.after - best.before) {
            best = reading;
        }
    }
    return best;
}

// Mode 0 raises the output when the count reaches 0, and keeps it up while
// the counter wraps around and goes on.
bool ran_out() {
    return cpu::inb(speaker_control) & 0x20;
}

u64 middle(const Reading& reading) {
    return reading.before + (reading.after - reading.before) / 2;
}

} // namespace

bool measure(u32 microseconds, u64 (*read_clock)(), Measurement& result) {
    const u32 wanted = static_cast<u32>(input_hz * microseconds / 1'000'000);
    // Gate off, speaker off; channel 2 in mode 0 from 0xffff, then gate on.
    cpu::outb(speaker_control, (cpu::inb(speaker_control) & ~0x03) & 0xFF);
    cpu::outb(command, 0xB0);
    cpu::outb(channel2, 0xFF);
    cpu::outb(channel2, 0xFF);
    cpu::outb(speaker_control, (cpu::inb(speaker_control) & ~0x02) | 0x01);
    bool counted = false;
    bool started = false;
    Reading start{};
    Reading end{};
    // Bounded: a missing PIT must not hang the boot.
    for (u64 spins = 0; spins < 10'000'000; ++spins) {
        const Reading reading = read_counter(read_clock);
        if (ran_out()) {
            break;
        }
        // The count is loaded a clock after the write: begin once it moves.
        if (!started) {
            if (reading.count < 0xFFF0) {
                start = tightest_reading(read_clock);
                started = true;
                if (start.count < wanted) {
                    break;
                }
            }
            continue;
        }
        if (reading.count <= start.count - wanted) {
            end = tightest_reading(read_clock);
            counted = !ran_out(); // else the count wrapped: not comparable
            break;
        }
    }
    cpu::outb(speaker_control, cpu::inb(speaker_control) & ~0x01);
    if (!counted || end.count >= start.count) {
        return false;
    }
    result.clock_delta = middle(end) - middle(start);
    result.exact_ns = u64{static_cast<u16>(start.count - end.count)} * 1'000'000'000 / input_hz;
    result.uncertainty = (start.after - start.before + end.after - end.before) / 2;
    return true;
}

} // namespace kite::pit
