// buffer_cache.cpp: see buffer_cache.h.
#include "fs/buffer_cache.h"

#include "debug/panic.h"
#include "lib/placement_new.h"
#include "mm/direct_map.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "mm/physical.h"

namespace kite {

namespace {

constexpr usize bucket_count_for(usize max_pages) {
    usize buckets = 64;
    while (buckets < max_pages && buckets < 65536) {
        buckets *= 2;
    }
    return buckets;
}

} // namespace

ErrorOr<OwnPtr<BufferCache>> BufferCache::create(RefPtr<BlockDevice> device, usize max_pages) {
    const usize buckets = bucket_count_for(max_pages);
    KBuffer table = TRY(KBuffer::try_create(buckets * sizeof(void*), true));
    return try_make<BufferCache>(move(device), max_pages < 16 ? 16 : max_pages, move(table));
}

u64 BufferCache::all_pages = 0;

u64 BufferCache::pages_of_all() {
    return __atomic_load_n(&all_pages, __ATOMIC_RELAXED);
}

BufferCache::BufferCache(RefPtr<BlockDevice> device, usize max_pages, KBuffer buckets)
    : m_device(move(device)), m_size(m_device->sector_count() * sector_size),
      m_max_pages(max_pages), m_buckets(move(buckets)),
      m_bucket_count(m_buckets.size() / sizeof(void*)) {}

BufferCache::~BufferCache() {
    while (Entry* entry = m_lru_head) {
        unlink(*entry);
        physical::free(entry->frame, 0);
        entry->~Entry();
        kfree(entry);
    }
}

BufferCache::Entry** BufferCache::bucket(u64 page) {
    // Fibonacci hashing: neighbouring pages land far apart.
    const u64 h = (page * 0x9E3779B97F4A7C15ull) >> 32;
    return reinterpret_cast<Entry**>(m_buckets.data()) + (h & (m_bucket_count - 1));
}

u32 BufferCache::page_bytes(u64 page) const {
    return static_cast<u32>(min<u64>(page_size, m_size - page * page_size));
}

void BufferCache::unlink(Entry& entry) {
    (entry.lru_prev ? entry.lru_prev->lru_next : m_lru_head) = entry.lru_next;
    (entry.lru_next ? entry.lru_next->lru_prev : m_lru_tail) = entry.lru_prev;
    entry.lru_prev = entry.lru_next = nullptr;
    for (Entry** link = bucket(entry.page); *link; link = &(*link)->hash_next) {
        if (*link == &entry) {
            *link = entry.hash_next;
            break;
        }
    }
    entry.hash_next = nullptr;
    --m_count;
    __atomic_fetch_sub(&all_pages, 1, __ATOMIC_RELAXED);
}

void BufferCache::push_front(Entry& entry) {
    entry.lru_prev = nullptr;
    entry.lru_next = m_lru_head;
    (m_lru_head ? m_lru_head->lru_prev : m_lru_tail) = &entry;
    m_lru_head = &entry;
}

ErrorOr<void> BufferCache::write_entry(Entry& entry) {
    TRY(m_device->write(entry.page * (page_size / sector_size), entry.frame,
                        page_bytes(entry.page)));
    entry.dirty = false;
    --m_dirty;
    return {};
}

// A new entry for page, not yet filled: a fresh frame while under the
// bound, else the least recently used entry's (written back first).
ErrorOr<BufferCache::Entry*> BufferCache::make_entry(u64 page) {
    Entry* entry = nullptr;
    if (m_count < m_max_pages) {
        // Memory short (as the page cache's reclaimer counts it): cached
        // file data gives way to the metadata first, as far as this file
        // system's own caches go (the reclaimer itself cannot run under
        // the lock this is called with).
        if (m_shrinker && physical::approximate_free_frames() < physical::managed_frames() / 16) {
            (void)m_shrinker->shrink_locked(16);
        }
        auto frame = physical::allocate(0);
        void* memory = frame.is_error() ? nullptr : kmalloc(sizeof(Entry));
        if (memory) {
            entry = new (memory) Entry;
            entry->frame = frame.value();
        } else if (!frame.is_error()) {
            physical::free(frame.value(), 0);
        }
    }
    if (!entry) { // at the bound, or out of memory: reuse the oldest
        entry = m_lru_tail;
        if (!entry) {
            return Error(Errno::NOMEM, "no memory for the buffer cache");
        }
        if (entry->dirty) {
            TRY(write_entry(*entry));
        }
        unlink(*entry);
    }
    entry->page = page;
    entry->dirty = false;
    Entry** head = bucket(page);
    entry->hash_next = *head;
    *head = entry;
    push_front(*entry);
    ++m_count;
    __atomic_fetch_add(&all_pages, 1, __ATOMIC_RELAXED);
    return entry;
}

BufferCache::Entry* BufferCache::find(u64 page) {
    for (Entry* entry = *bucket(page); entry; entry = entry->hash_next) {
        if (entry->page == page) {
            if (entry != m_lru_head) {
                (entry->lru_prev->lru_next) = entry->lru_next;
                (entry->lru_next ? entry->lru_next->lru_prev : m_lru_tail) = entry->lru_prev;
                push_front(*entry);
            }
            return entry;
        }
    }
    return nullptr;
}

ErrorOr<BufferCache::Entry*> BufferCache::get(u64 page, bool will_overwrite) {
    if (Entry* entry = find(page)) {
        return entry;
    }
    Entry* entry = TRY(make_entry(page));
    if (!will_overwrite) {
        auto read =
            m_device->read(page * (page_size / sector_size), entry->frame, page_bytes(page));
        if (read.is_error()) {
            unlink(*entry);
            physical::free(entry->frame, 0);
            entry->~Entry();
            kfree(entry);
            return read.release_error();
        }
    }
    return entry;
}

ErrorOr<void> BufferCache::read(u64 offset, void* out, usize length) {
    if (offset > m_size || length > m_size - offset) {
        return Error(Errno::IO, "read past the end of the disk");
    }
    for (usize done = 0; done < length;) {
        const u64 at = offset + done;
        const usize n = static_cast<usize>(min<u64>(page_size - at % page_size, length - done));
        Entry* entry = TRY(get(at / page_size, false));
        __builtin_memcpy(static_cast<u8*>(out) + done,
                         phys_to_virt<u8>(entry->frame) + at % page_size, n);
        done += n;
    }
    return {};
}

ErrorOr<void> BufferCache::read_around(u64 offset, PhysAddr memory, usize length) {
    if (offset > m_size || length > m_size - offset || offset % sector_size ||
        length % sector_size) {
        return Error(Errno::IO, "read past the end of the disk");
    }
    for (usize done = 0; done < length;) {
        const u64 at = offset + done;
        const usize n = static_cast<usize>(min<u64>(page_size - at % page_size, length - done));
        const PhysAddr to(memory.value() + done);
        if (Entry* entry = find(at / page_size)) {
            __builtin_memcpy(phys_to_virt<u8>(to), phys_to_virt<u8>(entry->frame) + at % page_size,
                             n);
        } else {
            TRY(m_device->read(at / sector_size, to, static_cast<u32>(n)));
        }
        done += n;
    }
    return {};
}

ErrorOr<void> BufferCache::read_pages_around(const u64* offsets, const PhysAddr* frames,
                                             usize count, bool* read) {
    VERIFY(count <= read_batch);
    BlockRequest requests[read_batch];
    bool started[read_batch] = {};
    ErrorOr<void> first_error;
    for (usize i = 0; i < count; ++i) {
        read[i] = false;
        const u64 page = offsets[i] / page_size;
        if (offsets[i] % page_size || page_bytes(page) != page_size || find(page)) {
            continue; // the last short page, or one the cache has: read as usual
        }
        BlockRequest& r = requests[i];
        r.op = BlockRequest::Op::Read;
        r.sector = page * (page_size / sector_size);
        r.memory = frames[i];
        r.bytes = page_size;
        auto submitted = m_device->submit(r);
        if (submitted.is_error()) {
            if (!first_error.is_error()) {
                first_error = submitted.release_error();
            }
            continue;
        }
        started[i] = true;
    }
    bool any = false;
    for (usize i = 0; i < count; ++i) {
        if (!started[i]) {
            continue;
        }
        auto done = requests[i].completion.wait();
        if (done.is_error()) {
            if (!first_error.is_error()) {
                first_error = done.release_error();
            }
            continue;
        }
        read[i] = true;
        any = true;
    }
    if (!any && first_error.is_error()) {
        return first_error;
    }
    return {};
}

ErrorOr<void> BufferCache::write(u64 offset, const void* data, usize length) {
    if (offset > m_size || length > m_size - offset) {
        return Error(Errno::IO, "write past the end of the disk");
    }
    if (m_device->is_read_only()) {
        return Error(Errno::ROFS, "disk is read-only");
    }
    for (usize done = 0; done < length;) {
        const u64 at = offset + done;
        const usize n = static_cast<usize>(min<u64>(page_size - at % page_size, length - done));
        // A whole page overwritten need not be read first.
        const bool whole = n == page_size && page_bytes(at / page_size) == page_size;
        Entry* entry = TRY(get(at / page_size, whole));
        __builtin_memcpy(phys_to_virt<u8>(entry->frame) + at % page_size,
                         static_cast<const u8*>(data) + done, n);
        if (!entry->dirty) {
            entry->dirty = true;
            ++m_dirty;
        }
        done += n;
    }
    return {};
}

void BufferCache::drop_clean() {
    for (Entry* entry = m_lru_head; entry;) {
        Entry* next = entry->lru_next;
        if (!entry->dirty) {
            unlink(*entry);
            physical::free(entry->frame, 0);
            entry->~Entry();
            kfree(entry);
        }
        entry = next;
    }
}

ErrorOr<void> BufferCache::write_back() {
    // Up to a batch of requests in flight at once, in disk order as the
    // LRU list happens to give them (the device reorders as it likes).
    constexpr usize batch = 16;
    ErrorOr<void> first_error;
    Entry* entry = m_lru_head;
    while (entry && m_dirty) {
        BlockRequest requests[batch];
        Entry* entries[batch];
        usize started = 0;
        for (; entry && started < batch; entry = entry->lru_next) {
            if (!entry->dirty) {
                continue;
            }
            BlockRequest& r = requests[started];
            r.op = BlockRequest::Op::Write;
            r.sector = entry->page * (page_size / sector_size);
            r.memory = entry->frame;
            r.bytes = page_bytes(entry->page);
            if (auto submitted = m_device->submit(r); submitted.is_error()) {
                if (!first_error.is_error()) {
                    first_error = submitted.release_error();
                }
                continue;
            }
            entries[started++] = entry;
        }
        for (usize i = 0; i < started; ++i) {
            auto done = requests[i].completion.wait();
            if (done.is_error()) {
                if (!first_error.is_error()) {
                    first_error = done.release_error();
                }
                continue;
            }
            entries[i]->dirty = false;
            --m_dirty;
        }
    }
    if (first_error.is_error()) {
        return first_error;
    }
    return m_device->flush();
}

} // namespace kite
