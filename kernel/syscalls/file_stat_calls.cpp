// file_stat_calls.cpp: what a file is, without opening it for I/O: stat,
// lstat, fstat, newfstatat, getdents64, readlink, readlinkat.
#include "api/constants.h"
#include "api/file_abi.h"
#include "api/types.h"
#include "fs/namespace_lock.h"
#include "fs/open_file.h"
#include "lib/kbuffer.h"
#include "syscalls/file_arguments.h"
#include "syscalls/file_type.h"
#include "syscalls/path_target.h"
#include "syscalls/syscall.h"
#include "syscalls/user_path.h"
#include "time/clock.h"

namespace kite {

namespace {

constexpr u64 block_size = 4096;

abi::Stat make_stat(const Vnode& vnode) {
    abi::Stat st{};
    st.dev = vnode.device();
    st.ino = vnode.inode();
    st.nlink = vnode.link_count();
    st.mode = linux_file_type(vnode.type()).mode | vnode.permissions();
    st.uid = vnode.uid();
    st.gid = vnode.gid();
    st.rdev = vnode.device_number();
    st.size = static_cast<i64>(vnode.size());
    st.blksize = block_size;
    st.blocks = static_cast<i64>(vnode.blocks());
    const FileTimes times = vnode.times();
    st.atime = times.access / 1'000'000'000;
    st.atime_nsec = times.access % 1'000'000'000;
    st.mtime = times.modify / 1'000'000'000;
    st.mtime_nsec = times.modify % 1'000'000'000;
    st.ctime = times.change / 1'000'000'000;
    st.ctime_nsec = times.change % 1'000'000'000;
    return st;
}

SyscallResult stat_path(i64 dirfd, u64 path_address, u64 out, u32 flags) {
    const RefPtr<Vnode> vnode = TRY(file_at(dirfd, path_address, flags));
    TRY(write_user({out}, make_stat(*vnode)));
    return 0;
}

abi::StatxTimestamp statx_time(i64 ns) {
    // Times before 1970 would need floor division; Kite makes none.
    return {ns / 1'000'000'000, static_cast<u32>(ns % 1'000'000'000), 0};
}

// Linux's encoding of a dev_t (new_encode_dev), taken apart.
u32 device_major(u64 device) {
    return static_cast<u32>(((device >> 8) & 0xfff) | ((device >> 32) & ~u64{0xfff}));
}
u32 device_minor(u64 device) {
    return static_cast<u32>((device & 0xff) | ((device >> 12) & ~u64{0xff}));
}

} // namespace

SyscallResult sys_stat(const SyscallArguments& args) {
    return stat_path(abi::AT_FDCWD, args.a0, args.a1, 0);
}

SyscallResult sys_lstat(const SyscallArguments& args) {
    return stat_path(abi::AT_FDCWD, args.a0, args.a1, abi::AT_SYMLINK_NOFOLLOW);
}

SyscallResult sys_newfstatat(const SyscallArguments& args) {
    const u32 flags = static_cast<u32>(args.a3);
    constexpr u32 AT_NO_AUTOMOUNT = 0x800;
    if (flags & ~(abi::AT_SYMLINK_NOFOLLOW | abi::AT_EMPTY_PATH | AT_NO_AUTOMOUNT)) {
        return Error(Errno::INVAL, "unknown flags");
    }
    return stat_path(static_cast<i64>(args.a0), args.a1, args.a2, flags);
}

SyscallResult sys_fstat(const SyscallArguments& args) {
    RefPtr<OpenFile> file = TRY(file_for(args.a0));
    TRY(write_user({args.a1}, make_stat(*file->vnode())));
    return 0;
}

// statx(dirfd, path, flags, mask, buffer): every basic field is filled
// whatever the mask asks (Linux does the same for its memory file
// systems), and the mask returned says which; no birth time.
SyscallResult sys_statx(const SyscallArguments& args) {
    const u32 flags = static_cast<u32>(args.a2);
    const u32 mask = static_cast<u32>(args.a3);
    constexpr u32 AT_NO_AUTOMOUNT = 0x800;
    constexpr u32 known =
        abi::AT_SYMLINK_NOFOLLOW | abi::AT_EMPTY_PATH | AT_NO_AUTOMOUNT | ABI_AT_STATX_SYNC_TYPE;
    if ((flags & ~known) || (flags & ABI_AT_STATX_SYNC_TYPE) == ABI_AT_STATX_SYNC_TYPE) {
        return Error(Errno::INVAL, "unknown flags");
    }
    if (mask & ABI_STATX_RESERVED) {
        return Error(Errno::INVAL, "reserved mask bit");
    }
    const RefPtr<Vnode> vnode = TRY(file_at(static_cast<i64>(args.a0), args.a1, flags));
    const abi::Stat st = make_stat(*vnode);
    abi::Statx sx{};
    sx.mask = ABI_STATX_BASIC_STATS | ABI_STATX_MNT_ID;
    sx.blksize = static_cast<u32>(st.blksize);
    sx.nlink = static_cast<u32>(st.nlink);
    sx.uid = st.uid;
    sx.gid = st.gid;
    sx.mode = static_cast<u16>(st.mode);
    sx.ino = st.ino;
    sx.size = static_cast<u64>(st.size);
    sx.blocks = static_cast<u64>(st.blocks);
    const FileTimes times = vnode->times();
    sx.atime = statx_time(times.access);
    sx.mtime = statx_time(times.modify);
    sx.ctime = statx_time(times.change);
    sx.rdev_major = device_major(st.rdev);
    sx.rdev_minor = device_minor(st.rdev);
    sx.dev_major = device_major(st.dev);
    sx.dev_minor = device_minor(st.dev);
    sx.mnt_id = st.dev; // one mount per file system: its device names it
    TRY(write_user({args.a4}, sx));
    return 0;
}

SyscallResult sys_getdents64(const SyscallArguments& args) {
    RefPtr<OpenFile> file = TRY(file_for(args.a0));
    const u64 buffer = args.a1;
    const u64 capacity = min<u64>(args.a2, max_io);
    u64 used = 0;
    DirectoryEntry entry;
    const OpenFile::OffsetGuard offset(*file); // one listing at a time per description
    // A removed directory (no links left) lists nothing, not even "." and
    // "..": ENOENT, as Linux's IS_DEADDIR check in iterate_dir. Checked
    // once, before the first entry, as there.
    if (file->vnode()->is_directory() && file->vnode()->link_count() == 0) {
        return Error(Errno::NOENT, "the directory has been removed");
    }
    for (;;) {
        if (!TRY(file->next_directory_entry(entry))) {
            break;
        }
        const usize name_length = StringView(entry.name).length();
        const u16 record =
            static_cast<u16>((abi::dirent64_name_offset + name_length + 1 + 7) & ~7u);
        if (used + record > capacity) {
            file->unread_directory_entry();
            if (used == 0) {
                return Error(Errno::INVAL, "buffer too small for an entry");
            }
            break;
        }
        u8 bytes[abi::dirent64_name_offset + max_name_length + 1 + 8] = {};
        abi::Dirent64Header header{};
        header.ino = entry.inode;
        header.off = static_cast<i64>(used + record);
        header.reclen = record;
        header.type = linux_file_type(entry.type).dirent_type;
        __builtin_memcpy(bytes, &header, abi::dirent64_name_offset);
        __builtin_memcpy(bytes + abi::dirent64_name_offset, entry.name, name_length + 1);
        auto copied = copy_to_user({buffer + used}, bytes, record);
        if (copied.is_error()) {
            file->unread_directory_entry();
            return copied.release_error();
        }
        used += record;
    }
    return static_cast<i64>(used);
}

SyscallResult sys_readlinkat(const SyscallArguments& args) {
    const i64 capacity = static_cast<i32>(args.a3); // an int in Linux
    if (capacity <= 0) {
        return Error(Errno::INVAL, "buffer size must be positive");
    }
    const UserPath path = TRY(UserPath::copy(args.a1));
    const RefPtr<Vnode> base = TRY(base_directory(static_cast<i64>(args.a0), path.view()));
    const RefPtr<Vnode> link = TRY(vfs::resolve(path.view(), base, vfs::Follow::No));
    if (link->type() != VnodeType::Symlink) {
        return Error(Errno::INVAL, "not a symbolic link");
    }
    const KBuffer target = TRY(KBuffer::try_create(max_path_length));
    const usize length =
        TRY(link->read_link(target.chars(), min<u64>(static_cast<u64>(capacity), max_path_length)));
    TRY(copy_to_user({args.a2}, target.data(), length));
    return static_cast<i64>(length); // no NUL added, as Linux
}

SyscallResult sys_readlink(const SyscallArguments& args) {
    return sys_readlinkat({cwd_argument, args.a0, args.a1, args.a2, 0, 0, args.frame});
}

} // namespace kite
