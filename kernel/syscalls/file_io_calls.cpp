// file_io_calls.cpp: opening, closing and I/O on descriptors: open,
// openat, close, read, write, readv, writev, lseek, ioctl, truncate,
// ftruncate.
#include "fs/name_rules.h"
#include "fs/namespace_lock.h"
#include "fs/open_file.h"
#include "syscalls/file_arguments.h"
#include "syscalls/syscall.h"
#include "syscalls/user_path.h"

namespace kite {

namespace {

constexpr u64 max_iovecs = 1024; // UIO_MAXIOV

// A write, within the caller's RLIMIT_FSIZE: crossing it sends SIGXFSZ
// (which by default ends the process) and, if that does not, is EFBIG.
ErrorOr<usize> write_limited(OpenFile& file, const IoBuffer& from, usize length) {
    Process* self = Process::current();
    auto written = file.write(from, length, self->limits.soft(Resource::FileSize));
    if (written.is_error() && written.error().code() == Errno::FBIG) {
        self->send_signal(signals::XFSZ);
    }
    return written;
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
        auto n = writing ? write_limited(*file, IoBuffer::user({iov.base}), length)
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
    return static_cast<i64>(
        TRY(write_limited(*file, IoBuffer::user({args.a1}), min<u64>(args.a2, max_io))));
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
    if (vnode->type() == VnodeType::Socket) {
        return Error(Errno::NXIO, "a socket cannot be opened"); // as Linux
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
    Process* self = Process::current();
    return TRY(self->fds().install(file, flags & O_CLOEXEC, self->limits.open_files()));
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

SyscallResult sys_ioctl(const SyscallArguments& args) {
    RefPtr<OpenFile> file = TRY(file_for(args.a0));
    return TRY(file->vnode()->ioctl(args.a1, {args.a2}));
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
