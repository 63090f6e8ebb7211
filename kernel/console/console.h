// console.h: kernel output. Every line goes to both the serial port and the
// VGA screen. kprint/kprintln take format() strings (lib/format.h).
#pragma once

#include "lib/format.h"

namespace kite::console {

enum class Style { Normal, Warning, Error };

void init();
// Text for the terminal (user programs' output, echo): printed, not logged.
void write(StringView text);
void set_style(Style style);

// Sink for the kernel's own messages, for format(): each goes into the
// kernel log (console/kernel_log.h) and, unless its level is at or past the
// console level, to the screen and serial port.
FormatSink& sink();

// syslog(2)'s side of the kernel log; each takes the output lock.
[[nodiscard]] usize log_copy_all(char* out, usize size);
[[nodiscard]] usize log_read_unread(char* out, usize size);
[[nodiscard]] usize log_unread();
void log_clear();
// Linux's console_loglevel: kernel lines of a level >= this one are only
// logged (Kite's lines are 6, warnings 4, errors 3); 7 at boot.
constexpr int default_console_level = 7;
[[nodiscard]] int console_level();
void set_console_level(int level);

} // namespace kite::console

namespace kite {

template <typename... Args>
void kprint(StringView fmt, const Args&... args) {
    format(console::sink(), fmt, args...);
}

template <typename... Args>
void kprintln(StringView fmt, const Args&... args) {
    format(console::sink(), fmt, args...);
    console::sink().write("\n");
}

} // namespace kite
