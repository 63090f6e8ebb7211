// memory_fs.h: directories, files and symlinks that live in memory. The
// initrd builds a read-only tree of them whose files point into the archive
// (read in place, never copied); tmpfs builds a writable one. Directory
// entries are guarded by the namespace lock (fs/namespace_lock.h), which
// every directory method takes; a file's bytes by the file's own lock.
// A writable file keeps its bytes in a page cache (mm/page_cache.h) that
// read, write and mmap share; an initrd file makes one only when mapped,
// filled from the archive.
#pragma once

#include "fs/tmpfs_space.h"
#include "fs/vnode.h"
#include "lib/kbuffer.h"
#include "lib/own_ptr.h"
#include "mm/page_cache.h"
#include "sync/mutex.h"

namespace kite {

class MemoryDirectory final : public Vnode {
  public:
    // space: the tmpfs this directory is part of (null elsewhere); what
    // is created in it joins that tmpfs.
    MemoryDirectory(bool writable, u32 permissions, RefPtr<TmpfsSpace> space = {});
    ~MemoryDirectory() override;

    // Adds a child; EEXIST if the name is taken.
    [[nodiscard]] ErrorOr<void> add(StringView name, RefPtr<Vnode> child);

    ErrorOr<RefPtr<Vnode>> lookup(StringView name) override;
    ErrorOr<bool> read_directory(usize index, DirectoryEntry& out) override;
    ErrorOr<RefPtr<Vnode>> create(StringView name, VnodeType type, u32 permissions) override;
    ErrorOr<void> add_node(StringView name, const RefPtr<Vnode>& node) override;
    ErrorOr<void> remove(StringView name) override;
    ErrorOr<void> rename(StringView old_name, Vnode& target, StringView new_name) override;
    ErrorOr<void> link(StringView name, const RefPtr<Vnode>& file) override;
    ErrorOr<void> symlink(StringView name, StringView target) override;
    // 2 and one per subdirectory (their ".."), as Linux's tmpfs; 0 once removed.
    u32 link_count() const override;
    bool can_sync() const override { return true; }
    bool is_read_only() const override { return !writable(); }

    // umount's question, under the namespace lock: whether anything beyond
    // this tree's own entries holds one of its vnodes (an open file, a
    // working directory, a mapped program) or a file system is mounted in
    // it. An entry's vnode is held once per name; any more is a user.
    [[nodiscard]] bool tree_is_busy() const;

  private:
    [[nodiscard]] bool writable() const {
        return m_writable && !(m_space && m_space->is_read_only());
    }
    // The helpers below run under the namespace lock.
    [[nodiscard]] bool is_empty() const;
    // One entry: its name (NUL-terminated, owned), the vnode, the next
    // entry. The directory owns its entries.
    struct Child {
        KBuffer name;
        RefPtr<Vnode> vnode;
        Child* next = nullptr;
        [[nodiscard]] StringView name_view() const { return StringView(name.chars()); }
    };
    [[nodiscard]] Child* find(StringView name);
    // Takes the entry out of the list without checks; the caller owns it.
    [[nodiscard]] OwnPtr<Child> detach(StringView name);
    // The entry's name is gone for good: unhook its vnode from this
    // directory (parent, name count; a directory becomes removed).
    void forget(Vnode& vnode);

    // Entries of directories being destroyed, freed by the outermost
    // destructor: freeing an entry may free a subdirectory, whose destructor
    // only adds its entries here, so a deep tree (an unmounted tmpfs, say)
    // goes in a loop rather than one stack frame per level. Under the
    // namespace lock.
    static Child* s_dying_entries;
    static bool s_freeing_entries;

    Child* m_children = nullptr;
    Child* m_last = nullptr;
    RefPtr<TmpfsSpace> m_space;
    bool m_writable;
    // Set once this directory's own entry is removed. Nothing may be added
    // to it after that (ENOENT, as Linux): a child's raw parent pointer
    // must never outlive the directory it points to.
    bool m_removed = false;
    // Where it was removed from: its parent link stays (".." of a removed
    // working directory is still that directory, as on Linux), and this
    // keeps what it points to alive.
    RefPtr<Vnode> m_removed_from;
};

class MemoryFile final : public Vnode, private PageBacking {
  public:
    // A read-only file whose contents stay where they are.
    MemoryFile(StringView contents, u32 permissions);
    // An empty writable file, charged to space if it has one.
    explicit MemoryFile(u32 permissions, RefPtr<TmpfsSpace> space = {});
    ~MemoryFile() override;

    u64 size() const override;
    bool is_read_only() const override {
        return !m_writable || (m_space && m_space->is_read_only());
    }
    u32 link_count() const override;
    bool can_sync() const override { return true; }
    ErrorOr<usize> read(u64 offset, const IoBuffer& to, usize length) override;
    ErrorOr<usize> write(u64 offset, const IoBuffer& from, usize length) override;
    ErrorOr<usize> append(const IoBuffer& from, usize length, u32 flags, u64& end) override;
    // A writable file: the pages it has (holes take none), as Linux's tmpfs.
    u64 blocks() const override;
    ErrorOr<void> truncate(u64 size) override;
    ErrorOr<void> extend(u64 offset, u64 end) override;
    ErrorOr<RefPtr<PageCache>> page_cache() override;

  private:
    // The initrd's backing: pages come from the archive; nothing is
    // written back (the file is read-only).
    ErrorOr<void> read_page(u64 index, u8* page) override;
    ErrorOr<void> write_page(u64, const u8*, usize) override {
        return Error(Errno::ROFS, "read-only file system");
    }
    bool writes_back() const override { return false; }
    void cache_destroyed(PageCache& cache) override;

    // These run under m_lock.
    // The cache of a writable file, made at its first byte (its pages
    // charged to m_space); room for pages [0, pages) (ENOSPC without
    // memory).
    [[nodiscard]] ErrorOr<void> reserve_pages(u64 pages);
    [[nodiscard]] ErrorOr<usize> read_pages_locked(u64 offset, const IoBuffer& to, usize length);
    [[nodiscard]] ErrorOr<void> resize_locked(u64 size);
    [[nodiscard]] ErrorOr<usize> write_locked(u64 offset, const IoBuffer& from, usize length);

    // Guards everything below, and is held across the copy to or from user
    // memory (which may fault and bring a page in, from this very file's
    // cache if the buffer maps it: the fault takes only the cache's lock).
    // It is the cache's data lock: pages leave the cache only under it.
    mutable Mutex m_lock{"memory file", LockRank::FileData};
    const u8* m_data = nullptr; // a read-only file's contents, in place
    // A writable file's bytes (null while it has none).
    RefPtr<PageCache> m_cache;
    // A read-only file's cache while some mapping holds it (the mappings
    // own it; it clears this as it goes, lock-free: cache_destroyed).
    PageCache* m_mapped_cache = nullptr;
    u64 m_size = 0;
    RefPtr<TmpfsSpace> m_space; // null: no limit (the initrd, procfs)
    bool m_writable;
};

class MemorySymlink final : public Vnode {
  public:
    // writable: whether its owner and times may change (not in the initrd).
    [[nodiscard]] static ErrorOr<RefPtr<Vnode>> create(StringView target, bool writable = false);
    u64 size() const override { return m_length; }
    ErrorOr<usize> read_link(char* out, usize capacity) override;
    u32 link_count() const override;
    bool is_read_only() const override { return !m_writable; }

  private:
    explicit MemorySymlink(bool writable) : Vnode(VnodeType::Symlink, 0777), m_writable(writable) {}
    bool m_writable;
    KBuffer m_target;
    usize m_length = 0;
};

} // namespace kite
