// scheduler_tests.cpp: threads, preemption, sleeping and wait queues.
#include "mm/kmalloc.h"
#include "mm/physical.h"
#include "sched/scheduler.h"
#include "sync/mutex.h"
#include "tests/ktest.h"
#include "time/clock.h"

namespace kite {

namespace {

Spinlock test_lock{"scheduler test", LockRank::ProcessTable};

struct Spinner {
    volatile u64 count = 0;
    volatile bool stop = false;
    volatile bool done = false;
    WaitQueue finished;
};

// Never yields, never blocks: only preemption lets anyone else run.
void spin(void* argument) {
    auto* s = static_cast<Spinner*>(argument);
    while (!s->stop) {
        s->count = s->count + 1;
    }
    SpinlockGuard guard(test_lock);
    s->done = true;
    s->finished.wake_all();
}

void join(Spinner& s) {
    SpinlockGuard guard(test_lock);
    while (!s.done) {
        (void)s.finished.wait(test_lock, 0, Interruptible::No);
    }
}

} // namespace

KTEST(cpu_bound_threads_both_make_progress) {
    heap_release_cached();
    const u64 free_before = physical::stats().free_frames;
    const u32 threads_before = Scheduler::stats().threads;
    static Spinner a, b;
    Spinner* const both[] = {&a, &b};
    for (Spinner* s : both) {
        s->count = 0;
        s->stop = false;
        s->done = false;
    }
    KEXPECT(!Thread::create("spin-a", spin, &a).is_error());
    KEXPECT(!Thread::create("spin-b", spin, &b).is_error());
    // Counted in preemptions, not in time: a busy emulator host can stop
    // the guest for a while, and the timer interrupts with it.
    auto wait_for_preemptions = [](u64 count) {
        const u64 target = Scheduler::stats().preemptions + count;
        for (int i = 0; i < 1000 && Scheduler::stats().preemptions < target; ++i) {
            Scheduler::sleep_ns(10'000'000);
        }
        return Scheduler::stats().preemptions >= target;
    };
    KEXPECT(wait_for_preemptions(10));
    const u64 seen_a = a.count;
    const u64 seen_b = b.count;
    KEXPECT(wait_for_preemptions(5));
    KEXPECT(seen_a > 0 && seen_b > 0);
    KEXPECT(a.count > seen_a && b.count > seen_b); // still both running
    a.stop = true;
    b.stop = true;
    join(a);
    join(b);
    Scheduler::yield(); // let the last exit be reaped
    Scheduler::yield();
    KEXPECT_EQ(Scheduler::stats().threads, threads_before);
    heap_release_cached();
    KEXPECT_EQ(physical::stats().free_frames, free_before);
}

// Only the lower bound is checked: under emulation a busy host can stop
// the guest for any time, and then deliver the missed timer interrupts late
// and in a burst, so neither TSC time nor ticks bound a sleep from above.
KTEST(sleep_lasts_at_least_as_asked) {
    const u64 start = clock::monotonic_ns();
    Scheduler::sleep_ns(20'000'000);
    KEXPECT(clock::monotonic_ns() - start >= 20'000'000);
}

KTEST(wait_queue_wakes_and_times_out) {
    static WaitQueue queue;
    static volatile bool flag;
    flag = false;
    KEXPECT(!Thread::create(
                 "waker",
                 [](void*) {
                     Scheduler::sleep_ns(5'000'000);
                     SpinlockGuard guard(test_lock);
                     flag = true;
                     queue.wake_all();
                 },
                 nullptr)
                 .is_error());
    {
        SpinlockGuard guard(test_lock);
        // The timeout only catches a wakeup that never comes: a busy host
        // can hold the guest back for seconds.
        while (!flag) {
            KEXPECT(queue.wait(test_lock, 30'000'000'000) == WaitResult::Woken);
        }
    }
    SpinlockGuard guard(test_lock);
    const u64 start = clock::monotonic_ns();
    KEXPECT(queue.wait(test_lock, 10'000'000) == WaitResult::TimedOut); // nobody wakes
    KEXPECT(clock::monotonic_ns() - start >= 10'000'000);
}

} // namespace kite
