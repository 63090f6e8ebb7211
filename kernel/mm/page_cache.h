// page_cache.h: the pages of one file's data, shared by read/write and by
// every mmap of the file, so that all of them see the same bytes at once.
// Frames by page index, sparse; a missing page is filled by the file
// system's backing (PageBacking) or, without one, is zero (tmpfs, whose
// pages ARE its storage: never written back, never evicted). A tmpfs
// file's cache charges each page it holds to its tmpfs's size= limit
// (fs/tmpfs_space.h) when the page is made and gives it back when the page
// goes, so a file costs the pages it has, not its size: a hole is free,
// and a page made past the limit is ENOSPC (a write stops short; a fault
// is SIGBUS, as Linux's shmem_fault).
//
// Who holds what:
// - The file (its vnode) owns the cache, or (a read-only file, whose cache
//   is only needed while mapped) hears when it goes (cache_destroyed); a
//   mapping holds the vnode and the cache (UserSpace's file entries), so
//   both outlive close() and unlink(), and the vnode outlives the cache.
// - The cache holds one reference on each frame it has; each page table
//   entry mapping a frame holds another (mm/user_frames.h). A cache frame
//   whose refcount is 1 is mapped nowhere: a clean one may be evicted
//   (evict_clean), the backing filling it again when next wanted.
//
// Memory pressure: a cache with a backing calls the reclaimer
// (fs/writeback.h) before it fills a page while free memory is below a
// watermark, and user-frame allocation calls it once before failing, so
// cached file data gives way to whatever needs the memory. tmpfs caches
// are never evicted: their pages are the data.
//
// Locks, in rank order (sync/lock_rank.h):
// - The file's data lock (FileData, MemoryFile::m_lock; ext2's inode lock
//   would be the same) is held by read, write, truncate and reserve. Pages
//   are only ever removed with it held (truncate; eviction would take it
//   too), and the page table only grows with it held, so its holder may
//   look pages up without the cache's own lock (find) and copy to or from
//   them, faulting on user memory meanwhile.
// - A page fault holds its space's UserMemory lock and takes the cache's
//   lock (PageCache, above UserMemory) to find a page and to read the size.
//   A page the backing must fill is not filled there: frame_for_mapping
//   answers EAGAIN, the fault drops its UserMemory lock, calls fill() with
//   no lock held, and retries. So read_page runs with no lock of the
//   cache's or of the faulting space's held and may take the file system's
//   own locks (ranked below UserMemory), but not one the faulting thread
//   already holds: a user copy made under a file system's lock that faults
//   on a mapping of that file system would deadlock (Linux prefaults the
//   buffer, or copies with faults disabled and retries; a disk file system
//   must do one of those).
// - truncate (file data lock held) takes the cache lock to set the size and
//   to pick the next mapper, drops it, then takes that space's UserMemory
//   lock to unmap; the cache lock is never held while taking UserMemory.
#pragma once

#include "fs/tmpfs_space.h"
#include "lib/error.h"
#include "lib/kbuffer.h"
#include "lib/ref_ptr.h"
#include "mm/page.h"
#include "sync/mutex.h"

namespace kite {

class PageCache;
class UserSpace;

// What a file system supplies for a file whose pages live elsewhere (the
// initrd's archive, a disk).
class PageBacking {
  public:
    virtual ~PageBacking() = default;
    // Fills page (page_size bytes) with page index of the file; bytes past
    // the end of the file must be zero. See the lock note above.
    [[nodiscard]] virtual ErrorOr<void> read_page(u64 index, u8* page) = 0;
    // Writes the first valid_bytes of page index back to the file's store
    // (write_back; valid_bytes stops at the end of the file).
    [[nodiscard]] virtual ErrorOr<void> write_page(u64 index, const u8* page,
                                                   usize valid_bytes) = 0;
    // Whether write_page does anything: only then are dirty pages tracked
    // (a MAP_SHARED page is first mapped read-only, its first write fault
    // marks it dirty).
    [[nodiscard]] virtual bool writes_back() const = 0;
    // Whether the backing can fill a page again once it is evicted.
    [[nodiscard]] virtual bool refills() const { return true; }
    // For an owner that does not hold its cache (the initrd's files need
    // one only while mapped, so the mappings hold it): the cache is going.
    // Called from its destructor, maybe under a UserMemory lock: it may
    // take no lock ranked below.
    virtual void cache_destroyed(PageCache&) {}
};

class PageCache : public RefCounted<PageCache> {
  public:
    // A cache for a file of size bytes. backing null: pages are the
    // storage (missing ones are zero), charged to space if there is one.
    // device and inode name the file in /proc/PID/maps.
    [[nodiscard]] static ErrorOr<RefPtr<PageCache>> try_create(PageBacking* backing, u64 size,
                                                               u64 device, u64 inode,
                                                               RefPtr<TmpfsSpace> space = {});
    ~PageCache();

    // ---- For the file, with its data lock held. ----

    // The frame of page index, or 0 if absent (no reference taken: it
    // stays while the caller holds the data lock).
    [[nodiscard]] PhysAddr find(u64 index) const {
        u64* slot = slot_for(index);
        return PhysAddr(slot ? __atomic_load_n(slot, __ATOMIC_ACQUIRE) & ~flag_mask : 0);
    }
    // The frame of page index (< pages_reserved()), made if absent (zero,
    // or filled by the backing; ENOSPC if the page's charge does not fit).
    // No reference taken, as find().
    [[nodiscard]] ErrorOr<PhysAddr> find_or_create(u64 index);
    // How many pages of [first, end) are absent (what making them all
    // would charge). With the data lock held.
    [[nodiscard]] u64 absent_pages(u64 first, u64 end) const;
    // A page the caller just wrote to the file's store, put in as page
    // index unless one is there: zeros with the n bytes at offset at in the
    // page (the rest of the page must be zero in the file: past its end, or
    // a hole). Nothing if memory is short (the bytes are in the store).
    void put_page(u64 index, usize at, const u8* bytes, usize n);
    // A frame the caller filled with page index's bytes (read-ahead), put
    // in unless a page is there or the file ended before it (the frame is
    // then let go). With the data lock held, index < pages_reserved().
    void insert_filled(u64 index, PhysAddr frame);
    // Makes room for pages [0, pages) in the page table (before a write or
    // a resize takes the size past what is reserved); ENOMEM.
    [[nodiscard]] ErrorOr<void> reserve(u64 pages);
    [[nodiscard]] u64 pages_reserved() const { return m_reserved; }
    // The file's size as faults see it: a fault on a page wholly past it
    // is SIGBUS. A file whose size grows sets it after its pages are in.
    void set_size(u64 size);
    [[nodiscard]] u64 size() const { return __atomic_load_n(&m_size, __ATOMIC_RELAXED); }
    // The file shrinks to size: faults past it are refused from now on,
    // every mapping loses its pages from page_up(size) on (private copies
    // too, as Linux's truncate), those pages leave the cache, and the part
    // of the new last page past size becomes zero.
    void truncate(u64 size);
    // Zeroes the bytes of offset's page from offset on, if the page is
    // present: a file growing from size offset does this first, since a
    // MAP_SHARED store past the end may have left bytes there.
    void zero_page_from(u64 offset);
    // Marks page index dirty (a write to a file whose backing writes back).
    void mark_dirty(u64 index);
    // Frees up to max pages that are clean and mapped nowhere (refcount 1),
    // going on from where the last call stopped; how many went. With the data lock held (so no
    // reader is copying from them). Only for a cache whose backing
    // refills.
    [[nodiscard]] usize evict_clean(usize max);
    // The pages present, and of them the dirty ones.
    [[nodiscard]] u64 page_count() const { return __atomic_load_n(&m_pages, __ATOMIC_RELAXED); }
    [[nodiscard]] u64 dirty_count() const { return __atomic_load_n(&m_dirty, __ATOMIC_RELAXED); }
    // Whether some space maps it (its dirty pages stay dirty meanwhile).
    [[nodiscard]] bool is_mapped() const {
        return __atomic_load_n(&m_mappers, __ATOMIC_RELAXED) != nullptr;
    }
    // The pages of every cache (/proc/meminfo's Cached), and of them those
    // that are a file's only copy (tmpfs: Shmem; the rest can be read again).
    [[nodiscard]] static u64 pages_of_all();
    [[nodiscard]] static u64 storage_pages_of_all();
    // A new backing (null: none, while no file uses the cache and it is
    // clean; see fs/inactive_caches.h).
    void set_backing(PageBacking* backing) {
        __atomic_store_n(&m_backing, backing, __ATOMIC_RELEASE);
    }
    // Whether the caller may call the reclaimer (it holds no lock that the
    // reclaimer takes or orders after).
    [[nodiscard]] static bool may_reclaim();
    // Writes the dirty pages of [first, end) back through the backing
    // (msync MS_SYNC, fsync). Needs no lock: each page is held while it is
    // written. A page still mapped somewhere stays dirty (a MAP_SHARED
    // store through a writable entry would not fault again).
    [[nodiscard]] ErrorOr<void> write_back(u64 first, u64 end);

    // ---- For user spaces (under their UserMemory lock). ----

    // The frame of page index for a mapping, with a new reference for the
    // mapping; made if absent and the cache has no backing (a zero page).
    // ENXIO past the end of the file (SIGBUS), ENOMEM, or EAGAIN: the
    // backing must fill it, which the caller does with fill() once it has
    // let go of its own lock, then asks again.
    [[nodiscard]] ErrorOr<PhysAddr> frame_for_mapping(u64 index);
    // Fills page index from the backing and puts it in (unless someone did
    // first, or the file changed under the backing meanwhile: then nothing
    // is put in and the fault, asking again, fills anew). No lock may be
    // held that read_page could need. ENXIO past the end, ENOMEM, or the
    // backing's error (the fault's SIGBUS, as Linux for EIO).
    [[nodiscard]] ErrorOr<void> fill(u64 index);
    // A backing whose bytes change other than through the cache (a disk
    // file system's write(), which then updates the pages the cache has)
    // calls this first: a fill that read the old bytes before it must not
    // insert them after it.
    void note_change();
    // Every space whose regions map this cache is registered (once), so
    // that truncate can unmap from it.
    [[nodiscard]] ErrorOr<void> add_mapper(UserSpace* space);
    void remove_mapper(UserSpace* space);
    // Whether MAP_SHARED mappings map clean pages read-only, so that the
    // first store marks them dirty (a backing that writes back).
    [[nodiscard]] bool tracks_dirty() const {
        PageBacking* backing = __atomic_load_n(&m_backing, __ATOMIC_ACQUIRE);
        return backing && backing->writes_back();
    }

    [[nodiscard]] u64 device() const { return m_device; }
    [[nodiscard]] u64 inode() const { return m_inode; }

    // Use try_create; public only for try_make_ref.
    PageCache(PageBacking* backing, u64 size, u64 device, u64 inode, RefPtr<TmpfsSpace> space)
        : m_backing(backing), m_size(size), m_device(device), m_inode(inode), m_space(move(space)),
          m_is_storage(backing == nullptr) {}

  private:
    // A slot is a frame's address with flags in its low bits.
    static constexpr u64 flag_dirty = 1;
    static constexpr u64 flag_mask = page_size - 1;
    // The first pages have their slots here, so a small file costs no
    // table; the rest are in blocks of 512 (2 MiB of file a block) made as
    // pages are touched, reached through a table that grows with reserve.
    static constexpr u64 direct_pages = 8;
    static constexpr u64 block_pages = 512;
    struct Block {
        u64 slots[block_pages];
    };
    struct Mapper {
        UserSpace* space;
        u64 pass; // the truncate pass that last visited it
        Mapper* next;
    };
    // The slot of index if its block exists (or nullptr). Lock-free for
    // the data lock's holder: blocks and the table are published with
    // release stores and only freed under the data lock.
    [[nodiscard]] u64* slot_for(u64 index) const {
        if (index < direct_pages) {
            return const_cast<u64*>(&m_direct[index]);
        }
        index -= direct_pages;
        if (index / block_pages >= m_block_count) {
            return nullptr;
        }
        Block* block = __atomic_load_n(&m_blocks[index / block_pages], __ATOMIC_ACQUIRE);
        return block ? &block->slots[index % block_pages] : nullptr;
    }
    // The slot of index (< m_reserved), its block made if needed. Under m_lock.
    [[nodiscard]] ErrorOr<u64*> make_slot_locked(u64 index);
    // A new frame holding page index (zero, or the backing's bytes), made
    // without the lock; held as for reclaim_if_low.
    [[nodiscard]] ErrorOr<PhysAddr> fill_new_frame(u64 index, PageCache* held);
    // Puts made in as page index unless a page is there (made is then
    // released) or the file ended before it (ENXIO): the page's frame.
    // Under m_lock.
    [[nodiscard]] ErrorOr<PhysAddr> insert_locked(u64 index, PhysAddr made);
    // m_pages and the total of every cache. Under m_lock.
    void count_pages(i64 change);
    // Takes one page from m_space for a page about to go in (ENOSPC), or
    // gives one back; nothing without a space. Lock-free.
    [[nodiscard]] ErrorOr<void> charge_page();
    void uncharge_pages(u64 pages);
    // Drops the pages from first on. Under m_lock and the data lock.
    void drop_pages_locked(u64 first);
    // Frees slot's page (present). Under m_lock and the data lock.
    void drop_slot_locked(u64& slot);
    // Before a fill: if free memory is low, asks the reclaimer for some
    // (held: this cache if the caller holds its data lock, else null).
    void reclaim_if_low(PageCache* held);

    Mutex m_lock{"page cache", LockRank::PageCache};
    PageBacking* m_backing;
    u64 m_size;
    u64 m_device;
    u64 m_inode;
    u64 m_reserved = direct_pages; // pages the table has room for
    u64 m_direct[direct_pages] = {};
    Block** m_blocks = nullptr; // m_block_count entries, kmalloc'd
    u64 m_block_count = 0;
    Mapper* m_mappers = nullptr;
    u64 m_pass = 0;
    u64 m_changes = 0;        // note_change's count, under m_lock
    static u64 all_pages;     // the sum of every cache's m_pages
    static u64 storage_pages; // of them, those of caches made with no backing
    u64 m_pages = 0;          // present pages, changed under m_lock
    u64 m_dirty = 0;          // of them dirty, changed under m_lock
    u64 m_evict_hand = 0;     // where evict_clean goes on, under m_lock
    // The tmpfs m_pages are charged to (null: none). Set at creation.
    const RefPtr<TmpfsSpace> m_space;
    const bool m_is_storage; // made with no backing: the pages are the file
};

} // namespace kite
