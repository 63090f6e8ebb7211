// command_line.h: reading "key=value" options from the kernel command line.
// Options are separated by spaces; a bare word is an option with an empty
// value.
#pragma once

#include "lib/string_view.h"

namespace kite {

// Sets value to the value of the last occurrence of key and returns true, or
// returns false if key does not appear.
[[nodiscard]] bool command_line_option(StringView command_line, StringView key, StringView& value);

// Calls visit(item) for each comma-separated item of list.
template <typename Visitor>
void for_each_list_item(StringView list, Visitor visit) {
    usize start = 0;
    for (usize i = 0; i <= list.length(); ++i) {
        if (i == list.length() || list[i] == ',') {
            if (i > start) {
                visit(list.substring(start, i - start));
            }
            start = i + 1;
        }
    }
}

} // namespace kite
