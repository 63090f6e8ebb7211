// process_limits.cpp: the resource limits that concern the process tree:
// RLIMIT_NPROC for new threads and processes.
#include "proc/process.h"

#include "mm/physical.h"

namespace kite {

// Linux counts every task (thread), zombies until they are reaped, and
// refuses a new one (EAGAIN) when the machine already has max_threads
// (kernel.threads-max), whoever asks; and when the user's count with it
// would exceed RLIMIT_NPROC, unless the user is root or has
// CAP_SYS_RESOURCE/CAP_SYS_ADMIN (kernel/fork.c, copy_process). Everything
// runs as root on Kite for now, so NPROC is stored and reported but never
// refuses; the machine's maximum is what stops a fork bomb. One walk of
// the table counts both (a handful of processes, normally).
ErrorOr<void> Process::check_task_limit_locked() const {
    VERIFY(table_lock().is_held());
    u64 all_tasks = 0;
    u64 user_tasks = 0;
    for_each_locked([&](const Process& p) {
        const u64 tasks = p.m_state == ProcessState::Zombie ? 1 : p.m_thread_count;
        all_tasks += tasks;
        user_tasks += p.uid == uid ? tasks : 0;
    });
    if (all_tasks + 1 > max_tasks()) {
        return Error(Errno::AGAIN, "kernel.threads-max reached");
    }
    const u64 limit = limits.soft(Resource::Processes);
    if (uid != 0 && limit != unlimited && user_tasks + 1 > limit) {
        return Error(Errno::AGAIN, "RLIMIT_NPROC reached");
    }
    return {};
}

u64 Process::max_tasks() {
    static const u64 maximum = ResourceLimits::max_tasks(physical::stats().usable_frames);
    return maximum;
}

} // namespace kite
