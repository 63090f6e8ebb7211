// msg.h: System V message queues (msgget, msgsnd, msgrcv, msgctl). A queue
// holds typed messages up to msg_qbytes bytes; senders wait for room and
// receivers for a message of the type they ask (0: any, >0: that type, or
// any other with MSG_EXCEPT, <0: the lowest type up to its magnitude).
// Waits are interruptible (EINTR, never restarted, as Linux).
#pragma once

#include "lib/error.h"
#include "lib/types.h"

namespace kite::ipc::msg {

[[nodiscard]] ErrorOr<i64> get(i32 key, u32 flags);
[[nodiscard]] ErrorOr<i64> send(i32 id, u64 message, u64 size, u32 flags);
[[nodiscard]] ErrorOr<i64> receive(i32 id, u64 message, u64 size, i64 type, u32 flags);
[[nodiscard]] ErrorOr<i64> control(i32 id, i32 command, u64 buffer);

} // namespace kite::ipc::msg
