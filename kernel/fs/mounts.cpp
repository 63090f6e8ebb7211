// mounts.cpp: see mounts.h.
#include "fs/mounts.h"

#include "debug/panic.h"
#include "fs/memory_fs.h"
#include "fs/namespace_lock.h"
#include "fs/vfs.h"
#include "lib/format.h"
#include "lib/kbuffer.h"

namespace kite::mounts {

namespace {

struct Mount {
    bool used = false;
    FsType type = FsType::Ramfs;
    u64 flags = 0;
    bool show_size = false;
    bool show_mode = false;
    u32 mode = 0; // the root's at mount time: Linux shows the option, not a later chmod
    char source[64] = {};
    char target[256] = {};
    RefPtr<Vnode> root;
    // The directory it covers: held, since a disk file system's vnodes live
    // only while held, and the link to the mount is in the vnode.
    RefPtr<Vnode> covered;
    RefPtr<TmpfsSpace> space;
    RefPtr<DiskFileSystem> disk;
};

// A fixed table, so attaching never allocates; Linux's mount-max is far
// larger, but Kite's users mount a handful. Guarded by the namespace lock.
constexpr usize max_mounts = 32;
Mount table[max_mounts];

Mount* find_root(const Vnode& root) {
    VERIFY(vfs::namespace_lock().is_held());
    for (Mount& mount : table) {
        if (mount.used && mount.root.ptr() == &root) {
            return &mount;
        }
    }
    return nullptr;
}

// Whether the directory `covered` lies in the tree of `root`: up through
// parents and the mounts they stand on.
bool is_inside(const Vnode* covered, const Vnode& root) {
    for (const Vnode* at = covered; at;) {
        if (at == &root) {
            return true;
        }
        at = at->parent ? at->parent : at->mount_point;
    }
    return false;
}

StringView type_name(FsType type) {
    switch (type) {
    case FsType::Ramfs:
        return "ramfs";
    case FsType::Tmpfs:
        return "tmpfs";
    case FsType::Devtmpfs:
        return "devtmpfs";
    case FsType::Proc:
        return "proc";
    case FsType::Ext2:
        return "ext2";
    }
    return "?";
}

// A copy of text as /proc/mounts shows it: space, tab, newline and
// backslash as octal escapes (Linux's mangle, "\\040" for a space), so a
// line always splits into its six fields. Cut short to fit.
void copy_text(char* out, usize capacity, StringView text) {
    usize used = 0;
    for (usize i = 0; i < text.length(); ++i) {
        const char c = text[i];
        const bool escape = c == ' ' || c == '\t' || c == '\n' || c == '\\';
        if (used + (escape ? 4 : 1) >= capacity) {
            break;
        }
        if (escape) {
            out[used++] = '\\';
            out[used++] = static_cast<char>('0' + ((c >> 6) & 7));
            out[used++] = static_cast<char>('0' + ((c >> 3) & 7));
            out[used++] = static_cast<char>('0' + (c & 7));
        } else {
            out[used++] = c;
        }
    }
    out[used] = '\0';
}

// One /proc/mounts line, in the order of Linux's show_vfsmnt: rw or ro,
// the mount flags, then the file system's own options (tmpfs's show_options:
// size in KiB when given, mode in octal when not 1777). Returns the length
// written, or 0 if it does not fit.
usize write_line(const Mount& mount, char* out, usize capacity) {
    char options[128];
    usize used =
        format_to(options, sizeof(options), "{}{}{}{}{}", mount.flags & read_only ? "ro" : "rw",
                  mount.flags & no_suid ? ",nosuid" : "", mount.flags & no_dev ? ",nodev" : "",
                  mount.flags & no_exec ? ",noexec" : "",
                  mount.flags & no_atime ? ",noatime" : ",relatime")
            .length();
    if (mount.show_size && mount.space) {
        used += format_to(options + used, sizeof(options) - used, ",size={}k",
                          mount.space->limit_pages() * 4)
                    .length();
    }
    if (mount.type == FsType::Tmpfs && mount.show_mode) {
        used +=
            format_to(options + used, sizeof(options) - used, ",mode={:03o}", mount.mode).length();
    }
    if (mount.type == FsType::Devtmpfs) {
        used += format_to(options + used, sizeof(options) - used, ",mode=755").length();
    }
    const StringView line =
        format_to(out, capacity, "{} {} {} {} 0 0\n", StringView(mount.source),
                  StringView(mount.target), type_name(mount.type), StringView(options, used));
    return line.length() + 1 < capacity ? line.length() : 0;
}

// Records spec in a slot (the caller links its root into the tree).
void fill(Mount& slot, Spec& spec, StringView target) {
    slot.used = true;
    slot.type = spec.type;
    slot.flags = spec.flags & kept_flags;
    slot.show_size = spec.show_size;
    slot.show_mode = spec.show_mode;
    slot.mode = spec.root->permissions();
    copy_text(slot.source, sizeof(slot.source), spec.source);
    copy_text(slot.target, sizeof(slot.target), target);
    slot.root = spec.root;
    slot.space = move(spec.space);
    slot.disk = move(spec.disk);
    if (slot.space) {
        slot.space->set_read_only(slot.flags & read_only);
    }
}

} // namespace

ErrorOr<void> attach(const RefPtr<Vnode>& covered, Spec spec) {
    vfs::NamespaceGuard guard;
    if (covered && !covered->is_directory()) {
        return Error(Errno::NOTDIR, "mount point is not a directory");
    }
    // A directory mounted over since it was looked up (another mount won a
    // race, or ".." from inside reached it): stack on the top, as Linux's
    // lock_mount does.
    RefPtr<Vnode> directory = covered;
    while (directory && directory->mounted) {
        directory = directory->mounted;
    }
    Mount* slot = nullptr;
    for (Mount& mount : table) {
        if (!mount.used) {
            slot = &mount;
            break;
        }
    }
    if (!slot) {
        return Error(Errno::NOSPC, "the mount table is full");
    }
    char target[sizeof(slot->target)] = "/";
    if (directory) {
        TRY(vfs::absolute_path(directory, target, sizeof(target)));
    }
    fill(*slot, spec, StringView(target));
    if (directory) {
        spec.root->mount_point = directory.ptr();
        directory->mounted = move(spec.root);
    }
    slot->covered = move(directory);
    return {};
}

ErrorOr<void> unmount(const RefPtr<Vnode>& root, bool detach) {
    RefPtr<DiskFileSystem> disk;           // released after the lock is let go
    RefPtr<Vnode> keep;                    // the tree is freed after the lock is let go
    RefPtr<Vnode> keep_inside[max_mounts]; // and the mounts inside it (MNT_DETACH)
    RefPtr<Vnode> covered_inside[max_mounts];
    RefPtr<Vnode> covered_directory; // and the directories they covered
    {
        vfs::NamespaceGuard guard;
        Mount* mount = find_root(*root);
        if (!mount) {
            return Error(Errno::INVAL, "not a mount point");
        }
        if (!root->mount_point) {
            return Error(Errno::BUSY, "the root file system stays");
        }
        if (!detach) {
            // The root is held by the directory it is mounted on, by the
            // table and by the caller; anything more is a user of it.
            bool busy = root->ref_count() > 3 || root->mounted;
            if (!busy && mount->disk) {
                busy = mount->disk->is_busy();
            } else if (!busy && mount->type != FsType::Proc) {
                busy = static_cast<MemoryDirectory&>(*root).tree_is_busy();
            }
            if (busy) {
                return Error(Errno::BUSY, "the file system is in use");
            }
        }
        if (detach) {
            // Every mount inside the tree goes with it, as Linux's
            // umount_tree: none may keep a link into a tree that its open
            // files alone now keep alive. Found first, then unhooked.
            bool inside[max_mounts] = {};
            for (usize i = 0; i < max_mounts; ++i) {
                const Mount& other = table[i];
                inside[i] = other.used && &other != mount && other.root->mount_point &&
                            is_inside(other.root->mount_point, *root);
            }
            for (usize i = 0; i < max_mounts; ++i) {
                if (!inside[i]) {
                    continue;
                }
                Mount& other = table[i];
                Vnode* covered = other.root->mount_point;
                if (covered->mounted == other.root) {
                    keep_inside[i] = move(covered->mounted);
                }
                other.root->mount_point = nullptr;
                other.root = nullptr;
                covered_inside[i] = move(other.covered);
                other.space = nullptr;
                other.disk = nullptr; // its last vnode unmounts it
                other.used = false;
            }
        }
        Vnode* point = root->mount_point;
        keep = move(point->mounted);
        point->mounted = move(root->mounted); // nothing, unless detached with mounts inside
        if (point->mounted) {
            point->mounted->mount_point = point;
        }
        root->mount_point = nullptr;
        mount->root = nullptr;
        mount->space = nullptr;
        covered_directory = move(mount->covered);
        disk = move(mount->disk);
        mount->used = false;
    }
    // A disk file system nobody uses is written back and marked clean now
    // (detached while in use, when its last vnode goes).
    if (disk && !detach) {
        disk->release();
    }
    return {};
}

ErrorOr<RefPtr<Vnode>> replace_root(Spec spec) {
    vfs::NamespaceGuard guard;
    Mount* mount = nullptr;
    for (Mount& candidate : table) {
        if (candidate.used && !candidate.covered) {
            mount = &candidate; // the one mount on nothing: attach({}, ...) of vfs::init
        }
    }
    VERIFY(mount && mount->root == vfs::root());
    if (mount->root->mounted || spec.root->mount_point || spec.root->mounted) {
        return Error(Errno::BUSY, "the roots are mounted on or over something");
    }
    RefPtr<Vnode> old = move(mount->root);
    fill(*mount, spec, "/");
    vfs::set_root(spec.root);
    return old;
}

ErrorOr<void> move_mount(const RefPtr<Vnode>& root, const RefPtr<Vnode>& covered) {
    vfs::NamespaceGuard guard;
    Mount* mount = find_root(*root);
    if (!mount || !root->mount_point) {
        return Error(Errno::INVAL, "not a mount point, or the root file system");
    }
    if (!covered->is_directory()) {
        return Error(Errno::NOTDIR, "mount point is not a directory");
    }
    RefPtr<Vnode> directory = covered;
    while (directory->mounted) {
        directory = directory->mounted;
    }
    if (is_inside(directory.ptr(), *root)) {
        return Error(Errno::LOOP, "a mount cannot move inside itself");
    }
    // Mounts stacked on this one hang on its root (root->mounted) and go
    // along; so does everything mounted inside its tree.
    Vnode* point = root->mount_point;
    VERIFY(point->mounted == root);
    RefPtr<Vnode> moving = move(point->mounted);
    root->mount_point = directory.ptr();
    directory->mounted = move(moving);
    mount->covered = move(directory);
    // Every target is named again: the moved mount's, and those inside it.
    for (Mount& other : table) {
        char target[sizeof(other.target)];
        if (other.used && other.covered &&
            !vfs::absolute_path(other.covered, target, sizeof(target)).is_error()) {
            copy_text(other.target, sizeof(other.target), StringView(target));
        }
    }
    return {};
}

ErrorOr<void> remount(const RefPtr<Vnode>& root, u64 flags, bool set_size, u64 size_pages) {
    vfs::NamespaceGuard guard;
    Mount* mount = find_root(*root);
    if (!mount) {
        return Error(Errno::INVAL, "not a mount point");
    }
    if (mount->disk && mount->disk->is_read_only() && !(flags & read_only)) {
        // Kite's ext2 fixes a volume's read-only state when it mounts it,
        // so a read-only disk mount (root= without rw) cannot become
        // read-write in place; Linux can. Refused rather than shown as rw.
        return Error(Errno::ROFS, "the disk was mounted read-only");
    }
    if (set_size) {
        if (!mount->space) {
            return Error(Errno::INVAL, "only a tmpfs has a size");
        }
        TRY(mount->space->set_limit_pages(size_pages));
        mount->show_size = true;
    }
    mount->flags = flags & kept_flags;
    if (mount->space) {
        mount->space->set_read_only(mount->flags & read_only);
    }
    return {};
}

Info info_for_device(u64 device) {
    vfs::NamespaceGuard guard;
    for (const Mount& mount : table) {
        if (mount.used && mount.root->device() == device) {
            return {mount.type, mount.flags, mount.space, mount.disk};
        }
    }
    return {};
}

void write_mounts(FormatSink& out) {
    constexpr usize line_capacity = 512;
    char line[line_capacity];
    vfs::NamespaceGuard guard;
    for (const Mount& mount : table) {
        if (mount.used) {
            out.write(StringView(line, write_line(mount, line, line_capacity)));
        }
    }
}

} // namespace kite::mounts
