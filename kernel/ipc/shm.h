// shm.h: System V shared memory: segments made by shmget, attached with
// shmat and detached with shmdt (or by exit and exec, which let go of the
// whole user memory), controlled with shmctl. A segment's pages are a
// SharedMemory object (mm/shared_memory.h), mapped like MAP_SHARED memory:
// fork's child shares the attachment. Each attachment holds one reference
// to the object, so shm_nattch is its count less the table's own; a
// removed segment (IPC_RMID) stays until its last detach.
#pragma once

#include "lib/error.h"
#include "lib/types.h"

namespace kite::ipc::shm {

[[nodiscard]] ErrorOr<i64> get(i32 key, u64 size, u32 flags);
[[nodiscard]] ErrorOr<i64> attach(i32 id, u64 address, u32 flags);
[[nodiscard]] ErrorOr<i64> detach(u64 address);
[[nodiscard]] ErrorOr<i64> control(i32 id, i32 command, u64 buffer);

} // namespace kite::ipc::shm
