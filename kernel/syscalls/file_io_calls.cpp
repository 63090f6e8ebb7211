// file_io_calls.cpp: opening, closing and I/O on descriptors: open,
// openat, close, read, write, readv, writev, pread64, pwrite64, preadv,
// pwritev, preadv2, pwritev2, lseek, ioctl, truncate, ftruncate.
#include "api/file_abi.h"
#include "api/termios.h"
#include "fs/mounts.h"
#include "fs/name_rules.h"
#include "fs/namespace_lock.h"
#include "fs/open_file.h"
#include "syscalls/file_arguments.h"
#include "syscalls/file_transfer.h"
#include "syscalls/syscall.h"
#include "syscalls/user_path.h"

namespace kite {

namespace {

constexpr u64 max_iovecs = 1024; // UIO_MAXIOV

// The descriptor of a positional call: Linux checks the offset first, then
// the descriptor, then that the file has positions (ESPIPE for pipes and
// terminals).
ErrorOr<RefPtr<OpenFile>> positional_file(u64 fd, i64 position) {
    if (position < 0) {
        return Error(Errno::INVAL, "negative offset");
    }
    RefPtr<OpenFile> file = TRY(file_for(fd));
    if (!file->vnode()->is_seekable()) {
        return Error(Errno::SPIPE, "the file has no positions");
    }
    return file;
}

SyscallResult transfer_vector(const RefPtr<OpenFile>& file, i64 position, u64 vector, u64 count,
                              bool writing) {
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
        const i64 at = position == at_offset ? at_offset : position + static_cast<i64>(done);
        auto n = writing ? write_limited(*file, at, IoBuffer::user({iov.base}), length)
                         : read_from(*file, at, IoBuffer::user({iov.base}), length);
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

// preadv2 and pwritev2: position -1 is the file's offset (readv, writev);
// the flags are hints Kite's memory files satisfy anyway, except
// RWF_NOWAIT (Linux: EOPNOTSUPP where it cannot promise not to wait) and
// RWF_APPEND (writes at the end, as O_APPEND).
constexpr u64 RWF_HIPRI = 1;
constexpr u64 RWF_DSYNC = 2;
constexpr u64 RWF_SYNC = 4;
constexpr u64 RWF_APPEND = 16;

SyscallResult transfer_vector2(const SyscallArguments& args, bool writing) {
    const i64 position = static_cast<i64>(args.a3);
    const u64 flags = static_cast<u32>(args.a5);
    const u64 allowed = RWF_HIPRI | RWF_DSYNC | RWF_SYNC | (writing ? RWF_APPEND : 0);
    if (position == at_offset) {
        if (flags & ~allowed) {
            return Error(Errno::OPNOTSUPP, "unsupported flags");
        }
        return transfer_vector(TRY(file_for(args.a0)), at_offset, args.a1, args.a2, writing);
    }
    RefPtr<OpenFile> file = TRY(positional_file(args.a0, position));
    if (flags & ~allowed) {
        return Error(Errno::OPNOTSUPP, "unsupported flags");
    }
    if (flags & RWF_APPEND) {
        return transfer_vector(file, at_offset, args.a1, args.a2, writing);
    }
    return transfer_vector(file, position, args.a1, args.a2, writing);
}

} // namespace

SyscallResult sys_read(const SyscallArguments& args) {
    RefPtr<OpenFile> file = TRY(file_for(args.a0));
    return static_cast<i64>(TRY(file->read(IoBuffer::user({args.a1}), min<u64>(args.a2, max_io))));
}

SyscallResult sys_write(const SyscallArguments& args) {
    RefPtr<OpenFile> file = TRY(file_for(args.a0));
    return static_cast<i64>(
        TRY(write_limited(*file, at_offset, IoBuffer::user({args.a1}), min<u64>(args.a2, max_io))));
}

SyscallResult sys_readv(const SyscallArguments& args) {
    return transfer_vector(TRY(file_for(args.a0)), at_offset, args.a1, args.a2, false);
}

SyscallResult sys_writev(const SyscallArguments& args) {
    return transfer_vector(TRY(file_for(args.a0)), at_offset, args.a1, args.a2, true);
}

SyscallResult sys_pread64(const SyscallArguments& args) {
    const i64 position = static_cast<i64>(args.a3);
    RefPtr<OpenFile> file = TRY(positional_file(args.a0, position));
    return static_cast<i64>(TRY(file->read_at(static_cast<u64>(position), IoBuffer::user({args.a1}),
                                              min<u64>(args.a2, max_io))));
}

SyscallResult sys_pwrite64(const SyscallArguments& args) {
    const i64 position = static_cast<i64>(args.a3);
    RefPtr<OpenFile> file = TRY(positional_file(args.a0, position));
    return static_cast<i64>(
        TRY(write_limited(*file, position, IoBuffer::user({args.a1}), min<u64>(args.a2, max_io))));
}

// preadv(fd, iov, count, pos_low, pos_high): on x86-64 the low word is the
// whole offset (Linux's pos_from_hilo shifts the high word out).
SyscallResult sys_preadv(const SyscallArguments& args) {
    const i64 position = static_cast<i64>(args.a3);
    return transfer_vector(TRY(positional_file(args.a0, position)), position, args.a1, args.a2,
                           false);
}

SyscallResult sys_pwritev(const SyscallArguments& args) {
    const i64 position = static_cast<i64>(args.a3);
    return transfer_vector(TRY(positional_file(args.a0, position)), position, args.a1, args.a2,
                           true);
}

SyscallResult sys_preadv2(const SyscallArguments& args) {
    return transfer_vector2(args, false);
}

SyscallResult sys_pwritev2(const SyscallArguments& args) {
    return transfer_vector2(args, true);
}

namespace {

SyscallResult open_at(i64 dirfd, u64 path_address, u32 flags, u32 requested_mode) {
    const u32 mode = creation_mode(requested_mode & 07777);
    const UserPath path = TRY(UserPath::copy(path_address));
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
    if (vnode->type() == VnodeType::Socket) {
        return Error(Errno::NXIO, "a socket cannot be opened"); // as Linux
    }
    if ((flags & O_DIRECTORY) && !vnode->is_directory()) {
        return Error(Errno::NOTDIR, "not a directory");
    }
    const bool device =
        vnode->type() == VnodeType::CharDevice || vnode->type() == VnodeType::BlockDevice;
    if (device && (mounts::info_for_device(vnode->device()).flags & mounts::no_dev)) {
        return Error(Errno::ACCES, "device nodes are off on this file system (nodev)");
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
    RefPtr<OpenFile> file =
        TRY(try_make_ref<OpenFile>(vnode, flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC)));
    // A FIFO may wait here for its other end (signals end the wait).
    file->tell_vnode_at_close(TRY(vnode->opened(flags)));
    Process* self = Process::current();
    return TRY(self->fds().install(file, flags & O_CLOEXEC, self->limits.open_files()));
}

// openat2's flags: Linux's VALID_OPEN_FLAGS on x86-64 (anything else is
// EINVAL there, where openat ignores it).
constexpr u64 valid_open_flags = 03 | 0100 | 0200 | 0400 | 01000 | 02000 | 04000 | 010000 | 020000 |
                                 040000 | 0100000 | 0200000 | 0400000 | 01000000 | 02000000 |
                                 04000000 | 010000000 | 020000000;
constexpr u64 RESOLVE_CACHED = 0x20;
constexpr u64 valid_resolve_flags = 0x3f;
constexpr u64 O_TMPFILE = 020000000 | O_DIRECTORY;

} // namespace

SyscallResult sys_openat(const SyscallArguments& args) {
    return open_at(static_cast<i64>(args.a0), args.a1, static_cast<u32>(args.a2),
                   static_cast<u32>(args.a3));
}

// openat2(dirfd, path, how, size): openat with strict checks. Of the
// RESOLVE_* flags only RESOLVE_CACHED is honoured (Kite's names are all in
// memory, so every lookup is cached); the others need resolution rules
// Kite's VFS lacks and are ENOSYS, which C libraries and systemd take as
// "use openat".
SyscallResult sys_openat2(const SyscallArguments& args) {
    const u64 size = args.a3;
    if (size < sizeof(abi::OpenHow)) {
        return Error(Errno::INVAL, "struct open_how too small");
    }
    if (size > 4096) {
        return Error(Errno::TOOBIG, "struct open_how too large");
    }
    const auto how = TRY(read_user<abi::OpenHow>({args.a2}));
    // A larger struct from a newer C library: its extra bytes must be 0.
    for (u64 at = sizeof(abi::OpenHow); at < size; ++at) {
        if (TRY(read_user<u8>({args.a2 + at})) != 0) {
            return Error(Errno::TOOBIG, "unknown open_how fields set");
        }
    }
    if ((how.flags & ~valid_open_flags) || (how.resolve & ~valid_resolve_flags) ||
        (how.mode & ~u64{07777})) {
        return Error(Errno::INVAL, "unknown flags");
    }
    const bool creates = (how.flags & O_CREAT) || (how.flags & O_TMPFILE) == O_TMPFILE;
    if (how.mode != 0 && !creates) {
        return Error(Errno::INVAL, "a mode without O_CREAT");
    }
    if (how.resolve & ~RESOLVE_CACHED) {
        return Error(Errno::NOSYS, "RESOLVE_* path rules are not implemented");
    }
    return open_at(static_cast<i64>(args.a0), args.a1, static_cast<u32>(how.flags),
                   static_cast<u32>(how.mode));
}

SyscallResult sys_open(const SyscallArguments& args) {
    return sys_openat({cwd_argument, args.a0, args.a1, args.a2, 0, 0, args.frame});
}

// creat(path, mode): open(path, O_CREAT | O_WRONLY | O_TRUNC, mode).
SyscallResult sys_creat(const SyscallArguments& args) {
    return sys_openat(
        {cwd_argument, args.a0, O_CREAT | O_WRONLY | O_TRUNC, args.a1, 0, 0, args.frame});
}

SyscallResult sys_close(const SyscallArguments& args) {
    TRY(Process::current()->fds().close(static_cast<int>(static_cast<i32>(args.a0))));
    return 0;
}

SyscallResult sys_lseek(const SyscallArguments& args) {
    RefPtr<OpenFile> file = TRY(file_for(args.a0));
    return static_cast<i64>(TRY(file->seek(static_cast<i64>(args.a1), static_cast<int>(args.a2))));
}

// Linux's do_vfs_ioctl first: the requests any descriptor takes (close-on-
// exec, O_NONBLOCK) and FIONREAD on a regular file (the bytes from the
// offset to the end, negative past it); everything else is the file's
// (terminals, pipes), ENOTTY where it has none.
SyscallResult sys_ioctl(const SyscallArguments& args) {
    const int fd = static_cast<int>(static_cast<i32>(args.a0));
    FdTable& fds = Process::current()->fds();
    RefPtr<OpenFile> file = TRY(fds.get(fd));
    const UserAddress argument{args.a2};
    switch (static_cast<u32>(args.a1)) {
    case abi::FIOCLEX:
    case abi::FIONCLEX:
        TRY(fds.set_close_on_exec_flag(fd, static_cast<u32>(args.a1) == abi::FIOCLEX));
        return 0;
    case abi::FIONBIO: {
        const i32 on = TRY(read_user<i32>(argument));
        file->set_status_flags(on ? file->flags() | O_NONBLOCK : file->flags() & ~O_NONBLOCK);
        return 0;
    }
    case abi::FIONREAD:
        if (file->vnode()->type() == VnodeType::Regular) {
            const u64 offset = TRY(file->seek(0, 1));
            TRY(write_user<i32>(argument, static_cast<i32>(file->vnode()->size() - offset)));
            return 0;
        }
        break;
    default:
        break;
    }
    return TRY(file->vnode()->ioctl(args.a1, argument));
}

namespace {

// The common part of truncate and ftruncate, on a regular file: growing
// it past RLIMIT_FSIZE sends SIGXFSZ and is EFBIG (Linux's
// inode_newsize_ok); shrinking is always allowed.
SyscallResult truncate_regular(Vnode& vnode, u64 size) {
    Process* self = Process::current();
    const u64 limit = self->limits.soft(Resource::FileSize);
    if (size > vnode.size() && limit != unlimited && size > limit) {
        self->send_signal(signals::XFSZ);
        return Error(Errno::FBIG, "RLIMIT_FSIZE reached");
    }
    TRY(vnode.truncate(size));
    return 0;
}

} // namespace

SyscallResult sys_ftruncate(const SyscallArguments& args) {
    const i64 size = static_cast<i64>(args.a1);
    if (size < 0) {
        return Error(Errno::INVAL, "negative length");
    }
    RefPtr<OpenFile> file = TRY(file_for(args.a0));
    if (file->vnode()->type() != VnodeType::Regular || !file->writable()) {
        return Error(Errno::INVAL, "not a regular file open for writing");
    }
    return truncate_regular(*file->vnode(), static_cast<u64>(size));
}

SyscallResult sys_truncate(const SyscallArguments& args) {
    const i64 size = static_cast<i64>(args.a1);
    const UserPath path = TRY(UserPath::copy(args.a0));
    if (size < 0) {
        return Error(Errno::INVAL, "negative length");
    }
    RefPtr<Vnode> vnode = TRY(vfs::resolve(path.view(), Process::current()->cwd()));
    if (vnode->is_directory()) {
        return Error(Errno::ISDIR, "a directory cannot be truncated");
    }
    if (vnode->type() != VnodeType::Regular) {
        return Error(Errno::INVAL, "not a regular file");
    }
    if (vnode->is_read_only()) {
        return Error(Errno::ROFS, "read-only file system");
    }
    return truncate_regular(*vnode, static_cast<u64>(size));
}

} // namespace kite
