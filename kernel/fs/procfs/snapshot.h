// snapshot.h: what procfs reports of a process or thread, copied under the
// process table lock in one go, so that no Process or Thread pointer is
// kept past it: the process may exit and be freed while its files are
// read. The user memory is held by reference (it outlives the process's
// hold on it if need be) and looked at afterwards, under its own lock.
#pragma once

#include "fs/procfs/entries.h"
#include "mm/user_space.h"
#include "proc/process.h"

namespace kite::procfs {

struct Snapshot {
    i32 pid = 0; // the thread group's id (Tgid)
    i32 tid = 0; // the thread reported: the target's, or the first thread's
    i32 ppid = 0;
    i32 pgrp = 0;
    i32 session = 0;
    char name[16] = {}; // comm: at most 15 bytes, as Linux's TASK_COMM_LEN
    char state = 'R';   // R S D T Z
    u32 uid = 0;
    u32 gid = 0;
    int nice = 0;
    u32 threads = 0;
    u64 start_ticks = 0;
    // In timer ticks; the process's (its ended threads' included) or, for
    // a thread's files, the thread's own.
    u64 user_ticks = 0;
    u64 system_ticks = 0;
    u64 children_user_ticks = 0;
    u64 children_system_ticks = 0;
    u64 thread_pending = 0;
    u64 shared_pending = 0;
    u64 blocked = 0;
    u64 ignored = 0;
    u64 caught = 0;
    u64 pending_limit = 0;
    u64 pending_queued = 0; // the user's siginfos waiting, all processes'
    int fd_slots = 0;
    int exit_code = 0;       // the wait status, for a zombie
    RefPtr<UserSpace> space; // null for a zombie
};

// ENOENT if the process (or, for target.tid, that thread of it) is gone.
[[nodiscard]] ErrorOr<Snapshot> take_snapshot(const Target& target);

// Whether the process exists (a zombie does), and the thread if tid != 0.
[[nodiscard]] bool target_exists(const Target& target);

// The open file behind descriptor fd of the target's process (ENOENT if
// none), and its close-on-exec flag if asked.
[[nodiscard]] ErrorOr<RefPtr<OpenFile>> open_file_of(const Target& target, int fd,
                                                     bool* close_on_exec = nullptr);

// Timer ticks to clock ticks (USER_HZ, 100 a second, as
// sysconf(_SC_CLK_TCK) gives).
[[nodiscard]] u64 to_clock_ticks(u64 ticks);

} // namespace kite::procfs
