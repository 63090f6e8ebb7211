// memory_map.cpp: see memory_map.h. Invariant: regions are sorted by start,
// non-empty, and do not overlap.
#include "mm/memory_map.h"

#include "mm/page.h"

namespace kite {

ErrorOr<void> MemoryMap::insert(Region region) {
    if (m_count == max_regions) {
        return Error(Errno::NOMEM, "too many memory regions");
    }
    usize i = m_count;
    while (i > 0 && m_regions[i - 1].start > region.start) {
        m_regions[i] = m_regions[i - 1];
        --i;
    }
    m_regions[i] = region;
    ++m_count;
    return {};
}

void MemoryMap::erase(usize index) {
    for (usize i = index; i + 1 < m_count; ++i) {
        m_regions[i] = m_regions[i + 1];
    }
    --m_count;
}

bool MemoryMap::overlaps(u64 start, u64 end) const {
    for (usize i = 0; i < m_count; ++i) {
        if (m_regions[i].start < end && start < m_regions[i].end) {
            return true;
        }
    }
    return false;
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
    return insert(region);
}

void MemoryMap::copy_from(const MemoryMap& other) {
    for (usize i = 0; i < other.m_count; ++i) {
        m_regions[i] = other.m_regions[i];
    }
    m_count = other.m_count;
    m_last_found = 0;
}

bool MemoryMap::maps(const void* shared) const {
    for (usize i = 0; i < m_count; ++i) {
        if (m_regions[i].shared == shared || m_regions[i].file == shared) {
            return true;
        }
    }
    return false;
}

// Makes address a region boundary if it falls inside a region.
ErrorOr<void> MemoryMap::split_at(u64 address) {
    for (usize i = 0; i < m_count; ++i) {
        Region& r = m_regions[i];
        if (r.start < address && address < r.end) {
            Region upper = r;
            upper.start = address;
            if (r.shared || r.file) {
                upper.shared_page = r.shared_page + (address - r.start) / page_size;
            }
            TRY(insert(upper));
            m_regions[i].end = address; // insert() put upper after i
            return {};
        }
    }
    return {};
}

ErrorOr<void> MemoryMap::remove(u64 start, u64 end) {
    if (start >= end) {
        return {};
    }
    TRY(split_at(start));
    TRY(split_at(end));
    for (usize i = 0; i < m_count;) {
        if (m_regions[i].start >= start && m_regions[i].end <= end) {
            erase(i);
        } else {
            ++i;
        }
    }
    return {};
}

ErrorOr<void> MemoryMap::protect(u64 start, u64 end, u32 protection) {
    // Every byte of [start, end) must be mapped.
    u64 covered = start;
    for (usize i = 0; i < m_count && covered < end; ++i) {
        if (m_regions[i].end <= covered) {
            continue;
        }
        if (m_regions[i].start > covered) {
            break;
        }
        covered = m_regions[i].end;
    }
    if (covered < end) {
        return Error(Errno::NOMEM, "range not fully mapped");
    }
    for (usize i = 0; i < m_count; ++i) {
        if (m_regions[i].start < end && start < m_regions[i].end &&
            (m_regions[i].denied & protection)) {
            return Error(Errno::ACCES, "the mapping's file does not allow that");
        }
    }
    TRY(split_at(start));
    TRY(split_at(end));
    for (usize i = 0; i < m_count; ++i) {
        if (m_regions[i].start >= start && m_regions[i].end <= end) {
            m_regions[i].protection = protection;
        }
    }
    return {};
}

const Region* MemoryMap::find(u64 address) const {
    if (m_last_found < m_count && address >= m_regions[m_last_found].start &&
        address < m_regions[m_last_found].end) {
        return &m_regions[m_last_found];
    }
    // Sorted and disjoint: only the last region starting at or below the
    // address can hold it. Binary search, since every user copy and page
    // fault asks.
    usize low = 0;
    usize high = m_count;
    while (low < high) {
        const usize middle = low + (high - low) / 2;
        if (m_regions[middle].start <= address) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    if (low == 0 || address >= m_regions[low - 1].end) {
        return nullptr;
    }
    m_last_found = low - 1;
    return &m_regions[low - 1];
}

u64 MemoryMap::find_free(u64 length, u64 lowest, u64 below) const {
    // Written so that nothing can overflow, whatever length is.
    if (length == 0 || length > below || below - length < lowest) {
        return 0;
    }
    // Walk the gaps from the top down; the first that fits wins.
    u64 gap_end = below;
    for (usize n = m_count; n > 0; --n) {
        const Region& r = m_regions[n - 1];
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
