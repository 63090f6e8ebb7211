// console.h: kernel output. Every line goes to both the serial port and the
// VGA screen. kprint/kprintln take format() strings (lib/format.h).
#pragma once

#include "lib/format.h"

namespace kite::console {

enum class Style { Normal, Warning, Error };

void init();
void write(StringView text);
void set_style(Style style);

// Sink that writes to the console, for format().
FormatSink& sink();

} // namespace kite::console

namespace kite {

template <typename... Args>
void kprint(StringView fmt, const Args&... args) {
    format(console::sink(), fmt, args...);
}

template <typename... Args>
void kprintln(StringView fmt, const Args&... args) {
    format(console::sink(), fmt, args...);
    console::write("\n");
}

} // namespace kite
