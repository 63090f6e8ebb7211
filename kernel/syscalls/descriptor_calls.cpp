// descriptor_calls.cpp: pipes and descriptor duplication: pipe, pipe2,
// dup, dup2, dup3, fcntl.
#include "fs/pipe.h"
#include "proc/process.h"
#include "syscalls/syscall.h"

namespace kite {

namespace {

constexpr u64 F_DUPFD = 0;
constexpr u64 F_GETFD = 1;
constexpr u64 F_SETFD = 2;
constexpr u64 F_GETFL = 3;
constexpr u64 F_SETFL = 4;
constexpr u64 F_DUPFD_CLOEXEC = 1030;
constexpr u64 FD_CLOEXEC = 1;

int fd_argument(u64 value) {
    return static_cast<int>(static_cast<i32>(value));
}

} // namespace

SyscallResult sys_pipe2(const SyscallArguments& args) {
    const u64 flags = args.a1;
    if (flags & ~u64{O_CLOEXEC | O_NONBLOCK | pipe_packet_flag}) {
        return Error(Errno::INVAL, "unknown pipe2 flags");
    }
    PipeEnds ends = TRY(create_pipe(flags & pipe_packet_flag));
    // Both ends show O_DIRECT in F_GETFL, as on Linux.
    const u32 status = static_cast<u32>(flags & (O_NONBLOCK | pipe_packet_flag));
    auto reader = TRY(try_make_ref<OpenFile>(ends.read_end, O_RDONLY | status));
    auto writer = TRY(try_make_ref<OpenFile>(ends.write_end, O_WRONLY | status));
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
    default:
        return Error(Errno::INVAL, "unsupported fcntl command");
    }
}

} // namespace kite
