// console.cpp: fans kernel output out to serial and VGA. Writes hold the
// console output lock (interrupts off), so that a line from an interrupt
// handler cannot land in the middle of another. A panic writes without it:
// the lock may be what the panicking code held.
#include "console/console.h"

#include "arch/x86_64/serial.h"
#include "arch/x86_64/vga.h"
#include "console/kernel_log.h"
#include "debug/panic.h"
#include "sync/spinlock.h"

namespace kite::console {

namespace {

void write_kernel(StringView text);

class ConsoleSink final : public FormatSink {
  public:
    void write(StringView text) override { write_kernel(text); }
};

ConsoleSink console_sink;

} // namespace

void init() {
    serial::init();
    vga::init();
}

namespace {
// Guards the serial port and the VGA screen (cursor, colours, scrolling),
// and the kernel log with the style and console level.
Spinlock output_lock{"console output", LockRank::ConsoleOutput};
KernelLog kernel_log;
int line_level = 6; // syslog's level for the current style: KERN_INFO
int printed_below = default_console_level;

void write_kernel(StringView text) {
    if (panic_in_progress()) [[unlikely]] {
        serial::write(text);
        vga::write(text);
        return;
    }
    SpinlockGuard guard(output_lock);
    kernel_log.append(text, line_level);
    if (line_level < printed_below) {
        serial::write(text);
        vga::write(text);
    }
}
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
        line_level = 6;
        break;
    case Style::Warning:
        vga::set_color(vga::Color::Yellow, vga::Color::Black);
        line_level = 4;
        break;
    case Style::Error:
        vga::set_color(vga::Color::White, vga::Color::Red);
        line_level = 3;
        break;
    }
}

usize log_copy_all(char* out, usize size) {
    SpinlockGuard guard(output_lock);
    return kernel_log.copy_all(out, size);
}
usize log_read_unread(char* out, usize size) {
    SpinlockGuard guard(output_lock);
    return kernel_log.read_unread(out, size);
}
usize log_unread() {
    SpinlockGuard guard(output_lock);
    return kernel_log.unread();
}
void log_clear() {
    SpinlockGuard guard(output_lock);
    kernel_log.clear();
}
int console_level() {
    return __atomic_load_n(&printed_below, __ATOMIC_RELAXED);
}
void set_console_level(int level) {
    __atomic_store_n(&printed_below, level, __ATOMIC_RELAXED);
}

FormatSink& sink() {
    return console_sink;
}

} // namespace kite::console
