// file_locks.cpp: see file_locks.h. One list holds every lock on every file,
// under one mutex, with one queue for everyone waiting: any release wakes
// all waiters, who look again. Programs hold few locks, so a walk of the
// list is short, and no vnode carries lock state of its own.
//
// Invariants, for each record-lock owner on each file: its ranges never
// overlap, and two of the same type never touch (they are merged). A lock
// names its file by a plain pointer: it exists only while its owner has the
// file open (a POSIX lock goes at any close of the file, an OFD lock or a
// flock with the open file), so the file outlives it.
#include "fs/file_locks.h"

#include "lib/own_ptr.h"
#include "sched/scheduler.h"
#include "sync/mutex.h"

namespace kite::file_locks {

namespace {

enum class Kind : u8 { Record, Flock };

struct Lock {
    Lock* next;
    const Vnode* file;
    const void* owner;
    i64 start;
    i64 end;
    LockType type;
    Kind kind;
    bool ofd; // a record lock owned by an open file description
    i32 pid;  // of a POSIX owner, for F_GETLK
};

// A POSIX F_SETLKW asleep: `owner` waits for a lock `blocked_by` holds.
// These are what the deadlock check follows.
struct Waiter {
    Waiter* next;
    const void* owner;
    const void* blocked_by;
};

// Linux's MAX_DEADLK_ITERATIONS: longer cycles are not looked for.
constexpr int max_deadlock_depth = 10;

Mutex list_lock{"file locks", LockRank::FileLocks};
Lock* all_locks = nullptr;     // under list_lock
Waiter* all_waiters = nullptr; // under list_lock
WaitQueue released;            // a lock went or shrank; under list_lock
usize lock_count = 0;          // written under list_lock, read alone by the close hooks

[[nodiscard]] bool overlaps(const Lock& lock, Range range) {
    return lock.start <= range.end && range.start <= lock.end;
}
// Whether the ranges overlap or are next to each other (start >= 0, so
// start - 1 cannot overflow).
[[nodiscard]] bool touches(const Lock& lock, Range range) {
    return lock.start - 1 <= range.end && range.start - 1 <= lock.end;
}
[[nodiscard]] bool conflicting(LockType a, LockType b) {
    return a == LockType::Write || b == LockType::Write;
}

[[nodiscard]] Lock* make_lock() {
    auto made = try_make<Lock>();
    if (made.is_error()) {
        return nullptr;
    }
    __atomic_add_fetch(&lock_count, 1, __ATOMIC_RELAXED);
    return made.value().leak();
}
void free_lock(Lock* lock) {
    if (lock) {
        __atomic_sub_fetch(&lock_count, 1, __ATOMIC_RELAXED);
        OwnPtr<Lock>::adopt(lock).reset();
    }
}

// The first record lock of another owner that `type` over range would
// conflict with.
[[nodiscard]] const Lock* record_conflict_locked(const Vnode& file, const void* owner,
                                                 LockType type, Range range) {
    for (const Lock* lock = all_locks; lock; lock = lock->next) {
        if (lock->kind == Kind::Record && lock->file == &file && lock->owner != owner &&
            overlaps(*lock, range) && conflicting(lock->type, type)) {
            return lock;
        }
    }
    return nullptr;
}

// Whether `self` waiting for `blocker` closes a cycle: blocker waits for
// another owner, that one for another... back to self.
[[nodiscard]] bool would_deadlock_locked(const void* self, const void* blocker) {
    for (int depth = 0; blocker && depth < max_deadlock_depth; ++depth) {
        if (blocker == self) {
            return true;
        }
        const Waiter* waiter = all_waiters;
        while (waiter && waiter->owner != blocker) {
            waiter = waiter->next;
        }
        blocker = waiter ? waiter->blocked_by : nullptr;
    }
    return false;
}

// Sets type over range for the owner's own record locks: same-type
// neighbours merge into the new lock, other ranges are cut around it (one
// may be split in two). Nothing changes if memory is short (ENOLCK).
[[nodiscard]] ErrorOr<void> apply_locked(const Vnode& file, const Owner& owner, LockType type,
                                         Range range) {
    // At most one lock is split and one made: both records come first.
    Lock* spares[2] = {make_lock(), make_lock()};
    if (!spares[0] || !spares[1]) {
        free_lock(spares[0]);
        free_lock(spares[1]);
        return Error(Errno::NOLCK, "no memory for a file lock");
    }
    int used = 0;
    for (Lock** link = &all_locks; *link;) {
        Lock* lock = *link;
        if (lock->kind != Kind::Record || lock->file != &file || lock->owner != owner.key) {
            link = &lock->next;
            continue;
        }
        if (type != LockType::Unlock && lock->type == type && touches(*lock, range)) {
            range.start = min(range.start, lock->start);
            range.end = max(range.end, lock->end);
            *link = lock->next;
            free_lock(lock);
            continue;
        }
        if (!overlaps(*lock, range)) {
            link = &lock->next;
            continue;
        }
        if (lock->start < range.start && lock->end > range.end) {
            Lock* right = spares[used++];
            *right = *lock;
            right->start = range.end + 1;
            lock->end = range.start - 1;
            lock->next = right;
            link = &right->next;
        } else if (lock->start < range.start) {
            lock->end = range.start - 1;
            link = &lock->next;
        } else if (lock->end > range.end) {
            lock->start = range.end + 1;
            link = &lock->next;
        } else {
            *link = lock->next;
            free_lock(lock);
        }
    }
    if (type != LockType::Unlock) {
        Lock* made = spares[used++];
        *made = Lock{all_locks, &file,        owner.key, range.start, range.end,
                     type,      Kind::Record, owner.ofd, owner.pid};
        all_locks = made;
    }
    while (used < 2) {
        free_lock(spares[used++]);
    }
    return {};
}

// Frees every lock `matches` picks; wakes the waiters if one went.
template <typename Matches>
void remove_locked(Matches matches) {
    bool removed = false;
    for (Lock** link = &all_locks; *link;) {
        Lock* lock = *link;
        if (matches(*lock)) {
            *link = lock->next;
            free_lock(lock);
            removed = true;
        } else {
            link = &lock->next;
        }
    }
    if (removed) {
        released.wake_all();
    }
}

} // namespace

ErrorOr<void> set_record_lock(const Vnode& file, const Owner& owner, LockType type, Range range,
                              bool wait) {
    MutexGuard guard(list_lock);
    while (type != LockType::Unlock) {
        const Lock* conflict = record_conflict_locked(file, owner.key, type, range);
        if (!conflict) {
            break;
        }
        if (!wait) {
            return Error(Errno::AGAIN, "the range is locked");
        }
        // Only POSIX waiters take part in cycles, as on Linux.
        if (!owner.ofd && would_deadlock_locked(owner.key, conflict->owner)) {
            return Error(Errno::DEADLK, "waiting would deadlock");
        }
        Waiter self{all_waiters, owner.key, conflict->owner};
        if (!owner.ofd) {
            all_waiters = &self;
        }
        const WaitResult result = released.wait(list_lock);
        for (Waiter** link = &all_waiters; *link; link = &(*link)->next) {
            if (*link == &self) {
                *link = self.next;
                break;
            }
        }
        if (result == WaitResult::Interrupted) {
            return Error(Errno::RESTARTSYS, "interrupted by a signal");
        }
    }
    TRY(apply_locked(file, owner, type, range));
    released.wake_all(); // an unlock, or a write lock made a read lock
    return {};
}

bool find_record_conflict(const Vnode& file, const Owner& owner, LockType type, Range range,
                          Conflict& out) {
    MutexGuard guard(list_lock);
    const Lock* conflict = record_conflict_locked(file, owner.key, type, range);
    if (!conflict) {
        return false;
    }
    out = {conflict->type, {conflict->start, conflict->end}, conflict->ofd ? -1 : conflict->pid};
    return true;
}

ErrorOr<void> flock(const Vnode& file, const void* owner, LockType type, bool wait) {
    MutexGuard guard(list_lock);
    auto mine = [&](const Lock& lock) {
        return lock.kind == Kind::Flock && lock.file == &file && lock.owner == owner;
    };
    for (const Lock* lock = all_locks; lock; lock = lock->next) {
        if (mine(*lock) && lock->type == type) {
            return {};
        }
    }
    // A conversion is an unlock and a new lock, not one step (Linux's
    // flock_lock_inode): a waiter may get in between.
    remove_locked(mine);
    if (type == LockType::Unlock) {
        return {};
    }
    Lock* made = make_lock();
    if (!made) {
        return Error(Errno::NOLCK, "no memory for a file lock");
    }
    for (;;) {
        const Lock* lock = all_locks;
        while (lock && !(lock->kind == Kind::Flock && lock->file == &file && lock->owner != owner &&
                         conflicting(lock->type, type))) {
            lock = lock->next;
        }
        if (!lock) {
            break;
        }
        if (!wait || released.wait(list_lock) == WaitResult::Interrupted) {
            free_lock(made);
            return wait ? Error(Errno::RESTARTSYS, "interrupted by a signal")
                        : Error(Errno::AGAIN, "the file is locked");
        }
    }
    *made = Lock{all_locks, &file, owner, 0, range_end_max, type, Kind::Flock, false, 0};
    all_locks = made;
    return {};
}

void release_posix(const Vnode& file, const void* table) {
    if (__atomic_load_n(&lock_count, __ATOMIC_RELAXED) == 0) {
        return;
    }
    MutexGuard guard(list_lock);
    remove_locked([&](const Lock& lock) {
        return lock.kind == Kind::Record && !lock.ofd && lock.file == &file && lock.owner == table;
    });
}

void release_open_file(const Vnode& file, const void* open_file) {
    if (__atomic_load_n(&lock_count, __ATOMIC_RELAXED) == 0) {
        return;
    }
    MutexGuard guard(list_lock);
    remove_locked([&](const Lock& lock) {
        return lock.file == &file && lock.owner == open_file &&
               (lock.kind == Kind::Flock || lock.ofd);
    });
}

usize record_count() {
    return __atomic_load_n(&lock_count, __ATOMIC_RELAXED);
}

} // namespace kite::file_locks
