// source_location.h: where a panic or a failed check was written, captured
// at the call site through default arguments.
#pragma once

#include "lib/types.h"

namespace kite {

struct SourceLocation {
    const char* file;
    const char* function;
    u32 line;

    static constexpr SourceLocation current(const char* file = __builtin_FILE(),
                                            const char* function = __builtin_FUNCTION(),
                                            u32 line = __builtin_LINE()) {
        return {file, function, line};
    }
};

} // namespace kite
