// vga.h: the 80x25 VGA text console, with colours, scrolling and the
// hardware cursor.
#pragma once

#include "lib/string_view.h"
#include "lib/types.h"

namespace kite::vga {

enum class Color : u8 {
    Black = 0,
    Blue,
    Green,
    Cyan,
    Red,
    Magenta,
    Brown,
    LightGrey,
    DarkGrey,
    LightBlue,
    LightGreen,
    LightCyan,
    LightRed,
    LightMagenta,
    Yellow,
    White,
};

constexpr usize columns = 80;
constexpr usize rows = 25;

void init();
void set_color(Color foreground, Color background);
void write(StringView text);
void clear();

// The character cell at (row, column), for tests: low byte character,
// high byte attribute.
[[nodiscard]] u16 cell(usize row, usize column);
[[nodiscard]] usize cursor_row();
[[nodiscard]] usize cursor_column();

} // namespace kite::vga
