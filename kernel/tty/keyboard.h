// keyboard.h: PS/2 scancode set 1 (what the 8042 delivers with translation
// on) to the bytes a terminal sends, for a US layout: letters, digits and
// symbols with Shift and Caps Lock, Ctrl-letter as the control character,
// Enter, Backspace (DEL), Tab, Escape, and the cursor keys as ANSI escape
// sequences. Releases and unknown codes produce nothing.
#pragma once

#include "lib/types.h"

namespace kite {

class KeyboardDecoder {
  public:
    static constexpr usize max_output = 8;

    // Feeds one scancode byte; writes the bytes it produces to out and
    // returns how many (0 for prefixes, releases, modifiers, unknown codes).
    usize feed(u8 scancode, char out[max_output]);

    [[nodiscard]] bool shift() const { return m_left_shift || m_right_shift; }
    [[nodiscard]] bool ctrl() const { return m_left_ctrl || m_right_ctrl; }
    [[nodiscard]] bool caps_lock() const { return m_caps_lock; }

  private:
    bool m_extended = false; // saw 0xE0
    u8 m_pause_bytes = 0;    // inside the 0xE1 Pause sequence
    bool m_left_shift = false;
    bool m_right_shift = false;
    bool m_left_ctrl = false;
    bool m_right_ctrl = false;
    bool m_alt = false;
    bool m_caps_lock = false;
};

} // namespace kite
