// placement_new.h: placement new and std::align_val_t, from <new> on the
// host and declared here in the kernel (which has no standard library
// headers). The kernel's operator new/delete are in mm/new_delete.cpp.
#pragma once

#if defined(KITE_KERNEL)
#include <stddef.h>
namespace std {
enum class align_val_t : size_t {};
} // namespace std
inline void* operator new(size_t, void* where) noexcept {
    return where;
}
inline void* operator new[](size_t, void* where) noexcept {
    return where;
}
#else
#include <new>
#endif
