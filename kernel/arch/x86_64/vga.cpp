// vga.cpp: the VGA text buffer at physical 0xB8000, reached through the
// direct map, drawn through a TextScreen; this file adds the hardware cursor.
#include "arch/x86_64/vga.h"

#include "arch/x86_64/cpu.h"
#include "console/text_screen.h"
#include "mm/direct_map.h"

namespace kite::vga {

namespace {

constexpr PhysAddr buffer_phys{0xB8000};
constexpr u16 crtc_index = 0x3D4;
constexpr u16 crtc_data = 0x3D5;

TextScreen& screen() {
    static TextScreen instance(phys_to_virt<volatile u16>(buffer_phys), columns, rows);
    return instance;
}

void move_hardware_cursor() {
    const u16 position = static_cast<u16>(screen().row() * columns + screen().column());
    cpu::outb(crtc_index, 0x0F);
    cpu::outb(crtc_data, static_cast<u8>(position & 0xFF));
    cpu::outb(crtc_index, 0x0E);
    cpu::outb(crtc_data, static_cast<u8>(position >> 8));
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
    screen().set_attribute(
        static_cast<u8>(static_cast<u8>(background) << 4 | static_cast<u8>(foreground)));
}

void clear() {
    screen().clear();
    move_hardware_cursor();
}

void write(StringView text) {
    screen().write(text);
    move_hardware_cursor();
}

u16 cell(usize r, usize c) {
    return screen().cell(r, c);
}
usize cursor_row() {
    return screen().row();
}
usize cursor_column() {
    return screen().column();
}

} // namespace kite::vga
