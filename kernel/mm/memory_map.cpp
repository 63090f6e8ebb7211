// memory_map.cpp: see memory_map.h. Invariant: regions()[0, m_count) are
// sorted by start, non-empty, and do not overlap (so their ends are sorted
// too); m_count <= m_capacity <= capacity_limit.
#include "mm/memory_map.h"

#include "mm/page.h"

namespace kite {

// The array's size for count regions: a power of two from 16 on. Growing
// and shrinking both choose it, so a map's array depends on its count, and
// a process that made and removed many regions has its heap back.
static usize capacity_for(usize count) {
    usize capacity = 16;
    while (capacity < count) {
        capacity *= 2;
    }
    return capacity;
}

ErrorOr<void> MemoryMap::reserve(usize count) {
    if (count <= m_capacity) {
        return {};
    }
    if (count > capacity_limit) {
        return Error(Errno::NOMEM, "too many memory regions");
    }
    TRY(resize(min(capacity_for(count), capacity_limit)));
    return {};
}

// A quarter full: down to the size growth would have chosen. Best effort
// (a failed allocation keeps the larger array).
void MemoryMap::shrink() {
    if (m_capacity > 16 && m_count <= m_capacity / 4) {
        (void)resize(capacity_for(m_count)); // a quarter of a capacity: below the limit
    }
}

ErrorOr<void> MemoryMap::resize(usize capacity) {
    KBuffer storage = TRY(KBuffer::try_create(capacity * sizeof(Region)));
    if (m_count > 0) {
        __builtin_memcpy(storage.data(), m_storage.data(), m_count * sizeof(Region));
    }
    m_storage = move(storage);
    m_capacity = capacity;
    return {};
}

usize MemoryMap::first_ending_above(u64 address) const {
    usize low = 0;
    usize high = m_count;
    while (low < high) {
        const usize middle = low + (high - low) / 2;
        if (regions()[middle].end <= address) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    return low;
}

ErrorOr<void> MemoryMap::insert(const Region& region, usize limit) {
    if (m_count >= limit) {
        return Error(Errno::NOMEM, "too many memory regions");
    }
    TRY(reserve(m_count + 1));
    // After every region starting at or below it (a split's upper piece
    // goes after the region it comes from, which still covers it).
    usize at = 0;
    for (usize high = m_count; at < high;) {
        const usize middle = at + (high - at) / 2;
        if (regions()[middle].start <= region.start) {
            at = middle + 1;
        } else {
            high = middle;
        }
    }
    Region* r = regions();
    __builtin_memmove(r + at + 1, r + at, (m_count - at) * sizeof(Region));
    r[at] = region;
    ++m_count;
    return {};
}

void MemoryMap::erase(usize first, usize end) {
    Region* r = regions();
    __builtin_memmove(r + first, r + end, (m_count - end) * sizeof(Region));
    m_count -= end - first;
}

bool MemoryMap::overlaps(u64 start, u64 end) const {
    const usize i = first_ending_above(start);
    return i < m_count && regions()[i].start < end && start < end;
}

ErrorOr<void> MemoryMap::add(u64 start, u64 end, u32 protection) {
    return add(Region{start, end, protection, 0, nullptr, 0, nullptr});
}

ErrorOr<void> MemoryMap::add(const Region& region) {
    if (region.start >= region.end) {
        return Error(Errno::INVAL, "empty region");
    }
    if (overlaps(region.start, region.end)) {
        return Error(Errno::EXIST, "region overlaps another");
    }
    return insert(region, max_regions + 1);
}

ErrorOr<void> MemoryMap::copy_from(const MemoryMap& other) {
    TRY(reserve(other.m_count));
    if (other.m_count > 0) {
        __builtin_memcpy(m_storage.data(), other.m_storage.data(), other.m_count * sizeof(Region));
    }
    m_count = other.m_count;
    m_last_found = 0;
    return {};
}

bool MemoryMap::maps(const void* shared) const {
    for (usize i = 0; i < m_count; ++i) {
        if (regions()[i].shared == shared || regions()[i].file == shared) {
            return true;
        }
    }
    return false;
}

// Makes address a region boundary if it falls inside a region.
ErrorOr<void> MemoryMap::split_at(u64 address, usize limit) {
    const usize i = first_ending_above(address);
    if (i == m_count || regions()[i].start >= address) {
        return {};
    }
    Region upper = regions()[i];
    upper.start = address;
    if (upper.shared || upper.file) {
        upper.shared_page += (address - regions()[i].start) / page_size;
    }
    TRY(insert(upper, limit)); // lands at i + 1: it starts inside region i
    regions()[i].end = address;
    return {};
}

ErrorOr<void> MemoryMap::remove(u64 start, u64 end) {
    if (start >= end) {
        return {};
    }
    const usize i = first_ending_above(start);
    if (i == m_count || regions()[i].start >= end) {
        return {}; // nothing mapped there
    }
    // A hole inside one region leaves one region more, which a full map
    // refuses (Linux's check). Otherwise the pieces split off at either
    // end are removed again at once.
    const Region& first = regions()[i];
    const bool hole = first.start < start && end < first.end;
    TRY(split_at(start, hole ? max_regions : capacity_limit));
    TRY(split_at(end, capacity_limit));
    const usize from = first_ending_above(start);
    usize to = from;
    while (to < m_count && regions()[to].end <= end) {
        ++to;
    }
    erase(from, to);
    shrink();
    return {};
}

ErrorOr<void> MemoryMap::protect(u64 start, u64 end, u32 protection) {
    // Every byte of [start, end) must be mapped.
    u64 covered = start;
    for (usize i = first_ending_above(start); i < m_count && covered < end; ++i) {
        const Region& r = regions()[i];
        if (r.start > covered) {
            break;
        }
        if (r.denied & protection) {
            return Error(Errno::ACCES, "the mapping's file does not allow that");
        }
        covered = r.end;
    }
    if (covered < end) {
        return Error(Errno::NOMEM, "range not fully mapped");
    }
    TRY(split_at(start, max_regions));
    TRY(split_at(end, max_regions));
    for (usize i = first_ending_above(start); i < m_count && regions()[i].start < end; ++i) {
        regions()[i].protection = protection;
    }
    return {};
}

bool MemoryMap::extend(u64 end, u64 new_end) {
    const usize i = end > 0 ? first_ending_above(end - 1) : m_count;
    if (i == m_count || regions()[i].end != end || new_end <= end ||
        (i + 1 < m_count && regions()[i + 1].start < new_end)) {
        return false;
    }
    regions()[i].end = new_end;
    return true;
}

const Region* MemoryMap::find(u64 address) const {
    const Region* r = regions();
    if (m_last_found < m_count && address >= r[m_last_found].start &&
        address < r[m_last_found].end) {
        return &r[m_last_found];
    }
    // Every user copy and page fault asks: a binary search.
    const usize i = first_ending_above(address);
    if (i == m_count || address < r[i].start) {
        return nullptr;
    }
    m_last_found = i;
    return &r[i];
}

u64 MemoryMap::find_free(u64 length, u64 lowest, u64 below) const {
    // Written so that nothing can overflow, whatever length is.
    if (length == 0 || length > below || below - length < lowest) {
        return 0;
    }
    // Walk the gaps from the top down, from the last region starting below
    // `below`; the first that fits wins.
    u64 gap_end = below;
    for (usize n = min(first_ending_above(below) + 1, m_count); n > 0; --n) {
        const Region& r = regions()[n - 1];
        if (r.start >= gap_end) {
            continue;
        }
        if (r.end <= gap_end && gap_end - r.end >= length) {
            return gap_end - length >= lowest ? gap_end - length : 0;
        }
        gap_end = r.start;
        if (gap_end < length || gap_end - length < lowest) {
            return 0; // every gap further down is lower still
        }
    }
    return gap_end - length;
}

} // namespace kite
