// secure_zero.h: zeroing the compiler may not leave out, for key material
// in a buffer that is about to die (a plain memset of a dead buffer can be
// dropped as a dead store).
#pragma once

#include "lib/types.h"

namespace kite {

inline void secure_zero(void* data, usize length) {
    __builtin_memset(data, 0, length);
    asm volatile("" : : "r"(data) : "memory"); // the zeros count as read
}

} // namespace kite
