// vfs.cpp: see vfs.h.
#include "fs/vfs.h"
#include "lib/kbuffer.h"

#include "console/console.h"
#include "debug/panic.h"
#include "fs/devfs.h"
#include "fs/initrd.h"
#include "fs/mounts.h"
#include "fs/namespace_lock.h"
#include "fs/procfs.h"
#include "fs/tmpfs.h"
#include "mm/direct_map.h"
#include "mm/kmalloc.h"

namespace kite::vfs {

namespace {

RefPtr<Vnode> root_vnode;

// The walks below run under the namespace lock: they follow raw parent and
// mount links, which are valid only while the tree cannot change.

// Crosses onto whatever is mounted on vnode.
RefPtr<Vnode> mounted_view(RefPtr<Vnode> vnode) {
    VERIFY(namespace_lock().is_held());
    while (vnode->mounted) {
        vnode = vnode->mounted;
    }
    return vnode;
}

// The parent of a directory, stepping off a mounted file system's root onto
// the directory it is mounted on. The root's parent is the root.
RefPtr<Vnode> parent_of(const RefPtr<Vnode>& directory) {
    VERIFY(namespace_lock().is_held());
    Vnode* at = directory.ptr();
    while (at->mount_point && !at->parent) {
        at = at->mount_point;
    }
    return at->parent ? RefPtr<Vnode>(at->parent) : RefPtr<Vnode>(at);
}

// Symlinks followed in one resolution (ELOOP past max_symlinks), and how
// deeply nested the current one is: each level recurses, so nesting is
// capped well below what a 16 KiB kernel stack could take.
constexpr usize max_symlink_nesting = 8;

struct Walk {
    usize symlinks = 0;
    usize nesting = 0;
};

// Resolves path; with last, stops before the last component and describes
// it there instead (the returned vnode is then the directory holding it).
ErrorOr<RefPtr<Vnode>> walk(StringView path, RefPtr<Vnode> base, Follow follow, Walk& state,
                            LastName* last);

// Resolves the component `name` in directory `dir`, following it if it is
// a symlink and follow says so.
ErrorOr<RefPtr<Vnode>> step(const RefPtr<Vnode>& dir, StringView name, bool follow, Walk& state) {
    if (!dir->is_directory()) {
        return Error(Errno::NOTDIR, "not a directory");
    }
    if (name == ".") {
        return dir;
    }
    if (name == "..") {
        // Onto whatever is mounted on the parent since: a directory
        // covered by a mount is never reached by name (Linux's follow_dotdot).
        return mounted_view(parent_of(dir));
    }
    RefPtr<Vnode> child = mounted_view(TRY(dir->lookup(name)));
    if (child->type() != VnodeType::Symlink || !follow) {
        return child;
    }
    if (++state.symlinks > max_symlinks || state.nesting == max_symlink_nesting) {
        return Error(Errno::LOOP, "too many levels of symbolic links");
    }
    const KBuffer target = TRY(KBuffer::try_create(max_path_length + 1));
    const usize length = TRY(child->read_link(target.chars(), max_path_length));
    ++state.nesting;
    auto result = walk({target.chars(), length}, dir, Follow::Yes, state, nullptr);
    --state.nesting;
    return result;
}

ErrorOr<RefPtr<Vnode>> walk(StringView path, RefPtr<Vnode> base, Follow follow, Walk& state,
                            LastName* last) {
    if (path.is_empty()) {
        return Error(Errno::NOENT, "empty path");
    }
    if (path.length() > max_path_length) {
        return Error(Errno::NAMETOOLONG, "path too long");
    }
    RefPtr<Vnode> current = path[0] == '/' ? root_vnode : mounted_view(base);
    usize i = 0;
    for (;;) {
        while (i < path.length() && path[i] == '/') {
            ++i;
        }
        if (i == path.length()) {
            if (last) { // only slashes: there is no last component
                *last = {LastName::Kind::None, current, {}, true};
            }
            return current;
        }
        const usize start = i;
        while (i < path.length() && path[i] != '/') {
            ++i;
        }
        const StringView name = path.substring(start, i - start);
        if (name.length() > max_name_length) {
            return Error(Errno::NAMETOOLONG, "file name too long");
        }
        usize rest = i;
        while (rest < path.length() && path[rest] == '/') {
            ++rest;
        }
        const bool is_last = rest == path.length();
        if (is_last && last) {
            if (!current->is_directory()) {
                return Error(Errno::NOTDIR, "not a directory");
            }
            const auto kind = name == "."    ? LastName::Kind::Dot
                              : name == ".." ? LastName::Kind::DotDot
                                             : LastName::Kind::Name;
            *last = {kind, current, name, i < path.length()};
            return current;
        }
        // A trailing slash ("dir/") means the last component must be a
        // directory, so it is followed even with Follow::No.
        const bool follow_this = !is_last || follow == Follow::Yes || i < path.length();
        current = TRY(step(current, name, follow_this, state));
        if (is_last && i < path.length() && !current->is_directory()) {
            return Error(Errno::NOTDIR, "a path ending in / names a non-directory");
        }
    }
}

} // namespace

RefPtr<Vnode> root() {
    return root_vnode;
}

void set_root(RefPtr<Vnode> root) {
    VERIFY(namespace_lock().is_held());
    root_vnode = move(root);
}

ErrorOr<RefPtr<Vnode>> resolve(StringView path, const RefPtr<Vnode>& base, Follow follow) {
    NamespaceGuard guard;
    Walk state;
    return walk(path, base, follow, state, nullptr);
}

ErrorOr<LastName> resolve_last(StringView path, const RefPtr<Vnode>& base) {
    NamespaceGuard guard;
    Walk state;
    LastName last;
    TRY(walk(path, base, Follow::Yes, state, &last));
    return last;
}

ErrorOr<usize> absolute_path(const RefPtr<Vnode>& directory, char* out, usize capacity) {
    // Collect names from the directory up to the root, then reverse. The
    // chain's raw pointers stay valid because the lock is held throughout:
    // each link is named by its parent's entry, which nobody can remove.
    NamespaceGuard guard;
    // A removed directory has no path (its parent link may stay, for "..").
    if (directory->is_directory() && directory->link_count() == 0) {
        return Error(Errno::NOENT, "the current directory has been removed");
    }
    const Vnode* chain[128];
    usize depth = 0;
    RefPtr<Vnode> at = directory;
    for (;;) {
        RefPtr<Vnode> up = parent_of(at);
        if (up == at) {
            break;
        }
        if (depth == 128) {
            return Error(Errno::NAMETOOLONG, "directory nested too deeply");
        }
        chain[depth++] = at.ptr();
        at = up;
    }
    // The walk stops at a root; any root but the system's is one no longer
    // reachable from it (a file system's root after a lazy umount).
    if (at != root_vnode) {
        return Error(Errno::NOENT, "the current directory has been removed");
    }
    usize length = 0;
    auto append = [&](StringView text) -> bool {
        if (length + text.length() + 1 > capacity) {
            return false;
        }
        __builtin_memcpy(out + length, text.data(), text.length());
        length += text.length();
        return true;
    };
    if (depth == 0 && !append("/")) {
        return Error(Errno::RANGE, "buffer too small");
    }
    for (usize n = depth; n > 0; --n) {
        // Find this node's name in its parent's listing.
        const Vnode* node = chain[n - 1];
        const Vnode* named = node;
        while (named->mount_point && !named->parent) {
            named = named->mount_point;
        }
        DirectoryEntry entry;
        bool found = false;
        for (usize i = 0; named->parent && TRY(named->parent->read_directory(i, entry)); ++i) {
            if (entry.inode == named->inode()) {
                found = true;
                break;
            }
        }
        if (!found || !append("/") || !append(entry.name)) {
            return Error(found ? Errno::RANGE : Errno::NOENT, "cannot name the directory");
        }
    }
    out[length] = '\0';
    return length + 1;
}

ErrorOr<usize> canonical_path(StringView path, const RefPtr<Vnode>& base, char* out,
                              usize capacity) {
    // The directories are named by absolute_path; only the last component
    // is looked at here: while it is a symlink, its target is walked from
    // the directory holding it, under one guard so the tree holds still.
    NamespaceGuard guard;
    const KBuffer target = TRY(KBuffer::try_create(max_path_length));
    Walk state;
    RefPtr<Vnode> from = base;
    StringView rest = path;
    for (;;) {
        LastName last;
        RefPtr<Vnode> directory = TRY(walk(rest, from, Follow::Yes, state, &last));
        if (last.kind == LastName::Kind::DotDot) {
            directory = mounted_view(parent_of(directory));
        }
        if (last.kind != LastName::Kind::Name) {
            return absolute_path(directory, out, capacity);
        }
        RefPtr<Vnode> child = mounted_view(TRY(directory->lookup(last.name)));
        if (child->is_directory()) {
            return absolute_path(child, out, capacity);
        }
        if (child->type() != VnodeType::Symlink) {
            if (last.trailing_slash) {
                return Error(Errno::NOTDIR, "a path ending in / names a non-directory");
            }
            usize length = TRY(absolute_path(directory, out, capacity)) - 1;
            if (length == 1) {
                length = 0; // the root: "/" + name, not "//" + name
            }
            if (length + 1 + last.name.length() + 1 > capacity) {
                return Error(Errno::RANGE, "buffer too small");
            }
            out[length] = '/';
            __builtin_memcpy(out + length + 1, last.name.data(), last.name.length());
            length += 1 + last.name.length();
            out[length] = '\0';
            return length + 1;
        }
        if (++state.symlinks > max_symlinks) {
            return Error(Errno::LOOP, "too many levels of symbolic links");
        }
        // last.name points into rest, which may be the target buffer: it
        // is not used again once the target is read over it.
        rest = {target.chars(), TRY(child->read_link(target.chars(), max_path_length))};
        from = directory;
    }
}

namespace {

// What Linux's usual boot leaves mounted, with its flags. /tmp and
// /dev/shm get Linux's default tmpfs size, half of memory, each: neither
// can take all of it.
ErrorOr<void> boot_mounts(const RefPtr<Vnode>& initrd_root) {
    using namespace mounts;
    // The initrd's root is mounted on nothing: it is the root.
    TRY(attach({}, {FsType::Ramfs, "initrd", read_only, initrd_root, {}}));
    auto mount_at = [](StringView path, Spec spec) -> ErrorOr<void> {
        const RefPtr<Vnode> directory = TRY(resolve(path, root_vnode));
        return attach(directory, move(spec));
    };
    auto tmpfs_spec = [](StringView source, u64 flags) -> ErrorOr<Spec> {
        auto space = TRY(try_make_ref<TmpfsSpace>(tmpfs::default_size_pages()));
        RefPtr<Vnode> fs_root = TRY(tmpfs::create_root(01777, space));
        return Spec{FsType::Tmpfs, source, flags, move(fs_root), move(space)};
    };
    RefPtr<Vnode> dev = TRY(devfs::create_root());
    TRY(mount_at("/dev", {FsType::Devtmpfs, "devtmpfs", no_suid, move(dev), {}}));
    Spec shm = TRY(tmpfs_spec("tmpfs", no_suid | no_dev)); // as Linux distributions mount it
    TRY(mount_at("/dev/shm", move(shm)));
    RefPtr<Vnode> proc = TRY(procfs::create_root());
    TRY(mount_at("/proc", {FsType::Proc, "proc", no_suid | no_dev | no_exec, move(proc), {}}));
    // nosuid only: device nodes made in /tmp open (mknod's tests rely on it).
    Spec tmp = TRY(tmpfs_spec("tmpfs", no_suid));
    TRY(mount_at("/tmp", move(tmp)));
    return {};
}

} // namespace

void init(const BootInfo& info) {
    const BootModule* initrd = nullptr;
    for (usize i = 0; i < info.module_count; ++i) {
        if (StringView(info.modules[i].name) == "initrd") {
            initrd = &info.modules[i];
        }
    }
    StringView archive;
    if (initrd && in_direct_map(PhysAddr(initrd->start), initrd->end - initrd->start)) {
        archive = {phys_to_virt<const char>(PhysAddr(initrd->start)), initrd->end - initrd->start};
    } else {
        kprintln("vfs: no initrd module; / is an empty read-only directory");
    }
    auto initrd_root = initrd_fs::mount(archive);
    if (initrd_root.is_error()) {
        panic("cannot build the initrd file system: {}", initrd_root.error().what());
    }
    root_vnode = initrd_root.release_value();
    if (boot_mounts(root_vnode).is_error()) {
        panic("cannot mount /tmp, /dev, /dev/shm and /proc: out of memory");
    }
}

} // namespace kite::vfs
