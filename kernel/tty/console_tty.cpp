// console_tty.cpp: see console_tty.h.
#include "tty/console_tty.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/interrupt_guard.h"
#include "arch/x86_64/ps2.h"
#include "arch/x86_64/serial.h"
#include "console/console.h"
#include "tty/keyboard.h"

namespace kite::console_tty {

namespace {

SignalHandler signal_handler = nullptr;
Wakeup reader_wakeup = nullptr;
Stats counters;

class ConsoleHooks final : public LineDiscipline::Hooks {
  public:
    void echo(StringView text) override { console::write(text); }
    void signal(Signal number) override {
        if (signal_handler) {
            signal_handler(number);
        }
    }
    void input_available() override {
        if (reader_wakeup) {
            reader_wakeup();
        }
    }
};

ConsoleHooks hooks;
LineDiscipline discipline(hooks);
KeyboardDecoder keyboard;

void on_scancode(u8 scancode) {
    char bytes[KeyboardDecoder::max_output];
    const usize count = keyboard.feed(scancode, bytes);
    for (usize i = 0; i < count; ++i) {
        ++counters.keyboard_bytes;
        discipline.receive(static_cast<u8>(bytes[i]));
    }
}

void on_serial_byte(u8 byte) {
    ++counters.serial_bytes;
    discipline.receive(byte);
}

} // namespace

void init() {
    if (!ps2::init(on_scancode)) {
        kprintln("console: no PS/2 controller answered; keyboard input is off");
    }
    serial::enable_receive(on_serial_byte);
}

void input(u8 byte) {
    InterruptGuard guard;
    discipline.receive(byte);
}

usize read(u8* out, usize capacity, const volatile bool* interrupted) {
    InterruptGuard guard;
    // Check with interrupts off, then "sti; hlt": sti takes effect after
    // hlt, so an interrupt arriving in between still wakes us.
    while (!discipline.can_read() && !(interrupted && *interrupted)) {
        asm volatile("sti; hlt; cli" : : : "memory");
    }
    return discipline.can_read() ? discipline.read(out, capacity) : 0;
}

Termios termios() {
    InterruptGuard guard;
    return discipline.termios();
}

void set_termios(const Termios& value) {
    InterruptGuard guard;
    discipline.set_termios(value);
}

void set_signal_handler(SignalHandler handler) {
    signal_handler = handler;
}
void set_reader_wakeup(Wakeup wakeup) {
    reader_wakeup = wakeup;
}
Stats stats() {
    return counters;
}

} // namespace kite::console_tty
