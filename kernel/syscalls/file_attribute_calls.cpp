// file_attribute_calls.cpp: a file's mode, owner and times, and who may
// use it: chmod, fchmod, fchmodat, fchmodat2, chown, fchown, lchown, fchownat, utime,
// utimes, futimesat, utimensat, access, faccessat, faccessat2, umask.
//
// Every Kite process runs as root (uid 0), so the permission checks are
// root's: changing a mode or owner is always allowed, reading and writing
// always are, and executing needs an execute bit somewhere (Linux's rule
// for CAP_DAC_OVERRIDE). What stays is the read-only file system (EROFS).
#include "api/constants.h"
#include "api/file_abi.h"
#include "api/types.h"
#include "syscalls/path_target.h"
#include "syscalls/syscall.h"
#include "time/clock.h"

namespace kite {

namespace {

constexpr u32 S_ISUID = 04000;
constexpr u32 S_ISGID = 02000;
constexpr u32 S_IXGRP = 00010;

ErrorOr<void> check_writable(const Vnode& vnode) {
    if (vnode.is_read_only()) {
        return Error(Errno::ROFS, "read-only file system");
    }
    return {};
}

ErrorOr<void> change_mode(Vnode& vnode, u32 mode) {
    TRY(check_writable(vnode));
    vnode.set_permissions(mode & 07777);
    vnode.touch_changed();
    return {};
}

// uid or gid -1 keeps that one. As Linux's chown_common, any chown of a
// file that is not a directory clears setuid, and setgid where the group
// may execute (without group execute the bit means mandatory locking),
// even when the owner stays the same.
ErrorOr<void> change_owner(Vnode& vnode, u32 uid, u32 gid) {
    TRY(check_writable(vnode));
    constexpr u32 keep = ~u32{0};
    vnode.set_owner(uid == keep ? vnode.uid() : uid, gid == keep ? vnode.gid() : gid);
    if (!vnode.is_directory()) {
        u32 mode = vnode.permissions() & ~S_ISUID;
        if (mode & S_IXGRP) {
            mode &= ~S_ISGID;
        }
        vnode.set_permissions(mode);
    }
    vnode.touch_changed();
    return {};
}

} // namespace

// fchmodat2(dirfd, path, mode, flags): AT_EMPTY_PATH names dirfd itself;
// with AT_SYMLINK_NOFOLLOW a symlink is not followed and cannot change
// (EOPNOTSUPP, as Linux: a symlink's mode means nothing).
SyscallResult sys_fchmodat2(const SyscallArguments& args) {
    const u32 flags = static_cast<u32>(args.a3);
    if (flags & ~(abi::AT_SYMLINK_NOFOLLOW | abi::AT_EMPTY_PATH)) {
        return Error(Errno::INVAL, "unknown flags");
    }
    const RefPtr<Vnode> vnode = TRY(file_at(static_cast<i64>(args.a0), args.a1, flags));
    if ((flags & abi::AT_SYMLINK_NOFOLLOW) && vnode->type() == VnodeType::Symlink) {
        return Error(Errno::OPNOTSUPP, "a symlink's mode cannot change");
    }
    TRY(change_mode(*vnode, static_cast<u32>(args.a2)));
    return 0;
}

// fchmodat has no flags argument (glibc's AT_SYMLINK_NOFOLLOW is
// fchmodat2's): fchmodat2 with none, symlinks followed.
SyscallResult sys_fchmodat(const SyscallArguments& args) {
    return sys_fchmodat2({args.a0, args.a1, args.a2, 0, 0, 0, args.frame});
}

SyscallResult sys_chmod(const SyscallArguments& args) {
    return sys_fchmodat2({cwd_argument, args.a0, args.a1, 0, 0, 0, args.frame});
}

SyscallResult sys_fchmod(const SyscallArguments& args) {
    const RefPtr<OpenFile> file = TRY(file_for(args.a0));
    TRY(change_mode(*file->vnode(), static_cast<u32>(args.a1)));
    return 0;
}

SyscallResult sys_fchownat(const SyscallArguments& args) {
    const u32 flags = static_cast<u32>(args.a4);
    if (flags & ~(abi::AT_SYMLINK_NOFOLLOW | abi::AT_EMPTY_PATH)) {
        return Error(Errno::INVAL, "unknown flags");
    }
    const RefPtr<Vnode> vnode = TRY(file_at(static_cast<i64>(args.a0), args.a1, flags));
    TRY(change_owner(*vnode, static_cast<u32>(args.a2), static_cast<u32>(args.a3)));
    return 0;
}

SyscallResult sys_chown(const SyscallArguments& args) {
    return sys_fchownat({cwd_argument, args.a0, args.a1, args.a2, 0, 0, args.frame});
}

SyscallResult sys_lchown(const SyscallArguments& args) {
    return sys_fchownat(
        {cwd_argument, args.a0, args.a1, args.a2, abi::AT_SYMLINK_NOFOLLOW, 0, args.frame});
}

SyscallResult sys_fchown(const SyscallArguments& args) {
    const RefPtr<OpenFile> file = TRY(file_for(args.a0));
    TRY(change_owner(*file->vnode(), static_cast<u32>(args.a1), static_cast<u32>(args.a2)));
    return 0;
}

namespace {

// What to do with one of the two times: set it to a value (ns), to now,
// or leave it.
struct TimeChange {
    enum class Kind : u8 { Set, Now, Omit };
    Kind kind = Kind::Now;
    i64 ns = 0;
};

ErrorOr<TimeChange> from_timespec(const abi::Timespec& ts) {
    if (ts.nanoseconds == ABI_UTIME_NOW) {
        return TimeChange{TimeChange::Kind::Now, 0};
    }
    if (ts.nanoseconds == ABI_UTIME_OMIT) {
        return TimeChange{TimeChange::Kind::Omit, 0};
    }
    if (ts.nanoseconds < 0 || ts.nanoseconds >= 1'000'000'000) {
        return Error(Errno::INVAL, "nanoseconds out of range");
    }
    return TimeChange{TimeChange::Kind::Set, ts.seconds * 1'000'000'000 + ts.nanoseconds};
}

ErrorOr<TimeChange> from_timeval(const abi::Timeval& tv) {
    if (tv.microseconds < 0 || tv.microseconds >= 1'000'000) {
        return Error(Errno::INVAL, "microseconds out of range");
    }
    return TimeChange{TimeChange::Kind::Set, tv.seconds * 1'000'000'000 + tv.microseconds * 1000};
}

// Linux's vfs_utimes: the change time becomes now whatever is set.
ErrorOr<void> change_times(Vnode& vnode, const TimeChange& access, const TimeChange& modify) {
    TRY(check_writable(vnode));
    const i64 now = clock::realtime_ns();
    FileTimes times = vnode.times();
    auto apply = [now](i64& field, const TimeChange& change) {
        if (change.kind == TimeChange::Kind::Set) {
            field = change.ns;
        } else if (change.kind == TimeChange::Kind::Now) {
            field = now;
        }
    };
    apply(times.access, access);
    apply(times.modify, modify);
    times.change = now;
    vnode.set_times(times);
    return {};
}

// Linux's do_utimes: a null path with a real dirfd is futimens on dirfd
// (no flags allowed); otherwise the path is resolved as any *at() path.
SyscallResult set_times_at(i64 dirfd, u64 path, u32 flags, const TimeChange& access,
                           const TimeChange& modify) {
    RefPtr<Vnode> vnode;
    if (path == 0 && static_cast<i32>(dirfd) != abi::AT_FDCWD) {
        if (flags) {
            return Error(Errno::INVAL, "flags with a null path");
        }
        vnode = TRY(file_for(static_cast<u64>(dirfd)))->vnode();
    } else {
        if (flags & ~(abi::AT_SYMLINK_NOFOLLOW | abi::AT_EMPTY_PATH)) {
            return Error(Errno::INVAL, "unknown flags");
        }
        vnode = TRY(file_at(dirfd, path, flags));
    }
    TRY(change_times(*vnode, access, modify));
    return 0;
}

} // namespace

// utimensat(dirfd, path, times[2] or NULL, flags): NULL sets both to now.
SyscallResult sys_utimensat(const SyscallArguments& args) {
    TimeChange access;
    TimeChange modify;
    if (args.a2) {
        abi::Timespec times[2];
        TRY(copy_from_user(times, {args.a2}, sizeof(times)));
        // Both omitted: Linux returns at once, before looking at anything else.
        if (times[0].nanoseconds == ABI_UTIME_OMIT && times[1].nanoseconds == ABI_UTIME_OMIT) {
            return 0;
        }
        access = TRY(from_timespec(times[0]));
        modify = TRY(from_timespec(times[1]));
    }
    return set_times_at(static_cast<i64>(args.a0), args.a1, static_cast<u32>(args.a3), access,
                        modify);
}

SyscallResult sys_futimesat(const SyscallArguments& args) {
    TimeChange access;
    TimeChange modify;
    if (args.a2) {
        abi::Timeval times[2];
        TRY(copy_from_user(times, {args.a2}, sizeof(times)));
        access = TRY(from_timeval(times[0]));
        modify = TRY(from_timeval(times[1]));
    }
    return set_times_at(static_cast<i64>(args.a0), args.a1, 0, access, modify);
}

SyscallResult sys_utimes(const SyscallArguments& args) {
    return sys_futimesat({cwd_argument, args.a0, args.a1, 0, 0, 0, args.frame});
}

SyscallResult sys_utime(const SyscallArguments& args) {
    TimeChange access;
    TimeChange modify;
    if (args.a1) {
        const auto times = TRY(read_user<abi::Utimbuf>({args.a1}));
        access = {TimeChange::Kind::Set, times.actime * 1'000'000'000};
        modify = {TimeChange::Kind::Set, times.modtime * 1'000'000'000};
    }
    return set_times_at(abi::AT_FDCWD, args.a0, 0, access, modify);
}

namespace {

constexpr u32 R_OK = 4;
constexpr u32 W_OK = 2;
constexpr u32 X_OK = 1;
constexpr u32 AT_EACCESS = 0x200;

// access(2) for root: reading is always allowed; writing is unless the
// file system is read-only (for files that live in it: devices, FIFOs and
// sockets are not written there); executing needs an execute bit on
// anything that is not a directory.
ErrorOr<void> check_access(const Vnode& vnode, u32 mode) {
    const bool stored = vnode.type() == VnodeType::Regular || vnode.is_directory() ||
                        vnode.type() == VnodeType::Symlink;
    if ((mode & W_OK) && stored && vnode.is_read_only()) {
        return Error(Errno::ROFS, "read-only file system");
    }
    if ((mode & X_OK) && !vnode.is_directory() && (vnode.permissions() & 0111) == 0) {
        return Error(Errno::ACCES, "no execute permission");
    }
    return {};
}

SyscallResult access_at(i64 dirfd, u64 path, u32 mode, u32 flags) {
    if (mode & ~(R_OK | W_OK | X_OK)) {
        return Error(Errno::INVAL, "unknown access mode");
    }
    if (flags & ~(AT_EACCESS | abi::AT_SYMLINK_NOFOLLOW | abi::AT_EMPTY_PATH)) {
        return Error(Errno::INVAL, "unknown flags");
    }
    const RefPtr<Vnode> vnode = TRY(file_at(dirfd, path, flags));
    TRY(check_access(*vnode, mode));
    return 0;
}

} // namespace

SyscallResult sys_faccessat2(const SyscallArguments& args) {
    return access_at(static_cast<i64>(args.a0), args.a1, static_cast<u32>(args.a2),
                     static_cast<u32>(args.a3));
}

SyscallResult sys_faccessat(const SyscallArguments& args) {
    return access_at(static_cast<i64>(args.a0), args.a1, static_cast<u32>(args.a2), 0);
}

SyscallResult sys_access(const SyscallArguments& args) {
    return access_at(abi::AT_FDCWD, args.a0, static_cast<u32>(args.a1), 0);
}

SyscallResult sys_umask(const SyscallArguments& args) {
    Process* self = Process::current();
    return __atomic_exchange_n(&self->umask, static_cast<u32>(args.a0) & 0777, __ATOMIC_RELAXED);
}

} // namespace kite
