// mounts.h: the mount table. Each mount is a file system's root vnode
// hooked onto a directory (Vnode::mounted / mount_point, which path
// resolution follows), plus what /proc/mounts and statfs report of it: its
// source, type, target path and flags. Boot mounts (vfs::init) and
// mount(2) both go through attach; the table is guarded by the namespace
// lock, like the links it describes.
#pragma once

#include "fs/disk_file_system.h"
#include "fs/tmpfs_space.h"
#include "fs/vnode.h"
#include "lib/format.h"

namespace kite::mounts {

enum class FsType : u8 { Ramfs, Tmpfs, Devtmpfs, Proc, Ext2 };

// The per-mount flags Kite keeps, with Linux's MS_* values.
constexpr u64 read_only = 1;   // MS_RDONLY
constexpr u64 no_suid = 2;     // MS_NOSUID
constexpr u64 no_dev = 4;      // MS_NODEV
constexpr u64 no_exec = 8;     // MS_NOEXEC
constexpr u64 no_atime = 1024; // MS_NOATIME
constexpr u64 kept_flags = read_only | no_suid | no_dev | no_exec | no_atime;

struct Spec {
    FsType type;
    StringView source;
    u64 flags;                        // kept_flags only
    RefPtr<Vnode> root;               // the new file system's root
    RefPtr<TmpfsSpace> space;         // a tmpfs's; null otherwise
    bool show_size = false;           // a tmpfs given size= (Linux prints it then)
    bool show_mode = false;           // a tmpfs whose root mode is not 1777
    RefPtr<DiskFileSystem> disk = {}; // a disk file system's; null otherwise
};

// Mounts spec.root on directory (what resolution gave, so nothing is
// mounted on it yet); a null directory records the root file system.
// ENOTDIR for a file, ENOSPC when the table is full.
[[nodiscard]] ErrorOr<void> attach(const RefPtr<Vnode>& directory, Spec spec);

// umount2 of the file system whose root is root (EINVAL if root is not
// one). Unless detach (MNT_DETACH), EBUSY while anything inside is in use.
[[nodiscard]] ErrorOr<void> unmount(const RefPtr<Vnode>& root, bool detach);

// Boot, before any process runs: the root file system becomes spec (a
// disk, for root=), in the table and as vfs::root(); the old root's vnode
// comes back, mounted on nothing, for the caller to mount elsewhere or
// drop. EBUSY if either root is mounted on or over something.
[[nodiscard]] ErrorOr<RefPtr<Vnode>> replace_root(Spec spec);

// MS_MOVE's core: the mount whose root is root, with everything mounted
// inside it, moves onto directory. EINVAL if root is no mount or is the
// root file system, ELOOP if directory lies inside it.
[[nodiscard]] ErrorOr<void> move_mount(const RefPtr<Vnode>& root, const RefPtr<Vnode>& directory);

// MS_REMOUNT: new flags (and, for a tmpfs, maybe a new size) for the
// mount whose root is root; EINVAL if it is none, EROFS to make a disk
// mounted read-only read-write.
[[nodiscard]] ErrorOr<void> remount(const RefPtr<Vnode>& root, u64 flags, bool set_size,
                                    u64 size_pages);

// What statfs needs of the mount a vnode lives on.
struct Info {
    FsType type = FsType::Ramfs;
    u64 flags = 0;
    RefPtr<TmpfsSpace> space;
    RefPtr<DiskFileSystem> disk;
};
[[nodiscard]] Info info_for_device(u64 device);

// The /proc/mounts text ("SOURCE TARGET TYPE OPTIONS 0 0" a line, as
// Linux's show_vfsmnt prints), as the table is now.
void write_mounts(FormatSink& out);

} // namespace kite::mounts
