// text_screen.h: a grid of character cells (VGA text layout: low byte the
// character, high byte the colour attribute) that understands the ANSI
// escape sequences a shell uses: cursor movement (CSI A B C D H f), erase in
// display and line (CSI J, K), and colours (CSI m). The VGA driver draws
// through it; host unit tests use a plain array.
#pragma once

#include "lib/string_view.h"
#include "lib/types.h"

namespace kite {

class TextScreen {
  public:
    static constexpr u8 default_attribute = 0x07; // light grey on black

    TextScreen(volatile u16* cells, usize columns, usize rows)
        : m_cells(cells), m_columns(columns), m_rows(rows) {}

    void write(StringView text);
    void clear();
    void set_attribute(u8 attribute) { m_attribute = attribute; }
    [[nodiscard]] u8 attribute() const { return m_attribute; }

    [[nodiscard]] usize row() const { return m_row; }
    [[nodiscard]] usize column() const { return m_column; }
    [[nodiscard]] u16 cell(usize row, usize column) const {
        return m_cells[row * m_columns + column];
    }

  private:
    enum class State : u8 { Normal, Escape, Csi };
    static constexpr usize max_parameters = 8;

    void put(char c);
    void newline();
    void scroll();
    void erase(usize from, usize to); // cell indices, [from, to)
    void csi(char final);
    void select_graphic_rendition();
    [[nodiscard]] usize parameter(usize index, usize fallback) const;
    [[nodiscard]] u16 blank() const { return static_cast<u16>(m_attribute) << 8 | ' '; }

    volatile u16* m_cells;
    usize m_columns;
    usize m_rows;
    usize m_row = 0;
    usize m_column = 0;
    u8 m_attribute = default_attribute;
    State m_state = State::Normal;
    usize m_parameters[max_parameters] = {};
    usize m_parameter_count = 0;
    bool m_parameter_started = false;
};

} // namespace kite
