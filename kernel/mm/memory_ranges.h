// memory_ranges.h: turning the loader's memory map into the list of frames
// the allocator may use. Pure computation, so it is unit-tested on the host
// with maps that have holes, overlaps, unaligned edges and memory above 4 GiB.
#pragma once

#include "boot/multiboot2.h"
#include "lib/types.h"
#include "lib/utility.h"

namespace kite {

struct PhysRange {
    u64 begin; // inclusive, page-aligned in results
    u64 end;   // exclusive

    [[nodiscard]] u64 size() const { return end - begin; }
};

class RangeList {
  public:
    static constexpr usize capacity = 256;

    [[nodiscard]] usize count() const { return m_count; }
    [[nodiscard]] const PhysRange& operator[](usize i) const { return m_ranges[i]; }
    [[nodiscard]] PhysRange& operator[](usize i) { return m_ranges[i]; }
    [[nodiscard]] u64 total() const;
    // Ranges that did not fit (reported at boot; never written out of bounds).
    [[nodiscard]] usize dropped() const { return m_dropped; }

    // Adds [begin, end), merging with overlapping or touching ranges.
    void add(u64 begin, u64 end);
    // Removes [begin, end) from every range.
    void remove(u64 begin, u64 end);

  private:
    void insert_at(usize index, PhysRange range);
    void erase_at(usize index);

    PhysRange m_ranges[capacity];
    usize m_count = 0;
    usize m_dropped = 0;
};

// The usable frames: every type-1 region shrunk inward to page boundaries,
// minus every region of another type that overlaps it, minus the first MiB,
// minus the given reservations (kernel image, boot information, modules).
RangeList usable_memory(const MemoryRegion* map, usize map_count, const PhysRange* reserved,
                        usize reserved_count);

} // namespace kite
