// exit_wait.cpp: the end of threads and processes and the parent's wait:
// exit (one thread), exit_group (all of them), the last thread's end
// (orphans to init, the zombie, the parent told), exec's end of the other
// threads, wait4/waitid's search of the children, and the kernel's own
// wait for the processes it started.
#include "api/constants.h"
#include "arch/x86_64/cpu.h"
#include "ipc/sem.h"
#include "proc/futex.h"
#include "proc/process.h"

namespace kite {

void Process::kill_other_threads_locked(Thread* except) {
    VERIFY(table_lock().is_held());
    for (Thread* t = m_threads; t; t = t->user.next_in_process) {
        if (t != except) {
            (void)t->user.pending.add(signals::KILL, kernel_signal_info(signals::KILL), unlimited);
            t->user.signals_to_check = true;
            Scheduler::interrupt(t);
        }
    }
    if (m_stopped) { // stopped threads must run to die
        m_stopped = false;
        m_stop_complete = false;
        m_continued.wake_all();
    }
}

void Process::exit(int wait_status) {
    VERIFY(current() == this);
    {
        SpinlockGuard guard(table_lock());
        // The first to end the group decides its status and kills the
        // rest; they come back here on their way out and just end.
        if (!m_group_exiting) {
            m_group_exiting = true;
            m_group_exit_status = wait_status;
            kill_other_threads_locked(Scheduler::current());
        }
    }
    exit_thread(wait_status);
}

void Process::exit_thread(int wait_status) {
    VERIFY(current() == this);
    Thread& self = *Scheduler::current();
    Scheduler::note_exiting();
    bool last;
    {
        SpinlockGuard guard(table_lock());
        last = m_thread_count == 1;
    }
    if (!last) {
        // What the thread itself owns in user memory, while the others
        // still use it: its robust futexes and its tid word.
        before_releasing_memory();
        cpu::disable_interrupts();
        table_lock().acquire();
        if (m_thread_count > 1) {
            end_thread_locked(&self);
        }
        // The others ended meanwhile: this is the last thread after all.
        table_lock().release();
        cpu::enable_interrupts();
    }
    finish_exit(wait_status);
}

void Process::end_thread_locked(Thread* thread) {
    VERIFY(table_lock().is_held() && thread == Scheduler::current());
    Thread** link = &m_threads;
    while (*link != thread) {
        link = &(*link)->user.next_in_process;
    }
    hand_over_children_of_thread_locked(thread); // orphans.cpp
    *link = thread->user.next_in_process;
    --m_thread_count;
    thread->user.pending.clear(~u64{0});
    // Interrupts stay off until the thread is dead: no tick lands between.
    m_ended_threads_times.user_ticks += thread->user_ticks;
    m_ended_threads_times.system_ticks += thread->runtime_ticks - thread->user_ticks;
    m_thread_ended.wake_all();
    retarget_pending_locked();   // it may have been the one told of them
    note_stop_progress_locked(); // a stop may have waited only for it
    table_lock().release();
    Scheduler::exit_current();
}

bool Process::become_single_threaded() {
    Thread& self = *Scheduler::current();
    SpinlockGuard guard(table_lock());
    if (m_group_exiting) {
        return false; // killed by an exit_group or another thread's exec
    }
    if (m_thread_count > 1) {
        // The group counts as exiting meanwhile: no thread can start, and
        // the dying ones do not take it over (see exit).
        m_group_exiting = true;
        kill_other_threads_locked(&self);
        while (m_thread_count > 1) {
            (void)m_thread_ended.wait(table_lock(), 0, Interruptible::No);
        }
        m_group_exiting = false;
    }
    // As on Linux, the exec'ing thread becomes the leader; the children
    // it made stay its own.
    for (Process* child = m_first_child; child; child = child->m_next_sibling) {
        if (child->m_parent_tid == self.user.tid) {
            child->m_parent_tid = m_pid;
        }
    }
    self.user.tid = m_pid;
    return true;
}

void Process::finish_exit(int wait_status) {
    {
        SpinlockGuard guard(table_lock());
        VERIFY(m_thread_count == 1);
        if (m_group_exiting) {
            wait_status = m_group_exit_status;
        }
    }
    before_releasing_memory();
    ipc::sem::apply_undo_at_exit(m_pid); // SEM_UNDO: before the parent can see the exit
    m_fds.close_all();
    set_cwd({}); // under the table lock: /proc/PID/cwd reads it there
    // Detach the user memory before tearing it down: if this thread is
    // preempted meanwhile, the scheduler must not load it again.
    RefPtr<UserSpace> space;
    {
        SpinlockGuard guard(table_lock());
        space = move(m_user_space);
        AddressSpace::kernel().activate();
    }
    space.clear();
    after_releasing_memory();
    {
        cpu::disable_interrupts();
        table_lock().acquire();
        hand_over_children_locked(); // orphans.cpp
        m_wait_status = wait_status;
        timers.clear();
        m_exit_times = cpu_times_locked(); // interrupts stay off: no tick lands after this
        Scheduler::current()->user.pending.clear(~u64{0});
        m_pending.clear(~u64{0});
        m_threads = nullptr;
        m_thread_count = 0;
        m_state = ProcessState::Zombie;
        m_exited.wake_all();
        if (m_parent) {
            tell_parent_of_exit_locked();
        } else if (!m_kernel_waits) {
            m_next_sibling = unwanted_zombies_head();
            unwanted_zombies_head() = this;
        }
        // Still with interrupts off: once this is a zombie, a waiter may
        // free the Process, so this thread must not run again before it is
        // dead (its kernel stack would also outlive a waiter's frame count).
        // Releasing the lock leaves interrupts off, so nothing runs between.
        table_lock().release();
        Scheduler::exit_current();
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

ErrorOr<Process::WaitResult> Process::wait_for_child(i32 selector, const WaitOptions& options) {
    free_unwanted_zombies();
    SpinlockGuard guard(table_lock());
    // A signal ends the wait only if, looking again, no child is ready: a
    // child's exit wakes the wait and signals the parent at once (SIGCHLD,
    // or a clone's own exit signal), and Linux reports the child.
    bool interrupted = false;
    for (;;) {
        bool any = false;
        for (Process* child = m_first_child; child; child = child->m_next_sibling) {
            if (!child->matches(selector, *this)) {
                continue;
            }
            if (!options.all_children &&
                (child->m_exit_signal != signals::CHLD) != options.clone_children) {
                continue;
            }
            any = true;
            if (child->m_state == ProcessState::Zombie) {
                if (!options.exited || child->m_vfork_waiter) {
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
            if (options.stopped && child->m_stopped && child->m_stop_complete &&
                !child->m_stop_reported) {
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
        if (interrupted) {
            return Error(Errno::RESTARTSYS, "interrupted by a signal");
        }
        interrupted = m_child_event.wait(table_lock()) == kite::WaitResult::Interrupted;
    }
}

int Process::wait_and_reap(Process* process) {
    free_unwanted_zombies();
    SpinlockGuard guard(table_lock());
    while (process->m_state != ProcessState::Zombie) {
        (void)process->m_exited.wait(table_lock(), 0, Interruptible::No);
    }
    const int status = process->m_wait_status;
    process->unlink_and_free();
    return status;
}

} // namespace kite
