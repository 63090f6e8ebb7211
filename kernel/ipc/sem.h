// sem.h: System V semaphore sets (semget, semop, semtimedop, semctl). An
// operation list applies as a whole or not at all; a caller that cannot go
// on sleeps (interruptibly: EINTR, never restarted, as Linux) until the set
// changes, its timeout passes (EAGAIN) or the set is removed (EIDRM).
// SEM_UNDO adjustments are kept per process and applied at its exit.
#pragma once

#include "lib/error.h"
#include "lib/types.h"

namespace kite::ipc::sem {

constexpr u64 no_timeout = ~u64{0};

[[nodiscard]] ErrorOr<i64> get(i32 key, i32 count, u32 flags);
// timeout_ns: relative, or no_timeout.
[[nodiscard]] ErrorOr<i64> operate(i32 id, u64 operations, u64 count, u64 timeout_ns);
[[nodiscard]] ErrorOr<i64> control(i32 id, i32 number, i32 command, u64 argument);
// The exit of process pid: its SEM_UNDO adjustments are applied.
void apply_undo_at_exit(i32 pid);

} // namespace kite::ipc::sem
