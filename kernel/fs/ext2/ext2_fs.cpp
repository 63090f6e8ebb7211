// ext2_fs.cpp: see ext2_fs.h.
#include "fs/ext2/ext2_fs.h"

#include "console/console.h"
#include "fs/buffer_cache.h"
#include "fs/device_node.h"
#include "fs/ext2/ext2_volume.h"
#include "fs/inactive_caches.h"
#include "fs/namespace_lock.h"
#include "fs/pipe.h"
#include "fs/writeback.h"
#include "lib/own_ptr.h"
#include "mm/direct_map.h"
#include "mm/page.h"
#include "mm/page_cache.h"
#include "mm/physical.h"
#include "mm/user_frames.h"
#include "sync/mutex.h"
#include "time/clock.h"

namespace kite::ext2 {

namespace {

u32 now_seconds() {
    return static_cast<u32>(clock::realtime_ns() / 1'000'000'000);
}

constexpr i64 ns_per_second = 1'000'000'000;

// The core's view of the disk: byte ranges of the buffer cache.
class CacheDevice final : public Device {
  public:
    explicit CacheDevice(BufferCache& cache) : m_cache(cache) {}
    u64 size() const override { return m_cache.size(); }
    ErrorOr<void> read(u64 offset, u8* out, usize length) override {
        return m_cache.read(offset, out, length);
    }
    ErrorOr<void> write(u64 offset, const u8* data, usize length) override {
        return m_cache.write(offset, data, length);
    }
    ErrorOr<void> read_data(u64 offset, u8* out, usize length) override {
        if (!is_direct_map_pointer(out)) {
            return m_cache.read(offset, out, length);
        }
        return m_cache.read_around(offset, virt_to_phys(out), length);
    }

  private:
    BufferCache& m_cache;
};

VnodeType type_of_mode(u16 mode) {
    switch (mode & mode_type_mask) {
    case mode_dir:
        return VnodeType::Directory;
    case mode_lnk:
        return VnodeType::Symlink;
    case mode_chr:
        return VnodeType::CharDevice;
    case mode_blk:
        return VnodeType::BlockDevice;
    case mode_fifo:
        return VnodeType::Fifo;
    case mode_sock:
        return VnodeType::Socket;
    default:
        return VnodeType::Regular;
    }
}

class Ext2Vnode;

class Ext2Fs final : public DiskFileSystem, public Writeback, public CacheShrinker {
  public:
    Ext2Fs(RefPtr<BlockDevice> device, OwnPtr<BufferCache> cache)
        : m_device(move(device)), m_cache(move(cache)), m_io(*m_cache), m_volume(m_io) {
        m_cache->set_shrinker(this);
    }
    ~Ext2Fs() override;

    [[nodiscard]] ErrorOr<void> start(bool read_only);

    RefPtr<Vnode> root() override;
    bool is_busy() override;
    void release() override;
    void statfs(abi::StatFs& out) override;
    bool is_read_only() const override { return m_volume.read_only(); }
    ErrorOr<void> write_back() override;
    void hold() override { DiskFileSystem::ref(); }
    void let_go() override { DiskFileSystem::unref(); }
    void drop_clean() override;
    usize reclaim(usize pages, PageCache* held) override;
    usize shrink_locked(usize pages) override { return m_inactive.drop_oldest(pages); }

    // For the vnodes, all under m_lock.
    [[nodiscard]] Mutex& lock() { return m_lock; }
    [[nodiscard]] Volume& volume() { return m_volume; }
    [[nodiscard]] bool released() const { return m_released; }
    [[nodiscard]] bool read_only() const { return m_volume.read_only(); }
    [[nodiscard]] u64 device_id() const { return m_device->device_number(); }
    // The live vnode for ino (a new reference), made if there is none;
    // parent is the directory it was found in (null for the root).
    [[nodiscard]] ErrorOr<RefPtr<Ext2Vnode>> vnode_locked(u32 ino, Vnode* parent);
    // The live vnode for ino if any (a new reference), else null.
    [[nodiscard]] RefPtr<Ext2Vnode> find_live_locked(u32 ino);
    void forget_locked(Ext2Vnode& vnode);
    // A vnode for ino goes (already forgotten): its page cache, clean and
    // without a backing, is kept for the next one (null: none to keep).
    void park_locked(u32 ino, RefPtr<PageCache> cache);
    // Writes the vnode's mode, owner and times where they differ from the disk.
    void reconcile_locked(Ext2Vnode& vnode);
    // An inode that lost its last name: freed now if no vnode holds it,
    // else when the last one goes.
    void unlinked_locked(u32 ino);
    // fsync: the whole cache goes (Kite does not track which pages are one
    // file's), then the disk's own cache.
    [[nodiscard]] ErrorOr<void> flush_cache_locked() { return m_cache->write_back(); }
    [[nodiscard]] BufferCache& buffer_cache_locked() { return *m_cache; }

  private:
    static constexpr usize bucket_count = 64;
    [[nodiscard]] Ext2Vnode*& bucket(u32 ino) { return m_live[ino % bucket_count]; }
    // Every live vnode's attributes, then the buffer cache, to the disk.
    [[nodiscard]] ErrorOr<void> write_back_locked();
    // Calls work(vnode, cache) for each live vnode whose page cache
    // matters (wanted(vnode)), without the volume lock: each is held
    // meanwhile, a batch at a time.
    template <typename Wanted, typename Work>
    void for_each_cached_file(Wanted wanted, Work work);

    RefPtr<BlockDevice> m_device;
    OwnPtr<BufferCache> m_cache;
    CacheDevice m_io;
    Volume m_volume;
    Mutex m_lock{"ext2 volume", LockRank::DiskVolume};
    Ext2Vnode* m_live[bucket_count] = {};
    InactiveCaches m_inactive; // caches of files no vnode holds
    bool m_started = false;
    bool m_released = false;
    bool m_claimed = true; // mount claimed the device for it
    bool m_registered = false;
};

// A regular file's data is read through its page cache (made at the first
// read or mmap, kept by the vnode, and parked in the file system's
// inactive caches when the vnode goes, so the next open finds it); the
// vnode is the cache's backing, filling pages from the volume. write()
// and truncate() change the volume (its buffer cache holds the change until
// write-back) and the pages the cache has, in one step under the file's
// lock, so read, write and mmap see the same bytes. Only stores through
// MAP_SHARED mappings dirty the cache's pages; sync and the flusher write
// those back.
class Ext2Vnode final : public Vnode, public PageBacking {
  public:
    Ext2Vnode(RefPtr<Ext2Fs> fs, u32 ino, const Inode& inode)
        : Vnode(type_of_mode(inode.mode), inode.mode & 07777), m_fs(move(fs)), m_ino(ino) {
        set_inode_number(ino);
        set_device(m_fs->device_id());
        load(inode);
    }
    ~Ext2Vnode() override;

    // What the disk says, into the vnode (after the core changed it).
    void load(const Inode& inode) {
        set_permissions(inode.mode & 07777);
        set_owner(inode_uid(inode), inode_gid(inode));
        set_times({inode.atime * ns_per_second, inode.mtime * ns_per_second,
                   inode.ctime * ns_per_second});
        m_disk_mode = inode.mode & 07777;
        m_disk_uid = inode_uid(inode);
        m_disk_gid = inode_gid(inode);
        m_disk_times[0] = inode.atime;
        m_disk_times[1] = inode.mtime;
        m_disk_times[2] = inode.ctime;
        __atomic_store_n(&m_size, inode_file_size(inode), __ATOMIC_RELAXED);
        __atomic_store_n(&m_links, inode.links_count, __ATOMIC_RELAXED);
        m_rdev = inode_rdev(inode);
    }
    // After a core call changed the inode: what the core changes (size,
    // link count, modification and change times) is read back; the mode,
    // owner and access time stay as the vnode has them, since a change to
    // them may not have reached the disk yet.
    void reload_locked() {
        auto read = m_fs->volume().read_inode(m_ino);
        if (read.is_error()) {
            return;
        }
        const Inode& inode = read.value();
        FileTimes times = this->times();
        times.modify = inode.mtime * ns_per_second;
        times.change = inode.ctime * ns_per_second;
        set_times(times);
        m_disk_times[1] = inode.mtime;
        m_disk_times[2] = inode.ctime;
        __atomic_store_n(&m_size, inode_file_size(inode), __ATOMIC_RELAXED);
        __atomic_store_n(&m_links, inode.links_count, __ATOMIC_RELAXED);
    }

    [[nodiscard]] u32 ino() const { return m_ino; }
    [[nodiscard]] Ext2Fs& fs() { return *m_fs; }
    Ext2Vnode* hash_next = nullptr; // the volume's live table, under its lock

    // The disk's copy of the attributes, as last read or written.
    u32 m_disk_mode = 0;
    u32 m_disk_uid = 0;
    u32 m_disk_gid = 0;
    u32 m_disk_times[3] = {};
    // A newer vnode of the inode was made while this one was dying (and
    // took its cache). Under the volume lock.
    bool m_superseded = false;

    // Points parent at directory (whose vnode this one then holds) and
    // gives back the reference to the old parent, for the caller to drop
    // once the volume lock is let go (it may be the last one).
    [[nodiscard]] RefPtr<Vnode> hold_parent(Vnode* directory) {
        RefPtr<Vnode> old = move(m_parent_hold);
        parent = directory;
        m_parent_hold = directory;
        return old;
    }

    u64 size() const override { return __atomic_load_n(&m_size, __ATOMIC_RELAXED); }
    u32 link_count() const override { return __atomic_load_n(&m_links, __ATOMIC_RELAXED); }
    u64 device_number() const override { return m_rdev; }
    bool can_sync() const override { return true; }
    bool is_read_only() const override { return m_fs->read_only(); }
    ErrorOr<void> sync() override;

    ErrorOr<usize> read(u64 offset, const IoBuffer& to, usize length) override;
    ErrorOr<usize> write(u64 offset, const IoBuffer& from, usize length) override;
    ErrorOr<usize> append(const IoBuffer& from, usize length, u32 flags, u64& end) override;
    ErrorOr<void> truncate(u64 size) override;
    ErrorOr<void> extend(u64 offset, u64 size) override;
    ErrorOr<RefPtr<Vnode>> lookup(StringView name) override;
    ErrorOr<bool> read_directory(usize index, DirectoryEntry& out) override;
    ErrorOr<usize> read_link(char* out, usize capacity) override;
    ErrorOr<RefPtr<Vnode>> create(StringView name, VnodeType type, u32 permissions) override;
    // A FIFO or device inode is opened through an object of the kind
    // mknod makes (fs/pipe.h, fs/device_node.h), made at the first open
    // and kept while this vnode lives: every opener of the FIFO meets the
    // same pipe, as an open file holds the vnode. The inode keeps the name,
    // mode, owner and times. A socket inode cannot be opened (ENXIO).
    ErrorOr<u64> opened(u32 flags) override {
        if (!is_special()) {
            return u64{0};
        }
        return TRY(special())->opened(flags);
    }
    void closed(u32 flags) override {
        if (RefPtr<Vnode> target = special_if_made()) {
            target->closed(flags);
        }
    }
    ErrorOr<usize> read_with_flags(u64 offset, const IoBuffer& to, usize length,
                                   u32 flags) override {
        if (RefPtr<Vnode> target = special_if_made()) {
            return target->read_with_flags(offset, to, length, flags);
        }
        if (is_special()) {
            return Error(Errno::NXIO, "a special file that was not opened");
        }
        return read(offset, to, length);
    }
    ErrorOr<usize> write_with_flags(u64 offset, const IoBuffer& from, usize length,
                                    u32 flags) override {
        if (RefPtr<Vnode> target = special_if_made()) {
            return target->write_with_flags(offset, from, length, flags);
        }
        if (is_special()) {
            return Error(Errno::NXIO, "a special file that was not opened");
        }
        return write(offset, from, length);
    }
    ErrorOr<i64> ioctl(u64 request, UserAddress argument) override {
        if (RefPtr<Vnode> target = special_if_made()) {
            return target->ioctl(request, argument);
        }
        return Vnode::ioctl(request, argument);
    }
    u32 poll_ready() override {
        RefPtr<Vnode> target = special_if_made();
        return target ? target->poll_ready() : Vnode::poll_ready();
    }
    u32 poll_ready_for(u32 open_flags, u64 open_word) override {
        RefPtr<Vnode> target = special_if_made();
        return target ? target->poll_ready_for(open_flags, open_word) : poll_ready();
    }
    u64 poll_event_count() const override {
        RefPtr<Vnode> target = special_if_made();
        return target ? target->poll_event_count() : 0;
    }
    bool is_pollable() const override {
        RefPtr<Vnode> target = special_if_made();
        return target ? target->is_pollable() : Vnode::is_pollable();
    }
    bool is_seekable() const override {
        RefPtr<Vnode> target = special_if_made();
        return target ? target->is_seekable() : type() != VnodeType::Fifo;
    }
    ErrorOr<usize> pipe_buffer_size() override {
        RefPtr<Vnode> target = special_if_made();
        return target ? target->pipe_buffer_size() : Vnode::pipe_buffer_size();
    }
    ErrorOr<void> set_pipe_buffer_size(usize size) override {
        RefPtr<Vnode> target = special_if_made();
        return target ? target->set_pipe_buffer_size(size) : Vnode::set_pipe_buffer_size(size);
    }
    // mknod(2): a FIFO or device inode, of the node's type and mode.
    ErrorOr<void> add_node(StringView name, const RefPtr<Vnode>& node) override;
    ErrorOr<void> remove(StringView name) override;
    ErrorOr<void> link(StringView name, const RefPtr<Vnode>& file) override;
    ErrorOr<void> symlink(StringView name, StringView target) override;
    ErrorOr<void> rename(StringView old_name, Vnode& target, StringView new_name) override;

    ErrorOr<RefPtr<PageCache>> page_cache() override;
    ErrorOr<void> read_page(u64 index, u8* page) override;
    ErrorOr<void> write_page(u64 index, const u8* page, usize valid_bytes) override;
    bool writes_back() const override { return !m_fs->read_only(); }
    // The page cache if it was made (a new reference), or null. Once made
    // it stays until the vnode goes.
    [[nodiscard]] RefPtr<PageCache> cache() const {
        SpinlockGuard guard(m_cache_pointer_lock);
        return m_cache;
    }
    // A parked cache of this file, kept by a vnode before this one (under
    // the volume lock, as the vnode is made).
    void adopt_cache(RefPtr<PageCache> parked) {
        if (type() != VnodeType::Regular || parked->size() != size()) {
            return; // not this file's bytes any more: it goes
        }
        parked->set_backing(this);
        SpinlockGuard guard(m_cache_pointer_lock);
        m_cache = move(parked);
    }
    // The file's data lock (see m_write_lock), for the reclaimer.
    [[nodiscard]] Mutex& data_lock() { return m_write_lock; }

  private:
    [[nodiscard]] ErrorOr<void> usable() const {
        if (m_fs->released()) {
            return Error(Errno::IO, "the file system was unmounted");
        }
        return {};
    }
    [[nodiscard]] ErrorOr<void> writable() const {
        TRY(usable());
        if (m_fs->read_only()) {
            return Error(Errno::ROFS, "read-only file system");
        }
        return {};
    }
    // A directory that is to get a new name: not one already removed
    // (ENOENT, as Linux), whose entries would be lost with it.
    [[nodiscard]] ErrorOr<void> can_add_names() const {
        TRY(writable());
        if (link_count() == 0) {
            return Error(Errno::NOENT, "the directory has been removed");
        }
        return {};
    }
    // write() with the file's write lock held.
    ErrorOr<usize> write_locked(u64 offset, const IoBuffer& from, usize length);
    // The page cache, made if there is none yet. With m_write_lock held.
    [[nodiscard]] ErrorOr<RefPtr<PageCache>> cache_locked();
    // Reads pages from first on (up to wanted, and a batch) that the cache
    // lacks into it, all in flight at once: the usual fill reads one page
    // a request. Stops at a page it has, a hole, blocks that do not lie in
    // order, or one the buffer cache holds (the fill reads those).
    void read_ahead_locked(PageCache& cache, u64 first, u64 wanted);
    // n bytes at at (within one page) through the volume, not the cache,
    // to to's byte done: how many were copied (0 past the end).
    [[nodiscard]] ErrorOr<usize> read_uncached(u64 at, const IoBuffer& to, usize done, usize n);
    // The cache's side of the file growing from old_size (truncate, extend).
    void grow_cache(PageCache& cache, u64 old_size, u64 new_size);

    RefPtr<Ext2Fs> m_fs;
    u32 m_ino;
    u64 m_size = 0;
    u32 m_links = 0;
    u32 m_rdev = 0;
    RefPtr<Vnode> m_parent_hold;
    RefPtr<PageCache> m_cache; // set under m_write_lock and the lock below
    u64 m_next_read_page = 0;  // where a sequential read would go on (under m_write_lock)
    mutable Spinlock m_cache_pointer_lock{"ext2 file's cache", LockRank::CachePointer};
    [[nodiscard]] bool is_special() const {
        return type() == VnodeType::Fifo || type() == VnodeType::CharDevice ||
               type() == VnodeType::BlockDevice || type() == VnodeType::Socket;
    }
    // What a FIFO or device inode opens (see opened), made once.
    [[nodiscard]] ErrorOr<RefPtr<Vnode>> special() {
        MutexGuard guard(m_special_lock);
        if (!m_special) {
            m_special = type() == VnodeType::Fifo ? TRY(create_fifo(permissions()))
                        : type() == VnodeType::Socket
                            ? RefPtr<Vnode>()
                            : TRY(create_device_node(type(), permissions(), m_rdev));
        }
        if (!m_special) {
            return Error(Errno::NXIO, "a socket name on ext2 has no socket");
        }
        return m_special;
    }
    [[nodiscard]] RefPtr<Vnode> special_if_made() const {
        MutexGuard guard(m_special_lock);
        return m_special;
    }
    mutable Mutex m_special_lock{"ext2 special file", LockRank::DiskFile};
    RefPtr<Vnode> m_special;
    // Writers of this file, one at a time (an O_APPEND write finds the end
    // and writes there as one step), and its page cache's data lock (taken
    // by read and truncate too: pages leave the cache only under it, so its
    // holder copies from them without a reference). Taken before the
    // volume lock.
    Mutex m_write_lock{"ext2 file", LockRank::DiskFile};
    // read_directory's place: entry index m_cursor_index starts at byte
    // m_cursor_position, so a listing reads each block once.
    usize m_cursor_index = 0;
    u64 m_cursor_position = 0;
};

// A page-sized bounce buffer for file data, so user memory is copied with
// no volume lock held.
class Bounce {
  public:
    [[nodiscard]] ErrorOr<void> allocate() {
        m_frame = TRY(physical::allocate(0));
        return {};
    }
    ~Bounce() {
        if (m_frame.value()) {
            physical::free(m_frame, 0);
        }
    }
    [[nodiscard]] u8* data() const { return phys_to_virt<u8>(m_frame); }

  private:
    PhysAddr m_frame{0};
};

// --- the file system ---------------------------------------------------------

ErrorOr<void> Ext2Fs::start(bool read_only) {
    MountOptions options;
    options.read_only = read_only || m_device->is_read_only();
    options.clock = now_seconds;
    TRY(m_volume.mount(options));
    m_started = true;
    if (const char* reason = m_volume.read_only_reason()) {
        kprintln("ext2 {}: mounted read-only: {}", m_device->name(), reason);
    }
    if (const char* warning = m_volume.warning()) {
        kprintln("ext2 {}: {}", m_device->name(), warning);
    }
    // Read-only too: sync does nothing there, but the reclaimer and
    // drop_caches reach its caches through the list.
    writeback::add(*this);
    m_registered = true;
    return {};
}

Ext2Fs::~Ext2Fs() {
    release(); // after MNT_DETACH, when the last vnode went
    if (m_claimed) {
        m_device->unclaim(); // start failed
    }
}

RefPtr<Vnode> Ext2Fs::root() {
    MutexGuard guard(m_lock);
    auto root = vnode_locked(root_ino, nullptr);
    return root.is_error() ? RefPtr<Vnode>() : RefPtr<Vnode>(root.release_value());
}

RefPtr<Ext2Vnode> Ext2Fs::find_live_locked(u32 ino) {
    for (Ext2Vnode* v = bucket(ino); v; v = v->hash_next) {
        // One whose count reached 0 is waiting for this lock to leave.
        if (v->ino() == ino && v->try_ref()) {
            return RefPtr<Ext2Vnode>::adopt(v);
        }
    }
    return {};
}

ErrorOr<RefPtr<Ext2Vnode>> Ext2Fs::vnode_locked(u32 ino, Vnode* parent) {
    if (RefPtr<Ext2Vnode> live = find_live_locked(ino)) {
        return live;
    }
    const Inode inode = TRY(m_volume.read_inode(ino));
    if (inode.links_count == 0 || inode.mode == 0) {
        return Error(Errno::IO, "ext2: a directory names a free inode");
    }
    this->ref(); // the vnode's reference to its file system
    auto vnode = try_make_ref<Ext2Vnode>(RefPtr<Ext2Fs>::adopt(this), ino, inode);
    if (vnode.is_error()) {
        return vnode.release_error(); // the adopted reference went with the failed make
    }
    if (parent) {
        (void)vnode.value()->hold_parent(parent); // a new vnode had none
    }
    Ext2Vnode*& head = bucket(ino);
    vnode.value()->hash_next = head;
    head = vnode.value().ptr();
    // A vnode of the inode still in the table is dying (find_live_locked
    // could not take it): the new one takes over its cache, whose dirty
    // pages it may still be writing back, and it neither parks it nor
    // writes anything after.
    RefPtr<PageCache> shared;
    for (Ext2Vnode* v = vnode.value()->hash_next; v; v = v->hash_next) {
        if (v->ino() == ino) {
            v->m_superseded = true;
            if (!shared) {
                shared = v->cache();
            }
        }
    }
    if (shared) {
        m_inactive.drop(ino);
        vnode.value()->adopt_cache(move(shared));
    } else if (RefPtr<PageCache> parked = m_inactive.take(ino)) {
        vnode.value()->adopt_cache(move(parked));
    }
    return vnode.release_value();
}

void Ext2Fs::park_locked(u32 ino, RefPtr<PageCache> cache) {
    m_inactive.drop(ino); // an older one is stale now
    if (!cache || m_released) {
        return;
    }
    for (Ext2Vnode* v = bucket(ino); v; v = v->hash_next) {
        if (v->ino() == ino) {
            return; // a newer vnode (maybe dying too) has its own cache
        }
    }
    m_inactive.park(ino, move(cache));
}

void Ext2Fs::drop_clean() {
    {
        MutexGuard guard(m_lock);
        m_inactive.drop_all();
        m_cache->drop_clean();
    }
    // Open files keep only their dirty and mapped pages.
    for_each_cached_file([](Ext2Vnode&) { return true; },
                         [](Ext2Vnode& vnode, PageCache& cache) {
                             if (vnode.data_lock().try_lock()) {
                                 (void)cache.evict_clean(~usize{0});
                                 vnode.data_lock().unlock();
                             }
                         });
}

usize Ext2Fs::reclaim(usize pages, PageCache* held) {
    usize freed;
    {
        MutexGuard guard(m_lock);
        freed = m_inactive.drop_oldest(pages);
    }
    if (freed >= pages) {
        return freed;
    }
    // Then the clean pages of open files. One whose data lock is taken is
    // in use (or is the caller's own, unless it said so: held).
    auto evict = [&](Ext2Vnode& vnode, PageCache& cache) {
        if (freed >= pages) {
            return;
        }
        if (&cache == held) {
            freed += cache.evict_clean(pages - freed);
        } else if (vnode.data_lock().try_lock()) {
            freed += cache.evict_clean(pages - freed);
            vnode.data_lock().unlock();
        }
    };
    for_each_cached_file([](Ext2Vnode&) { return true; }, evict);
    if (freed >= pages || m_volume.read_only()) {
        return freed;
    }
    // Still short: the dirty pages no mapping holds (stores through a
    // mapping since unmapped) are written back, and then can go too.
    auto dirty = [](Ext2Vnode& vnode) {
        RefPtr<PageCache> cache = vnode.cache();
        return cache && cache->dirty_count() > 0 && !cache->is_mapped();
    };
    for_each_cached_file(dirty, [&](Ext2Vnode& vnode, PageCache& cache) {
        if (freed < pages) {
            (void)cache.write_back(0, ~u64{0});
            evict(vnode, cache);
        }
    });
    return freed;
}

void Ext2Fs::forget_locked(Ext2Vnode& vnode) {
    for (Ext2Vnode** link = &bucket(vnode.ino()); *link; link = &(*link)->hash_next) {
        if (*link == &vnode) {
            *link = vnode.hash_next;
            return;
        }
    }
}

void Ext2Fs::reconcile_locked(Ext2Vnode& vnode) {
    if (m_released || m_volume.read_only()) {
        return;
    }
    const FileTimes times = vnode.times();
    const u32 seconds[3] = {static_cast<u32>(times.access / ns_per_second),
                            static_cast<u32>(times.modify / ns_per_second),
                            static_cast<u32>(times.change / ns_per_second)};
    Attributes change;
    if (vnode.permissions() != vnode.m_disk_mode) {
        change.set_mode = true;
        change.mode = static_cast<u16>(vnode.permissions());
    }
    if (vnode.uid() != vnode.m_disk_uid) {
        change.set_uid = true;
        change.uid = vnode.uid();
    }
    if (vnode.gid() != vnode.m_disk_gid) {
        change.set_gid = true;
        change.gid = vnode.gid();
    }
    change.set_atime = seconds[0] != vnode.m_disk_times[0];
    change.set_mtime = seconds[1] != vnode.m_disk_times[1];
    change.set_ctime = seconds[2] != vnode.m_disk_times[2];
    change.atime = seconds[0];
    change.mtime = seconds[1];
    change.ctime = seconds[2];
    if (!(change.set_mode || change.set_uid || change.set_gid || change.set_atime ||
          change.set_mtime || change.set_ctime)) {
        return;
    }
    if (m_volume.set_attributes(vnode.ino(), change).is_error()) {
        return; // the core marked the volume; the vnode keeps its values
    }
    vnode.m_disk_mode = vnode.permissions();
    vnode.m_disk_uid = vnode.uid();
    vnode.m_disk_gid = vnode.gid();
    for (int i = 0; i < 3; ++i) {
        vnode.m_disk_times[i] = seconds[i];
    }
}

void Ext2Fs::unlinked_locked(u32 ino) {
    if (ino == 0) {
        return;
    }
    for (Ext2Vnode* v = bucket(ino); v; v = v->hash_next) {
        if (v->ino() == ino) {
            v->reload_locked(); // its link count is 0 now; freed with it
            return;
        }
    }
    m_inactive.drop(ino);
    (void)m_volume.evict(ino);
}

bool Ext2Fs::is_busy() {
    MutexGuard guard(m_lock);
    for (Ext2Vnode* head : m_live) {
        for (Ext2Vnode* v = head; v; v = v->hash_next) {
            if (v->ino() == root_ino) {
                continue;
            }
            // A dying vnode still writing back a cache's pages counts too.
            RefPtr<PageCache> cache = v->cache();
            if (v->ref_count() > 0 || (cache && cache->dirty_count() > 0)) {
                return true;
            }
        }
    }
    return false;
}

ErrorOr<void> Ext2Fs::write_back_locked() {
    for (Ext2Vnode* head : m_live) {
        for (Ext2Vnode* v = head; v; v = v->hash_next) {
            reconcile_locked(*v);
        }
    }
    return m_cache->write_back();
}

template <typename Wanted, typename Work>
void Ext2Fs::for_each_cached_file(Wanted wanted, Work work) {
    constexpr usize batch = 32;
    for (u32 bucket = 0; bucket < bucket_count; ++bucket) {
        // The chain from its skip-th vnode on, a batch of wanted files at a
        // time (skip counts every vnode passed: wanted() may change as the
        // work is done).
        for (usize skip = 0;;) {
            // The vnode too: a cache's backing is its vnode.
            RefPtr<Ext2Vnode> vnodes[batch];
            RefPtr<PageCache> caches[batch];
            usize count = 0;
            usize position;
            {
                MutexGuard guard(m_lock);
                if (m_released) {
                    return;
                }
                position = 0;
                for (Ext2Vnode* v = m_live[bucket]; v && count < batch;
                     v = v->hash_next, ++position) {
                    if (position < skip) {
                        continue;
                    }
                    // Not the cache's last reference, even of a dying
                    // vnode: its destructor keeps one until it has this lock.
                    RefPtr<PageCache> cache = v->cache();
                    if (!cache || !wanted(*v) || !v->try_ref()) {
                        continue; // no cache, not wanted, or dying
                    }
                    // Let go after the lock: either may be the last reference.
                    vnodes[count] = RefPtr<Ext2Vnode>::adopt(v);
                    caches[count++] = move(cache);
                }
            }
            for (usize i = 0; i < count; ++i) {
                work(*vnodes[i], *caches[i]);
            }
            if (count < batch) {
                break;
            }
            skip = position;
        }
    }
}

ErrorOr<void> Ext2Fs::write_back() {
    // First the files' dirty pages (stores through MAP_SHARED mappings),
    // which write_page takes to the volume under its lock: so they are
    // gathered under the lock and written after it.
    if (!m_volume.read_only()) {
        for_each_cached_file(
            [](Ext2Vnode& vnode) {
                RefPtr<PageCache> cache = vnode.cache();
                return cache && cache->dirty_count() > 0;
            },
            [](Ext2Vnode&, PageCache& cache) { (void)cache.write_back(0, ~u64{0}); });
    }
    MutexGuard guard(m_lock);
    if (m_released || m_volume.read_only()) {
        return {};
    }
    return write_back_locked();
}

void Ext2Fs::release() {
    if (!m_started) {
        return; // start failed: nothing was mounted
    }
    if (m_registered) {
        writeback::remove(*this); // before the volume lock, which ranks after the list's
        m_registered = false;
    }
    MutexGuard guard(m_lock);
    if (m_released) {
        return;
    }
    m_inactive.drop_all();
    ErrorOr<void> result;
    if (!m_volume.read_only()) {
        result = write_back_locked();
    }
    auto unmounted = m_volume.unmount();
    if (!unmounted.is_error() && !m_volume.read_only()) {
        unmounted = m_cache->write_back(); // the clean superblock
    }
    if (result.is_error() || unmounted.is_error()) {
        kprintln("ext2 {}: unmount could not write everything back", m_device->name());
    }
    m_released = true;
    // The disk is free for another mount now, not when the last reference
    // goes: the flusher or sync may hold this file system a while longer
    // (and then finds it released, with nothing to do).
    m_device->unclaim();
    m_claimed = false;
}

void Ext2Fs::statfs(abi::StatFs& out) {
    MutexGuard guard(m_lock);
    const Statfs s = m_volume.statfs();
    out.f_type = ABI_EXT2_SUPER_MAGIC;
    out.f_bsize = s.block_size;
    out.f_frsize = s.block_size;
    out.f_blocks = s.blocks;
    out.f_bfree = s.free_blocks;
    out.f_bavail = s.available_blocks;
    out.f_files = s.inodes;
    out.f_ffree = s.free_inodes;
    out.f_namelen = s.name_max;
}

// --- its vnodes --------------------------------------------------------------

Ext2Vnode::~Ext2Vnode() {
    // A copy: m_cache stays set until the volume lock, so a vnode made for
    // the inode meanwhile shares this cache (and the dirty pages it is
    // writing back) rather than reading the disk under them.
    RefPtr<PageCache> cache = this->cache(); // let go last, after the volume lock
    if (cache && link_count() > 0 && !m_fs->released()) {
        // No mapping is left (each held this vnode): what this writes stays clean.
        (void)cache->write_back(0, ~u64{0});
    }
    MutexGuard guard(m_fs->lock());
    m_fs->forget_locked(*this);
    {
        SpinlockGuard pointer(m_cache_pointer_lock);
        m_cache = nullptr;
    }
    const bool named = link_count() > 0 && !m_fs->released();
    if (!m_fs->released()) {
        m_fs->reconcile_locked(*this);
        if (link_count() == 0 && !m_fs->read_only()) {
            (void)m_fs->volume().evict(m_ino);
        }
    }
    if (m_superseded) {
        return; // the newer vnode has the cache
    }
    if (cache && named && cache->dirty_count() == 0) {
        cache->set_backing(nullptr);
        m_fs->park_locked(m_ino, move(cache));
        return;
    }
    m_fs->park_locked(m_ino, {}); // an older parked cache is stale now
    if (cache && !named) {
        cache->set_backing(nullptr); // an unlinked file's pages need no write-back
    }
    // Still dirty (its write-back failed): the cache's destructor, after
    // the lock, tries once more through this vnode.
}

ErrorOr<void> Ext2Vnode::sync() {
    if (RefPtr<PageCache> cache = this->cache()) {
        TRY(cache->write_back(0, ~u64{0}));
    }
    MutexGuard guard(m_fs->lock());
    TRY(usable());
    if (m_fs->read_only()) {
        return {};
    }
    m_fs->reconcile_locked(*this);
    return m_fs->flush_cache_locked();
}

ErrorOr<usize> Ext2Vnode::read(u64 offset, const IoBuffer& to, usize length) {
    if (is_directory()) {
        return Error(Errno::ISDIR, "is a directory");
    }
    if (is_special()) {
        return read_with_flags(offset, to, length, 0); // the FIFO or device, once opened
    }
    MutexGuard guard(m_write_lock);
    TRY(usable());
    // No cache (no memory for its table: a huge sparse file) or pages past
    // its table: those bytes come through the volume, uncached.
    auto made = cache_locked();
    RefPtr<PageCache> cache = made.is_error() ? RefPtr<PageCache>() : made.release_value();
    const u64 size = this->size(); // steady: it changes under m_write_lock
    if (offset >= size || length == 0) {
        touch_accessed();
        return 0;
    }
    length = static_cast<usize>(min<u64>(length, size - offset));
    usize done = 0;
    while (done < length) {
        const u64 at = offset + done;
        const usize n = static_cast<usize>(min<u64>(page_size - at % page_size, length - done));
        if (!cache || at / page_size >= cache->pages_reserved()) {
            auto copied = read_uncached(at, to, done, n);
            if (copied.is_error() && done == 0) {
                return copied.release_error();
            }
            if (copied.is_error() || copied.value() == 0) {
                break;
            }
            done += copied.value();
            if (copied.value() < n) {
                break;
            }
            continue;
        }
        if (cache->find(at / page_size).value() == 0) {
            // A miss: what this read still wants, and a batch more when
            // reads go in order, comes in at once.
            const u64 index = at / page_size;
            const u64 wanted = (at % page_size + length - done + page_size - 1) / page_size;
            read_ahead_locked(*cache, index,
                              index == m_next_read_page ? max<u64>(wanted, BufferCache::read_batch)
                                                        : wanted);
        }
        m_next_read_page = at / page_size + 1;
        auto frame = cache->find_or_create(at / page_size);
        if (frame.is_error()) {
            if (done) {
                break;
            }
            return frame.release_error();
        }
        // Straight from the page: the lock keeps it in the cache, and a
        // fault on the user buffer may fill pages (of this file too) but
        // needs only the volume lock.
        auto copied = to.write_some(done, phys_to_virt<u8>(frame.value()) + at % page_size, n);
        if (copied.is_error()) {
            if (done) {
                break;
            }
            return copied.release_error();
        }
        done += copied.value();
        if (copied.value() < n) {
            break;
        }
    }
    touch_accessed();
    return done;
}

void Ext2Vnode::read_ahead_locked(PageCache& cache, u64 first, u64 wanted) {
    constexpr usize batch = BufferCache::read_batch;
    // Whole pages of the file only (the last, short one is filled as
    // usual), and none while memory is short.
    const u64 whole_pages = size() / page_size;
    if (first >= whole_pages || first >= cache.pages_reserved() ||
        physical::approximate_free_frames() < physical::managed_frames() / 16) {
        return;
    }
    const u64 count =
        min<u64>(min<u64>(wanted, batch), min(whole_pages - first, cache.pages_reserved() - first));
    if (count < 2) {
        return; // one page: the usual fill
    }
    PhysAddr frames[batch];
    usize made = 0;
    for (; made < count && cache.find(first + made).value() == 0; ++made) {
        auto frame = allocate_user_frame(false);
        if (frame.is_error()) {
            break;
        }
        frames[made] = frame.value();
    }
    u64 offsets[batch];
    bool read[batch] = {};
    usize mapped = 0;
    {
        MutexGuard guard(m_fs->lock());
        Volume& volume = m_fs->volume();
        const u32 block_size = volume.block_size();
        if (!usable().is_error() && block_size <= page_size) {
            const u64 per_page = page_size / block_size;
            for (; mapped < made; ++mapped) {
                u64 start = 0;
                bool in_order = true;
                for (u64 k = 0; k < per_page && in_order; ++k) {
                    auto block = volume.map(m_ino, (first + mapped) * per_page + k, false);
                    if (block.is_error() || block.value() == 0) {
                        in_order = false;
                    } else if (k == 0) {
                        start = block.value();
                    } else {
                        in_order = block.value() == start + k;
                    }
                }
                if (!in_order || start * block_size % page_size != 0) {
                    break;
                }
                offsets[mapped] = start * block_size;
            }
            if (mapped >= 2) {
                (void)m_fs->buffer_cache_locked().read_pages_around(offsets, frames, mapped, read);
            }
        }
    }
    for (usize i = 0; i < made; ++i) {
        if (i < mapped && read[i]) {
            cache.insert_filled(first + i, frames[i]);
        } else {
            release_user_frame(frames[i]);
        }
    }
}

ErrorOr<usize> Ext2Vnode::read_uncached(u64 at, const IoBuffer& to, usize done, usize n) {
    Bounce bounce;
    TRY(bounce.allocate());
    usize got;
    {
        MutexGuard guard(m_fs->lock());
        TRY(usable());
        got = TRY(m_fs->volume().read(m_ino, at, bounce.data(), n));
    }
    return to.write_some(done, bounce.data(), got);
}

ErrorOr<RefPtr<PageCache>> Ext2Vnode::cache_locked() {
    if (RefPtr<PageCache> cache = this->cache()) {
        return cache;
    }
    RefPtr<PageCache> made = TRY(PageCache::try_create(this, size(), device(), inode()));
    SpinlockGuard pointer(m_cache_pointer_lock);
    m_cache = made;
    return made;
}

namespace {

// After a write of bytes at offset reached the volume: the same bytes in
// the pages the cache has, and its size (the part of the old last page past
// the old end zeroed first, as a MAP_SHARED store may have left bytes there).
void update_cache(PageCache& cache, u64 old_size, u64 offset, const u8* bytes, usize length) {
    cache.note_change(); // before the pages are looked at: see PageCache::fill
    const u64 end = offset + length;
    if (end > old_size) {
        cache.zero_page_from(old_size);
        if (cache.pages_reserved() >= (end + page_size - 1) / page_size) {
            cache.set_size(end); // reserved by the writer before the volume lock
        }
    }
    for (usize done = 0; done < length;) {
        const u64 at = offset + done;
        const usize n = static_cast<usize>(min<u64>(page_size - at % page_size, length - done));
        if (const PhysAddr frame = cache.find(at / page_size); frame.value()) {
            __builtin_memcpy(phys_to_virt<u8>(frame) + at % page_size, bytes + done, n);
        }
        done += n;
    }
}

} // namespace

ErrorOr<usize> Ext2Vnode::write_locked(u64 offset, const IoBuffer& from, usize length) {
    // What is written is cached as it is written (read next, as Linux).
    // Without memory for the cache's table (a huge sparse file), the pages
    // past the table are not cached (read() reads them from the volume).
    auto made = cache_locked();
    RefPtr<PageCache> cache = made.is_error() ? RefPtr<PageCache>() : made.release_value();
    if (cache && length) {
        // Room for the pages the write may add, before the volume lock
        // (taking the mappers' locks to undo it would be out of order).
        const u64 end = offset + length < offset ? ~u64{0} : offset + length;
        (void)cache->reserve((end + page_size - 1) / page_size);
    }
    Bounce bounce;
    TRY(bounce.allocate());
    usize done = 0;
    ErrorOr<void> failure;
    while (done < length) {
        const usize chunk = min<usize>(page_size - (offset + done) % page_size, length - done);
        auto copied = from.read_some(done, bounce.data(), chunk);
        if (copied.is_error() || copied.value() == 0) {
            if (copied.is_error()) {
                failure = copied.release_error();
            }
            break;
        }
        const u64 at = offset + done;
        u64 old_size;
        usize wrote;
        {
            MutexGuard guard(m_fs->lock());
            if (auto ok = writable(); ok.is_error()) {
                failure = ok.release_error();
                break;
            }
            auto result = m_fs->volume().write(m_ino, at, bounce.data(), copied.value());
            if (result.is_error()) {
                failure = result.release_error();
                reload_locked();
                break;
            }
            wrote = result.value();
            old_size = size();
            reload_locked();
            if (cache) {
                update_cache(*cache, old_size, at, bounce.data(), wrote);
            }
        }
        // A page the cache lacks goes in if this write made all of it: the
        // whole page, or one that begins past the old end (the rest zero).
        const u64 page_start = at - at % page_size;
        if (cache && wrote > 0 && at / page_size < cache->pages_reserved() &&
            (wrote == page_size || page_start >= old_size)) {
            cache->put_page(at / page_size, at % page_size, bounce.data(), wrote);
        }
        done += wrote;
        if (wrote < copied.value()) {
            break;
        }
    }
    if (done == 0 && failure.is_error()) {
        return failure.release_error();
    }
    return done;
}

ErrorOr<usize> Ext2Vnode::write(u64 offset, const IoBuffer& from, usize length) {
    if (is_special()) {
        return write_with_flags(offset, from, length, 0);
    }
    MutexGuard guard(m_write_lock);
    return write_locked(offset, from, length);
}

ErrorOr<usize> Ext2Vnode::append(const IoBuffer& from, usize length, u32 flags, u64& end) {
    if (is_special()) { // a FIFO or device: O_APPEND means nothing there
        end = 0;
        return write_with_flags(0, from, length, flags);
    }
    MutexGuard guard(m_write_lock);
    const u64 at = size();
    const usize n = TRY(write_locked(at, from, length));
    end = at + n;
    return n;
}

ErrorOr<void> Ext2Vnode::truncate(u64 new_size) {
    MutexGuard write_guard(m_write_lock);
    RefPtr<PageCache> cache = this->cache();
    u64 old_size;
    {
        MutexGuard guard(m_fs->lock());
        TRY(writable());
        old_size = size();
        auto result = m_fs->volume().truncate(m_ino, new_size);
        reload_locked();
        if (cache) {
            cache->note_change();
        }
        TRY(result);
    }
    if (cache) { // without the volume lock: truncate takes every mapper's space
        if (new_size < old_size) {
            cache->truncate(new_size);
        } else if (new_size > old_size) {
            grow_cache(*cache, old_size, new_size);
        }
    }
    return {};
}

void Ext2Vnode::grow_cache(PageCache& cache, u64 old_size, u64 new_size) {
    cache.zero_page_from(old_size);
    if (cache.reserve((new_size + page_size - 1) / page_size).is_error()) {
        cache.truncate(old_size); // the cache's pages are right; faults past them SIGBUS
    } else {
        cache.set_size(new_size);
    }
}

ErrorOr<void> Ext2Vnode::extend(u64, u64 new_size) {
    MutexGuard write_guard(m_write_lock);
    RefPtr<PageCache> cache = this->cache();
    u64 old_size;
    {
        MutexGuard guard(m_fs->lock());
        TRY(writable());
        old_size = size();
        if (new_size <= old_size) {
            return {};
        }
        // The file grows over a hole: blocks come when it is written.
        auto result = m_fs->volume().truncate(m_ino, new_size);
        reload_locked();
        if (cache) {
            cache->note_change();
        }
        TRY(result);
    }
    if (cache) {
        grow_cache(*cache, old_size, new_size);
    }
    return {};
}

ErrorOr<RefPtr<Vnode>> Ext2Vnode::lookup(StringView name) {
    if (!is_directory()) {
        return Error(Errno::NOTDIR, "not a directory");
    }
    MutexGuard guard(m_fs->lock());
    TRY(usable());
    const u32 ino = TRY(m_fs->volume().lookup(m_ino, name));
    return RefPtr<Vnode>(TRY(m_fs->vnode_locked(ino, this)));
}

ErrorOr<bool> Ext2Vnode::read_directory(usize index, DirectoryEntry& out) {
    if (!is_directory()) {
        return Error(Errno::NOTDIR, "not a directory");
    }
    MutexGuard guard(m_fs->lock());
    TRY(usable());
    if (index < m_cursor_index) {
        m_cursor_index = 0;
        m_cursor_position = 0;
    }
    DirEntry entry;
    for (;;) {
        if (!TRY(m_fs->volume().read_dir(m_ino, m_cursor_position, entry))) {
            return false;
        }
        const StringView name = entry.name_view();
        if (name == "." || name == "..") {
            continue; // the VFS gives those
        }
        if (m_cursor_index++ == index) {
            break;
        }
    }
    __builtin_memcpy(out.name, entry.name, entry.name_length);
    out.name[entry.name_length] = '\0';
    out.inode = entry.inode;
    switch (entry.file_type) {
    case ft_reg:
        out.type = VnodeType::Regular;
        break;
    case ft_dir:
        out.type = VnodeType::Directory;
        break;
    case ft_symlink:
        out.type = VnodeType::Symlink;
        break;
    case ft_chrdev:
        out.type = VnodeType::CharDevice;
        break;
    case ft_blkdev:
        out.type = VnodeType::BlockDevice;
        break;
    case ft_fifo:
        out.type = VnodeType::Fifo;
        break;
    case ft_sock:
        out.type = VnodeType::Socket;
        break;
    default: {
        const Inode inode = TRY(m_fs->volume().read_inode(entry.inode));
        out.type = type_of_mode(inode.mode);
    }
    }
    return true;
}

ErrorOr<usize> Ext2Vnode::read_link(char* out, usize capacity) {
    if (type() != VnodeType::Symlink) {
        return Error(Errno::INVAL, "not a symlink");
    }
    MutexGuard guard(m_fs->lock());
    TRY(usable());
    return m_fs->volume().readlink(m_ino, out, capacity);
}

ErrorOr<RefPtr<Vnode>> Ext2Vnode::create(StringView name, VnodeType kind, u32 permissions) {
    if (!is_directory()) {
        return Error(Errno::NOTDIR, "not a directory");
    }
    MutexGuard guard(m_fs->lock());
    TRY(can_add_names());
    const u16 bits = static_cast<u16>(permissions & 07777);
    u32 ino;
    if (kind == VnodeType::Regular) {
        ino = TRY(m_fs->volume().create(m_ino, name, mode_reg | bits, 0, 0));
    } else if (kind == VnodeType::Directory) {
        ino = TRY(m_fs->volume().mkdir(m_ino, name, mode_dir | bits, 0, 0));
    } else {
        return Error(Errno::PERM, "sockets on ext2 are not supported yet");
    }
    reload_locked(); // its times, and a new subdirectory's ".." link
    return RefPtr<Vnode>(TRY(m_fs->vnode_locked(ino, this)));
}

ErrorOr<void> Ext2Vnode::remove(StringView name) {
    if (!is_directory()) {
        return Error(Errno::NOTDIR, "not a directory");
    }
    RefPtr<Ext2Vnode> child; // let go after the lock: it may be the last reference
    MutexGuard guard(m_fs->lock());
    TRY(writable());
    const u32 ino = TRY(m_fs->volume().lookup(m_ino, name));
    child = m_fs->find_live_locked(ino);
    bool directory;
    if (child) {
        if (child->mounted) {
            return Error(Errno::BUSY, "a file system is mounted there");
        }
        directory = child->is_directory();
    } else {
        directory = is_dir(TRY(m_fs->volume().read_inode(ino)));
    }
    const Unlinked gone = directory ? TRY(m_fs->volume().rmdir(m_ino, name))
                                    : TRY(m_fs->volume().unlink(m_ino, name));
    if (child) {
        child->reload_locked();
    }
    m_fs->unlinked_locked(gone.inode);
    reload_locked();
    return {};
}

ErrorOr<void> Ext2Vnode::add_node(StringView name, const RefPtr<Vnode>& node) {
    if (!is_directory()) {
        return Error(Errno::NOTDIR, "not a directory");
    }
    u16 kind;
    switch (node->type()) {
    case VnodeType::Fifo:
        kind = mode_fifo;
        break;
    case VnodeType::CharDevice:
        kind = mode_chr;
        break;
    case VnodeType::BlockDevice:
        kind = mode_blk;
        break;
    default:
        return Error(Errno::PERM, "that kind of node cannot be made on ext2");
    }
    MutexGuard guard(m_fs->lock());
    TRY(can_add_names());
    const u16 mode = static_cast<u16>(kind | (node->permissions() & 07777));
    TRY(m_fs->volume().create(m_ino, name, mode, node->uid(), node->gid(),
                              static_cast<u32>(node->device_number())));
    reload_locked();
    return {};
}

ErrorOr<void> Ext2Vnode::link(StringView name, const RefPtr<Vnode>& file) {
    if (file->device() != device()) {
        return Error(Errno::XDEV, "link across file systems");
    }
    MutexGuard guard(m_fs->lock());
    TRY(can_add_names());
    if (file->is_directory()) {
        return Error(Errno::PERM, "directories cannot have hard links");
    }
    auto& target = static_cast<Ext2Vnode&>(*file);
    TRY(m_fs->volume().link(m_ino, name, target.ino()));
    target.reload_locked();
    reload_locked();
    return {};
}

ErrorOr<void> Ext2Vnode::symlink(StringView name, StringView target) {
    MutexGuard guard(m_fs->lock());
    TRY(can_add_names());
    TRY(m_fs->volume().symlink(m_ino, name, target, 0, 0));
    reload_locked();
    return {};
}

ErrorOr<void> Ext2Vnode::rename(StringView old_name, Vnode& target, StringView new_name) {
    if (!target.is_directory()) {
        return Error(Errno::NOTDIR, "not a directory");
    }
    if (target.device() != device()) { // EXDEV before EROFS, in Linux's order
        return Error(Errno::XDEV, "rename across file systems");
    }
    auto& destination = static_cast<Ext2Vnode&>(target);
    RefPtr<Ext2Vnode> moving; // let go after the locks
    RefPtr<Ext2Vnode> replaced;
    RefPtr<Vnode> old_parent;
    vfs::NamespaceGuard tree; // parent links change below
    MutexGuard guard(m_fs->lock());
    TRY(writable());
    TRY(destination.can_add_names());
    const u32 ino = TRY(m_fs->volume().lookup(m_ino, old_name));
    moving = m_fs->find_live_locked(ino);
    if (moving && moving->mounted) {
        return Error(Errno::BUSY, "a file system is mounted there");
    }
    auto existing = m_fs->volume().lookup(destination.ino(), new_name);
    if (!existing.is_error()) {
        replaced = m_fs->find_live_locked(existing.value());
        if (replaced && replaced->mounted) {
            return Error(Errno::BUSY, "a file system is mounted there");
        }
    }
    const Unlinked gone = TRY(m_fs->volume().rename(m_ino, old_name, destination.ino(), new_name));
    if (moving && moving.ptr() != replaced.ptr()) {
        old_parent = moving->hold_parent(&destination);
        moving->reload_locked();
    }
    if (replaced) {
        replaced->reload_locked();
    }
    m_fs->unlinked_locked(gone.inode);
    reload_locked();
    if (&destination != this) {
        destination.reload_locked();
    }
    return {};
}

ErrorOr<RefPtr<PageCache>> Ext2Vnode::page_cache() {
    if (type() != VnodeType::Regular) {
        return Error(Errno::NODEV, "only regular files can be mapped");
    }
    MutexGuard guard(m_write_lock);
    TRY(usable());
    return cache_locked();
}

ErrorOr<void> Ext2Vnode::read_page(u64 index, u8* page) {
    MutexGuard guard(m_fs->lock());
    TRY(usable());
    const usize got = TRY(m_fs->volume().read(m_ino, index * page_size, page, page_size));
    __builtin_memset(page + got, 0, page_size - got);
    return {};
}

ErrorOr<void> Ext2Vnode::write_page(u64 index, const u8* page, usize valid_bytes) {
    MutexGuard guard(m_fs->lock());
    TRY(writable());
    const u64 at = index * page_size;
    // Only up to the file's end as the volume has it: a truncate may have
    // cut the file since the cache chose this page.
    if (at >= size()) {
        return {};
    }
    const usize n = static_cast<usize>(min<u64>(valid_bytes, size() - at));
    const usize wrote = TRY(m_fs->volume().write(m_ino, at, page, n));
    reload_locked();
    if (wrote < n) {
        return Error(Errno::NOSPC, "no room on the disk for a mapped page");
    }
    return {};
}

} // namespace

ErrorOr<RefPtr<DiskFileSystem>> mount(RefPtr<BlockDevice> device, bool read_only) {
    if (!device->try_claim()) {
        return Error(Errno::BUSY, "the device is already mounted");
    }
    // The cache takes at most a quarter of the free memory, and 64 MiB.
    const usize pages = min<usize>(physical::stats().free_frames / 4, 64 * MiB / page_size);
    auto cache = BufferCache::create(device, pages);
    if (cache.is_error()) {
        device->unclaim();
        return cache.release_error();
    }
    auto fs = try_make_ref<Ext2Fs>(device, cache.release_value());
    if (fs.is_error()) {
        device->unclaim();
        return fs.release_error();
    }
    TRY(fs.value()->start(read_only)); // a failure frees fs, which unclaims the device
    return RefPtr<DiskFileSystem>(fs.release_value());
}

} // namespace kite::ext2
