// spawn.cpp: Process::spawn, how the kernel starts a process of its own
// (init, the test programs): a new process whose thread runs exec first.
#include "console/console.h"
#include "fs/vfs.h"
#include "mm/physical.h"
#include "proc/exec.h"
#include "proc/process.h"

extern "C" [[noreturn]] void return_to_user(kite::InterruptFrame* frame);

namespace kite {

namespace {

// What the new process's thread runs first: exec the program into the frame
// reserved at the top of its kernel stack, then leave for user mode. The
// thread owns the request from then on.
struct SpawnRequest {
    Process* process;
    char path[256];
    ProgramArguments arguments;
};

void start_user_thread(void* argument) {
    OwnPtr<SpawnRequest> request =
        OwnPtr<SpawnRequest>::adopt(static_cast<SpawnRequest*>(argument));
    Process* process = request->process;
    auto* frame = reinterpret_cast<InterruptFrame*>(Scheduler::current()->kernel_stack_top() -
                                                    sizeof(InterruptFrame));
    auto result = exec(*process, request->path, request->arguments, *frame);
    if (result.is_error()) {
        kprintln("kite: cannot run {}: {}", request->path, result.error().what());
    }
    request.reset();
    if (result.is_error()) {
        process->exit(127 << 8);
    }
    return_to_user(frame);
}

} // namespace

ErrorOr<Process*> Process::spawn(StringView path, const ProgramArguments& arguments) {
    free_unwanted_zombies();
    OwnPtr<Process> owner = TRY(try_make_process());
    Process* process = owner.ptr();
    process->m_cwd = vfs::root();
    process->limits = ResourceLimits::boot_defaults(physical::stats().usable_frames);
    RefPtr<Vnode> console = TRY(vfs::resolve("/dev/console", vfs::root()));
    auto file = TRY(try_make_ref<OpenFile>(console, O_RDWR));
    for (int fd = 0; fd < 3; ++fd) {
        TRY(process->m_fds.install(file, false, process->limits.open_files()));
    }
    OwnPtr<SpawnRequest> request = TRY(try_make<SpawnRequest>());
    if (path.length() >= sizeof(request->path)) {
        return Error(Errno::NAMETOOLONG, "cannot spawn");
    }
    request->process = process;
    __builtin_memcpy(request->path, path.data(), path.length());
    request->path[path.length()] = '\0';
    request->arguments = TRY(arguments.clone());
    install_console_signals();
    process->set_name(path);
    process->m_kernel_waits = true;
    // As fork does: the new thread runs only once the process has its pid
    // and thread and is in the table, which it enters whole under the lock.
    // The thread's kernel stack keeps room at its top for the user frame.
    Thread* thread =
        TRY(Thread::create_unstarted(process->m_name, start_user_thread, request.ptr(), process))
            .leak();
    SpinlockGuard guard(table_lock());
    process->m_pid = next_pid++;
    process->m_pgid = process->m_sid = process->m_pid; // a session of its own
    thread->user.tid = process->m_pid;
    process->m_threads = thread;
    process->m_thread_count = 1;
    (void)request.leak();                               // the thread owns it now
    job_control::set_foreground_group(process->m_pgid); // the console's new job
    job_control::set_terminal_session(process->m_sid);  // and its controlling terminal
    process->m_next = all_processes_head();
    set_all_processes_head(process);
    Scheduler::adopt_new(thread);
    return owner.leak();
}

} // namespace kite
