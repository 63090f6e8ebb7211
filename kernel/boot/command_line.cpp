// command_line.cpp: see command_line.h.
#include "boot/command_line.h"

namespace kite {

bool command_line_option(StringView command_line, StringView key, StringView& value) {
    bool found = false;
    usize i = 0;
    while (i < command_line.length()) {
        while (i < command_line.length() && command_line[i] == ' ') {
            ++i;
        }
        const usize start = i;
        while (i < command_line.length() && command_line[i] != ' ') {
            ++i;
        }
        const StringView word = command_line.substring(start, i - start);
        if (word.is_empty()) {
            continue;
        }
        if (word == key) {
            value = {};
            found = true;
        } else if (word.length() > key.length() && word.starts_with(key) &&
                   word[key.length()] == '=') {
            value = word.substring(key.length() + 1);
            found = true;
        }
    }
    return found;
}

} // namespace kite
