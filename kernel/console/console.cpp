// console.cpp: fans kernel output out to serial and VGA. Writes hold the
// console output lock (interrupts off), so that a line from an interrupt
// handler cannot land in the middle of another. A panic writes without it:
// the lock may be what the panicking code held.
#include "console/console.h"

#include "arch/x86_64/serial.h"
#include "arch/x86_64/vga.h"
#include "debug/panic.h"
#include "sync/spinlock.h"

namespace kite::console {

namespace {

class ConsoleSink final : public FormatSink {
  public:
    void write(StringView text) override { console::write(text); }
};

ConsoleSink console_sink;

} // namespace

void init() {
    serial::init();
    vga::init();
}

namespace {
// Guards the serial port and the VGA screen (cursor, colours, scrolling).
Spinlock output_lock{"console output", LockRank::ConsoleOutput};
} // namespace

void write(StringView text) {
    if (panic_in_progress()) [[unlikely]] {
        serial::write(text);
        vga::write(text);
        return;
    }
    SpinlockGuard guard(output_lock);
    serial::write(text);
    vga::write(text);
}

void set_style(Style style) {
    switch (style) {
    case Style::Normal:
        vga::set_color(vga::Color::LightGrey, vga::Color::Black);
        break;
    case Style::Warning:
        vga::set_color(vga::Color::Yellow, vga::Color::Black);
        break;
    case Style::Error:
        vga::set_color(vga::Color::White, vga::Color::Red);
        break;
    }
}

FormatSink& sink() {
    return console_sink;
}

} // namespace kite::console
