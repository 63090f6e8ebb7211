// process_limits.cpp: the resource limits that concern the process tree:
// RLIMIT_NPROC for new threads and processes.
#include "proc/process.h"

namespace kite {

// Linux counts every task (thread) of the user, zombies until they are
// reaped, and refuses the new one if the count with it would exceed the
// limit, unless the user is root or has CAP_SYS_RESOURCE/CAP_SYS_ADMIN
// (kernel/fork.c, copy_process). Everything runs as root on Kite for now,
// so the limit is stored and reported but never refuses; the count is
// here for when there are users.
ErrorOr<void> Process::check_task_limit_locked() const {
    VERIFY(table_lock().is_held());
    if (uid == 0) {
        return {};
    }
    const u64 limit = limits.soft(Resource::Processes);
    u64 tasks = 0;
    for_each_locked([&](const Process& p) {
        if (p.uid == uid) {
            tasks += p.m_state == ProcessState::Zombie ? 1 : p.m_thread_count;
        }
    });
    if (limit != unlimited && tasks + 1 > limit) {
        return Error(Errno::AGAIN, "RLIMIT_NPROC reached");
    }
    return {};
}

} // namespace kite
