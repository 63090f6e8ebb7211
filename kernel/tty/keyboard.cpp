// keyboard.cpp: see keyboard.h. Make codes are 0x01-0x58; a release is the
// make code with bit 7 set; 0xE0 prefixes the extended keys (cursor block,
// right Ctrl/Alt, keypad Enter and /); 0xE1 starts the 6-byte Pause
// sequence, which is swallowed.
#include "tty/keyboard.h"

namespace kite {

namespace {

// US layout, unshifted and shifted, by make code (0 = no character).
constexpr char plain[0x59] = {
    0,   27,  '1', '2', '3', '4', '5', '6', '7',  '8', '9', '0',  '-',  '=', 127, '\t', // 0x00
    'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o',  'p', '[', ']',  '\n', 0,   'a', 's',  // 0x10
    'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0,   '\\', 'z',  'x', 'c', 'v',  // 0x20
    'b', 'n', 'm', ',', '.', '/', 0,   '*', 0,    ' ', 0,   0,    0,    0,   0,   0,    // 0x30
    0,   0,   0,   0,   0,   0,   0,   '7', '8',  '9', '-', '4',  '5',  '6', '+', '1',  // 0x40
    '2', '3', '0', '.', 0,   0,   0,   0,   0,                                          // 0x50
};
constexpr char shifted[0x59] = {
    0,   27,  '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_',  '+', 127, '\t', // 0x00
    'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n', 0,   'A', 'S',  // 0x10
    'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0,   '|', 'Z',  'X', 'C', 'V',  // 0x20
    'B', 'N', 'M', '<', '>', '?', 0,   '*', 0,   ' ', 0,   0,   0,    0,   0,   0,    // 0x30
    0,   0,   0,   0,   0,   0,   0,   '7', '8', '9', '-', '4', '5',  '6', '+', '1',  // 0x40
    '2', '3', '0', '.', 0,   0,   0,   0,   0,                                        // 0x50
};

constexpr u8 left_shift = 0x2A;
constexpr u8 right_shift = 0x36;
constexpr u8 ctrl_key = 0x1D;
constexpr u8 alt_key = 0x38;
constexpr u8 caps_lock_key = 0x3A;

usize copy(const char* text, char out[KeyboardDecoder::max_output]) {
    usize n = 0;
    while (text[n] != '\0' && n < KeyboardDecoder::max_output) {
        out[n] = text[n];
        ++n;
    }
    return n;
}

} // namespace

usize KeyboardDecoder::feed(u8 scancode, char out[max_output]) {
    if (m_pause_bytes > 0) {
        --m_pause_bytes;
        return 0;
    }
    if (scancode == 0xE1) {
        m_pause_bytes = 5;
        return 0;
    }
    if (scancode == 0xE0) {
        m_extended = true;
        return 0;
    }
    const bool extended = m_extended;
    m_extended = false;
    const bool released = scancode & 0x80;
    const u8 code = scancode & 0x7F;

    // Modifiers track both press and release.
    if (code == ctrl_key) {
        (extended ? m_right_ctrl : m_left_ctrl) = !released;
        return 0;
    }
    if (code == alt_key) {
        m_alt = !released;
        return 0;
    }
    if (!extended && code == left_shift) {
        m_left_shift = !released;
        return 0;
    }
    if (!extended && code == right_shift) {
        m_right_shift = !released;
        return 0;
    }
    if (released) {
        return 0;
    }
    if (code == caps_lock_key) {
        m_caps_lock = !m_caps_lock;
        return 0;
    }

    if (extended) {
        switch (code) {
        case 0x48:
            return copy("\x1b[A", out); // up
        case 0x50:
            return copy("\x1b[B", out); // down
        case 0x4D:
            return copy("\x1b[C", out); // right
        case 0x4B:
            return copy("\x1b[D", out); // left
        case 0x47:
            return copy("\x1b[H", out); // home
        case 0x4F:
            return copy("\x1b[F", out); // end
        case 0x53:
            return copy("\x1b[3~", out); // delete
        case 0x1C:
            out[0] = '\n';
            return 1; // keypad enter
        case 0x35:
            out[0] = '/';
            return 1; // keypad /
        default:
            return 0;
        }
    }
    if (code >= sizeof(plain) || plain[code] == 0) {
        return 0;
    }
    char c = plain[code];
    const bool letter = c >= 'a' && c <= 'z';
    if (letter ? shift() != m_caps_lock : shift()) {
        c = shifted[code];
    }
    if (ctrl()) {
        if (letter) {
            c = static_cast<char>(c & 0x1F);
        } else if (c == '[' || c == '\\' || c == ']') {
            c = static_cast<char>(c & 0x1F); // Ctrl-[ is Escape, Ctrl-\ is FS
        } else if (c == ' ' || c == '2' || c == '@') {
            c = 0;
            out[0] = 0;
            return 1; // Ctrl-Space / Ctrl-@ is NUL
        }
    }
    out[0] = c;
    return 1;
}

} // namespace kite
