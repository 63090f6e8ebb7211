// thread.h: a kernel thread: its own kernel stack (with a guard page), the
// saved stack pointer while it is not running, and its FPU state. A thread
// of a user process (a Process is a thread group) also carries that
// thread's own part of the process state (UserThreadState).
#pragma once

#include "arch/x86_64/fpu.h"
#include "debug/panic.h"
#include "lib/error.h"
#include "lib/own_ptr.h"
#include "mm/kernel_stack.h"
#include "proc/pending_signals.h"
#include "sync/held_locks.h"

namespace kite {

class Process;
class Thread;
class ThreadQueue;

enum class ThreadState : u8 { Runnable, Running, Blocked, Dead };

// What one thread of a process has of its own (proc/ reads and writes it;
// the scheduler never does). Signal fields change under the process table
// lock, or with interrupts off on the thread's own way to user mode.
struct UserThreadState {
    i32 tid = 0;               // gettid; the thread group's first thread has the pid
    u64 blocked_signals = 0;   // rt_sigprocmask
    u64 real_blocked = 0;      // rt_sigtimedwait: the mask while its set is let in
    PendingSignals pending;    // sent to this thread (tgkill, its faults, group exit)
    u64 saved_mask = 0;        // rt_sigsuspend: restored after delivery ...
    bool mask_saved = false;   // ... if this is set
    bool stop_pending = false; // a group stop this thread has yet to join
    // False only if this thread has no pending signal, nor does its
    // process, and neither flag above is set: the one test on the way
    // back to user mode. Whoever sets any of them sets this.
    bool signals_to_check = false;
    u64 set_child_tid = 0; // CLONE_CHILD_SETTID, done as the thread first runs
    // set_tid_address and CLONE_CHILD_CLEARTID: when the thread ends (or
    // the process lets go of memory it shares), 0 is stored here (a u32)
    // and one futex waiter on it woken, as pthread_join expects.
    u64 clear_child_tid = 0;
    u64 robust_list = 0; // set_robust_list: walked when the thread ends
    // sigaltstack (proc/altstack.h): none while altstack_size is 0.
    u64 altstack_sp = 0;
    u64 altstack_size = 0;
    i32 altstack_flags = 2; // SS_DISABLE, or what sigaltstack was given
    // PR_SET_PDEATHSIG: sent to this thread's process when the thread
    // that made the process ends (0: none); not inherited, kept by exec.
    int parent_death_signal = 0;
    Thread* next_in_process = nullptr;
};

class Thread {
  public:
    using Entry = void (*)(void* argument);
    static constexpr usize name_size = 32;

    // A new Runnable thread that will call entry(argument) with interrupts
    // enabled; when entry returns, the thread exits. Owned by the scheduler.
    // A thread of a user process keeps room at the top of its kernel stack
    // for the frame that takes it to user mode (InterruptFrame).
    [[nodiscard]] static ErrorOr<Thread*> create(const char* name, Entry entry, void* argument,
                                                 Process* process = nullptr);
    // As create, but the thread runs only once given to
    // Scheduler::adopt_new: for a caller that must first finish the
    // thread's frame and its process's bookkeeping (with several CPUs,
    // another one may run a queued thread at once, whatever locks the
    // caller holds).
    // A thread given up before it started is simply freed. Not to be made
    // under a spinlock: a kernel stack may need a TLB flush on every CPU.
    [[nodiscard]] static ErrorOr<OwnPtr<Thread>>
    create_unstarted(const char* name, Entry entry, void* argument, Process* process = nullptr);

    // Wraps the code that runs at boot (on the boot stack) as a thread.
    static Thread* adopt_boot_context(const char* name);
    // Wraps an application processor's starting code (on its own stack,
    // whose top is given; the stack's owner is smp_boot) as a thread: that
    // CPU's idle thread.
    [[nodiscard]] static ErrorOr<Thread*> adopt_cpu_context(const char* name, u64 stack_top);

    [[nodiscard]] u32 id() const { return m_id; }
    [[nodiscard]] const char* name() const { return m_name; }
    [[nodiscard]] ThreadState state() const { return m_state; }
    // Blocked in a wait no signal ends (Linux's D state, for /proc).
    [[nodiscard]] bool in_uninterruptible_wait() const {
        return m_state == ThreadState::Blocked && !m_interruptible;
    }
    [[nodiscard]] Process* process() const { return m_process; }
    void set_process(Process* process) { m_process = process; }
    // Top of the kernel stack: where the CPU lands on an interrupt or system
    // call from user mode while this thread runs.
    [[nodiscard]] u64 kernel_stack_top() const { return m_kernel_stack_top; }

    // The CPUs it may run on, bit n for CPU id n (sched_getaffinity); any
    // online ones unless sched_setaffinity narrowed it.
    // The CPU it runs on, or last ran on.
    [[nodiscard]] u32 cpu() const { return m_cpu; }
    [[nodiscard]] u64 affinity() const { return __atomic_load_n(&m_affinity, __ATOMIC_RELAXED); }

    // Forgets a signal's interruption once the signal has been dealt with.
    void clear_interrupt() { m_interrupt_pending = false; }
    // Whether a signal waits to end this thread's system call (Linux's
    // signal_pending), for long calls that stop early between steps.
    [[nodiscard]] bool interrupt_pending() const {
        return __atomic_load_n(&m_interrupt_pending, __ATOMIC_RELAXED);
    }

    // Takes the FPU/SSE state the CPU has now (fork: the child gets the
    // parent's).
    void inherit_fpu_state() { fpu::save(m_fpu); }
    // exec: the new program starts from the reset state, as a new thread
    // does (nothing of the old program's x87/SSE registers survives).
    // `running`: this thread owns the CPU's FPU registers now.
    void reset_fpu_state(bool running) {
        m_fpu = fpu::initial_state();
        if (running) {
            fpu::restore(m_fpu);
        }
    }

    // The user's FS base (arch_prctl ARCH_SET_FS: thread-local storage).
    u64 fs_base = 0;
    // Timer ticks this thread was running for, and how many of them
    // interrupted user mode (the rest is system time, as Linux counts it).
    u64 runtime_ticks = 0;
    u64 user_ticks = 0;
    // The mutexes this thread holds (sync/mutex.cpp checks their order).
    HeldMutexes held_mutexes;
    // A user process's thread: its tid, signal mask and pending signals.
    UserThreadState user;

    // Use create(); public only so that try_make can build one.
    Thread() = default;
    ~Thread() = default;
    Thread(const Thread&) = delete;
    Thread& operator=(const Thread&) = delete;

  private:
    friend class Scheduler;
    friend class WaitQueue;
    friend class ThreadQueue;
    void set_name(const char* name);

    u32 m_id = 0;
    char m_name[name_size] = {};
    ThreadState m_state = ThreadState::Runnable;
    u64 m_saved_rsp = 0;
    u64 m_kernel_stack_top = 0;
    OwnPtr<KernelStack> m_stack; // empty for the boot thread
    FpuState m_fpu;
    Process* m_process = nullptr;
    Thread* m_next = nullptr; // in the run queue or one wait queue
    u64 m_wake_at_ns = 0;     // when sleeping with a timeout; 0 if not
    // On the scheduler's timer list (sorted by m_wake_at_ns) while waiting
    // with a deadline.
    Thread* m_timer_next = nullptr;
    Thread* m_timer_previous = nullptr;
    bool m_on_timer_list = false;
    bool m_timed_out = false;
    bool m_interrupt_pending = false; // a signal ends (or forestalls) its wait
    bool m_interruptible = false;     // the current wait ends for a signal
    // Some CPU's current thread, from its switch in to its switch out: a
    // thread woken before it has left its CPU must not be queued (another
    // CPU would run it twice).
    bool m_on_cpu = false;
    u32 m_cpu = 0;          // the CPU id it runs, or last ran, on
    bool m_exiting = false; // counted by Scheduler::note_exiting
    // The CPUs it may run on (sched_setaffinity), bit n for CPU id n.
    u64 m_affinity = ~u64{0};
    ThreadQueue* m_waiting_on = nullptr;
    u32 m_slice_ticks = 0;
};

// A FIFO of threads linked through Thread::m_next. A thread is in at most
// one queue at a time.
class ThreadQueue {
  public:
    // Inline: every switch, block and wakeup does one of each.
    void push_back(Thread* thread) {
        VERIFY(thread->m_next == nullptr && thread != m_tail);
        if (m_tail) {
            m_tail->m_next = thread;
        } else {
            m_head = thread;
        }
        m_tail = thread;
        ++m_length;
    }
    Thread* pop_front() {
        Thread* thread = m_head;
        if (thread) {
            m_head = thread->m_next;
            if (!m_head) {
                m_tail = nullptr;
            }
            thread->m_next = nullptr;
            --m_length;
        }
        return thread;
    }
    bool remove(Thread* thread);
    [[nodiscard]] bool is_empty() const { return m_head == nullptr; }
    [[nodiscard]] Thread* front() const { return m_head; }
    // The first thread, front first, for which match(thread) holds; null if none.
    template <typename Match>
    [[nodiscard]] Thread* find(Match match) const {
        for (Thread* t = m_head; t; t = t->m_next) {
            if (match(t)) {
                return t;
            }
        }
        return nullptr;
    }
    [[nodiscard]] usize length() const { return m_length; }

  private:
    Thread* m_head = nullptr;
    Thread* m_tail = nullptr;
    usize m_length = 0;
};

} // namespace kite
