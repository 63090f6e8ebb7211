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

u64 measure_tsc(u32 microseconds, u64& exact_ns) {
    const u32 count = static_cast<u32>(input_hz * microseconds / 1'000'000);
    // Gate off, speaker off; channel 2 in mode 0 (output rises at terminal count).
    cpu::outb(speaker_control, (cpu::inb(speaker_control) & ~0x03) & 0xFF);
    cpu::outb(command, 0xB0);
    cpu::outb(channel2, static_cast<u8>(count & 0xFF));
    cpu::outb(channel2, static_cast<u8>(count >> 8));
    const u8 gate_on = (cpu::inb(speaker_control) & ~0x02) | 0x01;
    const u64 start = cpu::rdtsc();
    cpu::outb(speaker_control, gate_on);
    // Bounded: a missing PIT must not hang the boot.
    for (u64 spins = 0; spins < 100'000'000 && !(cpu::inb(speaker_control) & 0x20); ++spins) {
    }
    const u64 end = cpu::rdtsc();
    cpu::outb(speaker_control, cpu::inb(speaker_control) & ~0x01);
    exact_ns = u64{count} * 1'000'000'000 / input_hz;
    return end - start;
}

} // namespace kite::pit
