// user_space_calls.cpp: the policy behind brk, mmap, munmap and mprotect
// (see user_space.h); the system calls in syscalls/memory_calls.cpp check
// their arguments and call these.
#include "debug/panic.h"
#include "lib/own_ptr.h"
#include "mm/page_cache.h"
#include "mm/shared_memory.h"
#include "mm/user_frames.h"
#include "mm/user_space.h"

namespace kite {

namespace {

u64 page_up(u64 v) {
    return (v + page_size - 1) & ~(page_size - 1);
}

u64 overlap(u64 a_start, u64 a_end, u64 b_start, u64 b_end) {
    const u64 start = max(a_start, b_start);
    const u64 end = min(a_end, b_end);
    return start < end ? end - start : 0;
}

} // namespace

bool UserSpace::fits_limits_locked(u64 size, u64 start, u64 end, bool data,
                                   const MemoryLimits& limits) const {
    VERIFY(m_lock.is_held());
    if (limits.address_space == ~u64{0} && (!data || limits.data == ~u64{0})) {
        return true; // the common case: nothing to count
    }
    // Linux compares pages: a limit counts in whole pages, rounded down.
    const u64 address_space_limit = limits.address_space & ~(page_size - 1);
    const u64 data_limit = limits.data & ~(page_size - 1);
    u64 total = 0;
    u64 data_total = 0;
    const u64 stack_bottom = m_stack_bottom != 0 ? m_stack_bottom : user_layout::stack_top;
    for (usize i = 0; i < m_regions.count(); ++i) {
        const Region& region = m_regions[i];
        // What MAP_FIXED would replace is not counted (Linux subtracts it).
        const u64 kept =
            (region.end - region.start) - overlap(region.start, region.end, start, end);
        if (region.start >= stack_bottom) {
            continue; // the stack: its present pages are counted below
        }
        total += kept;
        if (!region.shared && (region.protection & ProtWrite)) {
            data_total += kept;
        }
    }
    if (m_stack_bottom != 0) {
        u64 present = 0;
        m_tables->visit_present(
            m_stack_bottom, user_layout::stack_top,
            [](u64, PhysAddr, u64, void* raw) { *static_cast<u64*>(raw) += page_size; }, &present,
            false);
        total += present;
    }
    if (total + size > address_space_limit) {
        return false;
    }
    return !data || data_total + size <= data_limit;
}

u64 UserSpace::set_break(u64 wanted, const MemoryLimits& limits) {
    MutexGuard guard(m_lock);
    if (wanted < m_brk_start || wanted > m_brk_start + user_layout::brk_limit) {
        return m_brk_end;
    }
    const u64 old_end = page_up(m_brk_end);
    const u64 new_end = page_up(wanted);
    if (new_end > old_end) {
        if (m_regions.overlaps(old_end, new_end) ||
            !fits_limits_locked(new_end - old_end, 0, 0, true, limits)) {
            return m_brk_end;
        }
        // The heap's last region grows when it is the plain private
        // read-write one brk made (so brk alone never fills the map);
        // anything else there (mprotect, a MAP_FIXED mapping) stays as it
        // is and the new part is a region of its own.
        const Region* last = old_end > m_brk_start ? m_regions.find(old_end - 1) : nullptr;
        const u32 heap = ProtRead | ProtWrite;
        if (last && !last->shared && last->protection == heap && last->end == old_end &&
            last->start >= m_brk_start) {
            // In place: nothing to allocate, so nothing to undo.
            if (!m_regions.extend(old_end, new_end)) {
                return m_brk_end;
            }
        } else if (m_regions.add(old_end, new_end, heap).is_error()) {
            return m_brk_end;
        }
    } else if (new_end < old_end) {
        if (unmap_locked(new_end, old_end).is_error()) {
            return m_brk_end;
        }
    }
    m_brk_end = wanted;
    return wanted;
}

ErrorOr<u64> UserSpace::map_anonymous(u64 hint, u64 length, u32 protection, bool shared, bool fixed,
                                      const MemoryLimits& limits) {
    const u64 size = page_up(length);
    RefPtr<SharedMemory> object;
    if (shared) {
        object = TRY(SharedMemory::try_create(size / page_size));
    }
    MutexGuard guard(m_lock);
    if (object && m_shared_count == max_shared) {
        // Before MAP_FIXED takes anything away.
        return Error(Errno::NOMEM, "too many shared mappings");
    }
    const bool data = !shared && (protection & ProtWrite);
    if (!fits_limits_locked(size, fixed ? hint : 0, fixed ? hint + size : 0, data, limits)) {
        return Error(Errno::NOMEM, "RLIMIT_AS or RLIMIT_DATA reached");
    }
    u64 start = hint;
    if (fixed) {
        TRY(unmap_locked(hint, hint + size));
    } else {
        start = m_regions.find_free(size, user_layout::lowest_mapping, user_layout::mmap_top);
        if (start == 0) {
            return Error(Errno::NOMEM, "no room for the mapping");
        }
    }
    if (!object) {
        TRY(m_regions.add(Region{start, start + size, protection, 0, nullptr, 0, nullptr}));
        return start;
    }
    return map_object_locked(move(object), start, size, protection);
}

ErrorOr<u64> UserSpace::map_object_locked(RefPtr<SharedMemory> object, u64 start, u64 size,
                                          u32 protection) {
    VERIFY(m_lock.is_held());
    Region region{start, start + size, protection, 0, object.ptr(), 0, nullptr};
    TRY(remember_shared(move(object)));
    auto added = m_regions.add(region);
    if (added.is_error()) {
        forget_unmapped_shared();
        return added.release_error();
    }
    return start;
}

ErrorOr<u64> UserSpace::map_shared_object(RefPtr<SharedMemory> object, u64 hint, u32 protection,
                                          bool replace, const MemoryLimits& limits) {
    const u64 size = object->page_count() * page_size;
    MutexGuard guard(m_lock);
    if (m_shared_count == max_shared) {
        return Error(Errno::NOMEM, "too many shared mappings");
    }
    if (hint != 0 && (hint < user_layout::lowest_mapping || hint > user_task_size - size)) {
        return Error(Errno::INVAL, "attach address outside user space");
    }
    if (hint != 0 && !replace && m_regions.overlaps(hint, hint + size)) {
        return Error(Errno::INVAL, "attach address overlaps a mapping");
    }
    if (!fits_limits_locked(size, hint, hint != 0 ? hint + size : 0, false, limits)) {
        return Error(Errno::NOMEM, "RLIMIT_AS reached");
    }
    u64 start = hint;
    if (hint != 0) {
        TRY(unmap_locked(hint, hint + size));
    } else {
        start = m_regions.find_free(size, user_layout::lowest_mapping, user_layout::mmap_top);
        if (start == 0) {
            return Error(Errno::NOMEM, "no room for the segment");
        }
    }
    return map_object_locked(move(object), start, size, protection);
}

ErrorOr<RefPtr<SharedMemory>> UserSpace::detach_shared_object(u64 address) {
    MutexGuard guard(m_lock);
    const Region* region = m_regions.find(address);
    if (!region || !region->shared ||
        region->shared_page + (address - region->start) / page_size != 0) {
        return Error(Errno::INVAL, "no segment is attached there");
    }
    auto* object = static_cast<SharedMemory*>(const_cast<void*>(region->shared));
    if (!object->is_ipc_segment) {
        return Error(Errno::INVAL, "a MAP_SHARED mapping, not a segment");
    }
    RefPtr<SharedMemory> held(object); // the caller's reference, taken while mapped
    // Every region of this attachment: from address over the object's
    // size, those that map this object (mprotect may have split it).
    const u64 end = address + object->page_count() * page_size;
    for (u64 at = address; at < end;) {
        const Region* piece = m_regions.find(at);
        if (!piece) {
            at += page_size;
            continue;
        }
        const u64 piece_end = min(piece->end, end);
        if (piece->shared == object) {
            TRY(unmap_locked(at, piece_end));
        }
        at = piece_end;
    }
    // unmap_locked dropped the object's entry if nothing maps it now; if
    // another attachment still does, this attachment's entry goes here.
    usize entries = 0;
    for (usize i = 0; i < m_shared_count; ++i) {
        entries += m_shared[i].ptr() == object ? 1 : 0;
    }
    if (entries > 0 && m_regions.maps(object)) {
        for (usize i = 0; i < m_shared_count; ++i) {
            if (m_shared[i].ptr() == object) {
                drop_shared_entry(i);
                break;
            }
        }
    }
    return held;
}

ErrorOr<void> UserSpace::unmap(u64 start, u64 end) {
    MutexGuard guard(m_lock);
    return unmap_locked(start, end);
}

ErrorOr<void> UserSpace::unmap_locked(u64 start, u64 end) {
    VERIFY(m_lock.is_held());
    TRY(m_regions.remove(start, end));
    release_pages(start, end);
    if (m_shared_count > 0 || m_files) {
        forget_unmapped_shared();
    }
    return {};
}

ErrorOr<u64> UserSpace::map_file(FileMapping file, u64 hint, u64 length, u32 protection, bool fixed,
                                 const MemoryLimits& limits) {
    const u64 size = page_up(length);
    // Made before MAP_FIXED takes anything away; unused if the file has an
    // entry already.
    OwnPtr<MappedFile> entry = TRY(try_make<MappedFile>());
    MutexGuard guard(m_lock);
    const bool data = !file.shared && (protection & ProtWrite);
    if (!fits_limits_locked(size, fixed ? hint : 0, fixed ? hint + size : 0, data, limits)) {
        return Error(Errno::NOMEM, "RLIMIT_AS or RLIMIT_DATA reached");
    }
    u64 start = hint;
    if (fixed) {
        TRY(unmap_locked(hint, hint + size)); // may drop this file's entry
    } else {
        start = m_regions.find_free(size, user_layout::lowest_mapping, user_layout::mmap_top);
        if (start == 0) {
            return Error(Errno::NOMEM, "no room for the mapping");
        }
    }
    if (!find_file_locked(file.cache.ptr())) {
        TRY(file.cache->add_mapper(this));
        entry->vnode = file.vnode;
        entry->cache = file.cache;
        entry->next = m_files;
        m_files = entry.leak(); // the list owns it
    }
    PageCache* cache = file.cache.ptr();
    auto added = m_regions.add(Region{start, start + size, protection, file.denied,
                                      file.shared ? cache : nullptr, file.first_page, cache});
    if (added.is_error()) {
        forget_unmapped_shared();
        return added.release_error();
    }
    return start;
}

void UserSpace::unmap_file_pages(const PageCache* cache, u64 first) {
    MutexGuard guard(m_lock);
    for (usize i = 0; i < m_regions.count(); ++i) {
        const Region& region = m_regions[i];
        if (region.file != cache) {
            continue;
        }
        const u64 pages = (region.end - region.start) / page_size;
        if (region.shared_page + pages <= first) {
            continue; // wholly before the new end
        }
        const u64 from = first > region.shared_page
                             ? region.start + (first - region.shared_page) * page_size
                             : region.start;
        release_pages(from, region.end);
    }
}

RefPtr<Vnode> UserSpace::vnode_of_locked(const Region& region) const {
    const MappedFile* file = find_file_locked(static_cast<const PageCache*>(region.file));
    VERIFY(file);
    return file->vnode;
}

bool UserSpace::is_mapped_locked(u64 start, u64 end) const {
    VERIFY(m_lock.is_held());
    for (u64 at = start; at < end;) {
        const Region* region = m_regions.find(at);
        if (!region) {
            return false;
        }
        at = region->end;
    }
    return true;
}

ErrorOr<void> UserSpace::discard(u64 start, u64 end) {
    MutexGuard guard(m_lock);
    // Pages outside every region are absent already.
    release_pages(start, end);
    if (!is_mapped_locked(start, end)) {
        return Error(Errno::NOMEM, "part of the range is not mapped");
    }
    return {};
}

ErrorOr<void> UserSpace::sync(u64 start, u64 end, bool write_back) {
    // The pages are written without this lock (a disk may sleep): the
    // caches to write are taken first, a few at a time.
    constexpr usize batch = 8;
    struct Pending {
        RefPtr<Vnode> vnode; // outlives the cache (page_cache.h)
        RefPtr<PageCache> cache;
        u64 first;
        u64 end;
    };
    bool hole = false;
    for (u64 at = start; at < end;) {
        Pending pending[batch];
        usize count = 0;
        {
            MutexGuard guard(m_lock);
            hole = hole || !is_mapped_locked(at, end);
            // Regions are in address order: from the first one past at.
            for (usize i = 0; i < m_regions.count() && count < batch; ++i) {
                const Region& region = m_regions[i];
                if (region.end <= at || region.start >= end) {
                    continue;
                }
                const u64 piece_start = max(at, region.start);
                const u64 piece_end = min(region.end, end);
                if (write_back && region.shared && region.file) {
                    const u64 first = region.shared_page + (piece_start - region.start) / page_size;
                    pending[count++] = {vnode_of_locked(region), &cache_of(region), first,
                                        first + (piece_end - piece_start) / page_size};
                }
                at = piece_end;
            }
            if (count < batch) {
                at = end; // no region left in the range
            }
        }
        for (usize i = 0; i < count; ++i) {
            TRY(pending[i].cache->write_back(pending[i].first, pending[i].end));
            // Then to the disk, as MS_SYNC promises (a disk file system's
            // fsync; nothing for memory files).
            TRY(pending[i].vnode->sync());
        }
    }
    if (hole) {
        return Error(Errno::NOMEM, "part of the range is not mapped");
    }
    return {};
}

ErrorOr<void> UserSpace::protect_growing(u64 start, u64 end, u32 protection, bool down) {
    MutexGuard guard(m_lock);
    if (!down) {
        return Error(m_regions.find(start) ? Errno::INVAL : Errno::NOMEM, "no region grows up");
    }
    // The first region in the range decides.
    const Region* first = nullptr;
    for (usize i = 0; i < m_regions.count() && !first; ++i) {
        if (m_regions[i].start < end && start < m_regions[i].end) {
            first = &m_regions[i];
        }
    }
    if (!first) {
        return Error(Errno::NOMEM, "nothing mapped in the range");
    }
    // The stack's region, or part of it (an mprotect may have split it).
    if (m_stack_bottom == 0 || first->start < m_stack_bottom) {
        return Error(Errno::INVAL, "the region does not grow down");
    }
    return protect_locked(first->start, end, protection);
}

ErrorOr<void> UserSpace::protect(u64 start, u64 end, u32 protection) {
    MutexGuard guard(m_lock);
    return protect_locked(start, end, protection);
}

ErrorOr<void> UserSpace::protect_locked(u64 start, u64 end, u32 protection) {
    VERIFY(m_lock.is_held());
    TRY(m_regions.protect(start, end, protection));
    // One flush of the other CPUs for the whole range, at the end.
    AddressSpace::FlushBatch batch(*m_tables);
    // Pages already present change now (the others will be mapped with
    // the region's new protection). PROT_NONE keeps the frame but drops the
    // user bit, so any user access faults. A private page still shared
    // copy-on-write stays read-only whatever the new protection: its first
    // write must copy it, or it would land in the other process's memory.
    for_each_present_page(start, end, [&](u64 page) {
        auto present = m_tables->present_page(VirtAddr(page));
        if (present.is_error()) {
            return;
        }
        const Region* region = m_regions.find(page);
        u32 allowed = protection;
        if (region && !region->shared && user_frame_is_shared(present.value().frame())) {
            allowed &= ~ProtWrite;
        }
        // A dirty-tracked file page: its next store faults again and marks
        // it dirty (harmless if it already is).
        if (region && region->shared && region->file && cache_of(*region).tracks_dirty()) {
            allowed &= ~ProtWrite;
        }
        present.value().replace(present.value().frame(), map_flags_for(allowed));
    });
    return {};
}

} // namespace kite
