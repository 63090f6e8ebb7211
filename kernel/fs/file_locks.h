// file_locks.h: advisory file locks, as Linux keeps them. Two independent
// kinds live on a file:
//  - record locks (fcntl): byte ranges, read (shared) or write (exclusive).
//    A POSIX lock (F_SETLK) belongs to a process's descriptor table and goes
//    when that process closes any descriptor for the file, or exits; an OFD
//    lock (F_OFD_SETLK) belongs to an open file description and goes at its
//    last close. The two conflict with each other; a process's own POSIX
//    ranges merge and split, never conflict.
//  - flock locks: the whole file, shared or exclusive, per open file
//    description; they never conflict with record locks.
// A record is allocated only while someone holds the lock it stands for, so
// a file with no locks costs nothing, and memory comes back as locks go.
#pragma once

#include "fs/vnode.h"
#include "lib/error.h"

namespace kite::file_locks {

enum class LockType : u8 { Read, Write, Unlock };

// An inclusive byte range; end == range_end_max means "to the end of the
// file, however far it grows" (l_len 0).
constexpr i64 range_end_max = INT64_MAX;
struct Range {
    i64 start;
    i64 end;
};

// Who holds a record lock: a descriptor table (POSIX, with the pid that
// F_GETLK reports) or an open file description (OFD, reported as pid -1).
struct Owner {
    const void* key;
    i32 pid;
    bool ofd;
};

// F_SETLK and F_SETLKW (and the OFD forms): sets or clears type over range
// for owner. A conflict is EAGAIN, or with `wait` a sleep until it is gone:
// a signal ends the sleep (ERESTARTSYS: EINTR, or a restart with
// SA_RESTART), and a POSIX owner whose wait would close a cycle of POSIX
// waiters gets EDEADLK, as Linux detects. ENOLCK if no memory is left.
[[nodiscard]] ErrorOr<void> set_record_lock(const Vnode& file, const Owner& owner, LockType type,
                                            Range range, bool wait);

// F_GETLK: the first lock another owner holds that would block `type` over
// range, or false if there is none.
struct Conflict {
    LockType type;
    Range range;
    i32 pid; // -1 for an OFD lock
};
[[nodiscard]] bool find_record_conflict(const Vnode& file, const Owner& owner, LockType type,
                                        Range range, Conflict& out);

// flock(2) for the open file description `owner`: Read is LOCK_SH, Write
// LOCK_EX, Unlock LOCK_UN. Changing a lock's type lets go of the old one
// first, as Linux does; a conflict is EWOULDBLOCK, or with `wait` a sleep
// (ERESTARTSYS on a signal).
[[nodiscard]] ErrorOr<void> flock(const Vnode& file, const void* owner, LockType type, bool wait);

// Close hooks. A process closed a descriptor for `file`: its POSIX locks on
// it go. An open file description's last reference went: its OFD locks and
// its flock go. Both are one load when no lock exists anywhere.
void release_posix(const Vnode& file, const void* table);
void release_open_file(const Vnode& file, const void* open_file);

// How many lock records exist (for leak checks and tests).
[[nodiscard]] usize record_count();

} // namespace kite::file_locks
