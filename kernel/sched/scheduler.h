// scheduler.h: preemptive round-robin scheduling on every CPU.
//
// Runnable threads wait in FIFO run queues, one per CPU; a CPU with nothing
// of its own takes from the busiest other one (scheduler.cpp). The running thread gets a
// time slice of slice_ms; each CPU's timer tick counts it down and, when it
// is used up (or a woken thread is waiting while the idle thread runs), the
// interrupt return path switches to the next thread. A thread that blocks
// or yields gives up the rest of its slice. Each CPU has an idle thread
// that runs when nothing else can, and halts; a wakeup sends a reschedule
// IPI to a halted CPU.
//
// Rules: schedule() runs with the scheduler lock held and no other spinlock
// (sync/spinlock.h); a thread resumes with interrupts as they were when it
// switched away. Interrupt handlers never block; they wake.
#pragma once

#include "arch/x86_64/cpu_local.h"
#include "sched/thread.h"

namespace kite {

enum class WaitResult : u8 {
    Woken,
    TimedOut,    // the timeout (ns) passed first
    Interrupted, // a signal arrived for the waiting process
};

class Mutex;
class Spinlock;

class Scheduler {
  public:
    static constexpr u32 slice_ms = 10;

    // Makes the boot context a thread and creates the idle thread.
    static void init();
    // Makes an application processor's starting context its idle thread.
    static void init_this_cpu(u64 stack_top);

    [[nodiscard]] static Thread* current() { return cpu_local::current_thread(); }
    // Takes ownership of a newly created thread and queues it to run.
    static void adopt_new(Thread* thread);
    // Run by a thread when it first gets the CPU (see thread_entry): takes
    // over the scheduler lock from the switch and lets it go.
    static void start_new_thread();
    // Gives up the CPU; the caller stays runnable.
    static void yield();
    // Ends the current thread.
    [[noreturn]] static void exit_current();
    // The current user thread has begun to exit (Process::exit_thread): it
    // counts as exiting until its CPU has switched away from it for good
    // and freed it, which on another CPU may come after its parent has
    // reaped the process or a joiner has seen its tid cleared.
    static void note_exiting();
    // Waits (a few seconds at most) until no thread counts as exiting: for
    // exact memory figures (/proc/kite/memory, the user tests' leak check).
    static void wait_for_exiting_threads();
    // Sleeps for at least ns; signals do not end it.
    static void sleep_ns(u64 ns);
    // The same, but a signal for the thread's process ends it early.
    static WaitResult sleep_interruptible_ns(u64 ns);
    // A signal arrived for thread's process: if it is in an interruptible
    // wait, it wakes with WaitResult::Interrupted; if it is about to wait,
    // it will not.
    static void interrupt(Thread* thread);
    // sched_setaffinity: thread may run only on the CPUs in the mask (bit n
    // for CPU id n, at least one of them online); if it runs or waits to
    // run elsewhere, it moves.
    static void set_affinity(Thread* thread, u64 cpus);

    // From the timer interrupt: charges the tick to the running thread (as
    // user or system time) and ends slices and sleeps whose deadline passed.
    static void tick(bool in_user_mode);
    // From the end of an interrupt handler: switch if the slice is over.
    static void preempt_if_needed();

    struct Stats {
        u64 switches;
        u64 preemptions;
        u32 threads;
        // Filled in by stats() for /proc: ticks the idle thread ran, the
        // threads that can run now (the caller included) and those in an
        // uninterruptible wait.
        u64 idle_ticks;
        u64 user_ticks;   // ticks that interrupted user mode
        u64 system_ticks; // ticks that interrupted the kernel, not idle
        u32 runnable;
        u32 uninterruptible;
    };
    [[nodiscard]] static Stats stats();
    // One CPU's share of the ticks (id below cpu_local::online()).
    struct CpuTicks {
        u64 user;
        u64 system;
        u64 idle;
    };
    [[nodiscard]] static CpuTicks cpu_ticks(u32 id);

  private:
    friend class WaitQueue;
    static void schedule();
    static void finish_switch();
    [[nodiscard]] static u32 runnable_locked();
    static void reap();
    static WaitResult sleep_for(u64 ns, bool interruptible);
    static void make_runnable(Thread* thread);
    static void add_timer(Thread* thread);
    static void remove_timer(Thread* thread);
};

enum class Interruptible : bool { No, Yes };

// Threads waiting for something. A waiter holds the lock that guards its
// condition, checks it, and waits; wait() releases that lock and blocks as
// one step (no wakeup can come between them), and takes it again before it
// returns. Wakers change the condition under the same lock, then wake.
//
//   SpinlockGuard guard(lock);
//   while (!ready()) queue.wait(lock);
//
// A timeout (ns, 0: none) may be given; an interruptible wait also ends
// when a signal arrives for the thread.
class WaitQueue {
  public:
    WaitResult wait(Spinlock& held, u64 timeout_ns = 0,
                    Interruptible interruptible = Interruptible::Yes);
    WaitResult wait(Mutex& held, u64 timeout_ns = 0,
                    Interruptible interruptible = Interruptible::Yes);
    // Wakers hold the lock that guards the condition, and a waiter joins
    // the queue before it lets go of that lock: so a queue seen empty here
    // holds nobody who needs this wakeup, and the scheduler lock (and the
    // call) can be skipped.
    void wake_one() {
        if (m_waiters.front()) {
            wake_one_locking();
        }
    }
    void wake_all() {
        if (m_waiters.front()) {
            wake_all_locking();
        }
    }
    [[nodiscard]] bool is_empty() const;

  private:
    friend class Scheduler;
    void wake_one_locking();
    void wake_all_locking();
    // The caller's lock (a spinlock or a mutex, or neither) is let go once
    // the thread is on the queue, in every case.
    WaitResult block_locked(u64 timeout_ns, bool interruptible, Mutex* release,
                            Spinlock* release_spinlock = nullptr);
    ThreadQueue m_waiters;
};

} // namespace kite
