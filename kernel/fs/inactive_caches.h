// inactive_caches.h: a disk file system's page caches of files that no
// vnode holds, kept so that the next open of a file finds its data still
// in memory (Linux keeps the inode and its pages in the inode cache; Kite's
// vnodes go with their last reference, so only the cache stays).
//
// A parked cache is clean (its dirty pages were written back first), has
// no backing and no mappers (nobody can use it: mappings hold the vnode),
// and belongs to an inode that still has names. The file system takes it
// back when it makes a vnode for the inode, drops it when the inode is
// freed, and gives the oldest up first when memory is short.
//
// Not locked: the file system calls it under its own lock.
#pragma once

#include "lib/ref_ptr.h"
#include "mm/page_cache.h"

namespace kite {

class InactiveCaches {
  public:
    InactiveCaches() = default;
    ~InactiveCaches() { drop_all(); }
    InactiveCaches(const InactiveCaches&) = delete;
    InactiveCaches& operator=(const InactiveCaches&) = delete;

    // Keeps cache for inode (replacing one kept before). A cache with no
    // pages is not worth its entry; nor is one when no memory is left for
    // the entry. Past the limit, the oldest goes.
    void park(u64 inode, RefPtr<PageCache> cache);
    // The cache kept for inode, taken out (null if none).
    [[nodiscard]] RefPtr<PageCache> take(u64 inode);
    // The inode was freed (or a newer cache replaced its own): its cache goes.
    void drop(u64 inode) { (void)take(inode); }
    // Drops the oldest caches until about pages frames went; how many did.
    usize drop_oldest(usize pages);
    void drop_all();
    [[nodiscard]] usize count() const { return m_count; }

  private:
    static constexpr usize bucket_count = 64;
    static constexpr usize limit = 4096;
    struct Entry {
        u64 inode;
        RefPtr<PageCache> cache;
        Entry* hash_next = nullptr;
        Entry* older = nullptr; // toward m_oldest
        Entry* newer = nullptr;
    };
    [[nodiscard]] Entry*& bucket(u64 inode) { return m_buckets[inode % bucket_count]; }
    // Unlinks entry from both lists and frees it; its cache's page count.
    usize remove(Entry* entry);

    Entry* m_buckets[bucket_count] = {};
    Entry* m_oldest = nullptr;
    Entry* m_newest = nullptr;
    usize m_count = 0;
};

} // namespace kite
