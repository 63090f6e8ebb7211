// kernel_map.h: the kernel's final boot-time mappings (see kernel_map.cpp).
#pragma once

#include "lib/types.h"

namespace kite::kernel_map {

// Replaces the bootstrap's 2 MiB kernel mapping with 4 KiB pages carrying
// each section's permissions, leaves stack guard pages unmapped, makes the
// direct map non-executable and removes the low identity map. Call after
// the GDT is loaded from its higher-half address.
void init();

// Which permissions a kernel virtual address has now, for tests and reports.
struct Translation {
    bool present;
    bool writable;
    bool executable;
    PhysAddr physical;
};
[[nodiscard]] Translation translate(u64 virt);

} // namespace kite::kernel_map
