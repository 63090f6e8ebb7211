// memory_fs.cpp: see memory_fs.h.
#include "fs/memory_fs.h"

#include "debug/panic.h"
#include "fs/namespace_lock.h"
#include "mm/direct_map.h"
#include "net/unix_socket_name.h"
#include "proc/signal_pending.h"

namespace kite {

namespace {

// A NUL-terminated copy of name.
ErrorOr<KBuffer> copy_name(StringView name) {
    KBuffer copy = TRY(KBuffer::try_create(name.length() + 1));
    __builtin_memcpy(copy.data(), name.data(), name.length());
    copy.chars()[name.length()] = '\0';
    return copy;
}

} // namespace

MemoryDirectory::MemoryDirectory(bool writable, u32 permissions, RefPtr<TmpfsSpace> space)
    : Vnode(VnodeType::Directory, permissions), m_space(move(space)), m_writable(writable) {}

MemoryDirectory::Child* MemoryDirectory::s_dying_entries = nullptr;
bool MemoryDirectory::s_freeing_entries = false;

MemoryDirectory::~MemoryDirectory() {
    // Only a directory nobody removed can still have entries (removal needs
    // it empty), and its children's parent links point here.
    if (!m_children) {
        return;
    }
    vfs::NamespaceGuard guard;
    while (Child* child = m_children) {
        m_children = child->next;
        if (child->vnode->parent == this) {
            child->vnode->parent = nullptr;
        }
        --child->vnode->names;
        child->next = s_dying_entries; // the directory owns its entries
        s_dying_entries = child;
    }
    if (s_freeing_entries) {
        return; // an outer destructor's loop frees them
    }
    s_freeing_entries = true;
    while (Child* child = s_dying_entries) {
        s_dying_entries = child->next;
        delete child;
    }
    s_freeing_entries = false;
}

bool MemoryDirectory::is_empty() const {
    VERIFY(vfs::namespace_lock().is_held());
    return m_children == nullptr;
}

ErrorOr<void> MemoryDirectory::add(StringView name, RefPtr<Vnode> child) {
    vfs::NamespaceGuard guard;
    if (name.is_empty() || name == "." || name == ".." || name.length() > max_name_length) {
        return Error(Errno::INVAL, "bad file name");
    }
    if (m_removed) {
        return Error(Errno::NOENT, "the directory has been removed");
    }
    if (find(name)) {
        return Error(Errno::EXIST, "name exists");
    }
    OwnPtr<Child> owned = TRY(try_make<Child>());
    owned->name = TRY(copy_name(name));
    owned->vnode = child;
    Child* entry = owned.leak(); // owned by the list from here on
    child->parent = this;
    ++child->names;
    (m_last ? m_last->next : m_children) = entry;
    m_last = entry;
    return {};
}

ErrorOr<RefPtr<Vnode>> MemoryDirectory::lookup(StringView name) {
    vfs::NamespaceGuard guard;
    if (Child* c = find(name)) {
        return c->vnode; // the reference is taken under the lock
    }
    return Error(Errno::NOENT, "no such file or directory");
}

ErrorOr<bool> MemoryDirectory::read_directory(usize index, DirectoryEntry& out) {
    vfs::NamespaceGuard guard;
    Child* c = m_children;
    for (usize i = 0; c && i < index; ++i) {
        c = c->next;
    }
    if (!c) {
        return false;
    }
    const StringView name = c->name_view();
    __builtin_memcpy(out.name, name.data(), name.length() + 1);
    out.inode = c->vnode->inode();
    out.type = c->vnode->type();
    return true;
}

ErrorOr<RefPtr<Vnode>> MemoryDirectory::create(StringView name, VnodeType type, u32 permissions) {
    if (!writable()) {
        return Error(Errno::ROFS, "read-only file system");
    }
    RefPtr<Vnode> node;
    if (type == VnodeType::Directory) {
        node = TRY(try_make_ref<MemoryDirectory>(true, permissions, m_space));
    } else if (type == VnodeType::Regular) {
        node = TRY(try_make_ref<MemoryFile>(permissions, m_space));
    } else if (type == VnodeType::Socket) {
        node = TRY(create_socket_name(permissions)); // bind(2) of an AF_UNIX socket
    } else {
        return Error(Errno::INVAL, "cannot create that kind of file here");
    }
    node->set_device(device());
    TRY(add(name, node)); // a failure frees the unnamed node
    touch_modified();
    return node;
}

ErrorOr<void> MemoryDirectory::add_node(StringView name, const RefPtr<Vnode>& node) {
    if (!writable()) {
        return Error(Errno::ROFS, "read-only file system");
    }
    node->set_device(device());
    TRY(add(name, node));
    touch_modified();
    return {};
}

ErrorOr<void> MemoryDirectory::symlink(StringView name, StringView target) {
    if (!writable()) {
        return Error(Errno::ROFS, "read-only file system");
    }
    RefPtr<Vnode> link = TRY(MemorySymlink::create(target, true));
    link->set_device(device());
    TRY(add(name, move(link)));
    touch_modified();
    return {};
}

MemoryDirectory::Child* MemoryDirectory::find(StringView name) {
    VERIFY(vfs::namespace_lock().is_held());
    for (Child* c = m_children; c; c = c->next) {
        if (c->name_view() == name) {
            return c;
        }
    }
    return nullptr;
}

OwnPtr<MemoryDirectory::Child> MemoryDirectory::detach(StringView name) {
    VERIFY(vfs::namespace_lock().is_held());
    Child* previous = nullptr;
    for (Child* c = m_children; c; previous = c, c = c->next) {
        if (c->name_view() == name) {
            (previous ? previous->next : m_children) = c->next;
            if (m_last == c) {
                m_last = previous;
            }
            c->next = nullptr;
            return OwnPtr<Child>::adopt(c);
        }
    }
    return {};
}

void MemoryDirectory::forget(Vnode& vnode) {
    VERIFY(vfs::namespace_lock().is_held());
    --vnode.names;
    vnode.touch_changed();
    if (vnode.is_directory()) {
        // A directory has one name: its parent link stays, held.
        auto& directory = static_cast<MemoryDirectory&>(vnode);
        directory.m_removed = true;
        directory.m_removed_from = RefPtr<Vnode>(this);
        return;
    }
    // A file with another name elsewhere may point there instead.
    if (vnode.parent == this) {
        vnode.parent = nullptr;
    }
}

bool MemoryDirectory::tree_is_busy() const {
    VERIFY(vfs::namespace_lock().is_held());
    // Depth first without recursion (a deep tree must not take the kernel
    // stack): a finished directory goes back up to the entry after its own.
    const MemoryDirectory* directory = this;
    const Child* entry = m_children;
    for (;;) {
        if (!entry) {
            if (directory == this) {
                return false;
            }
            const auto* up = static_cast<const MemoryDirectory*>(directory->parent);
            const Child* own = up->m_children;
            while (own->vnode.ptr() != directory) {
                own = own->next;
            }
            directory = up;
            entry = own->next;
            continue;
        }
        const Vnode& vnode = *entry->vnode;
        if (vnode.mounted || vnode.ref_count() > vnode.names) {
            return true;
        }
        if (vnode.is_directory()) {
            directory = static_cast<const MemoryDirectory*>(&vnode);
            entry = directory->m_children;
        } else {
            entry = entry->next;
        }
    }
}

u32 MemoryDirectory::link_count() const {
    vfs::NamespaceGuard guard;
    if (m_removed) {
        return 0;
    }
    u32 count = 2;
    for (const Child* c = m_children; c; c = c->next) {
        count += c->vnode->is_directory();
    }
    return count;
}

// Memory file systems tell themselves apart by device number (initrd,
// devfs and each tmpfs have their own), and every directory of one is a
// MemoryDirectory: rename and link rely on both.
ErrorOr<void> MemoryDirectory::rename(StringView old_name, Vnode& target, StringView new_name) {
    if (!target.is_directory()) {
        return Error(Errno::NOTDIR, "not a directory");
    }
    if (target.device() != device()) { // EXDEV before EROFS, in Linux's order
        return Error(Errno::XDEV, "rename across file systems");
    }
    if (!writable()) {
        return Error(Errno::ROFS, "read-only file system");
    }
    auto& destination = static_cast<MemoryDirectory&>(target);
    // From here to the end the tree holds still: both directories' entries
    // and every parent link walked below.
    vfs::NamespaceGuard guard;
    if (destination.m_removed) {
        return Error(Errno::NOENT, "the directory has been removed");
    }
    Child* old_slot = find(old_name);
    if (!old_slot) {
        return Error(Errno::NOENT, "no such file or directory");
    }
    RefPtr<Vnode> moving = old_slot->vnode;
    if (moving->mounted) {
        return Error(Errno::BUSY, "a file system is mounted there");
    }
    // A directory cannot move into its own subtree.
    for (const Vnode* at = &target; at; at = at->parent) {
        if (at == moving.ptr()) {
            return Error(Errno::INVAL, "a directory cannot move into itself");
        }
    }
    if (Child* slot = destination.find(new_name)) {
        // Replace the entry in place: no allocation, so no failure after
        // the old target is gone.
        Vnode& victim = *slot->vnode;
        if (&victim == moving.ptr()) {
            return {}; // the same file: nothing to do
        }
        if (victim.is_directory() && !moving->is_directory()) {
            return Error(Errno::ISDIR, "cannot replace a directory with a file");
        }
        if (!victim.is_directory() && moving->is_directory()) {
            return Error(Errno::NOTDIR, "cannot replace a file with a directory");
        }
        if (victim.is_directory() && !static_cast<MemoryDirectory&>(victim).is_empty()) {
            return Error(Errno::NOTEMPTY, "directory not empty");
        }
        if (victim.mounted) {
            return Error(Errno::BUSY, "a file system is mounted there");
        }
        const RefPtr<Vnode> replaced = slot->vnode; // alive until forgotten
        destination.forget(*replaced);
        slot->vnode = moving;
        ++moving->names;
    } else {
        TRY(destination.add(new_name, moving)); // a failure leaves the old entry in place
    }
    OwnPtr<Child> old_entry = detach(old_name);
    --old_entry->vnode->names;
    moving->parent = &destination;
    touch_modified();
    destination.touch_modified();
    moving->touch_changed();
    return {};
}

ErrorOr<void> MemoryDirectory::link(StringView name, const RefPtr<Vnode>& file) {
    // Linux's order: EXDEV, then EROFS, then EPERM for a directory.
    if (file->device() != device()) {
        return Error(Errno::XDEV, "link across file systems");
    }
    if (!writable()) {
        return Error(Errno::ROFS, "read-only file system");
    }
    if (file->is_directory()) {
        return Error(Errno::PERM, "directories cannot have hard links");
    }
    vfs::NamespaceGuard guard; // the name check and the insertion are one step
    // add() gives EEXIST and points parent here: for a file it only says
    // where one of its names is.
    TRY(add(name, file));
    touch_modified();
    file->touch_changed();
    return {};
}

ErrorOr<void> MemoryDirectory::remove(StringView name) {
    if (!writable()) {
        return Error(Errno::ROFS, "read-only file system");
    }
    vfs::NamespaceGuard guard;
    Child* c = find(name);
    if (!c) {
        return Error(Errno::NOENT, "no such file or directory");
    }
    if (c->vnode->is_directory() && !static_cast<MemoryDirectory*>(c->vnode.ptr())->is_empty()) {
        return Error(Errno::NOTEMPTY, "directory not empty");
    }
    if (c->vnode->mounted) {
        return Error(Errno::BUSY, "a file system is mounted there");
    }
    OwnPtr<Child> entry = detach(name);
    forget(*entry->vnode);
    touch_modified();
    entry.reset(); // may free the vnode: nothing names it and nobody holds it
    return {};
}

MemoryFile::MemoryFile(StringView contents, u32 permissions)
    : Vnode(VnodeType::Regular, permissions), m_data(reinterpret_cast<const u8*>(contents.data())),
      m_size(contents.length()), m_writable(false) {}

// The names of files and symlinks change under the namespace lock.
u32 MemoryFile::link_count() const {
    vfs::NamespaceGuard guard;
    return names;
}

u32 MemorySymlink::link_count() const {
    vfs::NamespaceGuard guard;
    return names;
}

MemoryFile::MemoryFile(u32 permissions, RefPtr<TmpfsSpace> space)
    : Vnode(VnodeType::Regular, permissions), m_space(move(space)), m_writable(true) {}

MemoryFile::~MemoryFile() {
    // Mappings hold the vnode as long as its cache, so a read-only file's
    // cache is gone by now; checked, as the cache would read from here.
    // A writable file's pages go back to its tmpfs with its cache.
    VERIFY(!__atomic_load_n(&m_mapped_cache, __ATOMIC_ACQUIRE));
}

u64 MemoryFile::size() const {
    MutexGuard guard(m_lock);
    return m_size;
}

u64 MemoryFile::blocks() const {
    MutexGuard guard(m_lock);
    if (!m_writable) {
        return (m_size + 511) / 512; // the initrd's bytes, in place
    }
    return m_cache ? m_cache->page_count() * (page_size / 512) : 0;
}

ErrorOr<usize> MemoryFile::read(u64 offset, const IoBuffer& to, usize length) {
    MutexGuard guard(m_lock);
    if (m_writable) {
        touch_accessed(); // the initrd is mounted read-only: its times stay
    }
    if (offset >= m_size) {
        return 0;
    }
    const usize n = min<u64>(length, m_size - offset);
    if (m_data) {
        return to.write_some(0, m_data + offset, n);
    }
    // The common case inline: within one page (m_cache exists: the file
    // has bytes). An absent page is a hole.
    const u64 in_page = offset % page_size;
    if (in_page + n <= page_size) {
        const PhysAddr frame = m_cache->find(offset / page_size);
        return frame.value() != 0 ? to.write_some(0, phys_to_virt<u8>(frame) + in_page, n)
                                  : to.fill_some(0, 0, n);
    }
    return read_pages_locked(offset, to, n);
}

ErrorOr<usize> MemoryFile::read_pages_locked(u64 offset, const IoBuffer& to, usize length) {
    VERIFY(m_lock.is_held());
    // As Linux: a bad user page or SIGKILL stops the copy; the bytes before
    // it count.
    usize done = 0;
    while (done < length) {
        const u64 at = offset + done;
        const u64 in_page = at % page_size;
        const usize chunk = min<u64>(length - done, page_size - in_page);
        const PhysAddr frame = m_cache ? m_cache->find(at / page_size) : PhysAddr(0);
        auto copied = frame.value() != 0
                          ? to.write_some(done, phys_to_virt<u8>(frame) + in_page, chunk)
                          : to.fill_some(done, 0, chunk); // a hole
        if (copied.is_error()) {
            if (done > 0) {
                break;
            }
            return copied.release_error();
        }
        done += copied.value();
        if (copied.value() < chunk || fatal_signal_pending()) {
            break;
        }
    }
    return done;
}

ErrorOr<void> MemoryFile::reserve_pages(u64 pages) {
    VERIFY(m_lock.is_held());
    if (!m_cache) {
        auto made = PageCache::try_create(nullptr, m_size, device(), inode(), m_space);
        if (made.is_error()) {
            return Error(Errno::NOSPC, "no memory for the file");
        }
        m_cache = move(made.value());
    }
    if (m_cache->reserve(pages).is_error()) {
        return Error(Errno::NOSPC, "no memory for the file");
    }
    return {};
}

ErrorOr<RefPtr<PageCache>> MemoryFile::page_cache() {
    MutexGuard guard(m_lock);
    if (m_cache) {
        return m_cache;
    }
    if (m_data) {
        // The initrd: pages are copied from the archive as they are
        // touched, into a cache that lives as long as some mapping holds
        // it. One whose last reference is going (try_ref fails) clears
        // the pointer itself; a new one takes its place meanwhile.
        PageCache* mapped = __atomic_load_n(&m_mapped_cache, __ATOMIC_ACQUIRE);
        if (mapped && mapped->try_ref()) {
            return RefPtr<PageCache>::adopt(mapped);
        }
        RefPtr<PageCache> made = TRY(PageCache::try_create(this, m_size, device(), inode()));
        __atomic_store_n(&m_mapped_cache, made.ptr(), __ATOMIC_RELEASE);
        return made;
    }
    TRY(reserve_pages(TmpfsSpace::pages_for(m_size)));
    return m_cache;
}

void MemoryFile::cache_destroyed(PageCache& cache) {
    PageCache* expected = &cache;
    __atomic_compare_exchange_n(&m_mapped_cache, &expected, nullptr, false, __ATOMIC_ACQ_REL,
                                __ATOMIC_RELAXED);
}

ErrorOr<void> MemoryFile::read_page(u64 index, u8* page) {
    // m_data and m_size never change for a read-only file: no lock.
    const u64 at = index * page_size;
    const u64 n = at < m_size ? min<u64>(page_size, m_size - at) : 0;
    __builtin_memcpy(page, m_data + at, n);
    __builtin_memset(page + n, 0, page_size - n);
    return {};
}

ErrorOr<usize> MemoryFile::write(u64 offset, const IoBuffer& from, usize length) {
    MutexGuard guard(m_lock);
    return write_locked(offset, from, length);
}

ErrorOr<usize> MemoryFile::append(const IoBuffer& from, usize length, u32, u64& end) {
    MutexGuard guard(m_lock);
    const u64 at = m_size;
    const usize n = TRY(write_locked(at, from, length));
    end = at + n;
    return n;
}

ErrorOr<usize> MemoryFile::write_locked(u64 offset, const IoBuffer& from, usize length) {
    VERIFY(m_lock.is_held());
    if (is_read_only()) {
        return Error(Errno::ROFS, "read-only file system");
    }
    if (offset > (u64{1} << 40) || length > (u64{1} << 40)) {
        return Error(Errno::FBIG, "file too large");
    }
    if (length == 0) {
        return 0;
    }
    TRY(reserve_pages(TmpfsSpace::pages_for(offset + length)));
    if (offset + length > m_size) {
        // A MAP_SHARED store past the end may have left bytes in the last
        // page: the file grows over zeros.
        m_cache->zero_page_from(m_size);
    }
    // Page by page, each made (and charged to the tmpfs) as it is reached:
    // a full tmpfs, a bad user page or SIGKILL stops the write, and the
    // bytes before count (Linux's short write); ENOSPC if none were written.
    usize done = 0;
    while (done < length) {
        const u64 at = offset + done;
        const u64 in_page = at % page_size;
        const usize chunk = min<u64>(length - done, page_size - in_page);
        auto frame = m_cache->find_or_create(at / page_size);
        ErrorOr<usize> copied =
            frame.is_error()
                ? ErrorOr<usize>(Error(Errno::NOSPC, "the tmpfs is full, or memory is"))
                : from.read_some(done, phys_to_virt<u8>(frame.value()) + in_page, chunk);
        if (copied.is_error()) {
            if (done > 0) {
                break;
            }
            return copied.release_error();
        }
        done += copied.value();
        if (copied.value() < chunk || fatal_signal_pending()) {
            break;
        }
    }
    const u64 old_size = m_size;
    if (done > 0) {
        m_size = max(m_size, offset + done); // a hole before offset is absent pages
    }
    if (m_size != old_size) {
        m_cache->set_size(m_size);
    }
    if (done > 0) {
        touch_modified();
    }
    return done;
}

ErrorOr<void> MemoryFile::truncate(u64 size) {
    if (is_read_only()) {
        return Error(Errno::ROFS, "read-only file system");
    }
    MutexGuard guard(m_lock);
    return resize_locked(size);
}

ErrorOr<void> MemoryFile::extend(u64 offset, u64 end) {
    if (is_read_only()) {
        return Error(Errno::ROFS, "read-only file system");
    }
    MutexGuard guard(m_lock);
    // As Linux's shmem_fallocate: the pages of [offset, end) are made now
    // and count; if they cannot all fit in the tmpfs, ENOSPC and nothing
    // changes (a writer taking the room meanwhile may leave some made).
    const u64 first = offset / page_size;
    const u64 last = TmpfsSpace::pages_for(end);
    const u64 limit = m_space ? m_space->limit_pages() : 0;
    if (limit != 0 && last - first > limit) {
        return Error(Errno::NOSPC, "larger than the tmpfs");
    }
    TRY(reserve_pages(last));
    if (limit != 0 &&
        m_cache->absent_pages(first, last) > limit - min(limit, m_space->used_pages())) {
        return Error(Errno::NOSPC, "the tmpfs is full");
    }
    if (end > m_size) {
        m_cache->zero_page_from(m_size); // before pages of the new part are made
    }
    for (u64 index = first; index < last; ++index) {
        if (m_cache->find_or_create(index).is_error()) {
            return Error(Errno::NOSPC, "the tmpfs is full, or memory is");
        }
    }
    if (end > m_size) {
        m_size = end;
        m_cache->set_size(end);
        touch_modified();
    }
    return {};
}

ErrorOr<void> MemoryFile::resize_locked(u64 size) {
    VERIFY(m_lock.is_held());
    // The size only: a file grows over a hole, whose pages are made (and
    // charged to the tmpfs) when written, as on Linux; a file cut short
    // gives its pages past the end back.
    TRY(reserve_pages(TmpfsSpace::pages_for(size)));
    if (size > m_size) {
        m_cache->zero_page_from(m_size);
        m_size = size;
        m_cache->set_size(size);
    } else if (size < m_size) {
        m_size = size;
        m_cache->truncate(size); // and out of every mapping
    }
    touch_modified();
    return {};
}

ErrorOr<RefPtr<Vnode>> MemorySymlink::create(StringView target, bool writable) {
    auto* link = new MemorySymlink(writable);
    if (!link) {
        return Error(Errno::NOMEM, "out of memory");
    }
    RefPtr<Vnode> owner = RefPtr<Vnode>::adopt(link);
    link->m_target = TRY(copy_name(target));
    link->m_length = target.length();
    return owner;
}

ErrorOr<usize> MemorySymlink::read_link(char* out, usize capacity) {
    const usize n = min(capacity, m_length);
    __builtin_memcpy(out, m_target.data(), n);
    return n;
}

} // namespace kite
