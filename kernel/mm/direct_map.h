// direct_map.h: the fixed virtual layout and the one way between physical
// and virtual addresses.
//
//   0xffff800000000000  direct map: virtual = base + physical, from 0 up to
//                       direct_map_end() (4 GiB from the bootstrap, extended
//                       over all RAM by physical::init)
//   0xffffffff80000000  kernel image: virtual = base + physical (linked at
//                       +1 MiB, see arch/x86_64/linker.ld)
#pragma once

#include "lib/types.h"

namespace kite {

constexpr u64 direct_map_base = 0xffff800000000000;
constexpr u64 direct_map_limit = 512 * GiB; // one PML4 entry
constexpr u64 kernel_vma = 0xffffffff80000000;

// The end of the direct map (physical), 4 GiB at boot.
[[nodiscard]] u64 direct_map_end();
void set_direct_map_end(u64 end);

template <typename T = void>
[[nodiscard]] inline T* phys_to_virt(PhysAddr address) {
    return reinterpret_cast<T*>(direct_map_base + address.value());
}

[[nodiscard]] inline bool in_direct_map(PhysAddr address, u64 length) {
    return address.value() < direct_map_end() && length <= direct_map_end() - address.value();
}

// The physical address behind a direct-map pointer. VERIFYs that it is one.
[[nodiscard]] PhysAddr virt_to_phys(const void* pointer);

// Whether pointer lies in the direct map.
[[nodiscard]] inline bool is_direct_map_pointer(const void* pointer) {
    const u64 v = reinterpret_cast<u64>(pointer);
    return v >= direct_map_base && v - direct_map_base < direct_map_end();
}

// Physical address of an object in the kernel image (a global or a static).
[[nodiscard]] inline PhysAddr kernel_image_phys(const void* object) {
    return PhysAddr(reinterpret_cast<u64>(object) - kernel_vma);
}

} // namespace kite
