// statfs_calls.cpp: statfs and fstatfs. Kite's file systems tell
// themselves apart by device number (fs/memory_fs.cpp): 1 the initrd
// (read-only, which Linux would call a ramfs), 2 devfs (Linux's /dev is a
// devtmpfs: TMPFS_MAGIC), 3 procfs, 0x100 on each tmpfs.
#include "api/statfs.h"
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
    out.f_bsize = 4096;
    out.f_frsize = 4096;
    out.f_namelen = max_name_length;
    out.f_fsid[0] = static_cast<int>(device);
    out.f_flags = ABI_ST_RELATIME;
    if (device == 1) {
        out.f_type = ABI_RAMFS_MAGIC;
        out.f_flags |= ABI_ST_RDONLY;
    } else if (device == 3) {
        out.f_type = ABI_PROC_SUPER_MAGIC;
        out.f_flags |= ABI_ST_NOSUID | ABI_ST_NODEV | ABI_ST_NOEXEC;
    } else {
        // devfs and tmpfs: Linux's tmpfs is half of memory unless told, and
        // its free blocks are what of that is left; Kite's tmpfs has no
        // size limit of its own yet, so free memory stands for its room.
        out.f_type = ABI_TMPFS_MAGIC;
        const physical::Stats memory = physical::stats();
        out.f_blocks = memory.managed_frames / 2;
        out.f_bfree = out.f_bavail = min(memory.free_frames, out.f_blocks);
        out.f_files = memory.managed_frames / 2;
        out.f_ffree = out.f_files;
        out.f_flags |= ABI_ST_NOSUID | (device == 2 ? 0 : ABI_ST_NODEV);
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
