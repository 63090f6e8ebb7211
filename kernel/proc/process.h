// process.h: a user process, which is a thread group: an address space with
// its memory map, file descriptors, a current directory, credentials (all 0
// for now), signal handlers, its place in the process tree, and one or more
// threads that share all of these (each with its own tid, signal mask and
// pending signals: Thread::user).
#pragma once

#include "arch/x86_64/address_space.h"
#include "arch/x86_64/interrupt_frame.h"
#include "debug/panic.h"
#include "lib/own_ptr.h"
#include "mm/page.h"
#include "mm/user_space.h"
#include "proc/fd_table.h"
#include "proc/interval_timers.h"
#include "proc/resource_limits.h"
#include "proc/signals.h"
#include "sched/scheduler.h"
#include "sync/spinlock.h"
#include "tty/job_control.h"

namespace kite {

enum class ProcessState : u8 { Running, Zombie };

struct ProgramArguments; // proc/exec.h

extern i32 next_pid; // the next process id to hand out

class Process {
  public:
    static constexpr usize name_size = 32;

    // Starts a new process running the program at path (relative to /),
    // with descriptors 0, 1 and 2 open on /dev/console. The process runs on
    // its own thread; if exec fails it exits with status 127 << 8 and the
    // reason on the console.
    [[nodiscard]] static ErrorOr<Process*> spawn(StringView path,
                                                 const ProgramArguments& arguments);

    // kernel.threads-max: the most tasks (threads, and zombies not yet
    // reaped) the machine may hold, fixed at boot from its memory.
    [[nodiscard]] static u64 max_tasks();
    [[nodiscard]] static Process* current() { // nullptr on a kernel thread
        const Thread* thread = Scheduler::current();
        return thread ? thread->process() : nullptr;
    }

    // The process table lock guards the list of processes, the tree
    // (parent, children), groups and sessions, each process's state, wait
    // status and stop/continue events, its pending and blocked signals and
    // its timers. A Process stays allocated while it is held: a zombie is
    // freed only by a reaper holding it.
    [[nodiscard]] static Spinlock& table_lock();
    // The process with this pid, or nullptr; the table lock must be held,
    // and the pointer is good only while it is.
    [[nodiscard]] static Process* find(i32 pid);

    [[nodiscard]] i32 pid() const { return m_pid; }
    [[nodiscard]] i32 parent_pid() const { return m_parent ? m_parent->m_pid : 0; }
    [[nodiscard]] Process* parent() const { return m_parent; }
    [[nodiscard]] i32 process_group() const { return m_pgid; }
    [[nodiscard]] i32 session() const { return m_sid; }
    void set_process_group(i32 pgid) { m_pgid = pgid; }
    void set_session(i32 sid) { m_sid = sid; }
    [[nodiscard]] const char* name() const { return m_name; }
    void set_name(StringView name);
    [[nodiscard]] ProcessState state() const { return m_state; }
    // Linux wait status: exit code << 8, or the terminating signal.
    [[nodiscard]] int wait_status() const { return m_wait_status; }

    // The process's user memory; null once exit has let go of it.
    [[nodiscard]] UserSpace* user_space() const { return m_user_space.ptr(); }
    [[nodiscard]] FdTable& fds() { return m_fds; }
    // The current directory, shared by the threads: read and replaced under
    // the table lock, so that a chdir in one thread cannot free the vnode
    // another is about to resolve from (the caller holds its own reference).
    [[nodiscard]] RefPtr<Vnode> cwd() const {
        SpinlockGuard guard(table_lock());
        return m_cwd;
    }
    // The same for a caller that holds the table lock (/proc/PID/cwd).
    [[nodiscard]] RefPtr<Vnode> cwd_locked() const { return m_cwd; }
    void set_cwd(RefPtr<Vnode> directory) {
        {
            SpinlockGuard guard(table_lock());
            m_cwd.swap(directory);
        }
        // The old directory goes here, with no lock held.
    }
    // The live threads, linked through Thread::user.next_in_process; the
    // list changes under the table lock.
    [[nodiscard]] Thread* first_thread() const { return m_threads; }
    [[nodiscard]] u32 thread_count() const { return m_thread_count; }
    // The thread with this tid in any process, or nullptr; the table lock
    // must be held, and the pointer is good only while it is.
    [[nodiscard]] static Thread* find_thread(i32 tid);

    // Credentials: everything runs as root until there are users.
    u32 uid = 0;
    u32 gid = 0;
    // The file-mode creation mask (umask(2)): its bits are cleared from the
    // mode of every file, directory, FIFO and socket the process creates.
    // Shared by the threads, inherited by fork, kept by exec; read and
    // swapped with __atomic builtins (umask is one exchange).
    u32 umask = 022;
    // The nice value (-20..19; setpriority), inherited by fork and kept by
    // exec; read and written under the table lock.
    int nice = 0;
    // Resource limits (getrlimit, setrlimit, prlimit64), one set for all
    // the threads, copied by fork, kept by exec. Changed under the table
    // lock; the process's own calls read them without it.
    ResourceLimits limits;
    // The tick at which fork or spawn made it (/proc/PID/stat's starttime).
    u64 start_ticks = 0;
    // PR_SET_CHILD_SUBREAPER: orphaned descendants come to this process
    // instead of init. Not inherited by fork, kept by exec; under the
    // table lock.
    bool child_subreaper = false;

    // Replaces the user memory (exec); the old one is released once its
    // last user lets go. The new one becomes active if this process runs.
    void replace_user_space(RefPtr<UserSpace> space);

    // Ends this process (exit_group, a fatal signal; the calling thread
    // must be one of its own): the other threads are killed, and the last
    // one out releases the memory and descriptors, hands the children to
    // init (pid 1), becomes a zombie holding wait_status, and tells the
    // parent (SIGCHLD, wakes wait4).
    [[noreturn]] void exit(int wait_status);
    // Ends the calling thread only (the exit system call): its
    // clear_child_tid word is cleared and woken, its robust futexes
    // released. The last thread's end is the process's, with this status
    // (unless the group is ending: then with the group's), as on Linux.
    [[noreturn]] void exit_thread(int wait_status);
    // exec: kills every thread but the caller and waits until they are
    // gone; the caller takes the pid as its tid. False if another thread
    // got there first (an exec or exit of the whole group): the caller must
    // then end.
    [[nodiscard]] bool become_single_threaded();

    // What clone (and fork, vfork, clone3) asks of a new process, once the
    // flags have been checked (syscalls/process_tree_calls.cpp).
    struct CloneRequest {
        bool thread = false;             // CLONE_THREAD: a thread of this process
        bool share_memory = false;       // CLONE_VM: else a copy-on-write copy
        bool wait_for_exec = false;      // CLONE_VFORK: the caller waits (wait_for_exec)
        bool clear_handlers = false;     // CLONE_CLEAR_SIGHAND: caught signals to default
        bool set_tls = false;            // CLONE_SETTLS: the child's FS base is `tls`
        int exit_signal = signals::CHLD; // for the parent at the child's exit; 0: none
        u64 stack = 0;                   // the child's stack pointer; 0: the caller's
        u64 tls = 0;
        u64 parent_tid = 0;      // CLONE_PARENT_SETTID: the parent's word for the id
        u64 set_child_tid = 0;   // CLONE_CHILD_SETTID: the child stores its id here
        u64 clear_child_tid = 0; // CLONE_CHILD_CLEARTID: see clear_child_tid
    };
    // A new child of this process, returning 0 from the system call whose
    // frame is given; gives its pid, once it has exec'd or exited if the
    // request says wait_for_exec. fork is clone with the default request.
    [[nodiscard]] ErrorOr<i32> clone(const InterruptFrame& frame, const CloneRequest& request);
    [[nodiscard]] ErrorOr<i32> fork(const InterruptFrame& frame) {
        return clone(frame, CloneRequest{});
    }
    // CLONE_THREAD: a new thread of this process, returning 0 from the
    // system call whose frame is given, on request.stack; gives its tid.
    [[nodiscard]] ErrorOr<i32> clone_thread(const InterruptFrame& frame,
                                            const CloneRequest& request);
    // CLONE_VFORK: the caller (this child's parent) sleeps until the child
    // has exec'd or exited, the moment it stops using the parent's memory.
    void wait_for_exec();
    // A new thread's first step in user context: CLONE_CHILD_SETTID.
    static void store_child_tid();
    // Exit and exec: the memory is about to be let go of. Releases the
    // calling thread's robust futexes, clears its clear_child_tid word if
    // the memory is shared, and lets a vfork parent go on once the memory
    // is no longer used (after).
    void before_releasing_memory();
    void after_releasing_memory();

    // CPU time in timer ticks, as times() reports it: this process's own
    // (its thread's, frozen when it exits), and that of the children it
    // has reaped with wait4, theirs included (Linux's cutime and cstime).
    struct CpuTimes {
        u64 user_ticks = 0;
        u64 system_ticks = 0;
    };
    [[nodiscard]] CpuTimes cpu_times() const;
    [[nodiscard]] CpuTimes cpu_times_locked() const; // the table lock is held
    [[nodiscard]] CpuTimes children_cpu_times() const { return m_children_times; }

    // wait4 and waitid: the first child matching `selector` (wait4's pid
    // argument: a pid, -1 any, 0 this group, -pgid) with an event the
    // options ask for, as a Linux wait status: it exited (and is reaped,
    // unless keep), it stopped, or it was continued (0xffff). Each stop or
    // continue is reported once. A pid of 0 with no_hang if none is ready
    // yet; ECHILD if no child matches. Blocks otherwise.
    struct WaitOptions {
        bool exited = true;
        bool stopped = false;
        bool continued = false;
        bool no_hang = false;
        bool keep = false;           // WNOWAIT: report, but leave the event to a later wait
        bool clone_children = false; // __WCLONE: only children whose exit signal is not SIGCHLD
        bool all_children = false;   // __WALL: children of either kind
    };
    struct WaitResult {
        i32 pid;
        int status;
        CpuTimes times; // an exited child's, its reaped children's included
    };
    [[nodiscard]] ErrorOr<WaitResult> wait_for_child(i32 selector, const WaitOptions& options);

    // Signals (proc/signal_delivery.cpp). send_signal queues one (Linux
    // numbering), dropping it at once if it would be ignored, and wakes the
    // thread from an interruptible wait. deliver_signals runs on the way back
    // to user mode: default actions (terminate, stop, ignore), or a handler
    // frame on the user stack; it also finishes interrupted system calls
    // (restart or EINTR).
    using SigInfo = signals::SigInfo;
    void send_signal(int signal);
    void send_signal_locked(int signal); // the table lock is held; SI_KERNEL
    // With the siginfo the receiver gets; false if a real-time signal's
    // queue is full (sigqueue's EAGAIN).
    [[nodiscard]] bool send_signal_locked(int signal, const SigInfo& info);
    // tkill, tgkill and faults: a signal for one thread of this process.
    [[nodiscard]] bool send_thread_signal_locked(Thread* thread, int signal, const SigInfo& info);
    // sigaction made `signal` ignored: its pending instances go, from the
    // process and every thread, as POSIX says. The table lock is held.
    void discard_if_ignored_locked(int signal);
    // Every signal pending for the process or any of its threads (POSIX
    // timers' overruns: is the one they sent still waiting?).
    [[nodiscard]] u64 pending_anywhere_locked() const;
    // SIGKILL waits for self (one of this process's threads), or the
    // group is ending (proc/signal_pending.h).
    [[nodiscard]] bool kill_pending(const Thread& self) const;
    [[nodiscard]] bool kill_pending_locked(const Thread& self) const;
    // Tells the threads that could take a pending process-directed signal
    // (a thread that was told ended, or blocked it); the table lock is held.
    void retarget_pending_locked();
    // rt_sigtimedwait: takes a pending signal of `set` for the calling
    // thread, waiting until the deadline (monotonic ns; 0: do not wait,
    // ~0: none) for one; EAGAIN when it passes, EINTR for another signal.
    [[nodiscard]] ErrorOr<int> wait_for_signal(u64 set, u64 deadline, SigInfo& info);
    // A fault in user mode: the signal goes to the faulting thread, which
    // cannot block or ignore it (it would fault again at once); false if
    // its action is the default, which ends the process.
    [[nodiscard]] bool force_fault_signal(int signal, const SigInfo& info);
    // Inline: the common case (nothing pending, no mask to restore, no
    // call to restart) is a few loads on every return to user mode.
    static void deliver_signals(InterruptFrame& frame) {
        cpu::disable_interrupts(); // from here to user mode no signal can slip in
        Thread& self = *Scheduler::current();
        if (!self.user.signals_to_check &&
            frame.rax != static_cast<u64>(-static_cast<i64>(Errno::RESTARTSYS)) &&
            frame.rax != static_cast<u64>(-static_cast<i64>(Errno::RESTARTNOHAND))) [[likely]] {
            // A signal that came and went (a stop undone by SIGCONT before
            // this thread ran) may have left the interruption flag: it must
            // not end the next wait.
            self.clear_interrupt();
            return;
        }
        if (Process* process = self.process()) {
            process->deliver_pending_signals(frame);
        }
    }
    // rt_sigsuspend: waits, with `mask` as the blocked set, until a signal
    // is delivered. The mask from before comes back when that signal's
    // handler returns (the handler frame saves it), or at once if no
    // handler runs.
    void suspend(u64 mask);
    // setitimer's, alarm's and timer_create's timers, all threads' together
    // (proc/interval_timers.h); under the table lock. Not inherited by
    // fork, kept by exec (less the POSIX timers), cleared at exit.
    IntervalTimers timers;
    // rt_sigreturn: restores the context saved by the handler frame at rsp.
    [[nodiscard]] ErrorOr<void> return_from_signal(InterruptFrame& frame);
    signals::Action signal_actions[signals::count + 1] = {};
    // Signals sent to the process as a whole (kill), which any thread that
    // does not block them may take; each thread has its own too.
    [[nodiscard]] u64 pending_signals() const { return m_pending.mask(); }
    [[nodiscard]] bool is_stopped() const { return m_stopped; }

    // Lets the terminal reach processes (tty/job_control.h): the terminal's
    // signals (Ctrl-C, Ctrl-\ and Ctrl-Z) go to its foreground process
    // group; fallback (if given) gets them when that group is empty.
    static void install_console_signals(job_control::Fallback fallback = nullptr);

    // Frees zombies whose parent (the kernel) will never wait for them.
    static void free_unwanted_zombies();

    // Every process, for kill and the process list, with the table lock
    // held: visit must not sleep, and uses the _locked calls.
    template <typename Visit>
    static void for_each(Visit visit) {
        SpinlockGuard guard(table_lock());
        for_each_locked(visit);
    }
    template <typename Visit>
    static void for_each_locked(Visit visit) {
        VERIFY(table_lock().is_held());
        for (Process* p = all_processes_head(); p; p = p->m_next) {
            visit(*p);
        }
    }

    // Waits until the process has exited and frees it; returns its status.
    // For the kernel's own children (the first process, test runs).
    static int wait_and_reap(Process* process);

    // User-mode exceptions: a page fault is resolved if it can be, anything
    // else kills the process with the matching signal.
    static void handle_user_exception(InterruptFrame& frame, u64 cr2);

    // Runs in the kernel for the fault handler: a kernel-mode fault on a
    // user address during a user copy may be a page to bring in.
    static bool resolve_kernel_fault_on_user_address(u64 address, bool write);

  private:
    Process() = default;
    ~Process() = default;
    friend class OwnPtr<Process>;
    // The fallible way to make one (spawn, fork).
    [[nodiscard]] static ErrorOr<OwnPtr<Process>> try_make_process();
    // The zombies nobody will wait for; the table lock is held.
    [[nodiscard]] static Process*& unwanted_zombies_head();
    static Process* all_processes_head();
    static void set_all_processes_head(Process* process);
    void unlink_and_free(); // a reaped zombie, on another thread than its own
    // The end of the last thread: the process becomes a zombie.
    [[noreturn]] void finish_exit(int wait_status);
    // Takes the calling thread out of the thread list (its times kept) and
    // ends it; the table lock is held with interrupts off.
    [[noreturn]] void end_thread_locked(Thread* thread);
    // Kills every thread but `except` (the table lock is held).
    void kill_other_threads_locked(Thread* except);

    [[nodiscard]] bool matches(i32 selector, const Process& waiter) const;
    // The task limits for a new thread or process (proc/process_limits.cpp):
    // EAGAIN if the machine has max_tasks() tasks already, or if this user
    // has as many as RLIMIT_NPROC allows (root is exempt from that one, as
    // on Linux). The table lock is held.
    [[nodiscard]] ErrorOr<void> check_task_limit_locked() const;
    // Orphans (proc/orphans.cpp), with the table lock held: the children
    // a thread made go to another thread of this process when it ends,
    // and all of them to the nearest subreaper ancestor (or init) when
    // the process ends; each is sent its threads' PR_SET_PDEATHSIG
    // signals, as Linux does.
    void hand_over_children_of_thread_locked(const Thread* ending);
    void hand_over_children_locked();
    void send_parent_death_signals_locked();

    i32 m_pid = 0;
    i32 m_pgid = 0;
    i32 m_sid = 0;
    Process* m_parent = nullptr; // null: the kernel started it
    // The tid of the parent's thread that made this process (Linux's
    // real_parent is a thread): PR_SET_PDEATHSIG fires when it ends.
    i32 m_parent_tid = 0;
    Process* m_first_child = nullptr;
    Process* m_next_sibling = nullptr;
    bool m_kernel_waits = false; // Process::wait_and_reap will reap it
    PendingSignals m_pending;
    bool m_stopped = false;
    int m_stop_signal = 0;
    // A group stop: how many threads have joined it, and whether all had
    // (then the parent was told).
    u32 m_threads_stopped = 0;
    bool m_stop_complete = false;
    bool m_stop_reported = true;     // wait4 WUNTRACED has seen this stop
    bool m_continue_reported = true; // wait4 WCONTINUED has seen the last SIGCONT
    WaitQueue m_continued;
    void stop(int signal);
    void wait_while_stopped_locked();
    void note_stop_progress_locked();
    [[nodiscard]] bool prepare_signal_locked(int signal, const Thread* target);
    // deliver_signals past its common case, with interrupts off.
    void deliver_pending_signals(InterruptFrame& frame);
    [[nodiscard]] bool setup_handler_frame(InterruptFrame& frame, int signal,
                                           const signals::Action& action, const SigInfo& info);
    [[nodiscard]] int next_signal(Thread& self, SigInfo& info);
    // SIGCHLD (or the exit signal) with its siginfo, and wait4's wakeup,
    // for this process's parent; code is CLD_*. The table lock is held.
    void tell_parent_locked(int code, int status);
    // The same for this zombie's exit, from its wait status.
    void tell_parent_of_exit_locked();
    WaitQueue m_child_event;    // a child exited
    WaitQueue m_signal_waiters; // rt_sigtimedwait: woken by the signal's interruption
    // The signal the parent gets when this process exits (0: none). A child
    // whose signal is not SIGCHLD is a "clone" child: only wait4's __WCLONE
    // or __WALL wait for it, as on Linux.
    int m_exit_signal = signals::CHLD;
    bool m_vfork_pending = false; // CLONE_VFORK: the parent waits on m_vfork_done
    bool m_vfork_waiter = false;  // and until it has seen that, wait4 leaves this zombie be
    WaitQueue m_vfork_done;
    char m_name[name_size] = {};
    ProcessState m_state = ProcessState::Running;
    int m_wait_status = 0;
    CpuTimes m_exit_times;
    CpuTimes m_ended_threads_times; // the threads that ended before the process
    // exit_group or a fatal signal: every thread ends with this status.
    bool m_group_exiting = false;
    int m_group_exit_status = 0;
    WaitQueue m_thread_ended; // become_single_threaded waits here
    CpuTimes m_children_times;
    RefPtr<UserSpace> m_user_space;
    FdTable m_fds;
    RefPtr<Vnode> m_cwd;
    Thread* m_threads = nullptr;
    u32 m_thread_count = 0;
    WaitQueue m_exited;
    Process* m_next = nullptr; // in the process list
};

} // namespace kite
