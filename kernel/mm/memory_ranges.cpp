// memory_ranges.cpp: see memory_ranges.h. A RangeList stays sorted by begin
// and its ranges never overlap or touch.
#include "mm/memory_ranges.h"

#include "mm/page.h"

namespace kite {

namespace {

// Rounds up, saturating at the last page boundary instead of wrapping to 0.
constexpr u64 align_up(u64 v) {
    return v > ~u64{0} - (page_size - 1) ? ~(page_size - 1)
                                         : (v + page_size - 1) & ~(page_size - 1);
}
constexpr u64 align_down(u64 v) {
    return v & ~(page_size - 1);
}

// [base, base + length) clamped so it cannot wrap around 2^64.
PhysRange clamp(u64 base, u64 length) {
    const u64 end = length > ~u64{0} - base ? ~u64{0} : base + length;
    return {base, end};
}

} // namespace

u64 RangeList::total() const {
    u64 sum = 0;
    for (usize i = 0; i < m_count; ++i) {
        sum += m_ranges[i].size();
    }
    return sum;
}

void RangeList::insert_at(usize index, PhysRange range) {
    if (m_count == capacity) {
        ++m_dropped;
        return;
    }
    for (usize i = m_count; i > index; --i) {
        m_ranges[i] = m_ranges[i - 1];
    }
    m_ranges[index] = range;
    ++m_count;
}

void RangeList::erase_at(usize index) {
    for (usize i = index; i + 1 < m_count; ++i) {
        m_ranges[i] = m_ranges[i + 1];
    }
    --m_count;
}

void RangeList::add(u64 begin, u64 end) {
    if (begin >= end) {
        return;
    }
    usize i = 0;
    while (i < m_count && m_ranges[i].end < begin) {
        ++i;
    }
    // Absorb every range that overlaps or touches [begin, end).
    while (i < m_count && m_ranges[i].begin <= end) {
        begin = min(begin, m_ranges[i].begin);
        end = max(end, m_ranges[i].end);
        erase_at(i);
    }
    insert_at(i, {begin, end});
}

void RangeList::remove(u64 begin, u64 end) {
    if (begin >= end) {
        return;
    }
    for (usize i = 0; i < m_count;) {
        PhysRange& r = m_ranges[i];
        if (r.end <= begin || r.begin >= end) {
            ++i;
            continue;
        }
        if (r.begin < begin && r.end > end) { // split in two
            const PhysRange upper{end, r.end};
            r.end = begin;
            insert_at(i + 1, upper);
            return;
        }
        if (r.begin < begin) {
            r.end = begin;
            ++i;
        } else if (r.end > end) {
            r.begin = end;
            ++i;
        } else {
            erase_at(i);
        }
    }
}

RangeList usable_memory(const MemoryRegion* map, usize map_count, const PhysRange* reserved,
                        usize reserved_count) {
    RangeList list;
    for (usize i = 0; i < map_count; ++i) {
        if (map[i].type != static_cast<u32>(MemoryType::Available)) {
            continue;
        }
        const PhysRange r = clamp(map[i].base, map[i].length);
        list.add(align_up(r.begin), align_down(r.end));
    }
    // Where the loader's map contradicts itself, "not available" wins.
    for (usize i = 0; i < map_count; ++i) {
        if (map[i].type != static_cast<u32>(MemoryType::Available)) {
            const PhysRange r = clamp(map[i].base, map[i].length);
            list.remove(align_down(r.begin), align_up(r.end));
        }
    }
    list.remove(0, 1 * MiB); // BIOS data, EBDA, VGA and ROM areas
    for (usize i = 0; i < reserved_count; ++i) {
        list.remove(align_down(reserved[i].begin), align_up(reserved[i].end));
    }
    return list;
}

} // namespace kite
