// console.cpp: fans kernel output out to serial and VGA. Writes run with
// interrupts off so that a line from an interrupt handler cannot land in the
// middle of another.
#include "console/console.h"

#include "arch/x86_64/interrupt_guard.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/vga.h"

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

void write(StringView text) {
    InterruptGuard guard;
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
