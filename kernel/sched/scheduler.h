// scheduler.h: preemptive round-robin scheduling on one CPU.
//
// Runnable threads wait in one FIFO run queue. The running thread gets a
// time slice of slice_ms; the timer tick counts it down and, when it is
// used up (or a woken thread is waiting while the idle thread runs), the
// interrupt return path switches to the next thread. A thread that blocks
// or yields gives up the rest of its slice. The idle thread runs when
// nothing else can, and halts.
//
// Rules: schedule() is entered with interrupts off; a thread resumes with
// interrupts as they were when it switched away. Interrupt handlers never
// block; they wake.
#pragma once

#include "sched/thread.h"

namespace kite {

enum class WaitResult : u8 {
    Woken,
    TimedOut,    // the timeout (ns) passed first
    Interrupted, // a signal arrived for the waiting process
};

class Scheduler {
  public:
    static constexpr u32 slice_ms = 10;

    // Makes the boot context a thread and creates the idle thread.
    static void init();

    [[nodiscard]] static Thread* current();
    // Takes ownership of a newly created thread and queues it to run.
    static void adopt_new(Thread* thread);
    // Run by a thread when it first gets the CPU (see thread_entry).
    static void finish_switch();
    // Gives up the CPU; the caller stays runnable.
    static void yield();
    // Switches away from the current thread, which has already been put
    // where it belongs (a wait queue, or Dead). Interrupts must be off.
    static void block();
    // Ends the current thread.
    [[noreturn]] static void exit_current();
    // Sleeps for at least ns.
    static void sleep_ns(u64 ns);
    // The same, but a signal for the thread's process ends it early.
    static WaitResult sleep_interruptible_ns(u64 ns);
    // A signal arrived for thread's process: if it is waiting, it wakes
    // with WaitResult::Interrupted; if it is about to wait, it will not.
    static void interrupt(Thread* thread);

    // From the timer interrupt: charges the tick to the running thread (as
    // user or system time) and ends slices and sleeps.
    static void tick(bool in_user_mode);
    // From the end of an interrupt handler: switch if the slice is over.
    static void preempt_if_needed();

    struct Stats {
        u64 switches;
        u64 preemptions;
        u32 threads;
    };
    [[nodiscard]] static Stats stats();

  private:
    static void schedule();
    static void reap();
};

// Threads waiting for something. wait() blocks until wake_one/wake_all (or
// the timeout); callers check their condition again after waking, with
// interrupts off around the check and the wait:
//
//   InterruptGuard guard;
//   while (!ready()) queue.wait();
class WaitQueue {
  public:
    // Interrupts must be off.
    WaitResult wait(u64 timeout_ns = 0);
    void wake_one();
    void wake_all();
    [[nodiscard]] bool is_empty() const { return m_waiters.is_empty(); }

  private:
    ThreadQueue m_waiters;
};

} // namespace kite
