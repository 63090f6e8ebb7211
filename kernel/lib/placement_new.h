// placement_new.h: placement new, from <new> on the host and declared here in
// the kernel (which has no standard library headers).
#pragma once

#if defined(KITE_KERNEL)
#include <stddef.h>
inline void* operator new(size_t, void* where) noexcept {
    return where;
}
inline void* operator new[](size_t, void* where) noexcept {
    return where;
}
#else
#include <new>
#endif
