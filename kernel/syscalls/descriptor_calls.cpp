// descriptor_calls.cpp: pipes and descriptor duplication: pipe, pipe2,
// dup, dup2, dup3, fcntl (its lock commands: syscalls/file_lock_calls.cpp).
#include "fs/pipe.h"
#include "proc/process.h"
#include "syscalls/file_lock_calls.h"
#include "syscalls/syscall.h"

namespace kite {

namespace {

constexpr u64 F_DUPFD = 0;
constexpr u64 F_GETFD = 1;
constexpr u64 F_SETFD = 2;
constexpr u64 F_GETFL = 3;
constexpr u64 F_SETFL = 4;
constexpr u64 F_DUPFD_CLOEXEC = 1030;
constexpr u64 F_SETPIPE_SZ = 1031;
constexpr u64 F_GETPIPE_SZ = 1032;
constexpr u64 FD_CLOEXEC = 1;
// /proc/sys/fs/pipe-max-size: the most an unprivileged F_SETPIPE_SZ may ask.
constexpr u64 pipe_max_size = 1 * MiB;

int fd_argument(u64 value) {
    return static_cast<int>(static_cast<i32>(value));
}

// F_SETPIPE_SZ, as Linux's pipe_set_size: the size (an unsigned int) is
// rounded up to a power of two, at least a page; above 2 GiB it is EINVAL,
// above pipe-max-size EPERM unless the caller is privileged (root) or the
// pipe is already larger. Gives the size the pipe now has.
SyscallResult set_pipe_size(Process& self, Vnode& pipe, u64 argument) {
    const u64 asked = static_cast<u32>(argument);
    if (asked > (u64{1} << 31)) {
        return Error(Errno::INVAL, "pipe size above 2 GiB");
    }
    u64 size = page_size;
    while (size < asked) {
        size *= 2;
    }
    const usize current = TRY(pipe.pipe_buffer_size());
    if (size > current && size > pipe_max_size && self.uid != 0) {
        return Error(Errno::PERM, "pipe size above pipe-max-size");
    }
    TRY(pipe.set_pipe_buffer_size(size));
    return static_cast<i64>(size);
}

} // namespace

SyscallResult sys_pipe2(const SyscallArguments& args) {
    const u64 flags = args.a1;
    if (flags & ~u64{O_CLOEXEC | O_NONBLOCK | pipe_packet_flag}) {
        return Error(Errno::INVAL, "unknown pipe2 flags");
    }
    PipeEnds ends = TRY(create_pipe(flags & pipe_packet_flag));
    // Only the write end shows O_DIRECT in F_GETFL, as on Linux (the pipe
    // itself is in packet mode for both).
    const u32 status = static_cast<u32>(flags & O_NONBLOCK);
    auto reader = TRY(try_make_ref<OpenFile>(ends.read_end, O_RDONLY | status));
    auto writer = TRY(try_make_ref<OpenFile>(
        ends.write_end, O_WRONLY | status | static_cast<u32>(flags & pipe_packet_flag)));
    Process* self = Process::current();
    FdTable& fds = self->fds();
    const bool cloexec = flags & O_CLOEXEC;
    const u64 limit = self->limits.open_files();
    const int read_fd = TRY(fds.install(reader, cloexec, limit));
    auto write_fd = fds.install(writer, cloexec, limit);
    if (write_fd.is_error()) {
        (void)fds.close(read_fd);
        return write_fd.release_error();
    }
    const i32 pair[2] = {read_fd, write_fd.value()};
    auto written = copy_to_user({args.a0}, pair, sizeof(pair));
    if (written.is_error()) {
        (void)fds.close(read_fd);
        (void)fds.close(write_fd.value());
        return written.release_error();
    }
    return 0;
}

SyscallResult sys_pipe(const SyscallArguments& args) {
    return sys_pipe2({args.a0, 0, 0, 0, 0, 0, args.frame});
}

SyscallResult sys_dup(const SyscallArguments& args) {
    Process* self = Process::current();
    RefPtr<OpenFile> file = TRY(self->fds().get(fd_argument(args.a0)));
    return TRY(self->fds().install(file, false, self->limits.open_files()));
}

SyscallResult sys_dup3(const SyscallArguments& args) {
    const int from = fd_argument(args.a0);
    const int to = fd_argument(args.a1);
    if (args.a2 & ~u64{O_CLOEXEC}) {
        return Error(Errno::INVAL, "unknown dup3 flags");
    }
    if (from == to) {
        return Error(Errno::INVAL, "dup3 to the same descriptor");
    }
    Process* self = Process::current();
    RefPtr<OpenFile> file = TRY(self->fds().get(from));
    // A target at or above RLIMIT_NOFILE is EBADF, as on Linux.
    TRY(self->fds().install_at(to, file, args.a2 & O_CLOEXEC, self->limits.open_files()));
    return to;
}

SyscallResult sys_dup2(const SyscallArguments& args) {
    const int from = fd_argument(args.a0);
    if (from == fd_argument(args.a1)) {
        TRY(Process::current()->fds().get(from)); // EBADF if it is not open
        return from;
    }
    return sys_dup3({args.a0, args.a1, 0, 0, 0, 0, args.frame});
}

SyscallResult sys_fcntl(const SyscallArguments& args) {
    Process* self = Process::current();
    FdTable& fds = self->fds();
    const int fd = fd_argument(args.a0);
    RefPtr<OpenFile> file = TRY(fds.get(fd));
    switch (args.a1) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
        const int lowest = fd_argument(args.a2);
        // At or above RLIMIT_NOFILE: EINVAL, as on Linux (none free: EMFILE).
        const u64 limit = self->limits.open_files();
        if (lowest < 0 || static_cast<u64>(lowest) >= limit) {
            return Error(Errno::INVAL, "descriptor out of range");
        }
        return TRY(fds.install(file, args.a1 == F_DUPFD_CLOEXEC, limit, lowest));
    }
    case F_GETFD:
        return TRY(fds.close_on_exec_flag(fd)) ? FD_CLOEXEC : 0;
    case F_SETFD:
        TRY(fds.set_close_on_exec_flag(fd, args.a2 & FD_CLOEXEC));
        return 0;
    case F_GETFL:
        return file->flags();
    case F_SETFL:
        file->set_status_flags(static_cast<u32>(args.a2));
        return 0;
    case F_GETPIPE_SZ:
        return static_cast<i64>(TRY(file->vnode()->pipe_buffer_size()));
    case F_SETPIPE_SZ:
        return set_pipe_size(*self, *file->vnode(), args.a2);
    default:
        if (is_lock_command(args.a1)) {
            return fcntl_lock(fd, file, args.a1, args.a2);
        }
        return Error(Errno::INVAL, "unsupported fcntl command");
    }
}

} // namespace kite
