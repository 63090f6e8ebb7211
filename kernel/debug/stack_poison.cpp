// stack_poison.cpp: see stack_poison.h.
#include "debug/stack_poison.h"

namespace kite::stack_poison {

namespace {

// Room left below rsp for this function's own frame: the fill must not
// write where it is running.
constexpr u64 margin = 256;

} // namespace

void fill_below(u64 bottom, u64 rsp) {
    if (rsp < bottom + margin) {
        return;
    }
    void* to = reinterpret_cast<void*>(bottom);
    u64 count = rsp - margin - bottom;
    // rep stosb, not memset: no call, so no frame below the margin.
    asm volatile("rep stosb" : "+D"(to), "+c"(count) : "a"(stack_poison_byte) : "memory");
}

} // namespace kite::stack_poison
