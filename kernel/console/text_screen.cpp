// text_screen.cpp: see text_screen.h. Invariant between calls: the cursor
// is on the screen (row < rows, column < columns).
#include "console/text_screen.h"

namespace kite {

namespace {
// ANSI colour numbers (black red green yellow blue magenta cyan white) to
// VGA palette indices.
constexpr u8 ansi_to_vga[8] = {0, 4, 2, 6, 1, 5, 3, 7};
} // namespace

void TextScreen::clear() {
    erase(0, m_rows * m_columns);
    m_row = 0;
    m_column = 0;
}

void TextScreen::erase(usize from, usize to) {
    for (usize i = from; i < to; ++i) {
        m_cells[i] = blank();
    }
}

void TextScreen::scroll() {
    for (usize i = 0; i < (m_rows - 1) * m_columns; ++i) {
        m_cells[i] = m_cells[i + m_columns];
    }
    erase((m_rows - 1) * m_columns, m_rows * m_columns);
}

void TextScreen::newline() {
    m_column = 0;
    if (++m_row == m_rows) {
        scroll();
        m_row = m_rows - 1;
    }
}

usize TextScreen::parameter(usize index, usize fallback) const {
    return index < m_parameter_count && m_parameters[index] != 0 ? m_parameters[index] : fallback;
}

void TextScreen::select_graphic_rendition() {
    if (m_parameter_count == 0) {
        m_attribute = default_attribute;
        return;
    }
    for (usize i = 0; i < m_parameter_count; ++i) {
        const usize p = m_parameters[i];
        u8 foreground = m_attribute & 0x0F;
        u8 background = static_cast<u8>(m_attribute >> 4);
        if (p == 0) {
            foreground = default_attribute & 0x0F;
            background = default_attribute >> 4;
        } else if (p == 1) {
            foreground |= 0x08; // bold shows as the bright colour
        } else if (p == 22) {
            foreground &= 0x07;
        } else if (p == 7) {
            const u8 t = foreground;
            foreground = background;
            background = t;
        } else if (p >= 30 && p <= 37) {
            foreground = static_cast<u8>((foreground & 0x08) | ansi_to_vga[p - 30]);
        } else if (p == 39) {
            foreground = default_attribute & 0x0F;
        } else if (p >= 40 && p <= 47) {
            background = ansi_to_vga[p - 40];
        } else if (p == 49) {
            background = default_attribute >> 4;
        } else if (p >= 90 && p <= 97) {
            foreground = static_cast<u8>(0x08 | ansi_to_vga[p - 90]);
        }
        m_attribute = static_cast<u8>(background << 4 | foreground);
    }
}

void TextScreen::csi(char final) {
    switch (final) {
    case 'A': {
        const usize n = parameter(0, 1);
        m_row = n > m_row ? 0 : m_row - n;
        break;
    }
    case 'B': {
        const usize n = parameter(0, 1);
        m_row = n >= m_rows - m_row ? m_rows - 1 : m_row + n;
        break;
    }
    case 'C': {
        const usize n = parameter(0, 1);
        m_column = n >= m_columns - m_column ? m_columns - 1 : m_column + n;
        break;
    }
    case 'D': {
        const usize n = parameter(0, 1);
        m_column = n > m_column ? 0 : m_column - n;
        break;
    }
    case 'H':
    case 'f': {
        const usize row = parameter(0, 1);
        const usize column = parameter(1, 1);
        m_row = (row > m_rows ? m_rows : row) - 1;
        m_column = (column > m_columns ? m_columns : column) - 1;
        break;
    }
    case 'J': {
        const usize here = m_row * m_columns + m_column;
        const usize mode = m_parameter_count > 0 ? m_parameters[0] : 0;
        if (mode == 0) {
            erase(here, m_rows * m_columns);
        } else if (mode == 1) {
            erase(0, here + 1);
        } else if (mode == 2 || mode == 3) {
            erase(0, m_rows * m_columns);
        }
        break;
    }
    case 'K': {
        const usize line = m_row * m_columns;
        const usize mode = m_parameter_count > 0 ? m_parameters[0] : 0;
        if (mode == 0) {
            erase(line + m_column, line + m_columns);
        } else if (mode == 1) {
            erase(line, line + m_column + 1);
        } else if (mode == 2) {
            erase(line, line + m_columns);
        }
        break;
    }
    case 'm':
        select_graphic_rendition();
        break;
    default:
        break; // unknown sequences are ignored
    }
}

void TextScreen::put(char c) {
    switch (m_state) {
    case State::Escape:
        if (c == '[') {
            m_state = State::Csi;
            m_parameter_count = 0;
            m_parameter_started = false;
            for (usize& p : m_parameters) {
                p = 0;
            }
        } else {
            m_state = State::Normal;
        }
        return;
    case State::Csi:
        if (c >= '0' && c <= '9') {
            if (!m_parameter_started) {
                m_parameter_started = true;
                if (m_parameter_count < max_parameters) {
                    ++m_parameter_count;
                }
            }
            usize& p = m_parameters[m_parameter_count - 1];
            p = p > 9999 ? p : p * 10 + static_cast<usize>(c - '0');
        } else if (c == ';') {
            if (!m_parameter_started && m_parameter_count < max_parameters) {
                ++m_parameter_count; // an empty parameter is 0
            }
            m_parameter_started = false;
        } else if (c >= 0x40 && c <= 0x7E) {
            csi(c);
            m_state = State::Normal;
        } else if (c < 0x20 || c > 0x3F) {
            m_state = State::Normal; // malformed: drop the sequence
        }
        return;
    case State::Normal:
        break;
    }
    switch (c) {
    case '\x1b':
        m_state = State::Escape;
        return;
    case '\n':
        newline();
        return;
    case '\r':
        m_column = 0;
        return;
    case '\t': // to the next tab stop, without erasing what is there
        m_column = (m_column / 8 + 1) * 8 < m_columns ? (m_column / 8 + 1) * 8 : m_columns - 1;
        return;
    case '\b':
        if (m_column > 0) {
            --m_column;
        }
        return;
    case '\a':
        return;
    default:
        break;
    }
    m_cells[m_row * m_columns + m_column] = static_cast<u16>(m_attribute) << 8 | static_cast<u8>(c);
    if (++m_column == m_columns) {
        newline();
    }
}

void TextScreen::write(StringView text) {
    for (usize i = 0; i < text.length(); ++i) {
        put(text[i]);
    }
}

} // namespace kite
