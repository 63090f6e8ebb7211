// orphans.cpp: where a process's children go when their parent thread or
// their parent process ends, and the PR_SET_PDEATHSIG signals that tell
// them. As on Linux (kernel/exit.c, forget_original_parent): a child's
// parent is the thread that made it; when that thread ends while others
// of its process live, the child goes to one of those (and is told); when
// the whole process ends, the children go to the nearest ancestor that
// asked to be a subreaper (PR_SET_CHILD_SUBREAPER) and is not itself
// ending, or else to init (pid 1). Zombies among them are announced to
// the new parent with SIGCHLD, so that it reaps them.
#include "proc/process.h"

namespace kite {

void Process::send_parent_death_signals_locked() {
    VERIFY(table_lock().is_held());
    for (Thread* t = m_threads; t; t = t->user.next_in_process) {
        if (t->user.parent_death_signal != 0) {
            send_signal_locked(t->user.parent_death_signal);
        }
    }
}

void Process::hand_over_children_of_thread_locked(const Thread* ending) {
    VERIFY(table_lock().is_held());
    const Thread* heir = m_threads;
    while (heir == ending) {
        heir = heir->user.next_in_process;
    }
    if (!heir) {
        return; // the last thread: the process's end hands them over
    }
    for (Process* child = m_first_child; child; child = child->m_next_sibling) {
        if (child->m_parent_tid == ending->user.tid) {
            child->m_parent_tid = heir->user.tid;
            child->send_parent_death_signals_locked();
        }
    }
}

void Process::hand_over_children_locked() {
    VERIFY(table_lock().is_held());
    Process* reaper = nullptr;
    for (Process* p = m_parent; p && !reaper; p = p->m_parent) {
        if (p->child_subreaper && p->m_state == ProcessState::Running && !p->m_group_exiting &&
            p->m_thread_count > 0) {
            reaper = p;
        }
    }
    if (!reaper) {
        // Init (pid 1), or, without one, nobody: then they are freed as
        // soon as they exit.
        reaper = find(1);
        if (reaper == this || (reaper && reaper->m_state == ProcessState::Zombie)) {
            reaper = nullptr;
        }
    }
    while (Process* child = m_first_child) {
        m_first_child = child->m_next_sibling;
        child->m_parent = reaper;
        child->m_parent_tid = reaper && reaper->m_threads ? reaper->m_threads->user.tid : 0;
        child->m_exit_signal = signals::CHLD; // as Linux: the reaper uses a plain wait
        child->m_next_sibling = reaper ? reaper->m_first_child : nullptr;
        if (reaper) {
            reaper->m_first_child = child;
        }
        if (child->m_state == ProcessState::Zombie) {
            if (reaper) {
                child->tell_parent_of_exit_locked(); // SIGCHLD with its CLD_* siginfo
            } else {
                child->m_next_sibling = unwanted_zombies_head();
                unwanted_zombies_head() = child;
            }
        } else {
            child->send_parent_death_signals_locked();
        }
    }
    if (reaper) {
        reaper->m_child_event.wake_all();
    }
}

} // namespace kite
