// fork.cpp: Process::clone, which fork, vfork and clone come down to, and
// Process::clone_thread (CLONE_THREAD). A child process's memory is the
// parent's user space itself (CLONE_VM) or a copy-on-write copy of it
// (mm/user_space.h); descriptors, directory, signal dispositions and the
// calling thread's mask are copied. A new thread shares all of them.
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "mm/user_memory.h"
#include "proc/futex.h"
#include "proc/process.h"

extern "C" [[noreturn]] void return_to_user(kite::InterruptFrame* frame);

namespace kite {

namespace {

InterruptFrame* user_frame_of(Thread* thread) {
    return reinterpret_cast<InterruptFrame*>(thread->kernel_stack_top() - sizeof(InterruptFrame));
}

void start_cloned_thread(void*) {
    Process::store_child_tid();
    return_to_user(user_frame_of(Scheduler::current()));
}

// The new thread's frame: the caller's, returning 0, on the stack and with
// the TLS the request asks for, and the caller's FPU state.
void prepare_thread(Thread* thread, const InterruptFrame& frame,
                    const Process::CloneRequest& request) {
    InterruptFrame* child_frame = user_frame_of(thread);
    *child_frame = frame;
    child_frame->rax = 0; // clone returns 0 in the child
    if (request.stack != 0) {
        child_frame->rsp = request.stack;
    }
    thread->fs_base = request.set_tls ? request.tls : cpu::rdmsr(cpu_local::msr_fs_base);
    thread->inherit_fpu_state();
    const UserThreadState& caller = Scheduler::current()->user;
    thread->user.blocked_signals = caller.blocked_signals;
    // The alternate stack is the caller's only in a copy of its memory
    // (fork) or while it waits (vfork), as on Linux.
    if (!request.share_memory || request.wait_for_exec) {
        thread->user.altstack_sp = caller.altstack_sp;
        thread->user.altstack_size = caller.altstack_size;
        thread->user.altstack_flags = caller.altstack_flags;
    }
    thread->user.set_child_tid = request.set_child_tid;
    thread->user.clear_child_tid = request.clear_child_tid;
}

} // namespace

// CLONE_CHILD_SETTID, in the child's own memory as it first runs (where
// Linux does it too); a bad address is no error, as on Linux.
void Process::store_child_tid() {
    Thread& self = *Scheduler::current();
    if (self.user.set_child_tid != 0) {
        (void)write_user<i32>({self.user.set_child_tid}, self.user.tid);
        self.user.set_child_tid = 0;
    }
}

ErrorOr<i32> Process::clone(const InterruptFrame& frame, const CloneRequest& request) {
    free_unwanted_zombies();
    {
        // A group on its way out forks no more (the caller has SIGKILL
        // pending and never sees this error).
        SpinlockGuard guard(table_lock());
        if (m_group_exiting) {
            return Error(Errno::INTR, "the process is exiting");
        }
    }
    OwnPtr<Process> owner = TRY(try_make_process());
    Process* child = owner.ptr();
    if (request.share_memory) {
        child->m_user_space = m_user_space;
    } else {
        child->m_user_space = TRY(m_user_space->fork());
    }
    TRY(child->m_fds.copy_from(m_fds));
    child->m_cwd = cwd(); // under the lock: another thread may chdir
    child->uid = uid;
    child->gid = gid;
    child->umask = __atomic_load_n(&umask, __ATOMIC_RELAXED);
    child->nice = nice;
    child->limits = limits;
    child->m_pgid = m_pgid;
    {
        SpinlockGuard guard(table_lock()); // another thread may sigaction meanwhile
        for (int i = 0; i <= signals::count; ++i) {
            child->signal_actions[i] = signal_actions[i];
            if (request.clear_handlers) { // ignored stays ignored, with no flags or mask
                const bool ignored = signal_actions[i].handler == signals::SIG_IGN;
                child->signal_actions[i] = {};
                child->signal_actions[i].handler = ignored ? signals::SIG_IGN : signals::SIG_DFL;
            }
        }
    }
    child->m_sid = m_sid;
    child->set_name(m_name);
    child->m_exit_signal = request.exit_signal;
    child->m_vfork_pending = request.wait_for_exec;
    child->m_vfork_waiter = request.wait_for_exec;
    {
        SpinlockGuard guard(table_lock());
        TRY(check_task_limit_locked());
        child->m_pid = next_pid++;
    }
    // CLONE_PARENT_SETTID before the child can run (it may share this
    // memory), after the copy (a copy-on-write child does not see it), as
    // Linux does. A bad address is no error.
    if (request.parent_tid != 0) {
        (void)write_user<i32>({request.parent_tid}, child->m_pid);
    }

    // The child runs only once its frame is in place and it is in the
    // table whole (another CPU may take it at once); under the table lock
    // it appears there whole. A failure frees the child (and its unstarted
    // thread) after the lock is let go: closing its descriptors may sleep.
    OwnPtr<Thread> thread =
        TRY(Thread::create_unstarted(m_name, start_cloned_thread, nullptr, child));
    {
        SpinlockGuard guard(table_lock());
        // Looked at again: an exec or exit_group in another thread may have
        // begun while the copy was made; the child must not outlive it.
        if (m_group_exiting) {
            return Error(Errno::INTR, "the process is exiting");
        }
        prepare_thread(thread.ptr(), frame, request);
        thread->user.tid = child->m_pid;
        child->m_threads = thread.ptr();
        child->m_thread_count = 1;
        child->m_parent = this;
        child->m_parent_tid = Scheduler::current()->user.tid;
        child->m_next_sibling = m_first_child;
        m_first_child = child;
        child->m_next = all_processes_head();
        set_all_processes_head(child);
        Scheduler::adopt_new(thread.leak());
    }
    // From here on the child may run, exit and be reaped by another thread:
    // only a vfork child (pinned by m_vfork_waiter) may be looked at.
    const i32 pid = child->m_pid;
    (void)owner.leak();
    if (request.wait_for_exec) {
        child->wait_for_exec();
    }
    return pid;
}

ErrorOr<i32> Process::clone_thread(const InterruptFrame& frame, const CloneRequest& request) {
    VERIFY(current() == this);
    i32 tid;
    {
        SpinlockGuard guard(table_lock());
        TRY(check_task_limit_locked());
        tid = next_pid++;
    }
    // As for a process: the parent's word before the thread can run.
    if (request.parent_tid != 0) {
        (void)write_user<i32>({request.parent_tid}, tid);
    }
    OwnPtr<Thread> owned =
        TRY(Thread::create_unstarted(m_name, start_cloned_thread, nullptr, this));
    SpinlockGuard guard(table_lock());
    // A group on its way out (exit_group, exec, a fatal signal) takes no
    // new threads: the caller is about to end too. (The unstarted thread
    // is freed after the lock is let go: the guard was made after it.)
    if (m_group_exiting || m_state == ProcessState::Zombie) {
        return Error(Errno::INTR, "the process is exiting");
    }
    Thread* thread = owned.leak();
    m_fds.set_shared(); // before the thread can run
    prepare_thread(thread, frame, request);
    thread->user.tid = tid;
    thread->user.signals_to_check = m_pending.mask() != 0; // it may take the process's
    if (m_stopped) { // it joins a stop in progress before it runs user code
        thread->user.stop_pending = true;
        thread->user.signals_to_check = true;
    }
    // At the end: the list stays oldest first, the leader (if alive) at
    // its head, the thread a process-directed signal goes to first.
    Thread** link = &m_threads;
    while (*link) {
        link = &(*link)->user.next_in_process;
    }
    *link = thread;
    ++m_thread_count;
    Scheduler::adopt_new(thread); // whole now: it may run
    return tid;
}

// The child cannot be reaped meanwhile, even by another thread of the
// parent: wait4 passes over a zombie whose vfork parent still waits
// (m_vfork_waiter). Only SIGKILL (or the group's end) ends the wait early
// (as Linux's killable wait): the parent then dies on its way out and
// never looks at the child again; other signals wait until the child is
// done.
void Process::wait_for_exec() {
    Process* parent = current();
    SpinlockGuard guard(table_lock());
    Thread& self = *Scheduler::current();
    while (m_vfork_pending && !parent->kill_pending_locked(self)) {
        if (m_vfork_done.wait(table_lock()) == kite::WaitResult::Interrupted) {
            self.clear_interrupt(); // the signal stays pending
        }
    }
    m_vfork_waiter = false;
    if (m_parent) { // a wait4 that passed over this zombie looks again
        m_parent->m_child_event.wake_all();
    }
}

void Process::before_releasing_memory() {
    VERIFY(current() == this);
    Thread& self = *Scheduler::current();
    futex::release_robust_list(self);
    if (self.user.clear_child_tid != 0 && m_user_space &&
        (m_user_space->ref_count() > 1 || m_thread_count > 1)) {
        if (!write_user<u32>({self.user.clear_child_tid}, 0).is_error()) {
            (void)futex::wake(self.user.clear_child_tid, 1, futex::any_bitset, true);
        }
    }
    self.user.clear_child_tid = 0;
}

void Process::after_releasing_memory() {
    SpinlockGuard guard(table_lock());
    if (m_vfork_pending) {
        m_vfork_pending = false;
        m_vfork_done.wake_all();
    }
}

} // namespace kite
