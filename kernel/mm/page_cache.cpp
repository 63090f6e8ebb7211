// page_cache.cpp: see page_cache.h.
#include "mm/page_cache.h"

#include "debug/panic.h"
#include "fs/writeback.h"
#include "lib/own_ptr.h"
#include "mm/direct_map.h"
#include "mm/kmalloc.h"
#include "mm/physical.h"
#include "mm/user_frames.h"
#include "mm/user_space.h"

namespace kite {

namespace {

u64 pages_for(u64 bytes) {
    return (bytes + page_size - 1) / page_size;
}

} // namespace

ErrorOr<RefPtr<PageCache>> PageCache::try_create(PageBacking* backing, u64 size, u64 device,
                                                 u64 inode, RefPtr<TmpfsSpace> space) {
    VERIFY(!space || !backing); // only storage pages are charged
    auto cache = TRY(try_make_ref<PageCache>(backing, size, device, inode, move(space)));
    TRY(cache->reserve(pages_for(size)));
    return cache;
}

u64 PageCache::all_pages = 0;
u64 PageCache::storage_pages = 0;

void PageCache::count_pages(i64 change) {
    __atomic_store_n(&m_pages, m_pages + change, __ATOMIC_RELAXED);
    __atomic_fetch_add(&all_pages, change, __ATOMIC_RELAXED);
    if (m_is_storage) {
        __atomic_fetch_add(&storage_pages, change, __ATOMIC_RELAXED);
    }
}

ErrorOr<void> PageCache::charge_page() {
    return m_space ? m_space->charge(1) : ErrorOr<void>{};
}

void PageCache::uncharge_pages(u64 pages) {
    if (m_space && pages > 0) {
        m_space->release(pages);
    }
}

u64 PageCache::storage_pages_of_all() {
    return __atomic_load_n(&storage_pages, __ATOMIC_RELAXED);
}

u64 PageCache::pages_of_all() {
    return __atomic_load_n(&all_pages, __ATOMIC_RELAXED);
}

PageCache::~PageCache() {
    VERIFY(!m_mappers); // every mapping holds a reference
    if (m_backing) {
        // Stores through the last MAP_SHARED mapping reach the file before
        // its pages go (the backing's vnode outlives its cache). An error
        // cannot be reported to anyone now; the backing logs what it can.
        if (m_backing->writes_back()) {
            (void)write_back(0, ~u64{0});
        }
        m_backing->cache_destroyed(*this);
    }
    __atomic_fetch_sub(&all_pages, m_pages, __ATOMIC_RELAXED);
    if (m_is_storage) {
        __atomic_fetch_sub(&storage_pages, m_pages, __ATOMIC_RELAXED);
    }
    uncharge_pages(m_pages);
    for (u64 i = 0; i < direct_pages; ++i) {
        if (m_direct[i] != 0) {
            release_user_frame(PhysAddr(m_direct[i] & ~flag_mask));
        }
    }
    for (u64 b = 0; b < m_block_count; ++b) {
        if (Block* block = m_blocks[b]) {
            for (const u64 slot : block->slots) {
                if (slot != 0) {
                    release_user_frame(PhysAddr(slot & ~flag_mask));
                }
            }
            delete block;
        }
    }
    kfree(m_blocks);
}

ErrorOr<void> PageCache::reserve(u64 pages) {
    if (pages <= m_reserved) {
        return {};
    }
    const u64 wanted = (pages - direct_pages + block_pages - 1) / block_pages;
    // Doubling, so that a file written a little at a time copies its table
    // a logarithmic number of times.
    u64 count = m_block_count < 4 ? 4 : m_block_count * 2;
    while (count < wanted) {
        count *= 2;
    }
    auto* table = static_cast<Block**>(kzalloc(count * sizeof(Block*)));
    if (!table) {
        return Error(Errno::NOMEM, "no memory for the page table of a file");
    }
    MutexGuard guard(m_lock);
    for (u64 b = 0; b < m_block_count; ++b) {
        table[b] = m_blocks[b];
    }
    Block** old = m_blocks;
    __atomic_store_n(&m_blocks, table, __ATOMIC_RELEASE);
    m_block_count = count;
    m_reserved = direct_pages + count * block_pages;
    kfree(old); // its readers hold the data lock, as the caller does
    return {};
}

ErrorOr<u64*> PageCache::make_slot_locked(u64 index) {
    VERIFY(m_lock.is_held() && index < m_reserved);
    if (u64* slot = slot_for(index)) {
        return slot;
    }
    Block*& entry = m_blocks[(index - direct_pages) / block_pages];
    OwnPtr<Block> block = TRY(try_make<Block>());
    __builtin_memset(block->slots, 0, sizeof(block->slots));
    __atomic_store_n(&entry, block.leak(), __ATOMIC_RELEASE); // owned by the table
    return slot_for(index);
}

bool PageCache::may_reclaim() {
    return Mutex::order_allows(LockRank::Writebacks);
}

void PageCache::reclaim_if_low(PageCache* held) {
    // Below a sixteenth of memory free, back up to an eighth: reclaiming in
    // batches, so a reader streaming a big file does not call the
    // reclaimer for every page.
    const u64 managed = physical::managed_frames();
    const u64 free = physical::approximate_free_frames();
    if (free >= managed / 16 || !may_reclaim()) {
        return;
    }
    // A pass that found nothing to free (the memory is anonymous, or
    // mapped) is not tried again for the next fills: each walks every
    // open file.
    static u32 futile_skips = 0;
    if (__atomic_load_n(&futile_skips, __ATOMIC_RELAXED) > 0) {
        __atomic_fetch_sub(&futile_skips, 1, __ATOMIC_RELAXED);
        return;
    }
    if (writeback::reclaim(managed / 8 - free, held) == 0) {
        __atomic_store_n(&futile_skips, 64u, __ATOMIC_RELAXED);
    }
}

ErrorOr<PhysAddr> PageCache::fill_new_frame(u64 index, PageCache* held) {
    PageBacking* backing = __atomic_load_n(&m_backing, __ATOMIC_ACQUIRE);
    if (backing && backing->refills()) {
        reclaim_if_low(held);
    }
    const PhysAddr frame = TRY(allocate_user_frame(backing == nullptr));
    if (backing) {
        auto filled = backing->read_page(index, phys_to_virt<u8>(frame));
        if (filled.is_error()) {
            release_user_frame(frame);
            return filled.release_error();
        }
    }
    return frame;
}

ErrorOr<PhysAddr> PageCache::find_or_create(u64 index) {
    VERIFY(index < m_reserved);
    if (const PhysAddr present = find(index); present.value() != 0) {
        return present;
    }
    const PhysAddr made = TRY(fill_new_frame(index, this));
    MutexGuard guard(m_lock);
    auto slot = make_slot_locked(index); // may be past the size: a write's page
    if (slot.is_error()) {
        release_user_frame(made);
        return slot.release_error();
    }
    if (*slot.value() != 0) { // a fault put one in meanwhile
        release_user_frame(made);
        return PhysAddr(*slot.value() & ~flag_mask);
    }
    if (auto charged = charge_page(); charged.is_error()) {
        release_user_frame(made);
        return charged.release_error();
    }
    __atomic_store_n(slot.value(), made.value(), __ATOMIC_RELEASE);
    count_pages(1);
    return made;
}

u64 PageCache::absent_pages(u64 first, u64 end) const {
    u64 absent = 0;
    for (u64 index = first; index < end;) {
        const u64* slot = slot_for(index);
        if (!slot && index >= direct_pages) { // a block never made: all of it absent
            const u64 next =
                direct_pages + ((index - direct_pages) / block_pages + 1) * block_pages;
            absent += min(next, end) - index;
            index = next;
            continue;
        }
        absent += !slot || __atomic_load_n(slot, __ATOMIC_ACQUIRE) == 0;
        ++index;
    }
    return absent;
}

void PageCache::insert_filled(u64 index, PhysAddr frame) {
    VERIFY(index < m_reserved);
    MutexGuard guard(m_lock);
    (void)insert_locked(index, frame); // lets go of it if it is not wanted
}

void PageCache::put_page(u64 index, usize at, const u8* bytes, usize n) {
    VERIFY(index < m_reserved && at + n <= page_size);
    if (find(index).value() != 0) {
        return;
    }
    reclaim_if_low(this);
    auto made = allocate_user_frame(false);
    if (made.is_error()) {
        return;
    }
    u8* page = phys_to_virt<u8>(made.value());
    __builtin_memset(page, 0, at);
    __builtin_memcpy(page + at, bytes, n);
    __builtin_memset(page + at + n, 0, page_size - at - n);
    MutexGuard guard(m_lock);
    (void)insert_locked(index, made.value()); // lets go of it if one came meanwhile
}

ErrorOr<PhysAddr> PageCache::insert_locked(u64 index, PhysAddr made) {
    VERIFY(m_lock.is_held());
    if (index >= pages_for(m_size)) { // truncate cut the file meanwhile
        release_user_frame(made);
        return Error(Errno::NXIO, "page past the end of the file");
    }
    auto slot = make_slot_locked(index);
    if (slot.is_error()) {
        release_user_frame(made);
        return slot.release_error();
    }
    if (*slot.value() != 0) { // another fault or a write put one in first
        release_user_frame(made);
        return PhysAddr(*slot.value() & ~flag_mask);
    }
    if (auto charged = charge_page(); charged.is_error()) {
        release_user_frame(made);
        return charged.release_error();
    }
    __atomic_store_n(slot.value(), made.value(), __ATOMIC_RELEASE);
    count_pages(1);
    return made;
}

ErrorOr<PhysAddr> PageCache::frame_for_mapping(u64 index) {
    MutexGuard guard(m_lock);
    if (index >= pages_for(m_size)) {
        return Error(Errno::NXIO, "page past the end of the file");
    }
    if (u64* slot = slot_for(index); slot && *slot != 0) {
        const PhysAddr frame(*slot & ~flag_mask);
        retain_user_frame(frame);
        return frame;
    }
    if (m_backing) {
        return Error(Errno::AGAIN, "the backing fills the page (fill)");
    }
    // No backing: the page is a zero page, made here (no lock is needed).
    const PhysAddr made = TRY(allocate_user_frame());
    const PhysAddr frame = TRY(insert_locked(index, made));
    retain_user_frame(frame);
    return frame;
}

ErrorOr<void> PageCache::fill(u64 index) {
    u64 changes;
    {
        MutexGuard guard(m_lock);
        changes = m_changes;
    }
    const PhysAddr made = TRY(fill_new_frame(index, nullptr));
    MutexGuard guard(m_lock);
    if (m_changes != changes) {
        release_user_frame(made); // maybe stale: the fault asks again
        return {};
    }
    TRY(insert_locked(index, made));
    return {};
}

void PageCache::note_change() {
    MutexGuard guard(m_lock);
    ++m_changes;
}

void PageCache::set_size(u64 size) {
    MutexGuard guard(m_lock);
    VERIFY(pages_for(size) <= m_reserved);
    __atomic_store_n(&m_size, size, __ATOMIC_RELAXED);
}

void PageCache::truncate(u64 size) {
    u64 pass;
    {
        MutexGuard guard(m_lock);
        __atomic_store_n(&m_size, size, __ATOMIC_RELAXED);
        pass = ++m_pass;
    }
    const u64 keep = pages_for(size);
    // Each mapper once: the cache lock only to pick the next one (a space
    // that is going away is skipped: its pages go with it), its own lock
    // to unmap. A space that maps the cache after the size changed can
    // only fault in pages below it; fork registers the child in the same
    // step that copies the parent's pages, so a child is visited too.
    for (;;) {
        RefPtr<UserSpace> space;
        {
            MutexGuard guard(m_lock);
            for (Mapper* m = m_mappers; m; m = m->next) {
                if (m->pass != pass) {
                    m->pass = pass;
                    if (m->space->try_ref()) {
                        space = RefPtr<UserSpace>::adopt(m->space);
                        break;
                    }
                }
            }
        }
        if (!space) {
            break;
        }
        space->unmap_file_pages(this, keep);
    }
    {
        MutexGuard guard(m_lock);
        drop_pages_locked(keep);
    }
    // The part of the last page past the end reads zeros from now on (and
    // if the file grows again, the gap is zeros, as POSIX wants).
    zero_page_from(size);
}

void PageCache::zero_page_from(u64 offset) {
    if (offset % page_size == 0) {
        return;
    }
    if (const PhysAddr page = find(offset / page_size); page.value() != 0) {
        __builtin_memset(phys_to_virt<u8>(page) + offset % page_size, 0,
                         page_size - offset % page_size);
    }
}

void PageCache::drop_slot_locked(u64& slot) {
    if (slot & flag_dirty) {
        __atomic_store_n(&m_dirty, m_dirty - 1, __ATOMIC_RELAXED);
    }
    count_pages(-1);
    uncharge_pages(1);
    release_user_frame(PhysAddr(slot & ~flag_mask));
    __atomic_store_n(&slot, u64{0}, __ATOMIC_RELAXED);
}

void PageCache::drop_pages_locked(u64 first) {
    VERIFY(m_lock.is_held());
    for (u64 i = first; i < direct_pages; ++i) {
        if (m_direct[i] != 0) {
            drop_slot_locked(m_direct[i]);
        }
    }
    const u64 from = first > direct_pages ? first - direct_pages : 0;
    for (u64 b = from / block_pages; b < m_block_count; ++b) {
        Block* block = m_blocks[b];
        if (!block) {
            continue;
        }
        const u64 start = b == from / block_pages ? from % block_pages : 0;
        for (u64 i = start; i < block_pages; ++i) {
            if (block->slots[i] != 0) {
                drop_slot_locked(block->slots[i]);
            }
        }
        if (start == 0) { // wholly past the end: the block goes too
            m_blocks[b] = nullptr;
            delete block;
        }
    }
}

void PageCache::mark_dirty(u64 index) {
    MutexGuard guard(m_lock);
    if (u64* slot = slot_for(index); slot && *slot != 0 && !(*slot & flag_dirty)) {
        __atomic_fetch_or(slot, flag_dirty, __ATOMIC_RELAXED); // find() reads without the lock
        __atomic_store_n(&m_dirty, m_dirty + 1, __ATOMIC_RELAXED);
    }
}

usize PageCache::evict_clean(usize max) {
    MutexGuard guard(m_lock);
    usize freed = 0;
    // Under m_lock no mapping can take a reference (frame_for_mapping
    // retains under it), so a refcount of 1 stays 1 until the slot is empty.
    auto visit = [&](u64& slot) {
        if (slot != 0 && !(slot & flag_dirty) &&
            __atomic_load_n(&physical::page(PhysAddr(slot & ~flag_mask)).refcount,
                            __ATOMIC_ACQUIRE) == 1) {
            drop_slot_locked(slot);
            ++freed;
        }
    };
    // From where the last call stopped, round the table once at most: a
    // reclaimer called again and again (a reader or writer streaming a big
    // file while something else takes the memory it frees) must not pass
    // the emptied start of the table each time.
    const u64 end = m_reserved;
    u64 index = m_evict_hand < end ? m_evict_hand : 0;
    for (u64 visited = 0; visited < end && freed < max;) {
        if (u64* slot = slot_for(index)) {
            visit(*slot);
            ++index;
            ++visited;
        } else { // a block never made: on to the next one
            const u64 next =
                direct_pages + ((index - direct_pages) / block_pages + 1) * block_pages;
            visited += next - index;
            index = next;
        }
        if (index >= end) {
            index = 0;
        }
    }
    m_evict_hand = index;
    return freed;
}

ErrorOr<void> PageCache::write_back(u64 first, u64 end) {
    PageBacking* backing = __atomic_load_n(&m_backing, __ATOMIC_ACQUIRE);
    if (!backing || !backing->writes_back()) {
        return {}; // the pages are the storage
    }
    if (dirty_count() == 0) {
        return {}; // the common case (a close, an fsync): no walk of the table
    }
    const u64 size = this->size();
    end = min(end, pages_for(size));
    for (u64 index = first; index < end; ++index) {
        PhysAddr frame;
        {
            MutexGuard guard(m_lock);
            u64* slot = slot_for(index);
            if (!slot || !(*slot & flag_dirty)) {
                continue;
            }
            frame = PhysAddr(*slot & ~flag_mask);
            retain_user_frame(frame); // truncate may drop the page meanwhile
            // Mapped nowhere (the cache's reference and ours): clean once
            // written. Mapped: it may be written again without a fault.
            if (__atomic_load_n(&physical::page(frame).refcount, __ATOMIC_ACQUIRE) == 2) {
                __atomic_fetch_and(slot, ~flag_dirty, __ATOMIC_RELAXED);
                __atomic_store_n(&m_dirty, m_dirty - 1, __ATOMIC_RELAXED);
            }
        }
        const u64 valid = min<u64>(page_size, size - index * page_size);
        auto written = backing->write_page(index, phys_to_virt<u8>(frame), valid);
        release_user_frame(frame);
        if (written.is_error()) {
            mark_dirty(index);
            return written.release_error();
        }
    }
    return {};
}

ErrorOr<void> PageCache::add_mapper(UserSpace* space) {
    OwnPtr<Mapper> mapper = TRY(try_make<Mapper>());
    MutexGuard guard(m_lock);
    mapper->space = space;
    mapper->pass = m_pass;
    mapper->next = m_mappers;
    m_mappers = mapper.leak(); // owned by the list
    return {};
}

void PageCache::remove_mapper(UserSpace* space) {
    Mapper* gone = nullptr;
    {
        MutexGuard guard(m_lock);
        for (Mapper** link = &m_mappers; *link; link = &(*link)->next) {
            if ((*link)->space == space) {
                gone = *link;
                *link = gone->next;
                break;
            }
        }
    }
    VERIFY(gone);
    delete gone;
}

} // namespace kite
