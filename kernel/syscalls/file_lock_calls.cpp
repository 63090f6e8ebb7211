// file_lock_calls.cpp: advisory locks from user space: fcntl's record locks
// (POSIX and OFD) and flock. The checks and their order are Linux's
// (fcntl_getlk, fcntl_setlk, flock_to_posix_lock); the locks themselves are
// fs/file_locks.cpp's.
#include "syscalls/file_lock_calls.h"

#include "api/file_lock.h"
#include "fs/file_locks.h"
#include "proc/process.h"

namespace kite {

namespace {

using file_locks::LockType;
using file_locks::Range;
using file_locks::range_end_max;

[[nodiscard]] bool is_ofd(u64 command) {
    return command == abi::F_OFD_GETLK || command == abi::F_OFD_SETLK ||
           command == abi::F_OFD_SETLKW;
}

[[nodiscard]] ErrorOr<LockType> lock_type(i16 value) {
    switch (value) {
    case abi::F_RDLCK:
        return LockType::Read;
    case abi::F_WRLCK:
        return LockType::Write;
    case abi::F_UNLCK:
        return LockType::Unlock;
    default:
        return Error(Errno::INVAL, "bad l_type");
    }
}

// l_whence, l_start and l_len as an inclusive range of bytes.
[[nodiscard]] ErrorOr<Range> lock_range(OpenFile& file, const abi::Flock& request) {
    i64 base;
    switch (request.l_whence) {
    case 0:
        base = 0;
        break;
    case 1: {
        // Files that cannot seek (pipes, terminals) are at 0, as Linux's f_pos.
        auto offset = file.seek(0, 1);
        base = offset.is_error() ? 0 : static_cast<i64>(offset.value());
        break;
    }
    case 2:
        base = static_cast<i64>(file.vnode()->size());
        break;
    default:
        return Error(Errno::INVAL, "bad l_whence");
    }
    if (request.l_start > range_end_max - base) {
        return Error(Errno::OVERFLOW, "lock start past the largest offset");
    }
    i64 start = base + request.l_start;
    if (start < 0) {
        return Error(Errno::INVAL, "lock start before the file");
    }
    i64 end = range_end_max;
    if (request.l_len > 0) {
        if (request.l_len - 1 > range_end_max - start) {
            return Error(Errno::OVERFLOW, "lock end past the largest offset");
        }
        end = start + request.l_len - 1;
    } else if (request.l_len < 0) {
        if (start + request.l_len < 0) {
            return Error(Errno::INVAL, "lock range before the file");
        }
        end = start - 1;
        start += request.l_len;
    }
    return Range{start, end};
}

[[nodiscard]] file_locks::Owner owner_for(u64 command, Process& self, const OpenFile& file) {
    if (is_ofd(command)) {
        return {&file, 0, true};
    }
    return {&self.fds(), self.pid(), false};
}

SyscallResult get_lock(const RefPtr<OpenFile>& file, u64 command, UserAddress argument) {
    abi::Flock request = TRY(read_user<abi::Flock>(argument));
    if (request.l_type != abi::F_RDLCK && request.l_type != abi::F_WRLCK) {
        return Error(Errno::INVAL, "F_GETLK asks for a read or write lock");
    }
    if (is_ofd(command) && request.l_pid != 0) {
        return Error(Errno::INVAL, "OFD locks take l_pid 0");
    }
    const Range range = TRY(lock_range(*file, request));
    const LockType type = TRY(lock_type(request.l_type));
    file_locks::Conflict conflict;
    if (!file_locks::find_record_conflict(*file->vnode(),
                                          owner_for(command, *Process::current(), *file), type,
                                          range, conflict)) {
        request.l_type = abi::F_UNLCK; // the rest stays as it was asked, as on Linux
    } else {
        request.l_type = conflict.type == LockType::Write ? abi::F_WRLCK : abi::F_RDLCK;
        request.l_whence = 0;
        request.l_start = conflict.range.start;
        request.l_len =
            conflict.range.end == range_end_max ? 0 : conflict.range.end - conflict.range.start + 1;
        request.l_pid = conflict.pid;
    }
    TRY(write_user(argument, request));
    return 0;
}

SyscallResult set_lock(int fd, const RefPtr<OpenFile>& file, u64 command, UserAddress argument) {
    const abi::Flock request = TRY(read_user<abi::Flock>(argument));
    const Range range = TRY(lock_range(*file, request));
    const LockType type = TRY(lock_type(request.l_type));
    if ((type == LockType::Read && !file->readable()) ||
        (type == LockType::Write && !file->writable())) {
        return Error(Errno::BADF, "the descriptor's mode does not allow this lock");
    }
    if (is_ofd(command) && request.l_pid != 0) {
        return Error(Errno::INVAL, "OFD locks take l_pid 0");
    }
    Process* self = Process::current();
    const file_locks::Owner owner = owner_for(command, *self, *file);
    const bool wait = command == abi::F_SETLKW || command == abi::F_OFD_SETLKW;
    TRY(file_locks::set_record_lock(*file->vnode(), owner, type, range, wait));
    // Another thread may have closed the descriptor while this one waited:
    // that close released the process's locks before this one was made, so
    // it goes now (Linux's fcntl_setlk does the same).
    if (!owner.ofd && type != LockType::Unlock) {
        auto now = self->fds().get(fd);
        if (now.is_error() || now.value().ptr() != file.ptr()) {
            (void)file_locks::set_record_lock(*file->vnode(), owner, LockType::Unlock, range,
                                              false);
        }
    }
    return 0;
}

} // namespace

bool is_lock_command(u64 command) {
    return command == abi::F_GETLK || command == abi::F_SETLK || command == abi::F_SETLKW ||
           is_ofd(command);
}

SyscallResult fcntl_lock(int fd, const RefPtr<OpenFile>& file, u64 command, u64 argument) {
    if (command == abi::F_GETLK || command == abi::F_OFD_GETLK) {
        return get_lock(file, command, {argument});
    }
    return set_lock(fd, file, command, {argument});
}

SyscallResult sys_flock(const SyscallArguments& args) {
    RefPtr<OpenFile> file = TRY(Process::current()->fds().get(static_cast<i32>(args.a0)));
    const u64 operation = args.a1 & ~abi::LOCK_NB;
    LockType type;
    switch (operation) {
    case abi::LOCK_SH:
        type = LockType::Read;
        break;
    case abi::LOCK_EX:
        type = LockType::Write;
        break;
    case abi::LOCK_UN:
        type = LockType::Unlock;
        break;
    default:
        return Error(Errno::INVAL, "bad flock operation");
    }
    // Access mode 3 (neither reading nor writing) may not lock, as on Linux.
    if (type != LockType::Unlock && !file->readable() && !file->writable()) {
        return Error(Errno::BADF, "the descriptor allows neither reading nor writing");
    }
    TRY(file_locks::flock(*file->vnode(), file.ptr(), type, !(args.a1 & abi::LOCK_NB)));
    return 0;
}

} // namespace kite
