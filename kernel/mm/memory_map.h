// memory_map.h: the regions of a process's user address space (what mmap,
// brk, the ELF loader and the stack created), each with its protection.
// Pages inside a region are allocated on first touch by the page-fault
// handler; an access outside every region, or against a region's
// protection, is a segmentation fault. Pure bookkeeping: unit-tested on the
// host.
#pragma once

#include "api/constants.h"
#include "lib/error.h"
#include "lib/kbuffer.h"
#include "lib/types.h"

namespace kite {

// Linux's PROT_* values (kernel/api), as the memory code spells them.
constexpr u32 ProtNone = abi::PROT_NONE;
constexpr u32 ProtRead = abi::PROT_READ;
constexpr u32 ProtWrite = abi::PROT_WRITE;
constexpr u32 ProtExec = abi::PROT_EXEC;

struct Region {
    u64 start; // page-aligned
    u64 end;   // page-aligned, exclusive
    u32 protection;
    // PROT_* bits mprotect may not add (EACCES): write for a MAP_SHARED
    // map of a file not open for writing, exec on a noexec mount.
    u32 denied;
    // MAP_SHARED: the object whose pages it maps (opaque here; see
    // mm/shared_memory.h), and the page of that object at `start`. Null for
    // private memory, whose pages are copied on write after fork. (No
    // default member initializers: slots past the count stay
    // uninitialized, new regions set them.)
    const void* shared;
    u64 shared_page;
    // A file mapping: the file's page cache (mm/page_cache.h), shared or
    // private; then shared_page is the file's page at `start` (its offset
    // / page_size) for both kinds. Null for anonymous memory.
    const void* file;
};

// The regions, sorted by address, in one array on the kernel heap that
// grows as needed (a fresh process has a handful; a program may make
// max_regions). Lookups are binary searches; adding or removing a region
// moves the ones above it, which is one memmove.
class MemoryMap {
  public:
    // Linux's vm.max_map_count (its default; read-only here), counted as
    // Linux counts: a new mapping is refused once a process has more than
    // this many regions (so the last one allowed makes max_regions + 1),
    // a split (mprotect, munmap inside one region) once it has this many.
    static constexpr usize max_regions = 65530;

    MemoryMap() = default;
    MemoryMap(const MemoryMap&) = delete;
    MemoryMap& operator=(const MemoryMap&) = delete;

    // Adds [start, end). EEXIST if it overlaps a region, ENOMEM if full.
    [[nodiscard]] ErrorOr<void> add(u64 start, u64 end, u32 protection);
    [[nodiscard]] ErrorOr<void> add(const Region& region);
    // Becomes a copy of other (fork): no checks, the regions are known
    // good. ENOMEM (and this map unchanged) if the array cannot be made.
    [[nodiscard]] ErrorOr<void> copy_from(const MemoryMap& other);
    // Whether some region maps this shared object or file.
    [[nodiscard]] bool maps(const void* shared) const;
    // Removes [start, end) from whatever regions cover it (splitting them).
    // ENOMEM, and nothing changed, if that would leave more regions than
    // a full map may have.
    [[nodiscard]] ErrorOr<void> remove(u64 start, u64 end);
    // Moves the end of the region ending at `end` up to new_end, over
    // nothing mapped (brk's growth of its last region). Allocates nothing,
    // so it cannot fail half-way; false if there is no such region or
    // something is mapped in between.
    [[nodiscard]] bool extend(u64 end, u64 new_end);
    // Sets the protection of [start, end); ENOMEM if part of it is unmapped
    // (Linux's answer) or a split is needed and the map is full, EACCES if
    // a region there denies a bit asked for.
    [[nodiscard]] ErrorOr<void> protect(u64 start, u64 end, u32 protection);

    // The region containing address, or nullptr.
    [[nodiscard]] const Region* find(u64 address) const;
    // The highest free gap of length bytes at or below `below`, or 0.
    [[nodiscard]] u64 find_free(u64 length, u64 lowest, u64 below) const;
    [[nodiscard]] bool overlaps(u64 start, u64 end) const;

    [[nodiscard]] usize count() const { return m_count; }
    [[nodiscard]] const Region& operator[](usize i) const { return regions()[i]; }
    void clear() {
        m_storage = KBuffer();
        m_capacity = 0;
        m_count = 0;
    }

  private:
    // munmap may pass the limit by two while it splits the regions at both
    // ends of its range, which it then removes (Linux lets it, too).
    static constexpr usize capacity_limit = max_regions + 3;

    [[nodiscard]] Region* regions() const { return reinterpret_cast<Region*>(m_storage.data()); }
    // Room for `count` regions: the array grows geometrically.
    [[nodiscard]] ErrorOr<void> reserve(usize count);
    [[nodiscard]] ErrorOr<void> resize(usize capacity); // capacity >= m_count
    void shrink();
    // The index of the first region ending above address (count() if none):
    // the one holding address, if any holds it.
    [[nodiscard]] usize first_ending_above(u64 address) const;
    // Keeps order; no overlap check. limit: the most regions there may be
    // before it (Linux's check differs between a new region and a split).
    [[nodiscard]] ErrorOr<void> insert(const Region& region, usize limit);
    void erase(usize first, usize end);
    [[nodiscard]] ErrorOr<void> split_at(u64 address, usize limit);

    KBuffer m_storage;
    usize m_capacity = 0; // in regions
    usize m_count = 0;
    // The region find() returned last: checked before searching (most
    // lookups repeat the last one). Only a hint, validated on every use.
    mutable usize m_last_found = 0;
};

} // namespace kite
