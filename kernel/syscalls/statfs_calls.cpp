// statfs_calls.cpp: statfs and fstatfs. Kite's file systems tell
// themselves apart by device number (fs/memory_fs.cpp), and the mount
// table (fs/mounts.h) says what is mounted with that device and how.
#include "api/statfs.h"
#include "fs/mounts.h"
#include "fs/open_file.h"
#include "fs/vfs.h"
#include "mm/physical.h"
#include "syscalls/file_arguments.h"
#include "syscalls/syscall.h"
#include "syscalls/user_path.h"

namespace kite {

namespace {

abi::StatFs statistics_of(const Vnode& vnode) {
    abi::StatFs out{};
    const u64 device = vnode.device();
    const mounts::Info mount = mounts::info_for_device(device);
    out.f_bsize = 4096;
    out.f_frsize = 4096;
    out.f_namelen = max_name_length;
    out.f_fsid[0] = static_cast<int>(device);
    // The ST_* bits are the MS_* bits of the flags Kite keeps.
    out.f_flags =
        (mount.flags & mounts::no_atime ? ABI_ST_NOATIME : ABI_ST_RELATIME) |
        (mount.flags & (mounts::read_only | mounts::no_suid | mounts::no_dev | mounts::no_exec));
    switch (mount.type) {
    case mounts::FsType::Ramfs:
        out.f_type = ABI_RAMFS_MAGIC;
        break;
    case mounts::FsType::Proc:
        out.f_type = ABI_PROC_SUPER_MAGIC;
        break;
    case mounts::FsType::Tmpfs:
    case mounts::FsType::Devtmpfs:
        out.f_type = ABI_TMPFS_MAGIC;
        break;
    case mounts::FsType::Ext2:
        mount.disk->statfs(out);
        return out;
    }
    const physical::Stats memory = physical::stats();
    if (mount.space) {
        // A tmpfs: its size= limit and what of it is used (0: unlimited,
        // which Linux reports as all zeros).
        out.f_blocks = mount.space->limit_pages();
        out.f_bfree = out.f_bavail = out.f_blocks - min(out.f_blocks, mount.space->used_pages());
        out.f_files = memory.managed_frames / 2;
        out.f_ffree = out.f_files;
    } else if (mount.type == mounts::FsType::Devtmpfs) {
        // Linux's devtmpfs is an unlimited tmpfs: free memory stands for its room.
        out.f_blocks = memory.managed_frames / 2;
        out.f_bfree = out.f_bavail = min(memory.free_frames, out.f_blocks);
        out.f_files = memory.managed_frames / 2;
        out.f_ffree = out.f_files;
    }
    return out;
}

} // namespace

SyscallResult sys_statfs(const SyscallArguments& args) {
    const UserPath path = TRY(UserPath::copy(args.a0, false));
    const RefPtr<Vnode> vnode = TRY(vfs::resolve(path.view(), Process::current()->cwd()));
    TRY(write_user({args.a1}, statistics_of(*vnode)));
    return 0;
}

SyscallResult sys_fstatfs(const SyscallArguments& args) {
    RefPtr<OpenFile> file = TRY(file_for(args.a0));
    TRY(write_user({args.a1}, statistics_of(*file->vnode())));
    return 0;
}

} // namespace kite
