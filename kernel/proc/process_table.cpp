// process_table.cpp: the process table: the list of every process and the
// lock that guards it (see Process::table_lock), lookups by pid, zombies
// that nobody will wait for, CPU times, names.
#include "debug/panic.h"
#include "proc/process.h"
#include "time/clock.h"

namespace kite {

i32 next_pid = 1;

namespace {

Spinlock process_table_lock{"process table", LockRank::ProcessTable};
Process* all_processes = nullptr; // guarded by process_table_lock

// Zombies nobody will wait for (their parent was the kernel, which did
// not ask): freed by the next thread that creates or reaps a process, since
// a process cannot free itself while its thread still runs.
Process* unwanted_zombies = nullptr;

} // namespace

void Process::set_name(StringView name) {
    const usize n = min(name.length(), name_size - 1);
    __builtin_memcpy(m_name, name.data(), n);
    m_name[n] = '\0';
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

ErrorOr<OwnPtr<Process>> Process::try_make_process() {
    auto* process = new Process();
    if (!process) {
        return Error(Errno::NOMEM, "out of memory");
    }
    process->start_ticks = clock::ticks();
    return OwnPtr<Process>::adopt(process);
}

Process*& Process::unwanted_zombies_head() {
    VERIFY(process_table_lock.is_held());
    return unwanted_zombies;
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

Process::CpuTimes Process::cpu_times() const {
    SpinlockGuard guard(process_table_lock);
    return cpu_times_locked();
}

Process::CpuTimes Process::cpu_times_locked() const {
    // Under the table lock (interrupts off) from the look at the state to
    // the last read: the process cannot exit (and its thread go) in
    // between, and both counts come from the same tick (one CPU).
    VERIFY(process_table_lock.is_held());
    if (m_state == ProcessState::Zombie) {
        return m_exit_times;
    }
    CpuTimes times = m_ended_threads_times;
    for (const Thread* t = m_threads; t; t = t->user.next_in_process) {
        times.user_ticks += t->user_ticks;
        times.system_ticks += t->runtime_ticks - t->user_ticks;
    }
    return times;
}

Thread* Process::find_thread(i32 tid) {
    VERIFY(process_table_lock.is_held());
    for (Process* p = all_processes; p; p = p->m_next) {
        for (Thread* t = p->m_threads; t; t = t->user.next_in_process) {
            if (t->user.tid == tid) {
                return t;
            }
        }
    }
    return nullptr;
}

} // namespace kite
