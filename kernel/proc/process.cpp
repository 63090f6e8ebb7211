// process.cpp: see process.h.
#include "proc/process.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/exceptions.h"
#include "console/console.h"
#include "debug/panic.h"
#include "fs/vfs.h"
#include "mm/direct_map.h"
#include "mm/kmalloc.h"
#include "mm/physical.h"
#include "proc/exec.h"
#include "tty/job_control.h"

extern "C" [[noreturn]] void return_to_user(kite::InterruptFrame* frame);

namespace kite {

i32 next_pid = 1;

namespace {

Spinlock process_table_lock{"process table", LockRank::ProcessTable};
Process* all_processes = nullptr; // guarded by process_table_lock

// Zombies nobody will wait for (their parent was the kernel, which did
// not ask): freed by the next thread that creates or reaps a process, since
// a process cannot free itself while its thread still runs.
Process* unwanted_zombies = nullptr;

// What the new process's thread runs first: exec the program into the frame
// reserved at the top of its kernel stack, then leave for user mode.
struct SpawnRequest {
    Process* process;
    char path[256];
    ProgramArguments arguments;
};

void start_user_thread(void* argument) {
    auto* request = static_cast<SpawnRequest*>(argument);
    Process* process = request->process;
    auto* frame = reinterpret_cast<InterruptFrame*>(process->thread()->kernel_stack_top() -
                                                    sizeof(InterruptFrame));
    auto result = exec(*process, request->path, request->arguments, *frame);
    if (result.is_error()) {
        kprintln("kite: cannot run {}: {}", request->path, result.error().what());
    }
    kfree(request->arguments.strings);
    delete request;
    if (result.is_error()) {
        process->exit(127 << 8);
    }
    return_to_user(frame);
}

// Linux signal numbers for the faults user code can cause.
constexpr int SIGILL = 4;
constexpr int SIGTRAP = 5;
constexpr int SIGBUS = 7;
constexpr int SIGFPE = 8;
constexpr int SIGSEGV = 11;

const char* signal_name(int signal) {
    switch (signal) {
    case SIGILL:
        return "SIGILL";
    case SIGTRAP:
        return "SIGTRAP";
    case SIGBUS:
        return "SIGBUS";
    case SIGFPE:
        return "SIGFPE";
    case SIGSEGV:
        return "SIGSEGV";
    }
    return "signal";
}

} // namespace

namespace {

// The terminal's view of processes (tty/job_control.h).
i32 caller_group() {
    Process* self = Process::current();
    if (!self) {
        return 0;
    }
    SpinlockGuard guard(process_table_lock);
    return self->process_group();
}

i32 caller_session() {
    Process* self = Process::current();
    if (!self) {
        return 0;
    }
    SpinlockGuard guard(process_table_lock);
    return self->session();
}

bool signal_group(i32 pgid, int signal) {
    bool sent = false;
    Process::for_each([&](Process& p) {
        if (p.process_group() == pgid && p.state() == ProcessState::Running) {
            p.send_signal_locked(signal);
            sent = true;
        }
    });
    return sent;
}

bool group_in_session(i32 pgid, i32 sid) {
    bool found = false;
    Process::for_each(
        [&](Process& p) { found = found || (p.process_group() == pgid && p.session() == sid); });
    return found;
}

} // namespace

void Process::install_console_signals(job_control::Fallback fallback) {
    if (fallback) {
        job_control::set_fallback(fallback);
    }
    job_control::set_host({caller_group, caller_session, signal_group, group_in_session});
}

void Process::set_name(StringView name) {
    const usize n = min(name.length(), name_size - 1);
    __builtin_memcpy(m_name, name.data(), n);
    m_name[n] = '\0';
}

Process* Process::current() {
    Thread* thread = Scheduler::current();
    return thread ? thread->process() : nullptr;
}

Spinlock& Process::table_lock() {
    return process_table_lock;
}

Process* Process::find(i32 pid) {
    VERIFY(process_table_lock.is_held());
    for (Process* p = all_processes; p; p = p->m_next) {
        if (p->m_pid == pid) {
            return p;
        }
    }
    return nullptr;
}

ErrorOr<Process*> Process::spawn(StringView path, const ProgramArguments& arguments) {
    free_unwanted_zombies();
    auto* process = new Process();
    if (!process) {
        return Error(Errno::NOMEM, "out of memory");
    }
    OwnPtr<Process> owner = OwnPtr<Process>::adopt(process);
    process->m_cwd = vfs::root();
    RefPtr<Vnode> console = TRY(vfs::resolve("/dev/console", vfs::root()));
    auto file = TRY(try_make_ref<OpenFile>(console, O_RDWR));
    for (int fd = 0; fd < 3; ++fd) {
        TRY(process->m_fds.install(file, false));
    }
    auto* request = new SpawnRequest{process, {}, {}};
    if (!request || path.length() >= sizeof(request->path)) {
        delete request;
        return Error(request ? Errno::NAMETOOLONG : Errno::NOMEM, "cannot spawn");
    }
    __builtin_memcpy(request->path, path.data(), path.length());
    request->path[path.length()] = '\0';
    request->arguments = arguments;
    request->arguments.strings = static_cast<char*>(kmalloc(arguments.bytes + 1));
    if (!request->arguments.strings) {
        delete request;
        return Error(Errno::NOMEM, "out of memory");
    }
    __builtin_memcpy(request->arguments.strings, arguments.strings, arguments.bytes);
    install_console_signals();
    process->set_name(path);
    process->m_pid = next_pid++;
    process->m_pgid = process->m_sid = process->m_pid; // a session of its own
    process->m_kernel_waits = true;
    job_control::set_foreground_group(process->m_pgid); // the console's new job
    // The thread's kernel stack keeps room at its top for the user frame.
    auto thread = Thread::create(process->m_name, start_user_thread, request, process);
    if (thread.is_error()) {
        kfree(request->arguments.strings);
        delete request;
        return thread.release_error();
    }
    process->m_thread = thread.value();
    SpinlockGuard guard(process_table_lock);
    process->m_next = all_processes;
    all_processes = process;
    return owner.leak();
}

void Process::replace_user_space(RefPtr<UserSpace> space) {
    RefPtr<UserSpace> old;
    {
        // The scheduler loads the space of the process it switches to.
        SpinlockGuard guard(process_table_lock);
        old = move(m_user_space);
        m_user_space = move(space);
        if (current() == this) {
            m_user_space->activate();
        }
    }
    // `old` goes here, with no lock held: its last reference releases it.
}

void Process::exit(int wait_status) {
    VERIFY(current() == this);
    m_fds.close_all();
    m_cwd.clear();
    // Detach the user memory before tearing it down: if this thread is
    // preempted meanwhile, the scheduler must not load it again.
    RefPtr<UserSpace> space;
    {
        SpinlockGuard guard(process_table_lock);
        space = move(m_user_space);
        AddressSpace::kernel().activate();
    }
    space.clear();
    {
        cpu::disable_interrupts();
        process_table_lock.acquire();
        // Orphans go to init (pid 1), or, without one, to nobody: then they
        // are freed as soon as they exit.
        Process* init = find(1);
        if (init == this || (init && init->m_state == ProcessState::Zombie)) {
            init = nullptr;
        }
        while (Process* child = m_first_child) {
            m_first_child = child->m_next_sibling;
            child->m_parent = init;
            child->m_next_sibling = init ? init->m_first_child : nullptr;
            if (init) {
                init->m_first_child = child;
            }
            if (child->m_state == ProcessState::Zombie && !init) {
                child->m_next_sibling = unwanted_zombies;
                unwanted_zombies = child;
            }
        }
        if (init) {
            init->m_child_event.wake_all();
        }
        m_wait_status = wait_status;
        m_alarm_at_ns = 0;
        m_exit_times = cpu_times_locked(); // interrupts stay off: no tick lands after this
        m_state = ProcessState::Zombie;
        m_exited.wake_all();
        if (m_parent) {
            m_parent->m_child_event.wake_all();
            m_parent->send_signal_locked(signals::CHLD);
        } else if (!m_kernel_waits) {
            m_next_sibling = unwanted_zombies;
            unwanted_zombies = this;
        }
        // Still with interrupts off: once this is a zombie, a waiter may
        // free the Process, so this thread must not run again before it is
        // dead (its kernel stack would also outlive a waiter's frame count).
        // Releasing the lock leaves interrupts off, so nothing runs between.
        process_table_lock.release();
        Scheduler::exit_current();
    }
}

Process* Process::all_processes_head() {
    return all_processes;
}
void Process::set_all_processes_head(Process* process) {
    all_processes = process;
}

// Removes a zombie from the process list and from its parent's children,
// and frees it. The table lock is held.
void Process::unlink_and_free() {
    VERIFY(process_table_lock.is_held());
    Process** link = &all_processes;
    while (*link && *link != this) {
        link = &(*link)->m_next;
    }
    if (*link) {
        *link = m_next;
    }
    if (m_parent) {
        Process** sibling = &m_parent->m_first_child;
        while (*sibling && *sibling != this) {
            sibling = &(*sibling)->m_next_sibling;
        }
        if (*sibling) {
            *sibling = m_next_sibling;
        }
    }
    delete this;
}

void Process::free_unwanted_zombies() {
    SpinlockGuard guard(process_table_lock);
    while (Process* zombie = unwanted_zombies) {
        unwanted_zombies = zombie->m_next_sibling;
        zombie->m_parent = nullptr;
        zombie->unlink_and_free();
    }
}

bool Process::matches(i32 selector, const Process& waiter) const {
    if (selector > 0) {
        return m_pid == selector;
    }
    if (selector == -1) {
        return true;
    }
    if (selector == 0) {
        return m_pgid == waiter.m_pgid;
    }
    return m_pgid == -selector;
}

Process::CpuTimes Process::cpu_times() const {
    SpinlockGuard guard(process_table_lock);
    return cpu_times_locked();
}

Process::CpuTimes Process::cpu_times_locked() const {
    // Under the table lock (interrupts off) from the look at the state to
    // the last read: the process cannot exit (and its thread go) in
    // between, and both counts come from the same tick (one CPU).
    VERIFY(process_table_lock.is_held());
    if (m_state == ProcessState::Zombie || !m_thread) {
        return m_exit_times;
    }
    return {m_thread->user_ticks, m_thread->runtime_ticks - m_thread->user_ticks};
}

ErrorOr<Process::WaitResult> Process::wait_for_child(i32 selector, const WaitOptions& options) {
    free_unwanted_zombies();
    SpinlockGuard guard(process_table_lock);
    for (;;) {
        bool any = false;
        for (Process* child = m_first_child; child; child = child->m_next_sibling) {
            if (!child->matches(selector, *this)) {
                continue;
            }
            any = true;
            if (child->m_state == ProcessState::Zombie) {
                if (!options.exited) {
                    continue;
                }
                const CpuTimes times{
                    child->m_exit_times.user_ticks + child->m_children_times.user_ticks,
                    child->m_exit_times.system_ticks + child->m_children_times.system_ticks};
                const WaitResult result{child->m_pid, child->m_wait_status, times};
                if (!options.keep) {
                    // Its thread may still be on its way out, but it no
                    // longer touches the Process (see exit), so it can go.
                    m_children_times.user_ticks += times.user_ticks;
                    m_children_times.system_ticks += times.system_ticks;
                    child->unlink_and_free();
                }
                return result;
            }
            if (options.stopped && child->m_stopped && !child->m_stop_reported) {
                child->m_stop_reported = !options.keep;
                return WaitResult{child->m_pid, (child->m_stop_signal << 8) | 0x7f, {}};
            }
            if (options.continued && !child->m_continue_reported) {
                child->m_continue_reported = !options.keep;
                return WaitResult{child->m_pid, 0xffff, {}};
            }
        }
        if (!any) {
            return Error(Errno::CHILD, "no child to wait for");
        }
        if (options.no_hang) {
            return WaitResult{0, 0, {}};
        }
        if (m_child_event.wait(process_table_lock) == kite::WaitResult::Interrupted) {
            return Error(Errno::RESTARTSYS, "interrupted by a signal");
        }
    }
}

int Process::wait_and_reap(Process* process) {
    free_unwanted_zombies();
    SpinlockGuard guard(process_table_lock);
    while (process->m_state != ProcessState::Zombie) {
        (void)process->m_exited.wait(process_table_lock, 0, Interruptible::No);
    }
    const int status = process->m_wait_status;
    process->unlink_and_free();
    return status;
}

void Process::handle_user_exception(InterruptFrame& frame, u64 cr2) {
    Process* process = current();
    VERIFY(process != nullptr);
    int signal = SIGSEGV;
    switch (static_cast<ExceptionVector>(frame.vector)) {
    case ExceptionVector::PageFault: {
        const bool write = frame.error_code & 2;
        const bool execute = frame.error_code & 16;
        cpu::enable_interrupts();
        if (process->m_user_space && process->m_user_space->handle_fault(cr2, write, execute)) {
            return;
        }
        signal = SIGSEGV;
        break;
    }
    case ExceptionVector::DivideError:
    case ExceptionVector::X87FloatingPoint:
    case ExceptionVector::SimdFloatingPoint:
        signal = SIGFPE;
        break;
    case ExceptionVector::InvalidOpcode:
        signal = SIGILL;
        break;
    case ExceptionVector::Breakpoint:
    case ExceptionVector::Debug:
        signal = SIGTRAP;
        break;
    case ExceptionVector::AlignmentCheck:
        signal = SIGBUS;
        break;
    default:
        signal = SIGSEGV;
        break;
    }
    cpu::enable_interrupts();
    kprintln("kite: pid {} ({}) killed by {}: {} at rip {:#x}{}", process->pid(), process->name(),
             signal_name(signal), exception_name(frame.vector), frame.rip, "");
    if (static_cast<ExceptionVector>(frame.vector) == ExceptionVector::PageFault) {
        kprintln("      address {:#x}", cr2);
    }
    process->exit(signal);
}

// From return_to_user: the frame's RIP is not a user address. Leaving
// through it would fault in ring 0, so the process dies here.
extern "C" [[noreturn]] void user_return_to_bad_address(InterruptFrame* frame) {
    cpu::enable_interrupts();
    Process* process = Process::current();
    VERIFY(process != nullptr);
    kprintln("kite: pid {} ({}) killed by SIGSEGV: return to non-canonical address {:#x}",
             process->pid(), process->name(), frame->rip);
    process->exit(SIGSEGV);
}

bool Process::resolve_kernel_fault_on_user_address(u64 address, bool write) {
    Process* process = current();
    return process && process->m_user_space && address < user_space_end &&
           process->m_user_space->handle_fault(address, write, false);
}

} // namespace kite
