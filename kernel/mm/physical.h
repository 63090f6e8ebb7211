// physical.h: the physical frame allocator of the running kernel: a buddy
// allocator (mm/buddy.h) over every usable frame of the memory map.
#pragma once

#include "boot/multiboot2.h"
#include "lib/error.h"
#include "mm/buddy.h"

namespace kite::physical {

// Builds the free pool from the memory map, keeping the first MiB, the
// kernel image, the Multiboot2 block and every module out of it; extends the
// direct map over all RAM; places the Page array.
void init(const BootInfo& info);

[[nodiscard]] ErrorOr<PhysAddr> allocate(u8 order = 0);
// The same, with the block's memory zeroed.
[[nodiscard]] ErrorOr<PhysAddr> allocate_zeroed(u8 order = 0);
// Frees a block; a bad free (twice, wrong order, not ours) is a kernel bug
// and panics with what and where.
void free(PhysAddr address, u8 order = 0);

[[nodiscard]] bool manages(PhysAddr address);
[[nodiscard]] Page& page(PhysAddr address);

struct Stats {
    u64 usable_frames;  // in the memory map after reservations
    u64 managed_frames; // handed to the buddy allocator
    u64 free_frames;
    u64 boot_frames; // taken at boot for the Page array and page tables
    u64 free_blocks[BuddyAllocator::order_count];
};
[[nodiscard]] Stats stats();
// The buddy allocator's free count read without its lock (frames in the
// per-CPU cache not counted): cheap, for a reclaimer's watermark, which
// needs no exact figure.
[[nodiscard]] u64 approximate_free_frames();
// What the buddy allocator manages (fixed after boot).
[[nodiscard]] u64 managed_frames();

void print_stats();

} // namespace kite::physical
