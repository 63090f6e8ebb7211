// fork.cpp: Process::clone, which fork, vfork and clone come down to. The
// child's memory is the parent's user space itself (CLONE_VM) or a
// copy-on-write copy of it (mm/user_space.h); descriptors, directory,
// signal dispositions and mask are copied.
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "mm/user_memory.h"
#include "proc/process.h"

extern "C" [[noreturn]] void return_to_user(kite::InterruptFrame* frame);

namespace kite {

namespace {

void start_forked_child(void* raw) {
    auto* process = static_cast<Process*>(raw);
    process->store_child_tid();
    return_to_user(reinterpret_cast<InterruptFrame*>(process->thread()->kernel_stack_top() -
                                                     sizeof(InterruptFrame)));
}

} // namespace

// CLONE_CHILD_SETTID, in the child's own memory as it first runs (where
// Linux does it too); a bad address is no error, as on Linux.
void Process::store_child_tid() {
    if (m_set_child_tid != 0) {
        (void)write_user<i32>({m_set_child_tid}, m_pid);
        m_set_child_tid = 0;
    }
}

ErrorOr<Process*> Process::clone(const InterruptFrame& frame, const CloneRequest& request) {
    free_unwanted_zombies();
    OwnPtr<Process> owner = TRY(try_make_process());
    Process* child = owner.ptr();
    if (request.share_memory) {
        child->m_user_space = m_user_space;
    } else {
        child->m_user_space = TRY(m_user_space->fork());
    }
    child->m_fds = m_fds;
    child->m_cwd = m_cwd;
    child->uid = uid;
    child->gid = gid;
    child->nice = nice;
    child->m_pgid = m_pgid;
    for (int i = 0; i <= signals::count; ++i) {
        child->signal_actions[i] = signal_actions[i];
        if (request.clear_handlers) { // ignored stays ignored, with no flags or mask
            const bool ignored = signal_actions[i].handler == signals::SIG_IGN;
            child->signal_actions[i] = {};
            child->signal_actions[i].handler = ignored ? signals::SIG_IGN : signals::SIG_DFL;
        }
    }
    child->blocked_signals = blocked_signals;
    child->m_sid = m_sid;
    child->set_name(m_name);
    child->m_exit_signal = request.exit_signal;
    child->m_set_child_tid = request.set_child_tid;
    child->clear_child_tid = request.clear_child_tid;
    child->m_vfork_pending = request.wait_for_exec;
    {
        SpinlockGuard guard(table_lock());
        child->m_pid = next_pid++;
    }
    // CLONE_PARENT_SETTID before the child can run (it may share this
    // memory), after the copy (a copy-on-write child does not see it), as
    // Linux does. A bad address is no error.
    if (request.parent_tid != 0) {
        (void)write_user<i32>({request.parent_tid}, child->m_pid);
    }

    // Under the table lock (interrupts off), the child cannot run before
    // its frame is in place, and appears in the table whole. A failure
    // frees the child after the lock is let go (closing its descriptors may
    // sleep).
    {
        SpinlockGuard guard(table_lock());
        auto thread = Thread::create(m_name, start_forked_child, child, child);
        if (thread.is_error()) {
            return thread.release_error();
        }
        child->m_thread = thread.value();
        auto* child_frame = reinterpret_cast<InterruptFrame*>(child->m_thread->kernel_stack_top() -
                                                              sizeof(InterruptFrame));
        *child_frame = frame;
        child_frame->rax = 0; // fork returns 0 in the child
        if (request.stack != 0) {
            child_frame->rsp = request.stack;
        }
        child->m_thread->fs_base =
            request.set_tls ? request.tls : cpu::rdmsr(cpu_local::msr_fs_base);
        child->m_thread->inherit_fpu_state();
        child->m_parent = this;
        child->m_next_sibling = m_first_child;
        m_first_child = child;
        child->m_next = all_processes_head();
        set_all_processes_head(child);
    }
    return owner.leak();
}

// The child cannot be reaped meanwhile: only this process, its parent,
// reaps it, and this process is here. Only SIGKILL ends the wait early (as
// Linux's killable wait): the parent then dies on its way out and never
// looks at the child again; other signals wait until the child is done.
void Process::wait_for_exec() {
    Process* parent = current();
    VERIFY(parent == m_parent);
    SpinlockGuard guard(table_lock());
    while (m_vfork_pending && !(parent->m_pending_signals & signals::bit(signals::KILL))) {
        if (m_vfork_done.wait(table_lock()) == kite::WaitResult::Interrupted) {
            parent->m_thread->clear_interrupt(); // the signal stays pending
        }
    }
}

void Process::before_releasing_memory() {
    VERIFY(current() == this);
    if (clear_child_tid != 0 && m_user_space && m_user_space->ref_count() > 1) {
        (void)write_user<u32>({clear_child_tid}, 0);
    }
    clear_child_tid = 0;
}

void Process::after_releasing_memory() {
    SpinlockGuard guard(table_lock());
    if (m_vfork_pending) {
        m_vfork_pending = false;
        m_vfork_done.wake_all();
    }
}

} // namespace kite
