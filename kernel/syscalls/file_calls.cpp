// file_calls.cpp: files and directories: open, read, write, seek, stat,
// directory listing, the current directory, links and symbolic links, and
// ioctl.
#include "fs/name_rules.h"
#include "fs/namespace_lock.h"
#include "fs/open_file.h"
#include "fs/vfs.h"
#include "proc/process.h"
#include "syscalls/file_type.h"
#include "syscalls/linux_types.h"
#include "syscalls/syscall.h"
#include "syscalls/user_path.h"
#include "time/clock.h"

namespace kite {

namespace {

constexpr usize max_io = 0x7ffff000; // Linux's cap on one read or write
constexpr u64 max_iovecs = 1024;     // UIO_MAXIOV
constexpr u64 AT_REMOVEDIR = 0x200;
// AT_FDCWD as a raw argument, for the calls that are their *at() form.
constexpr u64 cwd_argument = static_cast<u64>(static_cast<i64>(abi::AT_FDCWD));

ErrorOr<RefPtr<OpenFile>> file_for(u64 fd) {
    return Process::current()->fds().get(static_cast<int>(static_cast<i32>(fd)));
}

// The directory a *at() call's relative path starts from.
ErrorOr<RefPtr<Vnode>> base_directory(i64 dirfd, StringView path) {
    if (!path.is_empty() && path[0] == '/') {
        return vfs::root();
    }
    if (static_cast<i32>(dirfd) == abi::AT_FDCWD) {
        return Process::current()->cwd();
    }
    RefPtr<OpenFile> file = TRY(file_for(static_cast<u64>(dirfd)));
    if (!file->vnode()->is_directory()) {
        return Error(Errno::NOTDIR, "dirfd is not a directory");
    }
    return file->vnode();
}

abi::Stat make_stat(const Vnode& vnode) {
    abi::Stat st{};
    st.dev = vnode.device();
    st.ino = vnode.inode();
    u32 names;
    {
        vfs::NamespaceGuard guard; // link and unlink change the count under it
        names = vnode.names;
    }
    st.nlink = vnode.is_directory() ? 2 : (names > 0 ? names : 1);
    st.mode = linux_file_type(vnode.type()).mode | vnode.permissions();
    st.rdev = vnode.device_number();
    st.size = static_cast<i64>(vnode.size());
    st.blksize = 4096;
    st.blocks = static_cast<i64>((vnode.size() + 511) / 512);
    const i64 time =
        vnode.modified_time() ? vnode.modified_time() : clock::realtime_ns() / 1'000'000'000;
    st.atime = st.mtime = st.ctime = time;
    return st;
}

SyscallResult stat_path(i64 dirfd, u64 path_address, u64 out, u32 flags) {
    const UserPath path = TRY(UserPath::copy(path_address, flags & abi::AT_EMPTY_PATH));
    RefPtr<Vnode> vnode;
    if (path.view().is_empty()) {
        vnode = static_cast<i32>(dirfd) == abi::AT_FDCWD
                    ? Process::current()->cwd()
                    : TRY(file_for(static_cast<u64>(dirfd)))->vnode();
    } else {
        const RefPtr<Vnode> base = TRY(base_directory(dirfd, path.view()));
        const auto follow = (flags & abi::AT_SYMLINK_NOFOLLOW) ? vfs::Follow::No : vfs::Follow::Yes;
        vnode = TRY(vfs::resolve(path.view(), base, follow));
    }
    TRY(write_user({out}, make_stat(*vnode)));
    return 0;
}

SyscallResult transfer_vector(u64 fd, u64 vector, u64 count, bool writing) {
    RefPtr<OpenFile> file = TRY(file_for(fd));
    if (count > max_iovecs) {
        return Error(Errno::INVAL, "too many iovecs");
    }
    for (u64 i = 0; i < count; ++i) { // validate the lengths before any I/O
        const auto iov = TRY(read_user<abi::Iovec>({vector + i * sizeof(abi::Iovec)}));
        if (iov.length > static_cast<u64>(INT64_MAX)) {
            return Error(Errno::INVAL, "negative iovec length");
        }
    }
    // Like Linux, the total of one call is capped at max_io.
    u64 done = 0;
    for (u64 i = 0; i < count && done < max_io; ++i) {
        const auto iov = TRY(read_user<abi::Iovec>({vector + i * sizeof(abi::Iovec)}));
        const u64 length = min<u64>(iov.length, max_io - done);
        if (length == 0) {
            continue;
        }
        auto n = writing ? file->write(IoBuffer::user({iov.base}), length)
                         : file->read(IoBuffer::user({iov.base}), length);
        if (n.is_error()) {
            if (done > 0) {
                break; // report what was transferred
            }
            return n.release_error();
        }
        done += n.value();
        if (n.value() < length) {
            break;
        }
    }
    return static_cast<i64>(done);
}

} // namespace

SyscallResult sys_read(const SyscallArguments& args) {
    RefPtr<OpenFile> file = TRY(file_for(args.a0));
    return static_cast<i64>(TRY(file->read(IoBuffer::user({args.a1}), min<u64>(args.a2, max_io))));
}

SyscallResult sys_write(const SyscallArguments& args) {
    RefPtr<OpenFile> file = TRY(file_for(args.a0));
    return static_cast<i64>(TRY(file->write(IoBuffer::user({args.a1}), min<u64>(args.a2, max_io))));
}

SyscallResult sys_readv(const SyscallArguments& args) {
    return transfer_vector(args.a0, args.a1, args.a2, false);
}

SyscallResult sys_writev(const SyscallArguments& args) {
    return transfer_vector(args.a0, args.a1, args.a2, true);
}

SyscallResult sys_openat(const SyscallArguments& args) {
    const i64 dirfd = static_cast<i64>(args.a0);
    const u32 flags = static_cast<u32>(args.a2);
    const u32 mode = static_cast<u32>(args.a3) & 07777;
    const UserPath path = TRY(UserPath::copy(args.a1));
    const RefPtr<Vnode> base = TRY(base_directory(dirfd, path.view()));
    RefPtr<Vnode> vnode;
    if (flags & O_CREAT) {
        const vfs::NamespaceGuard tree; // the name is checked and made in one step
        const vfs::NameTarget target =
            TRY(vfs::resolve_for(vfs::NameUse::CreateFile, path.view(), base));
        if (target.existing) {
            if (flags & O_EXCL) {
                return Error(Errno::EXIST, "file exists");
            }
            vnode = target.existing;
            if (vnode->is_directory()) {
                return Error(Errno::ISDIR, "O_CREAT on a directory");
            }
        } else {
            vnode = TRY(target.directory->create(target.name, VnodeType::Regular, mode));
        }
    } else {
        const auto follow = (flags & O_NOFOLLOW) ? vfs::Follow::No : vfs::Follow::Yes;
        vnode = TRY(vfs::resolve(path.view(), base, follow));
        if (vnode->type() == VnodeType::Symlink) {
            return Error(Errno::LOOP, "O_NOFOLLOW on a symbolic link");
        }
    }
    if ((flags & O_DIRECTORY) && !vnode->is_directory()) {
        return Error(Errno::NOTDIR, "not a directory");
    }
    // As Linux: O_TRUNC asks for write access even with O_RDONLY (and does
    // truncate), and access mode 3 asks for both but allows neither read
    // nor write through the descriptor (OpenFile::readable/writable).
    const bool needs_write = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
    if (vnode->is_directory() && needs_write) {
        return Error(Errno::ISDIR, "a directory cannot be opened for writing");
    }
    if (needs_write && vnode->type() == VnodeType::Regular && vnode->is_read_only()) {
        return Error(Errno::ROFS, "read-only file system");
    }
    if ((flags & O_TRUNC) && vnode->type() == VnodeType::Regular) {
        TRY(vnode->truncate(0));
    }
    auto file =
        TRY(try_make_ref<OpenFile>(vnode, flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC)));
    return TRY(Process::current()->fds().install(file, flags & O_CLOEXEC));
}

SyscallResult sys_open(const SyscallArguments& args) {
    return sys_openat({cwd_argument, args.a0, args.a1, args.a2, 0, 0, args.frame});
}

SyscallResult sys_close(const SyscallArguments& args) {
    TRY(Process::current()->fds().close(static_cast<int>(static_cast<i32>(args.a0))));
    return 0;
}

SyscallResult sys_lseek(const SyscallArguments& args) {
    RefPtr<OpenFile> file = TRY(file_for(args.a0));
    return static_cast<i64>(TRY(file->seek(static_cast<i64>(args.a1), static_cast<int>(args.a2))));
}

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

SyscallResult sys_getdents64(const SyscallArguments& args) {
    RefPtr<OpenFile> file = TRY(file_for(args.a0));
    const u64 buffer = args.a1;
    const u64 capacity = min<u64>(args.a2, max_io);
    u64 used = 0;
    DirectoryEntry entry;
    const OpenFile::OffsetGuard offset(*file); // one listing at a time per description
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

SyscallResult sys_getcwd(const SyscallArguments& args) {
    auto* path = static_cast<char*>(kmalloc(max_path_length + 1));
    if (!path) {
        return Error(Errno::NOMEM, "out of memory");
    }
    auto length = vfs::absolute_path(Process::current()->cwd(), path, max_path_length + 1);
    ErrorOr<void> copied;
    if (!length.is_error()) {
        copied = length.value() > args.a1 ? ErrorOr<void>(Error(Errno::RANGE, "buffer too small"))
                                          : copy_to_user({args.a0}, path, length.value());
    }
    kfree(path);
    const usize n = TRY(move(length));
    TRY(move(copied));
    return static_cast<i64>(n);
}

SyscallResult sys_chdir(const SyscallArguments& args) {
    const UserPath path = TRY(UserPath::copy(args.a0));
    RefPtr<Vnode> directory = TRY(vfs::resolve(path.view(), Process::current()->cwd()));
    if (!directory->is_directory()) {
        return Error(Errno::NOTDIR, "not a directory");
    }
    Process::current()->cwd() = directory;
    return 0;
}

SyscallResult sys_unlinkat(const SyscallArguments& args) {
    if (args.a2 & ~AT_REMOVEDIR) {
        return Error(Errno::INVAL, "unknown flags");
    }
    const UserPath path = TRY(UserPath::copy(args.a1));
    const RefPtr<Vnode> base = TRY(base_directory(static_cast<i64>(args.a0), path.view()));
    const auto use =
        (args.a2 & AT_REMOVEDIR) ? vfs::NameUse::RemoveDirectory : vfs::NameUse::Unlink;
    const vfs::NamespaceGuard tree; // what was checked is what is removed
    const vfs::NameTarget target = TRY(vfs::resolve_for(use, path.view(), base));
    TRY(target.directory->remove(target.name));
    return 0;
}

SyscallResult sys_rmdir(const SyscallArguments& args) {
    return sys_unlinkat({cwd_argument, args.a0, AT_REMOVEDIR, 0, 0, 0, args.frame});
}

SyscallResult sys_mkdirat(const SyscallArguments& args) {
    const u32 mode = static_cast<u32>(args.a2) & 07777;
    const UserPath path = TRY(UserPath::copy(args.a1));
    const RefPtr<Vnode> base = TRY(base_directory(static_cast<i64>(args.a0), path.view()));
    const vfs::NamespaceGuard tree;
    const vfs::NameTarget target =
        TRY(vfs::resolve_for(vfs::NameUse::MakeDirectory, path.view(), base));
    TRY(target.directory->create(target.name, VnodeType::Directory, mode));
    return 0;
}

SyscallResult sys_mkdir(const SyscallArguments& args) {
    return sys_mkdirat({cwd_argument, args.a0, args.a1, 0, 0, 0, args.frame});
}

SyscallResult sys_renameat2(const SyscallArguments& args) {
    if (args.a4 != 0) {
        return Error(Errno::INVAL, "no renameat2 flags are supported");
    }
    const UserPath old_path = TRY(UserPath::copy(args.a1));
    const UserPath new_path = TRY(UserPath::copy(args.a3));
    const RefPtr<Vnode> old_base = TRY(base_directory(static_cast<i64>(args.a0), old_path.view()));
    const RefPtr<Vnode> new_base = TRY(base_directory(static_cast<i64>(args.a2), new_path.view()));
    const vfs::NamespaceGuard tree;
    const vfs::RenameTarget target =
        TRY(vfs::resolve_for_rename(old_path.view(), old_base, new_path.view(), new_base));
    TRY(target.from->rename(target.old_name, *target.to, target.new_name));
    return 0;
}

SyscallResult sys_linkat(const SyscallArguments& args) {
    constexpr u64 AT_SYMLINK_FOLLOW = 0x400;
    if (args.a4 & ~AT_SYMLINK_FOLLOW) {
        return Error(Errno::INVAL, "unknown flags");
    }
    const UserPath old_path = TRY(UserPath::copy(args.a1));
    const UserPath new_path = TRY(UserPath::copy(args.a3));
    const RefPtr<Vnode> old_base = TRY(base_directory(static_cast<i64>(args.a0), old_path.view()));
    const RefPtr<Vnode> new_base = TRY(base_directory(static_cast<i64>(args.a2), new_path.view()));
    const auto follow = (args.a4 & AT_SYMLINK_FOLLOW) ? vfs::Follow::Yes : vfs::Follow::No;
    const vfs::NamespaceGuard tree;
    const RefPtr<Vnode> file = TRY(vfs::resolve(old_path.view(), old_base, follow));
    // An existing new name is EEXIST before the old file's EPERM or EXDEV.
    const vfs::NameTarget target =
        TRY(vfs::resolve_for(vfs::NameUse::MakeLink, new_path.view(), new_base));
    TRY(target.directory->link(target.name, file));
    return 0;
}

SyscallResult sys_symlinkat(const SyscallArguments& args) {
    const UserPath target = TRY(UserPath::copy(args.a0)); // stored as given, need not exist
    const UserPath path = TRY(UserPath::copy(args.a2));
    const RefPtr<Vnode> base = TRY(base_directory(static_cast<i64>(args.a1), path.view()));
    const vfs::NamespaceGuard tree;
    const vfs::NameTarget entry = TRY(vfs::resolve_for(vfs::NameUse::MakeLink, path.view(), base));
    TRY(entry.directory->symlink(entry.name, target.view()));
    return 0;
}

SyscallResult sys_symlink(const SyscallArguments& args) {
    return sys_symlinkat({args.a0, cwd_argument, args.a1, 0, 0, 0, args.frame});
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
    auto* target = static_cast<char*>(kmalloc(max_path_length));
    if (!target) {
        return Error(Errno::NOMEM, "out of memory");
    }
    auto length = link->read_link(target, min<u64>(static_cast<u64>(capacity), max_path_length));
    ErrorOr<void> copied = length.is_error() ? ErrorOr<void>(length.error())
                                             : copy_to_user({args.a2}, target, length.value());
    kfree(target);
    TRY(move(copied));
    return static_cast<i64>(length.value()); // no NUL added, as Linux
}

SyscallResult sys_readlink(const SyscallArguments& args) {
    return sys_readlinkat({cwd_argument, args.a0, args.a1, args.a2, 0, 0, args.frame});
}

SyscallResult sys_link(const SyscallArguments& args) {
    return sys_linkat({cwd_argument, args.a0, cwd_argument, args.a1, 0, 0, args.frame});
}

SyscallResult sys_renameat(const SyscallArguments& args) {
    return sys_renameat2({args.a0, args.a1, args.a2, args.a3, 0, 0, args.frame});
}

SyscallResult sys_rename(const SyscallArguments& args) {
    return sys_renameat2({cwd_argument, args.a0, cwd_argument, args.a1, 0, 0, args.frame});
}

SyscallResult sys_unlink(const SyscallArguments& args) {
    return sys_unlinkat({cwd_argument, args.a0, 0, 0, 0, 0, args.frame});
}

SyscallResult sys_ioctl(const SyscallArguments& args) {
    RefPtr<OpenFile> file = TRY(file_for(args.a0));
    return TRY(file->vnode()->ioctl(args.a1, {args.a2}));
}

} // namespace kite
