// vga.cpp: text-mode output into the VGA buffer at physical 0xB8000, reached
// through the direct map. Invariant: 0 <= row < rows, 0 <= column < columns
// between calls; writing past the last row scrolls the screen up.
#include "arch/x86_64/vga.h"

#include "arch/x86_64/cpu.h"
#include "mm/direct_map.h"

namespace kite::vga {

namespace {

constexpr PhysAddr buffer_phys{0xB8000};
constexpr u16 crtc_index = 0x3D4;
constexpr u16 crtc_data = 0x3D5;

volatile u16* buffer() {
    return phys_to_virt<volatile u16>(buffer_phys);
}

usize row = 0;
usize column = 0;
u8 attribute = 0x07; // light grey on black

u16 blank() {
    return static_cast<u16>(attribute) << 8 | ' ';
}

void move_hardware_cursor() {
    const u16 position = static_cast<u16>(row * columns + column);
    cpu::outb(crtc_index, 0x0F);
    cpu::outb(crtc_data, static_cast<u8>(position & 0xFF));
    cpu::outb(crtc_index, 0x0E);
    cpu::outb(crtc_data, static_cast<u8>(position >> 8));
}

void scroll() {
    volatile u16* cells = buffer();
    for (usize i = 0; i < (rows - 1) * columns; ++i) {
        cells[i] = cells[i + columns];
    }
    for (usize i = (rows - 1) * columns; i < rows * columns; ++i) {
        cells[i] = blank();
    }
}

void newline() {
    column = 0;
    if (++row == rows) {
        scroll();
        row = rows - 1;
    }
}

void put(char c) {
    switch (c) {
    case '\n':
        newline();
        return;
    case '\r':
        column = 0;
        return;
    case '\t':
        do {
            put(' ');
        } while (column % 8 != 0);
        return;
    case '\b':
        if (column > 0) {
            --column;
        }
        return;
    default:
        break;
    }
    buffer()[row * columns + column] = static_cast<u16>(attribute) << 8 | static_cast<u8>(c);
    if (++column == columns) {
        newline();
    }
}

} // namespace

void init() {
    // Cursor shape: scanlines 14-15, an underline.
    cpu::outb(crtc_index, 0x0A);
    cpu::outb(crtc_data, 14);
    cpu::outb(crtc_index, 0x0B);
    cpu::outb(crtc_data, 15);
    clear();
}

void set_color(Color foreground, Color background) {
    attribute = static_cast<u8>(static_cast<u8>(background) << 4 | static_cast<u8>(foreground));
}

void clear() {
    volatile u16* cells = buffer();
    for (usize i = 0; i < rows * columns; ++i) {
        cells[i] = blank();
    }
    row = 0;
    column = 0;
    move_hardware_cursor();
}

void write(StringView text) {
    for (usize i = 0; i < text.length(); ++i) {
        put(text[i]);
    }
    move_hardware_cursor();
}

u16 cell(usize r, usize c) {
    return buffer()[r * columns + c];
}
usize cursor_row() {
    return row;
}
usize cursor_column() {
    return column;
}

} // namespace kite::vga
