// shm.cpp: see shm.h. One mutex guards the table and every segment's
// fields. It ranks after the user-memory lock, because the last detach of
// a removed segment can happen anywhere an address space lets go of a
// mapping, with that lock held (the object's release hook takes this one):
// so nothing here touches user memory while holding it, and the calls copy
// in before and out after.
#include "ipc/shm.h"

#include "ipc/ipc_ids.h"
#include "mm/page.h"
#include "mm/shared_memory.h"
#include "mm/user_space.h"
#include "proc/process.h"
#include "sync/mutex.h"

namespace kite::ipc::shm {

namespace {

// Linux's defaults: SHMMAX and SHMALL are "no limit" (ULONG_MAX - 2^24).
constexpr u64 max_segment_size = ~u64{0} - (u64{1} << 24);

struct Segment {
    i32 id = 0;
    Permissions perm;
    u64 size = 0; // as asked; the mapping is whole pages
    i64 attach_time = 0, detach_time = 0, change_time = 0;
    i32 creator_pid = 0, last_pid = 0;
    // The pages, while the segment is in the table by its key; a removed
    // segment's attachments alone keep them (removed_memory names them
    // until their release hook takes the segment away).
    RefPtr<SharedMemory> memory;
    SharedMemory* removed_memory = nullptr;

    [[nodiscard]] u64 attachments() const {
        return memory ? memory->ref_count() - 1 : removed_memory->ref_count();
    }
};

Mutex shm_lock{"sysv shm", LockRank::SysvShm};
IdTable<Segment> segments; // guarded by shm_lock

i32 current_pid() {
    return Process::current()->pid();
}

// A removed segment's last attachment went: the segment goes with it.
void segment_released(SharedMemory& memory) {
    OwnPtr<Segment> gone;
    MutexGuard guard(shm_lock);
    for (u32 index = 0; index < max_objects; ++index) {
        Segment* segment = segments.at_index(index);
        if (segment && segment->removed_memory == &memory) {
            gone = segments.remove(segment);
            return;
        }
    }
}

ErrorOr<i32> create(i32 key, u64 size, u32 flags) {
    if (size < 1 || size > max_segment_size) {
        return Error(Errno::INVAL, "bad segment size");
    }
    auto segment = TRY(try_make<Segment>());
    segment->size = size;
    segment->memory = TRY(SharedMemory::try_create((size + page_size - 1) / page_size));
    segment->memory->is_ipc_segment = true;
    segment->creator_pid = current_pid();
    segment->change_time = now_seconds();
    return segments.insert(move(segment), key, flags);
}

abi::ShmidDs status_of(const Segment& segment) {
    abi::ShmidDs out{};
    out.shm_perm = segment.perm.to_abi();
    out.shm_segsz = segment.size;
    out.shm_atime = segment.attach_time;
    out.shm_dtime = segment.detach_time;
    out.shm_ctime = segment.change_time;
    out.shm_cpid = segment.creator_pid;
    out.shm_lpid = segment.last_pid;
    out.shm_nattch = segment.attachments();
    return out;
}

MemoryLimits memory_limits() {
    const ResourceLimits& limits = Process::current()->limits;
    return {limits.address_space(), limits.data()};
}

} // namespace

ErrorOr<i64> get(i32 key, u64 size, u32 flags) {
    MutexGuard guard(shm_lock);
    Segment* existing = nullptr;
    if (TRY(segments.get(key, flags, &existing)) == GetAction::Create) {
        return TRY(create(key, size, flags));
    }
    if (size > existing->size) {
        return Error(Errno::INVAL, "the segment is smaller than asked");
    }
    return existing->id;
}

ErrorOr<i64> attach(i32 id, u64 address, u32 flags) {
    if (address % ABI_SHMLBA != 0) {
        if (!(flags & ABI_SHM_RND)) {
            return Error(Errno::INVAL, "unaligned attach address");
        }
        address &= ~u64{ABI_SHMLBA - 1};
        if (address == 0 && (flags & ABI_SHM_REMAP)) {
            return Error(Errno::INVAL, "SHM_REMAP at address 0");
        }
    }
    RefPtr<SharedMemory> memory;
    {
        MutexGuard guard(shm_lock);
        Segment* segment = segments.find(id);
        if (!segment) {
            return Error(Errno::INVAL, "no such segment");
        }
        if (!segment->memory) {
            // Linux lets a removed segment be attached while attachments
            // keep it; Kite does not (its pages may be going).
            return Error(Errno::IDRM, "the segment is removed");
        }
        memory = segment->memory;
    }
    u32 protection = ProtRead;
    if (!(flags & ABI_SHM_RDONLY)) {
        protection |= ProtWrite;
    }
    if (flags & ABI_SHM_EXEC) {
        protection |= ProtExec;
    }
    const u64 start = TRY(Process::current()->user_space()->map_shared_object(
        memory, address, protection, flags & ABI_SHM_REMAP, memory_limits()));
    MutexGuard guard(shm_lock);
    if (Segment* segment = segments.find(id); segment && segment->memory == memory) {
        segment->attach_time = now_seconds();
        segment->last_pid = current_pid();
    }
    return static_cast<i64>(start);
}

ErrorOr<i64> detach(u64 address) {
    if (address % page_size != 0) {
        return Error(Errno::INVAL, "unaligned detach address");
    }
    RefPtr<SharedMemory> memory =
        TRY(Process::current()->user_space()->detach_shared_object(address));
    {
        MutexGuard guard(shm_lock);
        for (u32 index = 0; index < max_objects; ++index) {
            Segment* segment = segments.at_index(index);
            if (segment && (segment->memory == memory || segment->removed_memory == memory.ptr())) {
                segment->detach_time = now_seconds();
                segment->last_pid = current_pid();
            }
        }
    }
    return 0; // memory goes here, with no lock held: it may be the last detach
}

ErrorOr<i64> control(i32 id, i32 command, u64 buffer) {
    if (command < 0 || id < 0) {
        return Error(Errno::INVAL, "bad shmctl arguments");
    }
    switch (command) {
    case ABI_IPC_INFO: {
        abi::ShmInfo info{};
        info.shmmax = max_segment_size;
        info.shmmin = 1;
        info.shmmni = max_objects;
        info.shmseg = max_objects;
        info.shmall = max_segment_size;
        i32 highest;
        {
            MutexGuard guard(shm_lock);
            highest = segments.highest_index();
        }
        TRY(write_user({buffer}, info));
        return highest;
    }
    case ABI_IPC_STAT:
    case ABI_SHM_STAT: {
        abi::ShmidDs status;
        i32 answer = 0;
        {
            MutexGuard guard(shm_lock);
            Segment* segment = command == ABI_IPC_STAT ? segments.find(id)
                                                       : segments.at_index(static_cast<u32>(id));
            if (!segment) {
                return Error(Errno::INVAL, "no such segment");
            }
            status = status_of(*segment);
            answer = command == ABI_IPC_STAT ? 0 : segment->id;
        }
        TRY(write_user({buffer}, status));
        return answer;
    }
    case ABI_IPC_SET: {
        const auto wanted = TRY(read_user<abi::ShmidDs>({buffer}));
        MutexGuard guard(shm_lock);
        Segment* segment = segments.find(id);
        if (!segment) {
            return Error(Errno::INVAL, "no such segment");
        }
        segment->perm.set_from(wanted.shm_perm);
        segment->change_time = now_seconds();
        return 0;
    }
    case ABI_SHM_LOCK:
    case ABI_SHM_UNLOCK: {
        // Kite never swaps, so pages are always locked; only the flag moves.
        MutexGuard guard(shm_lock);
        Segment* segment = segments.find(id);
        if (!segment) {
            return Error(Errno::INVAL, "no such segment");
        }
        constexpr u32 locked = 02000; // SHM_LOCKED in shm_perm.mode
        segment->perm.mode =
            command == ABI_SHM_LOCK ? segment->perm.mode | locked : segment->perm.mode & ~locked;
        segment->change_time = now_seconds();
        return 0;
    }
    case ABI_IPC_RMID: {
        OwnPtr<Segment> unused;
        RefPtr<SharedMemory> memory; // declared before the guard: dropped after the unlock
        MutexGuard guard(shm_lock);
        Segment* segment = segments.find(id);
        if (!segment || !segment->memory) {
            return Error(Errno::INVAL, "no such segment");
        }
        if (segment->attachments() == 0) {
            memory = move(segment->memory);
            unused = segments.remove(segment);
            return 0;
        }
        // Attached: it lives on under no key until the last detach.
        segment->perm.mode |= ABI_SHM_DEST;
        segment->perm.key = ABI_IPC_PRIVATE;
        segment->change_time = now_seconds();
        segment->removed_memory = segment->memory.ptr();
        segment->memory->release_hook = segment_released;
        memory = move(segment->memory);
        return 0;
    }
    default:
        return Error(Errno::INVAL, "unknown shmctl command");
    }
}

} // namespace kite::ipc::shm
