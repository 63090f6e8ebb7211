// direct_map.h: the fixed virtual layout and the one way between physical
// and virtual addresses.
//
//   0xffff800000000000  direct map: virtual = base + physical (all RAM that
//                       the direct map covers; 4 GiB from the bootstrap)
//   0xffffffff80000000  kernel image: virtual = base + physical (linked at
//                       +1 MiB, see arch/x86_64/linker.ld)
#pragma once

#include "lib/types.h"

namespace kite {

constexpr u64 direct_map_base = 0xffff800000000000;
constexpr u64 direct_map_size = 4 * GiB; // what boot.asm maps
constexpr u64 kernel_vma = 0xffffffff80000000;

template <typename T = void>
[[nodiscard]] inline T* phys_to_virt(PhysAddr address) {
    return reinterpret_cast<T*>(direct_map_base + address.value());
}

[[nodiscard]] inline bool in_direct_map(PhysAddr address, u64 length) {
    return address.value() < direct_map_size && length <= direct_map_size - address.value();
}

// Physical address of an object in the kernel image (a global or a static).
[[nodiscard]] inline PhysAddr kernel_image_phys(const void* object) {
    return PhysAddr(reinterpret_cast<u64>(object) - kernel_vma);
}

} // namespace kite
