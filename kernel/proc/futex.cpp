// futex.cpp: see futex.h. One mutex guards every wait list: a waiter reads
// the user word and joins its list under it, and a waker (which changed
// the word first) takes it to wake, so a wakeup cannot fall between the
// check and the sleep. The mutex, not a spinlock, because reading the word
// may fault a page in. Waiters live on their own thread's stack, each with
// its own wait queue, in lists hashed by what names the word.
#include "proc/futex.h"

#include "mm/user_memory.h"
#include "proc/process.h"
#include "sync/mutex.h"
#include "time/clock.h"

namespace kite::futex {

namespace {

// A private futex and a shared one on the same private word are two
// futexes, as on Linux: a wake of one form does not reach waiters of the
// other.
struct Key {
    const void* object; // the user space (private memory) or the shared object
    u64 offset;         // the address, or the offset in the shared object
    bool is_private;    // FUTEX_PRIVATE_FLAG
    bool operator==(const Key&) const = default;
};

struct Waiter {
    Key key;
    u32 bitset;
    bool woken = false;
    WaitQueue queue;
    Waiter* next = nullptr;
    Waiter* previous = nullptr;
};

constexpr usize bucket_count = 64;

// Each list in arrival order: waiters are woken first come, first served.
struct Bucket {
    Waiter* head;
    Waiter* tail;
};

Mutex futex_lock{"futexes", LockRank::Futexes};
Bucket buckets[bucket_count]; // guarded by futex_lock

usize bucket_of(const Key& key) {
    const u64 h = (reinterpret_cast<u64>(key.object) >> 4) ^ (key.offset >> 2);
    return (h ^ (h >> 17) ^ (h >> 31)) % bucket_count;
}

void link(Waiter& waiter) {
    Bucket& bucket = buckets[bucket_of(waiter.key)];
    waiter.next = nullptr;
    waiter.previous = bucket.tail;
    if (bucket.tail) {
        bucket.tail->next = &waiter;
    } else {
        bucket.head = &waiter;
    }
    bucket.tail = &waiter;
}

void unlink(Waiter& waiter) {
    Bucket& bucket = buckets[bucket_of(waiter.key)];
    if (waiter.previous) {
        waiter.previous->next = waiter.next;
    } else {
        bucket.head = waiter.next;
    }
    if (waiter.next) {
        waiter.next->previous = waiter.previous;
    } else {
        bucket.tail = waiter.previous;
    }
    waiter.next = waiter.previous = nullptr;
}

ErrorOr<Key> key_of(u64 address, bool shared) {
    if (address % 4 != 0) {
        return Error(Errno::INVAL, "futex word not aligned");
    }
    UserSpace* space = Process::current()->user_space();
    if (!is_user_range(address, 4) || !space) {
        return Error(Errno::FAULT, "futex word outside user space");
    }
    if (!shared) {
        return Key{space, address, true};
    }
    const auto identity = TRY(space->identify_word(address));
    return Key{identity.object, identity.offset, false};
}

// Wakes up to count waiters with this key; futex_lock is held.
usize wake_locked(const Key& key, usize count, u32 bitset) {
    usize woken = 0;
    Waiter* w = buckets[bucket_of(key)].head;
    while (w && woken < count) {
        Waiter* next = w->next;
        if (w->key == key && (w->bitset & bitset)) {
            unlink(*w);
            w->woken = true;
            w->queue.wake_one();
            ++woken;
        }
        w = next;
    }
    return woken;
}

// An atomic read-modify-write of the user word at address; gives the old
// value.
template <typename Change>
ErrorOr<u32> update_user_word(u64 address, Change change) {
    u32 old = TRY(read_user<u32>({address}));
    for (;;) {
        const u32 seen = TRY(compare_exchange_user_u32({address}, old, change(old)));
        if (seen == old) {
            return old;
        }
        old = seen;
    }
}

u64 now(Clock clock) {
    return clock == Clock::Realtime ? static_cast<u64>(clock::realtime_ns())
                                    : clock::monotonic_ns();
}

} // namespace

ErrorOr<void> wait(u64 address, u32 expected, u32 bitset, bool shared, u64 deadline, Clock clock) {
    const Key key = TRY(key_of(address, shared));
    MutexGuard guard(futex_lock);
    if (TRY(read_user<u32>({address})) != expected) {
        return Error(Errno::AGAIN, "the futex word changed");
    }
    Waiter waiter;
    waiter.key = key;
    waiter.bitset = bitset;
    link(waiter);
    while (!waiter.woken) {
        u64 timeout = 0;
        if (deadline != no_deadline) {
            const u64 t = now(clock);
            if (t >= deadline) {
                unlink(waiter);
                return Error(Errno::TIMEDOUT, "futex wait timed out");
            }
            timeout = deadline - t;
        }
        if (waiter.queue.wait(futex_lock, timeout) == WaitResult::Interrupted && !waiter.woken) {
            unlink(waiter);
            return Error(deadline == no_deadline ? Errno::RESTARTSYS : Errno::RESTARTNOHAND,
                         "futex wait interrupted");
        }
    }
    return {};
}

ErrorOr<usize> wake(u64 address, usize count, u32 bitset, bool shared) {
    const Key key = TRY(key_of(address, shared));
    MutexGuard guard(futex_lock);
    return wake_locked(key, count, bitset);
}

ErrorOr<usize> requeue(u64 from, u64 to, usize wake_count, usize requeue_count, const u32* compare,
                       bool shared) {
    const Key from_key = TRY(key_of(from, shared));
    const Key to_key = TRY(key_of(to, shared));
    MutexGuard guard(futex_lock);
    if (compare && TRY(read_user<u32>({from})) != *compare) {
        return Error(Errno::AGAIN, "the futex word changed");
    }
    usize done = wake_locked(from_key, wake_count, any_bitset);
    // Collected first: moved waiters may land in the same list, behind.
    usize moved = 0;
    Waiter* chosen = nullptr; // linked through `previous` meanwhile
    for (Waiter* w = buckets[bucket_of(from_key)].head; w && moved < requeue_count;) {
        Waiter* next = w->next;
        if (w->key == from_key) {
            unlink(*w);
            w->previous = chosen;
            chosen = w;
            ++moved;
        }
        w = next;
    }
    // Back in arrival order at the end of the new list.
    Waiter* ordered = nullptr;
    while (chosen) {
        Waiter* previous = chosen->previous;
        chosen->next = ordered;
        ordered = chosen;
        chosen = previous;
    }
    while (ordered) {
        Waiter* next = ordered->next;
        ordered->key = to_key;
        link(*ordered);
        ordered = next;
    }
    return done + moved;
}

ErrorOr<usize> wake_op(u64 first, u64 second, usize count, usize second_count, u32 op,
                       bool shared) {
    // op: operation (4 bits, 8 = "1 << argument"), comparison (4 bits),
    // operation argument and comparison argument (12 bits each, signed).
    const u32 operation = op >> 28;
    const u32 comparison = (op >> 24) & 0xf;
    i32 argument = static_cast<i32>(op << 8) >> 20;
    const i32 compare_argument = static_cast<i32>(op << 20) >> 20;
    if (operation & 8) {
        argument = 1 << (argument & 31); // Linux masks an out-of-range shift too
    }
    const u32 arg = static_cast<u32>(argument);
    const Key first_key = TRY(key_of(first, shared));
    const Key second_key = TRY(key_of(second, shared));
    if ((operation & 7) > 4 || comparison > 5) {
        return Error(Errno::NOSYS, "unknown FUTEX_WAKE_OP operation");
    }
    MutexGuard guard(futex_lock);
    const u32 old = TRY(update_user_word(second, [&](u32 value) -> u32 {
        switch (operation & 7) {
        case 0:
            return arg;
        case 1:
            return value + arg;
        case 2:
            return value | arg;
        case 3:
            return value & ~arg;
        default:
            return value ^ arg;
        }
    }));
    usize woken = wake_locked(first_key, count, any_bitset);
    const i32 o = static_cast<i32>(old);
    bool passes = false;
    switch (comparison) {
    case 0:
        passes = o == compare_argument;
        break;
    case 1:
        passes = o != compare_argument;
        break;
    case 2:
        passes = o < compare_argument;
        break;
    case 3:
        passes = o <= compare_argument;
        break;
    case 4:
        passes = o > compare_argument;
        break;
    default:
        passes = o >= compare_argument;
        break;
    }
    if (passes) {
        woken += wake_locked(second_key, second_count, any_bitset);
    }
    return woken;
}

namespace {

constexpr u32 waiters_bit = 0x8000'0000;    // FUTEX_WAITERS
constexpr u32 owner_died_bit = 0x4000'0000; // FUTEX_OWNER_DIED
constexpr u32 tid_mask = 0x3fff'ffff;       // FUTEX_TID_MASK
constexpr usize robust_list_limit = 2048;   // Linux's ROBUST_LIST_LIMIT

// struct robust_list_head (Linux uapi/linux/futex.h).
struct RobustListHead {
    u64 list;            // the first entry; the head's own address ends the list
    i64 futex_offset;    // from an entry to its futex word
    u64 list_op_pending; // an entry being added or removed
};
static_assert(sizeof(RobustListHead) == 24);

// A futex word the dead thread `tid` may still own: marked as its owner's
// death, and one waiter woken, so that the next locker finds out.
void release_robust_futex(u64 entry, i64 offset, i32 tid) {
    const u64 address = entry + static_cast<u64>(offset);
    if (address % 4 != 0) {
        return;
    }
    auto old = update_user_word(address, [&](u32 value) {
        return (value & tid_mask) == static_cast<u32>(tid) ? (value & waiters_bit) | owner_died_bit
                                                           : value;
    });
    if (!old.is_error() && (old.value() & tid_mask) == static_cast<u32>(tid) &&
        (old.value() & waiters_bit)) {
        (void)wake(address, 1, any_bitset, true);
    }
}

} // namespace

void release_robust_list(Thread& thread) {
    const u64 head_address = thread.user.robust_list;
    thread.user.robust_list = 0;
    if (head_address == 0) {
        return;
    }
    auto head = read_user<RobustListHead>({head_address});
    if (head.is_error()) {
        return;
    }
    const i32 tid = thread.user.tid;
    const u64 pending = head.value().list_op_pending & ~u64{1};
    u64 entry = head.value().list & ~u64{1}; // bit 0 marks a PI futex
    for (usize n = 0; entry != head_address && n < robust_list_limit; ++n) {
        auto next = read_user<u64>({entry}); // read before the word is released
        if (entry != pending) {
            release_robust_futex(entry, head.value().futex_offset, tid);
        }
        if (next.is_error()) {
            break;
        }
        entry = next.value() & ~u64{1};
    }
    if (pending != 0) {
        release_robust_futex(pending, head.value().futex_offset, tid);
    }
}

} // namespace kite::futex
