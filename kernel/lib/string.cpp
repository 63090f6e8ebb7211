// string.cpp: the kernel's own memcpy, memset, memmove and memcmp. GCC emits
// calls to these even in freestanding code (struct copies, zeroing), and no
// host library may provide them. The copies use `rep movsb`/`rep stosb`,
// which also keeps GCC from turning a byte loop back into a call to itself.
#include "lib/types.h"

extern "C" {

void* memcpy(void* destination, const void* source, size_t count) {
    void* d = destination;
    // Whole quadwords when everything is 8-aligned (page copies): one
    // eighth of the iterations, which matters most under emulation.
    if (((reinterpret_cast<kite::uptr>(d) | reinterpret_cast<kite::uptr>(source) | count) & 7) ==
        0) {
        size_t quads = count / 8;
        asm volatile("rep movsq" : "+D"(d), "+S"(source), "+c"(quads) : : "memory");
        return destination;
    }
    asm volatile("rep movsb" : "+D"(d), "+S"(source), "+c"(count) : : "memory");
    return destination;
}

void* memset(void* destination, int value, size_t count) {
    void* d = destination;
    if (((reinterpret_cast<kite::uptr>(d) | count) & 7) == 0) {
        size_t quads = count / 8;
        const kite::u64 pattern = 0x0101010101010101ull * static_cast<kite::u8>(value);
        asm volatile("rep stosq" : "+D"(d), "+c"(quads) : "a"(pattern) : "memory");
        return destination;
    }
    asm volatile("rep stosb" : "+D"(d), "+c"(count) : "a"(value) : "memory");
    return destination;
}

// Overlap-safe: copies backwards (direction flag set) when the destination
// starts inside the source.
void* memmove(void* destination, const void* source, size_t count) {
    auto* d = static_cast<kite::u8*>(destination);
    const auto* s = static_cast<const kite::u8*>(source);
    if (d <= s || d >= s + count) {
        return memcpy(destination, source, count);
    }
    d += count - 1;
    s += count - 1;
    asm volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(count) : : "memory");
    return destination;
}

int memcmp(const void* a, const void* b, size_t count) {
    const auto* x = static_cast<const kite::u8*>(a);
    const auto* y = static_cast<const kite::u8*>(b);
    for (size_t i = 0; i < count; ++i) {
        if (x[i] != y[i]) {
            return x[i] < y[i] ? -1 : 1;
        }
    }
    return 0;
}

size_t strlen(const char* s) {
    size_t n = 0;
    while (s[n]) {
        ++n;
    }
    return n;
}

} // extern "C"
