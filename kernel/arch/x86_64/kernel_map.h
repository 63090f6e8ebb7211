// kernel_map.h: the kernel's final boot-time mappings (see kernel_map.cpp).
#pragma once

#include "lib/types.h"

namespace kite::kernel_map {

// Replaces the bootstrap's 2 MiB kernel mapping with 4 KiB pages carrying
// each section's permissions, leaves stack guard pages unmapped, makes the
// direct map non-executable (and read-only over the kernel image's frames
// but for data and bss) and removes the low identity map. Call after the
// GDT is loaded from its higher-half address.
void init();

// Extends the direct map (2 MiB pages, RW, NX) to cover physical memory up to
// end. allocate_table returns a zeroed frame already in the direct map.
void extend_direct_map(u64 end, PhysAddr (*allocate_table)());

} // namespace kite::kernel_map
