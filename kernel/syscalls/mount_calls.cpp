// mount_calls.cpp: mount(2) and umount2(2) for tmpfs, proc and devtmpfs,
// in Linux's order of checks (fs/namespace.c: path_mount, do_new_mount,
// ksys_umount). Everyone is root, so there is no EPERM. MS_BIND and
// MS_MOVE are not supported (EINVAL); propagation changes (MS_PRIVATE and
// the like) succeed on a mount point and change nothing, as Kite has one
// mount namespace and nothing to propagate to. Mounting over / is EBUSY
// (Linux stacks it).
#include "dev/block_node.h"
#include "fs/devfs.h"
#include "fs/ext2/ext2_fs.h"
#include "fs/mounts.h"
#include "fs/procfs.h"
#include "fs/tmpfs.h"
#include "fs/vfs.h"
#include "lib/kbuffer.h"
#include "proc/process.h"
#include "syscalls/syscall.h"
#include "syscalls/user_path.h"

namespace kite {

namespace {

// mount(2) flags (include/uapi/linux/mount.h).
constexpr u64 ms_remount = 32;
constexpr u64 ms_bind = 4096;
constexpr u64 ms_move = 8192;
constexpr u64 ms_propagation = (1u << 17) | (1u << 18) | (1u << 19) | (1u << 20);
constexpr u64 ms_nouser = 1u << 31;
constexpr u64 ms_magic_mask = 0xffff0000;
constexpr u64 ms_magic = 0xc0ed0000;

// umount2(2) flags.
constexpr u64 mnt_force = 1;
constexpr u64 mnt_detach = 2;
constexpr u64 mnt_expire = 4;
constexpr u64 umount_nofollow = 8;

// A string argument as copy_mount_string takes it: NULL is none, at most
// a page (EINVAL past it), EFAULT for a bad pointer.
struct MountString {
    KBuffer text;
    usize length = 0;
    bool present = false;
    [[nodiscard]] StringView view() const {
        return present ? StringView(text.chars(), length) : StringView();
    }
};

ErrorOr<MountString> copy_mount_string(u64 address) {
    MountString out;
    if (address == 0) {
        return out;
    }
    out.text = TRY(KBuffer::try_create(4096));
    out.length = TRY(copy_string_from_user(out.text.chars(), {address}, 4096, Errno::INVAL));
    out.present = true;
    return out;
}

// Linux's order (get_tree_bdev): the source must name a block device
// (ENOTBLK for another file, ENXIO for a node no driver has), which must
// hold the file system (EINVAL, the reason on the console), and may be
// mounted once (EBUSY).
ErrorOr<mounts::Spec> disk_file_system(StringView source, u64 flags) {
    if (source.is_empty()) {
        return Error(Errno::NOENT, "no source device");
    }
    const RefPtr<Vnode> node = TRY(vfs::resolve(source, Process::current()->cwd()));
    if (node->type() != VnodeType::BlockDevice) {
        return Error(Errno::NOTBLK, "not a block device");
    }
    RefPtr<BlockDevice> device = block_device_of(*node);
    if (!device) {
        return Error(Errno::NXIO, "no such device");
    }
    RefPtr<DiskFileSystem> disk = TRY(ext2::mount(move(device), flags & mounts::read_only));
    if (disk->is_read_only()) {
        flags |= mounts::read_only; // a write-protected disk, or ext4: mounted ro all the same
    }
    mounts::Spec spec{mounts::FsType::Ext2, source, flags, disk->root(), {}};
    if (!spec.root) {
        disk->release();
        return Error(Errno::IO, "the root directory cannot be read");
    }
    spec.disk = move(disk);
    return spec;
}

ErrorOr<mounts::Spec> new_file_system(StringView type, StringView source, StringView data,
                                      u64 flags) {
    if (type == "tmpfs") {
        const tmpfs::Options options = TRY(tmpfs::parse_options(data));
        const u64 pages = options.has_size ? options.size_pages : tmpfs::default_size_pages();
        auto space = TRY(try_make_ref<TmpfsSpace>(pages));
        RefPtr<Vnode> root = TRY(tmpfs::create_root(options.mode, space));
        return mounts::Spec{
            mounts::FsType::Tmpfs, source, flags, move(root), move(space), options.has_size,
            options.mode != 01777};
    }
    if (type == "proc") {
        return mounts::Spec{mounts::FsType::Proc, source, flags, TRY(procfs::create_root()), {}};
    }
    if (type == "devtmpfs") {
        return mounts::Spec{mounts::FsType::Devtmpfs, source, flags, TRY(devfs::create_root()), {}};
    }
    if (type == "ext2") {
        return disk_file_system(source, flags);
    }
    return Error(Errno::NODEV, "unknown file system type");
}

// Whether vnode is the root of a mount (what the path resolved to).
bool is_mount_root(const Vnode& vnode) {
    return vnode.mount_point != nullptr || &vnode == vfs::root().ptr();
}

} // namespace

SyscallResult sys_mount(const SyscallArguments& args) {
    const MountString type = TRY(copy_mount_string(args.a2));
    const MountString source = TRY(copy_mount_string(args.a0));
    const MountString data = TRY(copy_mount_string(args.a4));
    const UserPath target = TRY(UserPath::copy(args.a1));
    RefPtr<Vnode> directory = TRY(vfs::resolve(target.view(), Process::current()->cwd()));
    u64 flags = args.a3;
    if ((flags & ms_magic_mask) == ms_magic) {
        flags &= ~ms_magic_mask;
    }
    if (flags & ms_nouser) {
        return Error(Errno::INVAL, "MS_NOUSER");
    }
    if (flags & ms_remount) {
        if (flags & ms_bind) {
            return Error(Errno::INVAL, "bind remounts are not supported");
        }
        if (!is_mount_root(*directory)) {
            return Error(Errno::INVAL, "remount of a non-mount point");
        }
        const tmpfs::Options options = TRY(tmpfs::parse_options(data.view()));
        TRY(mounts::remount(directory, flags, options.has_size, options.size_pages));
        return 0;
    }
    if (flags & (ms_bind | ms_move)) {
        return Error(Errno::INVAL, "bind and move mounts are not supported");
    }
    if (flags & ms_propagation) {
        if (!is_mount_root(*directory)) {
            return Error(Errno::INVAL, "propagation change of a non-mount point");
        }
        return 0;
    }
    if (!type.present) {
        return Error(Errno::INVAL, "no file system type");
    }
    if (directory == vfs::root()) {
        // Linux stacks a mount on /; Kite's walks start at the initrd's
        // root and would never see it, so it is refused.
        return Error(Errno::BUSY, "cannot mount over /");
    }
    mounts::Spec spec = TRY(
        new_file_system(type.view(), source.present ? source.view() : "none", data.view(), flags));
    TRY(mounts::attach(directory, move(spec)));
    return 0;
}

SyscallResult sys_umount2(const SyscallArguments& args) {
    const u64 flags = args.a1;
    if (flags & ~(mnt_force | mnt_detach | mnt_expire | umount_nofollow)) {
        return Error(Errno::INVAL, "unknown umount2 flags");
    }
    const UserPath target = TRY(UserPath::copy(args.a0));
    const RefPtr<Vnode> root =
        TRY(vfs::resolve(target.view(), Process::current()->cwd(),
                         flags & umount_nofollow ? vfs::Follow::No : vfs::Follow::Yes));
    if (flags & mnt_expire) {
        return Error(Errno::INVAL, "MNT_EXPIRE is not supported");
    }
    TRY(mounts::unmount(root, flags & mnt_detach));
    return 0;
}

} // namespace kite
