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
        if (request.clear_handlers && signal_actions[i].handler != signals::SIG_IGN) {
            child->signal_actions[i] = {};
        }
    }
    child->blocked_signals = blocked_signals;
    child->m_sid = m_sid;
    child->set_name(m_name);
    child->m_exit_signal = request.exit_signal;
    child->m_set_child_tid = request.set_child_tid;
    child->clear_child_tid = request.clear_child_tid;
    child->m_vfork_pending = request.wait_for_exec;

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
        child->m_pid = next_pid++;
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
// reaps it, and this process is here.
void Process::wait_for_exec() {
    VERIFY(current() == m_parent);
    SpinlockGuard guard(table_lock());
    // Not interruptible: the parent's memory is the child's until it
    // execs or exits (Linux lets a fatal signal end this wait; Kite does
    // not yet, but killing the child does).
    while (m_vfork_pending) {
        (void)m_vfork_done.wait(table_lock(), 0, Interruptible::No);
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
