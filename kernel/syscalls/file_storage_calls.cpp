// file_storage_calls.cpp: a file's storage: fallocate, and the calls that
// write files back (fsync, fdatasync, sync, syncfs). Memory file systems
// have nothing to write; a disk file system writes its file (fsync) or
// everything (sync, syncfs) and flushes the disk.
#include "fs/writeback.h"
#include "syscalls/file_arguments.h"
#include "syscalls/syscall.h"

namespace kite {

namespace {

SyscallResult sync_file(u64 fd) {
    const RefPtr<OpenFile> file = TRY(file_for(fd));
    if (!file->vnode()->can_sync()) {
        return Error(Errno::INVAL, "the file cannot be synchronised");
    }
    TRY(file->vnode()->sync());
    return 0;
}

constexpr u32 FALLOC_FL_KEEP_SIZE = 1;

} // namespace

SyscallResult sys_fsync(const SyscallArguments& args) {
    return sync_file(args.a0);
}

SyscallResult sys_fdatasync(const SyscallArguments& args) {
    return sync_file(args.a0);
}

// sync(2) cannot fail; an error writing back stays for fsync to report
// (and is logged by the disk's file system).
SyscallResult sys_sync(const SyscallArguments&) {
    (void)writeback::sync_all();
    return 0;
}

SyscallResult sys_syncfs(const SyscallArguments& args) {
    TRY(file_for(args.a0)); // any open file names a file system
    TRY(writeback::sync_all());
    return 0;
}

// fallocate(fd, mode, offset, length): mode 0 makes the file at least
// offset + length long; FALLOC_FL_KEEP_SIZE only reserves, which memory
// files need not do. Checks in Linux's order (vfs_fallocate).
SyscallResult sys_fallocate(const SyscallArguments& args) {
    const RefPtr<OpenFile> file = TRY(file_for(args.a0));
    const u32 mode = static_cast<u32>(args.a1);
    const i64 offset = static_cast<i64>(args.a2);
    const i64 length = static_cast<i64>(args.a3);
    if (mode & ~FALLOC_FL_KEEP_SIZE) {
        return Error(Errno::OPNOTSUPP, "only modes 0 and FALLOC_FL_KEEP_SIZE");
    }
    if (offset < 0 || length <= 0) {
        return Error(Errno::INVAL, "bad range");
    }
    if (!file->writable()) {
        return Error(Errno::BADF, "not open for writing");
    }
    Vnode& vnode = *file->vnode();
    if (vnode.type() == VnodeType::Fifo) {
        return Error(Errno::SPIPE, "a pipe");
    }
    if (vnode.is_directory()) {
        return Error(Errno::ISDIR, "a directory");
    }
    if (vnode.type() != VnodeType::Regular) {
        return Error(Errno::NODEV, "not a regular file");
    }
    if (offset > INT64_MAX - length) {
        return Error(Errno::FBIG, "range past the largest file");
    }
    const u64 end = static_cast<u64>(offset + length);
    if (mode & FALLOC_FL_KEEP_SIZE) {
        return 0;
    }
    Process* self = Process::current();
    const u64 limit = self->limits.soft(Resource::FileSize);
    if (limit != unlimited && end > limit && end > vnode.size()) {
        self->send_signal(signals::XFSZ);
        return Error(Errno::FBIG, "RLIMIT_FSIZE reached");
    }
    TRY(vnode.extend(static_cast<u64>(offset), end));
    return 0;
}

} // namespace kite
