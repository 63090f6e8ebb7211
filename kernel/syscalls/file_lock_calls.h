// file_lock_calls.h: fcntl's lock commands (F_GETLK, F_SETLK, F_SETLKW and
// the OFD forms), for sys_fcntl; flock(2) is sys_flock.
#pragma once

#include "fs/open_file.h"
#include "syscalls/syscall.h"

namespace kite {

[[nodiscard]] bool is_lock_command(u64 command);
// The lock command on descriptor fd, which names file.
[[nodiscard]] SyscallResult fcntl_lock(int fd, const RefPtr<OpenFile>& file, u64 command,
                                       u64 argument);

} // namespace kite
