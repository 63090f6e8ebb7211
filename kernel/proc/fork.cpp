// fork.cpp: Process::fork. Memory is not copied here: the child's user
// space shares every page copy-on-write (mm/user_space.h); descriptors,
// directory, signal dispositions and mask are copied.
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "proc/process.h"

extern "C" [[noreturn]] void return_to_user(kite::InterruptFrame* frame);

namespace kite {

namespace {

void start_forked_child(void* raw) {
    auto* process = static_cast<Process*>(raw);
    return_to_user(reinterpret_cast<InterruptFrame*>(process->thread()->kernel_stack_top() -
                                                     sizeof(InterruptFrame)));
}

} // namespace

ErrorOr<Process*> Process::fork(const InterruptFrame& frame) {
    free_unwanted_zombies();
    OwnPtr<Process> owner = TRY(try_make_process());
    Process* child = owner.ptr();
    child->m_user_space = TRY(m_user_space->fork());
    child->m_fds = m_fds;
    child->m_cwd = m_cwd;
    child->uid = uid;
    child->gid = gid;
    child->m_pgid = m_pgid;
    for (int i = 0; i <= signals::count; ++i) {
        child->signal_actions[i] = signal_actions[i];
    }
    child->blocked_signals = blocked_signals;
    child->m_sid = m_sid;
    child->set_name(m_name);

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
        child->m_thread->fs_base = cpu::rdmsr(cpu_local::msr_fs_base);
        child->m_thread->inherit_fpu_state();
        child->m_parent = this;
        child->m_next_sibling = m_first_child;
        m_first_child = child;
        child->m_next = all_processes_head();
        set_all_processes_head(child);
    }
    return owner.leak();
}

} // namespace kite
