// power.cpp: see power.h. Kite reads no ACPI tables yet, so the S5 write
// goes to the fixed ports the emulators use: PIIX4 PM (QEMU's pc machine)
// at 0x604, Bochs and old QEMU at 0xb004, with SLP_TYP 0 and SLP_EN.
#include "arch/x86_64/power.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/qemu.h"

namespace kite::power {

namespace {

constexpr u16 pm1a_control_ports[] = {0x604, 0xB004};
constexpr u16 sleep_enable = 1 << 13;
constexpr u16 keyboard_command_port = 0x64;
constexpr u8 pulse_reset_line = 0xFE;

struct [[gnu::packed]] EmptyIdt {
    u16 limit;
    u64 base;
};
static_assert(sizeof(EmptyIdt) == 10);

} // namespace

void power_off() {
    cpu::disable_interrupts();
    qemu::exit(qemu::ExitCode::PowerOff);
    for (u16 port : pm1a_control_ports) {
        cpu::outw(port, sleep_enable);
    }
    cpu::halt_forever();
}

void reset() {
    cpu::disable_interrupts();
    cpu::outb(keyboard_command_port, pulse_reset_line);
    for (int i = 0; i < 1000000; ++i) {
        asm volatile("pause");
    }
    // No IDT: the breakpoint cannot be delivered, nor the double fault:
    // a triple fault, which resets the CPU.
    static const EmptyIdt none{0, 0};
    asm volatile("lidt %0; int3" : : "m"(none));
    cpu::halt_forever();
}

} // namespace kite::power
