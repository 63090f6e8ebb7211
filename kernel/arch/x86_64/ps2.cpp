// ps2.cpp: see ps2.h. Port 0x64 is status (read) and command (write), 0x60
// data. Every wait is bounded so a missing or stuck controller cannot hang
// the boot.
#include "arch/x86_64/ps2.h"

#include "arch/x86_64/cpu.h"
#include "interrupts/irq.h"

namespace kite::ps2 {

namespace {

constexpr u16 data_port = 0x60;
constexpr u16 status_port = 0x64;
constexpr u16 command_port = 0x64;
constexpr u8 status_output_full = 0x01;
constexpr u8 status_input_full = 0x02;
constexpr u8 config_port1_interrupt = 0x01;
constexpr u8 config_port2_interrupt = 0x02;
constexpr u8 config_port1_clock_off = 0x10;
constexpr u8 config_translation = 0x40;

ScancodeSink scancode_sink = nullptr;

bool wait_input_empty() {
    for (int i = 0; i < 100000; ++i) {
        if (!(cpu::inb(status_port) & status_input_full)) {
            return true;
        }
        cpu::pause();
    }
    return false;
}

bool wait_output_full() {
    for (int i = 0; i < 100000; ++i) {
        if (cpu::inb(status_port) & status_output_full) {
            return true;
        }
        cpu::pause();
    }
    return false;
}

void command(u8 value) {
    (void)wait_input_empty();
    cpu::outb(command_port, value);
}

void write_data(u8 value) {
    (void)wait_input_empty();
    cpu::outb(data_port, value);
}

int read_data() {
    return wait_output_full() ? cpu::inb(data_port) : -1;
}

void on_keyboard_interrupt(InterruptFrame&) {
    // One byte per interrupt; the controller raises IRQ 1 again for the next.
    if (cpu::inb(status_port) & status_output_full) {
        const u8 scancode = cpu::inb(data_port);
        if (scancode_sink) {
            scancode_sink(scancode);
        }
    }
}

} // namespace

bool init(ScancodeSink sink) {
    command(0xAD); // disable port 1
    command(0xA7); // disable port 2
    for (int i = 0; i < 64 && (cpu::inb(status_port) & status_output_full); ++i) {
        (void)cpu::inb(data_port); // flush
    }
    command(0x20);
    const int config = read_data();
    if (config < 0) {
        return false;
    }
    u8 settings = static_cast<u8>(config);
    settings &= static_cast<u8>(
        ~(config_port1_interrupt | config_port2_interrupt | config_port1_clock_off));
    settings |= config_translation; // scancode set 1, decoded by tty/keyboard
    command(0x60);
    write_data(settings);

    command(0xAA); // controller self-test
    if (read_data() != 0x55) {
        return false;
    }
    command(0x60); // the self-test may have reset the configuration
    write_data(settings);

    scancode_sink = sink;
    command(0xAE); // enable port 1
    settings &= static_cast<u8>(~config_port1_clock_off);
    settings |= config_port1_interrupt;
    command(0x60);
    write_data(settings);
    irq::install(1, on_keyboard_interrupt);
    return true;
}

void reset_machine() {
    command(0xFE);
}

} // namespace kite::ps2
