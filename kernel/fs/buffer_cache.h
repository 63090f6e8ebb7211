// buffer_cache.h: a disk's blocks in memory, for the file system on it.
// The cache holds whole pages of the disk (page-aligned runs of blocks, so
// a 1 KiB-block file system shares a frame among four neighbours and every
// transfer is a page the driver can DMA), found by a hash of the page
// number and kept in least-recently-used order. Writes stay in memory
// (dirty) until write_back: sync(2), fsync(2), the periodic flusher, or
// eviction. The cache is bounded: past its limit, or when no frame can be
// had, the least recently used page is written back if dirty and reused.
//
// Not locked: the file system calls it under its own volume lock, which
// may be held across the disk transfers done here.
#pragma once

#include "dev/block_device.h"
#include "lib/kbuffer.h"
#include "lib/own_ptr.h"

namespace kite {

// Who can give frames back when the cache, below its bound, finds memory
// short: the file system's other caches (its inactive page caches), freed
// under the same lock the cache is called with.
class CacheShrinker {
  public:
    virtual usize shrink_locked(usize pages) = 0;

  protected:
    ~CacheShrinker() = default;
};

class BufferCache {
  public:
    // max_pages: the bound.
    [[nodiscard]] static ErrorOr<OwnPtr<BufferCache>> create(RefPtr<BlockDevice> device,
                                                             usize max_pages);
    ~BufferCache(); // drops every page; write_back first to keep the changes

    void set_shrinker(CacheShrinker* shrinker) { m_shrinker = shrinker; }

    // Bytes on the disk.
    [[nodiscard]] u64 size() const { return m_size; }
    [[nodiscard]] BlockDevice& device() { return *m_device; }

    // Copies bytes [offset, offset + length) of the disk out, or in (their
    // pages are then dirty). EIO past the end.
    [[nodiscard]] ErrorOr<void> read(u64 offset, void* out, usize length);
    [[nodiscard]] ErrorOr<void> write(u64 offset, const void* data, usize length);
    // read() into physical memory (contiguous for length; offset and length
    // whole sectors) without caching: the pages the cache has are copied
    // (they may hold changes not yet on the disk), the rest come straight
    // from the disk. For file data that a page cache keeps.
    [[nodiscard]] ErrorOr<void> read_around(u64 offset, PhysAddr memory, usize length);
    // Read-ahead for a page cache: page i of count (at most read_batch) is
    // the page_size bytes of the disk at offsets[i] (page-aligned), read into
    // frames[i], all in flight at once. A page the cache has (it may hold
    // changes) is not read: read[i] says which were. The first error, if
    // every read failed.
    static constexpr usize read_batch = 16;
    [[nodiscard]] ErrorOr<void> read_pages_around(const u64* offsets, const PhysAddr* frames,
                                                  usize count, bool* read);

    // Writes every dirty page to the disk (several in flight) and flushes
    // the disk's own cache. The first error is returned; the pages that
    // failed stay dirty.
    [[nodiscard]] ErrorOr<void> write_back();
    // Frees every page that holds no change.
    void drop_clean();
    [[nodiscard]] usize dirty_pages() const { return m_dirty; }
    [[nodiscard]] usize cached_pages() const { return m_count; }
    // The pages every buffer cache holds (/proc/meminfo's Buffers).
    [[nodiscard]] static u64 pages_of_all();

    BufferCache(RefPtr<BlockDevice> device, usize max_pages, KBuffer buckets);

  private:
    static u64 all_pages; // the sum of every cache's m_count
    struct Entry {
        u64 page; // the disk page: bytes [page * page_size, +page_size)
        PhysAddr frame;
        bool dirty = false;
        Entry* hash_next = nullptr;
        Entry* lru_prev = nullptr; // most recent at the head
        Entry* lru_next = nullptr;
    };
    [[nodiscard]] ErrorOr<Entry*> get(u64 page, bool will_overwrite);
    // The entry of page if cached (made most recently used), or null.
    [[nodiscard]] Entry* find(u64 page);
    [[nodiscard]] ErrorOr<Entry*> make_entry(u64 page);
    [[nodiscard]] ErrorOr<void> write_entry(Entry& entry);
    // The bytes of page that lie on the disk (the last page may be short).
    [[nodiscard]] u32 page_bytes(u64 page) const;
    void unlink(Entry& entry);
    void push_front(Entry& entry);
    [[nodiscard]] Entry** bucket(u64 page);

    RefPtr<BlockDevice> m_device;
    u64 m_size;
    usize m_max_pages;
    usize m_count = 0;
    usize m_dirty = 0;
    KBuffer m_buckets; // Entry* heads
    usize m_bucket_count;
    Entry* m_lru_head = nullptr;
    Entry* m_lru_tail = nullptr;
    CacheShrinker* m_shrinker = nullptr;
};

} // namespace kite
