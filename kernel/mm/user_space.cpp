// user_space.cpp: see user_space.h. Frames are counted in their Page
// (mm/user_frames.h): one reference per address space that maps a frame,
// plus one for a shared object that holds it.
#include "mm/user_space.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/tlb.h"
#include "debug/panic.h"
#include "mm/direct_map.h"
#include "mm/page_cache.h"
#include "mm/shared_memory.h"
#include "mm/user_frames.h"

namespace kite {

namespace {

u64 page_down(u64 v) {
    return v & ~(page_size - 1);
}

} // namespace

UserSpace::UserSpace() = default; // see user_space.h: not value-initialized

ErrorOr<RefPtr<UserSpace>> UserSpace::try_create() {
    auto space = TRY(try_make_ref<UserSpace>());
    space->m_tables = TRY(AddressSpace::create());
    return space;
}

UserSpace::~UserSpace() {
    // No truncate can reach this space any more (its count is 0), but the
    // caches must not keep a pointer to it.
    while (m_files) {
        drop_file_entry(&m_files);
    }
    if (m_tables) {
        // CPUs that still keep the tables lazily drop them before the
        // frames go (no thread of the space runs any more).
        m_tables->flush_others(0, user_space_end);
        // Every user page is a user frame this space holds a reference to.
        m_tables->release_user_half(
            [](u64, PhysAddr frame, u64, void*) { release_user_frame(frame); }, nullptr);
    }
    // m_tables (now only the PML4) and m_shared go with the members.
}

void UserSpace::activate() {
    m_tables->activate();
}

bool UserSpace::is_loaded_here() const {
    return m_tables->is_loaded_here();
}

ErrorOr<RefPtr<UserSpace>> UserSpace::fork() {
    auto child = TRY(try_create());
    MutexGuard guard(m_lock);
    TRY(child->m_regions.copy_from(m_regions));
    child->m_stack_bottom = m_stack_bottom;
    child->m_brk_start = m_brk_start;
    child->m_brk_end = m_brk_end;
    child->m_executable = m_executable;
    child->m_arguments = m_arguments;
    for (usize i = 0; i < m_shared_count; ++i) {
        child->m_shared[i] = m_shared[i];
    }
    child->m_shared_count = m_shared_count;
    // Registered while this lock is held, so that a truncate either visits
    // this space before the pages are copied or visits the child after.
    for (const MappedFile* file = m_files; file; file = file->next) {
        auto entry = try_make<MappedFile>();
        if (entry.is_error() || file->cache->add_mapper(child.ptr()).is_error()) {
            return Error(Errno::NOMEM, "out of memory registering a file mapping");
        }
        entry.value()->vnode = file->vnode;
        entry.value()->cache = file->cache;
        entry.value()->next = child->m_files;
        child->m_files = entry.value().leak(); // the child's list owns it
    }
    struct Share {
        AddressSpace* child;
        MapFlags flags;
        bool failed;
    };
    for (usize i = 0; i < m_regions.count(); ++i) {
        const Region& region = m_regions[i];
        // Private writable pages become read-only on both sides: the first
        // write copies (handle_fault). Shared ones stay as they are, but
        // for a file whose pages are written back: the child's are mapped
        // read-only, so that its first store faults and marks the page
        // dirty (the parent's entry may be read-only for that very reason).
        const bool copy_on_write = !region.shared && (region.protection & ProtWrite);
        const bool track_dirty = region.shared && region.file && cache_of(region).tracks_dirty();
        Share share{child->m_tables.ptr(),
                    map_flags_for(copy_on_write || track_dirty ? region.protection & ~ProtWrite
                                                               : region.protection),
                    false};
        m_tables->visit_present(
            region.start, region.end,
            [](u64 virt, PhysAddr frame, u64, void* raw) {
                auto* s = static_cast<Share*>(raw);
                if (s->failed) {
                    return;
                }
                if (s->child->map(VirtAddr(virt), frame, s->flags).is_error()) {
                    s->failed = true;
                    return;
                }
                retain_user_frame(frame);
            },
            &share, copy_on_write);
        if (share.failed) {
            cpu::flush_tlb();
            m_tables->flush_others(0, user_space_end);
            // The child's destructor gives back what it got (every region is
            // in its map, only some pages are mapped).
            return Error(Errno::NOMEM, "out of memory sharing pages");
        }
    }
    // Our writable pages just became read-only, on every CPU that runs a
    // thread of ours too: from now on a store there copies the page.
    cpu::flush_tlb();
    m_tables->flush_others(0, user_space_end);
    return child;
}

UserSpace::FaultResult UserSpace::handle_fault(u64 address, bool write, bool execute) {
    for (;;) {
        PendingFill fill; // declared before the guard: dropped after the unlock
        {
            MutexGuard guard(m_lock);
            const FaultResult result = handle_fault_locked(address, write, execute, fill);
            if (!fill.cache) {
                return result;
            }
        }
        // A file page the backing fills (a disk read may sleep and take the
        // file system's locks): without this space's lock, then again from
        // the start, as the regions may have changed meanwhile.
        auto filled = fill.cache->fill(fill.index);
        if (filled.is_error()) {
            return filled.error().code() == Errno::NOMEM ? FaultResult::OutOfMemory
                                                         : FaultResult::BeyondEnd;
        }
    }
}

UserSpace::FaultResult UserSpace::handle_fault_locked(u64 address, bool write, bool execute,
                                                      PendingFill& fill) {
    const Region* region = m_regions.find(address);
    if (!region) {
        return FaultResult::Refused;
    }
    if ((write && !(region->protection & ProtWrite)) ||
        (execute && !(region->protection & ProtExec)) ||
        (!write && !execute && region->protection == ProtNone)) {
        return FaultResult::Refused;
    }
    const VirtAddr page(page_down(address));
    const MapFlags flags = map_flags_for(region->protection);
    auto present = m_tables->present_page(page);
    if (!present.is_error()) {
        AddressSpace::PresentPage& mapped = present.value();
        if (!write || mapped.writable()) {
            // Present and allowed: another thread's fault mapped it while
            // this one waited for the lock, or this CPU's TLB entry is
            // stale. The access is retried, as Linux's spurious faults are.
            cpu::invlpg(page.value());
            return FaultResult::Resolved;
        }
        if (region->shared) {
            if (!region->file) {
                return FaultResult::Refused;
            }
            // A clean page of a file whose backing writes back: mapped
            // read-only until this first store, which makes it dirty.
            cache_of(*region).mark_dirty(region->shared_page +
                                         (page.value() - region->start) / page_size);
            mapped.replace(mapped.frame(), flags);
            return FaultResult::Resolved;
        }
        // Copy-on-write: a private writable page shared since fork. The
        // entry found above is replaced in place, without a second walk.
        const PhysAddr shared = mapped.frame();
        if (!user_frame_is_shared(shared)) {
            mapped.replace(shared, flags);
            return FaultResult::Resolved;
        }
        auto copy = allocate_user_frame(false); // about to be overwritten
        if (copy.is_error()) {
            return FaultResult::OutOfMemory;
        }
        __builtin_memcpy(phys_to_virt(copy.value()), phys_to_virt(shared), page_size);
        mapped.replace(copy.value(), flags);
        release_user_frame(shared);
        return FaultResult::Resolved;
    }
    if (present.error().code() != Errno::NOENT) {
        return FaultResult::Refused; // a large page: never in a user half
    }
    if (region->file) {
        return fault_file_page_locked(*region, page, write, fill);
    }
    ErrorOr<PhysAddr> frame =
        region->shared ? static_cast<SharedMemory*>(const_cast<void*>(region->shared))
                             ->frame_for_mapping(region->shared_page +
                                                 (page.value() - region->start) / page_size)
                       : allocate_user_frame();
    if (frame.is_error()) {
        return FaultResult::OutOfMemory;
    }
    if (m_tables->map(page, frame.value(), flags).is_error()) {
        release_user_frame(frame.value()); // a page table could not be had
        return FaultResult::OutOfMemory;
    }
    return FaultResult::Resolved;
}

UserSpace::FaultResult UserSpace::fault_file_page_locked(const Region& region, VirtAddr page,
                                                         bool write, PendingFill& fill) {
    PageCache& cache = cache_of(region);
    const u64 index = region.shared_page + (page.value() - region.start) / page_size;
    auto found = cache.frame_for_mapping(index);
    if (found.is_error() && found.error().code() == Errno::AGAIN) {
        fill.vnode = find_file_locked(&cache)->vnode;
        fill.cache = &cache;
        fill.index = index;
        return FaultResult::Refused; // not returned: handle_fault fills and retries
    }
    if (found.is_error()) {
        return found.error().code() == Errno::NOMEM ? FaultResult::OutOfMemory
                                                    : FaultResult::BeyondEnd;
    }
    PhysAddr frame = found.value();
    u32 protection = region.protection;
    if (region.shared) {
        if (cache.tracks_dirty()) {
            if (write) {
                cache.mark_dirty(index);
            } else {
                protection &= ~ProtWrite;
            }
        }
    } else if (write) {
        // MAP_PRIVATE: the first store copies the file's page; the copy is
        // this space's alone, and later changes to the file do not show.
        auto copy = allocate_user_frame(false); // about to be overwritten
        if (copy.is_error()) {
            release_user_frame(frame);
            return FaultResult::OutOfMemory;
        }
        __builtin_memcpy(phys_to_virt(copy.value()), phys_to_virt(frame), page_size);
        release_user_frame(frame);
        frame = copy.value();
    } else {
        // A read maps the file's own page, read-only, so that the file's
        // later changes show until the first store (as on Linux). x86 has
        // no write-only pages: PROT_WRITE alone reads too.
        protection &= ~ProtWrite;
        if (protection == ProtNone) {
            protection = ProtRead;
        }
    }
    if (m_tables->map(page, frame, map_flags_for(protection)).is_error()) {
        release_user_frame(frame);
        return FaultResult::OutOfMemory;
    }
    return FaultResult::Resolved;
}

bool UserSpace::has_region_at(u64 address) const {
    MutexGuard guard(m_lock);
    return m_regions.find(address) != nullptr;
}

ErrorOr<UserSpace::WordIdentity> UserSpace::identify_word(u64 address) const {
    MutexGuard guard(m_lock);
    const Region* region = m_regions.find(address);
    if (!region) {
        return Error(Errno::FAULT, "no mapping at the futex address");
    }
    if (!region->shared) {
        return WordIdentity{this, address};
    }
    return WordIdentity{region->shared,
                        region->shared_page * page_size + (address - region->start)};
}

u64 UserSpace::accessible_length_across(u64 address, u64 length, bool write) const {
    u64 at = address;
    const u64 end = address + length;
    while (at < end) {
        const Region* region = m_regions.find(at);
        if (!region || !(region->protection & (write ? ProtWrite : ProtRead))) {
            break;
        }
        at = region->end;
    }
    return (at < end ? at : end) - address;
}

// The frames go only once no CPU's TLB maps them: in batches, each after
// one flush of the pages it covers.
void UserSpace::release_pages(u64 start, u64 end) {
    struct Batch {
        PhysAddr frames[tlb::max_single_flushes];
        usize count = 0;
        u64 first = 0;
        u64 end = 0;
    } batch;
    const auto release = [this, &batch] {
        m_tables->flush_others(batch.first, batch.end);
        for (usize i = 0; i < batch.count; ++i) {
            release_user_frame(batch.frames[i]);
        }
        batch.count = 0;
    };
    for_each_present_page(start, end, [&](u64 page) {
        auto frame = m_tables->unmap(VirtAddr(page));
        if (frame.is_error()) {
            return;
        }
        if (batch.count == 0) {
            batch.first = page;
        }
        batch.frames[batch.count++] = frame.value();
        batch.end = page + page_size;
        if (batch.count == tlb::max_single_flushes) {
            release();
        }
    });
    if (batch.count > 0) {
        release();
    }
}

ErrorOr<void> UserSpace::add_region(u64 start, u64 end, u32 protection) {
    MutexGuard guard(m_lock);
    return m_regions.add(start, end, protection);
}

ErrorOr<void> UserSpace::add_stack_region(u64 bottom, u32 protection) {
    MutexGuard guard(m_lock);
    TRY(m_regions.add(bottom, user_layout::stack_top, protection));
    m_stack_bottom = bottom;
    return {};
}

ErrorOr<u8*> UserSpace::image_page(u64 page) {
    MutexGuard guard(m_lock);
    auto present = m_tables->present_page(VirtAddr(page));
    if (!present.is_error()) {
        return phys_to_virt<u8>(present.value().frame());
    }
    const Region* region = m_regions.find(page);
    if (!region) {
        return Error(Errno::FAULT, "write outside the image");
    }
    const PhysAddr frame = TRY(allocate_user_frame());
    auto mapped = m_tables->map(VirtAddr(page), frame, map_flags_for(region->protection));
    if (mapped.is_error()) {
        release_user_frame(frame);
        return mapped.release_error();
    }
    return phys_to_virt<u8>(frame);
}

ErrorOr<void> UserSpace::remember_shared(RefPtr<SharedMemory> shared) {
    if (m_shared_count == max_shared) {
        return Error(Errno::NOMEM, "too many shared mappings");
    }
    m_shared[m_shared_count++] = move(shared);
    return {};
}

void UserSpace::forget_unmapped_shared() {
    for (usize i = 0; i < m_shared_count;) {
        if (m_regions.maps(m_shared[i].ptr())) {
            ++i;
            continue;
        }
        drop_shared_entry(i);
    }
    for (MappedFile** link = &m_files; *link;) {
        if (m_regions.maps((*link)->cache.ptr())) {
            link = &(*link)->next;
        } else {
            drop_file_entry(link);
        }
    }
}

UserSpace::MappedFile* UserSpace::find_file_locked(const PageCache* cache) const {
    for (MappedFile* file = m_files; file; file = file->next) {
        if (file->cache.ptr() == cache) {
            return file;
        }
    }
    return nullptr;
}

void UserSpace::drop_file_entry(MappedFile** link) {
    // The vnode may go here, under this lock (from munmap or exit): its
    // destructor must not take a lock ranked below UserMemory. Deleting
    // the entry drops the cache before the vnode (the cache may call its
    // backing, the vnode, as it goes).
    MappedFile* gone = *link;
    *link = gone->next;
    gone->cache->remove_mapper(this);
    delete gone;
}

void UserSpace::drop_shared_entry(usize index) {
    // The last entry moves into the gap; when the gap is the last entry, a
    // move onto itself would keep the reference, so it is cleared instead.
    --m_shared_count;
    if (index != m_shared_count) {
        m_shared[index] = move(m_shared[m_shared_count]);
    } else {
        m_shared[index].clear();
    }
}

} // namespace kite
