// sem.cpp: see sem.h. One mutex guards the table, every set and the undo
// records; it ranks before the user-memory lock, so user copies may run
// under it (though the calls copy their arguments in first).
#include "ipc/sem.h"

#include "ipc/ipc_ids.h"
#include "lib/kbuffer.h"
#include "proc/process.h"
#include "sync/mutex.h"
#include "time/clock.h"

namespace kite::ipc::sem {

namespace {

struct Semaphore {
    u16 value;
    i32 last_pid;
    u32 waiting_increase; // GETNCNT: callers waiting for the value to grow
    u32 waiting_zero;     // GETZCNT: callers waiting for it to be 0
};

struct Set {
    i32 id = 0;
    Permissions perm;
    u32 count = 0;
    i64 operation_time = 0, change_time = 0;
    KBuffer storage;   // count Semaphores, zeroed
    WaitQueue waiters; // everyone sleeping in semop on this set
    [[nodiscard]] Semaphore* semaphores() const {
        return reinterpret_cast<Semaphore*>(storage.data());
    }
    // A removed set's sleepers are woken before it goes; they find the id
    // gone and answer EIDRM.
    ~Set() { waiters.wake_all(); }
};

// One SEM_UNDO adjustment of one process for one semaphore: what its exit
// adds back. Kept in one list; sets and processes are few.
struct Undo {
    i32 pid;
    i32 set_id;
    u16 number;
    i32 adjustment;
    Undo* next;
};

Mutex sem_lock{"sysv semaphores", LockRank::SysvIpc};
IdTable<Set> sets;     // guarded by sem_lock
Undo* undos = nullptr; // guarded by sem_lock; the list owns its records

void forget_undos(i32 set_id, i32 number) { // number < 0: the whole set
    for (Undo** at = &undos; *at;) {
        Undo* undo = *at;
        if (undo->set_id == set_id && (number < 0 || undo->number == number)) {
            *at = undo->next;
            delete undo;
        } else {
            at = &undo->next;
        }
    }
}

Undo* find_undo(i32 pid, i32 set_id, u16 number) {
    for (Undo* undo = undos; undo; undo = undo->next) {
        if (undo->pid == pid && undo->set_id == set_id && undo->number == number) {
            return undo;
        }
    }
    return nullptr;
}

i32 current_pid() {
    return Process::current()->pid();
}

// What stops an operation list for now: the operation that would block.
struct Outcome {
    enum class Kind : u8 { Done, Blocked } kind;
    usize blocking; // the index of the operation that would block
};

// Applies the list as a whole, or nothing of it: every operation is done in
// order and undone again if a later one cannot be. ERANGE past SEMVMX (or
// for an undo adjustment out of range).
ErrorOr<Outcome> try_operations(Set& set, const abi::SemBuf* operations, usize count, i32 pid) {
    Semaphore* semaphores = set.semaphores();
    usize done = 0;
    auto roll_back = [&]() {
        while (done > 0) {
            --done;
            semaphores[operations[done].sem_num].value -= operations[done].sem_op;
        }
    };
    for (; done < count; ++done) {
        const abi::SemBuf& op = operations[done];
        Semaphore& semaphore = semaphores[op.sem_num];
        const i32 result = static_cast<i32>(semaphore.value) + op.sem_op;
        if ((op.sem_op == 0 && semaphore.value != 0) || result < 0) {
            const usize blocking = done;
            roll_back();
            return Outcome{Outcome::Kind::Blocked, blocking};
        }
        if (result > ABI_SEMVMX) {
            roll_back();
            return Error(Errno::RANGE, "the value would pass SEMVMX");
        }
        if (op.sem_flg & ABI_SEM_UNDO) {
            const Undo* undo = find_undo(pid, set.id, op.sem_num);
            const i32 adjustment = (undo ? undo->adjustment : 0) - op.sem_op;
            if (adjustment < -ABI_SEMVMX - 1 || adjustment > ABI_SEMVMX) {
                roll_back();
                return Error(Errno::RANGE, "the undo adjustment would be out of range");
            }
        }
        semaphore.value = static_cast<u16>(result);
    }
    return Outcome{Outcome::Kind::Done, 0};
}

// The list went through: record the undo adjustments and who did it. An
// allocation failure of an undo record is ENOMEM before anything changes,
// so the records are made first.
ErrorOr<void> reserve_undos(i32 pid, i32 set_id, const abi::SemBuf* operations, usize count) {
    for (usize i = 0; i < count; ++i) {
        if ((operations[i].sem_flg & ABI_SEM_UNDO) &&
            !find_undo(pid, set_id, operations[i].sem_num)) {
            auto undo = TRY(try_make<Undo>(Undo{pid, set_id, operations[i].sem_num, 0, undos}));
            undos = undo.leak(); // owned by the list
        }
    }
    return {};
}

} // namespace

ErrorOr<i64> get(i32 key, i32 count, u32 flags) {
    if (count < 0 || count > ABI_SEMMSL) {
        return Error(Errno::INVAL, "bad number of semaphores");
    }
    MutexGuard guard(sem_lock);
    Set* existing = nullptr;
    if (TRY(sets.get(key, flags, &existing)) == GetAction::Existing) {
        if (static_cast<u32>(count) > existing->count) {
            return Error(Errno::INVAL, "the set has fewer semaphores");
        }
        return existing->id;
    }
    if (count == 0) {
        return Error(Errno::INVAL, "a new set needs semaphores");
    }
    auto set = TRY(try_make<Set>());
    set->count = static_cast<u32>(count);
    set->storage = TRY(KBuffer::try_create(count * sizeof(Semaphore), true));
    set->change_time = now_seconds();
    return TRY(sets.insert(move(set), key, flags));
}

ErrorOr<i64> operate(i32 id, u64 operations_address, u64 count, u64 timeout_ns) {
    if (count < 1 || static_cast<i64>(count) < 0) {
        return Error(Errno::INVAL, "no operations");
    }
    if (count > ABI_SEMOPM) {
        return Error(Errno::TOOBIG, "too many operations");
    }
    const KBuffer buffer = TRY(KBuffer::try_create(count * sizeof(abi::SemBuf)));
    TRY(copy_from_user(buffer.data(), {operations_address}, buffer.size()));
    const auto* operations = reinterpret_cast<const abi::SemBuf*>(buffer.data());
    const u64 deadline = timeout_ns == no_timeout ? no_timeout : clock::monotonic_ns() + timeout_ns;
    const i32 pid = current_pid();
    MutexGuard guard(sem_lock);
    Set* set = sets.find(id);
    if (!set) {
        return Error(Errno::INVAL, "no such semaphore set");
    }
    bool changes = false;
    for (usize i = 0; i < count; ++i) {
        if (operations[i].sem_num >= set->count) {
            return Error(Errno::FBIG, "no such semaphore in the set");
        }
        changes |= operations[i].sem_op != 0;
    }
    for (;;) {
        TRY(reserve_undos(pid, id, operations, count));
        const Outcome outcome = TRY(try_operations(*set, operations, count, pid));
        if (outcome.kind == Outcome::Kind::Done) {
            break;
        }
        const abi::SemBuf& blocking = operations[outcome.blocking];
        if (blocking.sem_flg & ABI_IPC_NOWAIT) {
            return Error(Errno::AGAIN, "the operation would block");
        }
        u64 timeout = 0;
        if (deadline != no_timeout) {
            const u64 now = clock::monotonic_ns();
            if (now >= deadline) {
                return Error(Errno::AGAIN, "semtimedop timed out");
            }
            timeout = deadline - now;
        }
        Semaphore& semaphore = set->semaphores()[blocking.sem_num];
        u32& counter = blocking.sem_op == 0 ? semaphore.waiting_zero : semaphore.waiting_increase;
        ++counter;
        const WaitResult result = set->waiters.wait(sem_lock, timeout);
        set = sets.find(id);
        if (!set) {
            return Error(Errno::IDRM, "the set was removed");
        }
        Semaphore& again = set->semaphores()[blocking.sem_num];
        --(blocking.sem_op == 0 ? again.waiting_zero : again.waiting_increase);
        if (result == WaitResult::Interrupted) {
            return Error(Errno::INTR, "semop interrupted");
        }
    }
    for (usize i = 0; i < count; ++i) {
        const abi::SemBuf& op = operations[i];
        set->semaphores()[op.sem_num].last_pid = pid;
        if (op.sem_flg & ABI_SEM_UNDO) {
            find_undo(pid, id, op.sem_num)->adjustment -= op.sem_op;
        }
    }
    set->operation_time = now_seconds();
    if (changes) {
        set->waiters.wake_all();
    }
    return 0;
}

ErrorOr<i64> control(i32 id, i32 number, i32 command, u64 argument) {
    if (id < 0) {
        return Error(Errno::INVAL, "bad semaphore set id");
    }
    if (command == ABI_IPC_INFO || command == ABI_SEM_INFO) {
        abi::SemInfo info{};
        info.semmni = max_objects;
        info.semmsl = ABI_SEMMSL;
        info.semmns = max_objects * ABI_SEMMSL;
        info.semopm = ABI_SEMOPM;
        info.semvmx = ABI_SEMVMX;
        info.semmnu = info.semmns;
        info.semmap = info.semmns;
        info.semume = ABI_SEMOPM;
        info.semusz = 20;
        info.semaem = ABI_SEMVMX;
        MutexGuard guard(sem_lock);
        if (command == ABI_SEM_INFO) {
            info.semusz = static_cast<int>(sets.count());
            info.semaem = 0;
            for (u32 index = 0; index < max_objects; ++index) {
                if (const Set* set = sets.at_index(index)) {
                    info.semaem += static_cast<int>(set->count);
                }
            }
        }
        TRY(write_user({argument}, info));
        return sets.highest_index();
    }
    // SETALL's values, read before the lock is taken.
    KBuffer values;
    MutexGuard guard(sem_lock);
    Set* set = command == ABI_SEM_STAT ? sets.at_index(static_cast<u32>(id)) : sets.find(id);
    if (!set) {
        return Error(Errno::INVAL, "no such semaphore set");
    }
    const bool one = command == ABI_GETVAL || command == ABI_SETVAL || command == ABI_GETPID ||
                     command == ABI_GETNCNT || command == ABI_GETZCNT;
    if (one && (number < 0 || static_cast<u32>(number) >= set->count)) {
        return Error(Errno::INVAL, "no such semaphore in the set");
    }
    Semaphore* semaphores = set->semaphores();
    switch (command) {
    case ABI_IPC_STAT:
    case ABI_SEM_STAT: {
        abi::SemidDs status{};
        status.sem_perm = set->perm.to_abi();
        status.sem_otime = set->operation_time;
        status.sem_ctime = set->change_time;
        status.sem_nsems = set->count;
        TRY(write_user({argument}, status));
        return command == ABI_IPC_STAT ? 0 : set->id;
    }
    case ABI_IPC_SET: {
        const auto wanted = TRY(read_user<abi::SemidDs>({argument}));
        set->perm.set_from(wanted.sem_perm);
        set->change_time = now_seconds();
        return 0;
    }
    case ABI_IPC_RMID: {
        forget_undos(set->id, -1);
        OwnPtr<Set> removed = sets.remove(set); // its destructor wakes the sleepers
        return 0;
    }
    case ABI_GETVAL:
        return semaphores[number].value;
    case ABI_GETPID:
        return semaphores[number].last_pid;
    case ABI_GETNCNT:
        return semaphores[number].waiting_increase;
    case ABI_GETZCNT:
        return semaphores[number].waiting_zero;
    case ABI_GETALL: {
        for (u32 i = 0; i < set->count; ++i) {
            TRY(write_user<u16>({argument + i * sizeof(u16)}, semaphores[i].value));
        }
        return 0;
    }
    case ABI_SETVAL: {
        const i32 value = static_cast<i32>(argument);
        if (value < 0 || value > ABI_SEMVMX) {
            return Error(Errno::RANGE, "value out of range");
        }
        semaphores[number].value = static_cast<u16>(value);
        semaphores[number].last_pid = current_pid();
        forget_undos(set->id, number);
        set->change_time = now_seconds();
        set->waiters.wake_all();
        return 0;
    }
    case ABI_SETALL: {
        values = TRY(KBuffer::try_create(set->count * sizeof(u16)));
        TRY(copy_from_user(values.data(), {argument}, values.size()));
        const auto* wanted = reinterpret_cast<const u16*>(values.data());
        for (u32 i = 0; i < set->count; ++i) {
            if (wanted[i] > ABI_SEMVMX) {
                return Error(Errno::RANGE, "value out of range");
            }
        }
        const i32 pid = current_pid();
        for (u32 i = 0; i < set->count; ++i) {
            semaphores[i].value = wanted[i];
            semaphores[i].last_pid = pid;
        }
        forget_undos(set->id, -1);
        set->change_time = now_seconds();
        set->waiters.wake_all();
        return 0;
    }
    default:
        return Error(Errno::INVAL, "unknown semctl command");
    }
}

void apply_undo_at_exit(i32 pid) {
    MutexGuard guard(sem_lock);
    for (Undo** at = &undos; *at;) {
        Undo* undo = *at;
        if (undo->pid != pid) {
            at = &undo->next;
            continue;
        }
        if (Set* set = sets.find(undo->set_id); set && undo->adjustment != 0) {
            // Linux clamps: a value cannot go below 0 or past SEMVMX.
            Semaphore& semaphore = set->semaphores()[undo->number];
            const i32 value = static_cast<i32>(semaphore.value) + undo->adjustment;
            semaphore.value = static_cast<u16>(value < 0 ? 0 : min(value, ABI_SEMVMX));
            semaphore.last_pid = pid;
            set->waiters.wake_all();
        }
        *at = undo->next;
        delete undo;
    }
}

} // namespace kite::ipc::sem
