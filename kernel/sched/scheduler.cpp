// scheduler.cpp: see scheduler.h.
//
// The scheduler lock guards everything here: the run queue, every wait
// queue, the timer list, and each thread's state and wait fields.
// Invariants: `running` is the thread on the CPU and is in no queue; every
// Runnable thread other than it is in run_queue; a Blocked thread is in at
// most one wait queue and, when its wait has a deadline, on the timer list,
// which is sorted by deadline. A switch happens with the scheduler lock held
// and no other spinlock; the thread switched to releases it.
#include "sched/scheduler.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/page_table.h"
#include "debug/panic.h"
#include "proc/process.h"
#include "sched/load_average.h"
#include "sync/mutex.h"
#include "time/clock.h"

extern "C" void switch_context(kite::u64* save_rsp, kite::u64 load_rsp);

namespace kite {

namespace {

Spinlock scheduler_lock{"scheduler", LockRank::Scheduler};
Thread* running = nullptr;
Thread* idle = nullptr;
ThreadQueue run_queue;
bool need_resched = false;
Thread* to_reap = nullptr; // a Dead thread whose stack we just left
Thread* timers = nullptr;  // threads waiting with a deadline, earliest first

Scheduler::Stats counters;
u32 uninterruptible = 0;  // threads blocked in a wait no signal ends
u64 next_load_sample = 0; // the tick at which the load is sampled next

void idle_loop(void*) {
    for (;;) {
        asm volatile("sti; hlt" : : : "memory");
    }
}

void activate_user_space(UserSpace& space) {
    if ((cpu::read_cr3() & PageTableEntry::address_mask) != space.page_table_root().value()) {
        space.activate();
    }
}

} // namespace

// The timer list: doubly linked through the thread, so that a thread
// leaves it in constant time and the tick looks at its head only. There is
// no limit on how many threads wait with a deadline.
void Scheduler::add_timer(Thread* thread) {
    Thread** link = &timers;
    Thread* previous = nullptr;
    while (*link && (*link)->m_wake_at_ns <= thread->m_wake_at_ns) {
        previous = *link;
        link = &(*link)->m_timer_next;
    }
    thread->m_timer_next = *link;
    thread->m_timer_previous = previous;
    if (*link) {
        (*link)->m_timer_previous = thread;
    }
    *link = thread;
    thread->m_on_timer_list = true;
}

void Scheduler::remove_timer(Thread* thread) {
    if (!thread->m_on_timer_list) {
        return;
    }
    (thread->m_timer_previous ? thread->m_timer_previous->m_timer_next : timers) =
        thread->m_timer_next;
    if (thread->m_timer_next) {
        thread->m_timer_next->m_timer_previous = thread->m_timer_previous;
    }
    thread->m_timer_next = thread->m_timer_previous = nullptr;
    thread->m_on_timer_list = false;
}

// Makes a Blocked thread Runnable. The scheduler lock is held.
void Scheduler::make_runnable(Thread* thread) {
    if (thread->m_waiting_on) {
        thread->m_waiting_on->remove(thread);
        thread->m_waiting_on = nullptr;
    }
    remove_timer(thread);
    thread->m_state = ThreadState::Runnable;
    run_queue.push_back(thread);
    need_resched = need_resched || running == idle;
}

// Frees a thread that died, once we run on another stack and hold no lock.
void Scheduler::reap() {
    // Only this CPU's switches set it, so a look without the lock is
    // enough to skip the common case.
    if (!__atomic_load_n(&to_reap, __ATOMIC_RELAXED)) {
        return;
    }
    Thread* dead;
    {
        SpinlockGuard guard(scheduler_lock);
        dead = to_reap;
        to_reap = nullptr;
        if (dead) {
            --counters.threads;
        }
    }
    delete dead;
}

void Scheduler::finish_switch() {
    fpu::restore(running->m_fpu);
}

void Scheduler::init() {
    running = Thread::adopt_boot_context("main");
    cpu_local::get().current = running;
    counters.threads = 1;
    auto created = Thread::create("idle", idle_loop, nullptr);
    if (created.is_error()) {
        panic("cannot create the idle thread: {}", created.error().what());
    }
    // The idle thread never waits in the run queue: schedule() falls back to it.
    idle = created.value();
    SpinlockGuard guard(scheduler_lock);
    run_queue.remove(idle);
}

void Scheduler::adopt_new(Thread* thread) {
    SpinlockGuard guard(scheduler_lock);
    ++counters.threads;
    thread->m_state = ThreadState::Runnable;
    run_queue.push_back(thread);
    if (running == idle) {
        need_resched = true;
    }
}

void Scheduler::schedule() {
    VERIFY(scheduler_lock.is_held());
    if (innermost_spinlock() != &scheduler_lock || scheduler_lock.taken_after()) [[unlikely]] {
        // Some other lock would stay taken while another thread runs.
        const Spinlock* other = innermost_spinlock() != &scheduler_lock
                                    ? innermost_spinlock()
                                    : scheduler_lock.taken_after();
        panic("switching threads while holding spinlock '{}'", other->name());
    }
    Thread* previous = running;
    if (previous->m_state == ThreadState::Running) {
        previous->m_state = ThreadState::Runnable;
        if (previous != idle) {
            run_queue.push_back(previous);
        }
    }
    Thread* next = run_queue.pop_front();
    if (!next) {
        next = idle;
    }
    need_resched = false;
    next->m_state = ThreadState::Running;
    next->m_slice_ticks = slice_ms * clock::tick_hz / 1000;
    if (next == previous) {
        return;
    }
    ++counters.switches;
    if (previous->m_state == ThreadState::Dead) {
        VERIFY(to_reap == nullptr);
        to_reap = previous;
    }
    fpu::save(previous->m_fpu);
    if (previous->process()) {
        previous->fs_base = cpu::rdmsr(cpu_local::msr_fs_base);
    }
    running = next;
    cpu_local::get().current = next;
    cpu_local::set_kernel_stack(next->m_kernel_stack_top);
    if (UserSpace* space = next->process() ? next->process()->user_space() : nullptr) {
        // Kernel threads run on whatever address space is loaded (the
        // kernel half is the same in all); a process needs its own.
        activate_user_space(*space);
        cpu::wrmsr(cpu_local::msr_fs_base, next->fs_base);
    }
    switch_context(&previous->m_saved_rsp, next->m_saved_rsp);
    // Back on `previous`, which someone scheduled again; the lock came
    // with the switch.
    finish_switch();
}

void Scheduler::yield() {
    {
        SpinlockGuard guard(scheduler_lock);
        schedule();
    }
    reap();
}

void Scheduler::exit_current() {
    cpu::disable_interrupts();
    scheduler_lock.acquire();
    VERIFY(running != idle && running->m_stack);
    running->m_state = ThreadState::Dead;
    schedule();
    panic("a dead thread was scheduled");
}

// A new thread's first code, with the scheduler lock from the switch.
void Scheduler::start_new_thread() {
    finish_switch();
    scheduler_lock.release();
    cpu::enable_interrupts();
    reap();
}

void Scheduler::sleep_ns(u64 ns) {
    (void)sleep_for(ns, false);
}

WaitResult Scheduler::sleep_interruptible_ns(u64 ns) {
    return sleep_for(ns, true);
}

WaitResult Scheduler::sleep_for(u64 ns, bool interruptible) {
    WaitQueue nobody_wakes;
    WaitResult result;
    {
        SpinlockGuard guard(scheduler_lock);
        result = nobody_wakes.block_locked(ns == 0 ? 1 : ns, interruptible, nullptr);
    }
    reap();
    return result;
}

void Scheduler::tick(bool in_user_mode) {
    SpinlockGuard guard(scheduler_lock);
    ++running->runtime_ticks;
    if (in_user_mode) {
        ++running->user_ticks;
        ++counters.user_ticks;
    } else if (running != idle) {
        ++counters.system_ticks;
    }
    if (timers) {
        const u64 now = clock::monotonic_ns();
        while (timers && timers->m_wake_at_ns <= now) {
            Thread* thread = timers;
            thread->m_timed_out = true;
            make_runnable(thread);
        }
    }
    if (clock::ticks() >= next_load_sample) {
        // Linux samples every 5 s and a tick, so as not to beat with
        // work that runs every 5 s.
        next_load_sample = clock::ticks() + load_average::sample_seconds * clock::tick_hz + 1;
        load_average::sample(runnable_locked() + uninterruptible);
    }
    if (running == idle) {
        need_resched = need_resched || !run_queue.is_empty();
    } else if (running->m_slice_ticks > 0 && --running->m_slice_ticks == 0) {
        need_resched = true;
    }
}

void Scheduler::preempt_if_needed() {
    if (need_resched && running) {
        {
            SpinlockGuard guard(scheduler_lock);
            ++counters.preemptions;
            schedule();
        }
        reap();
    }
}

// The running thread and those queued (the idle thread never queues).
u32 Scheduler::runnable_locked() {
    return static_cast<u32>(run_queue.length()) + (running && running != idle ? 1 : 0);
}

Scheduler::Stats Scheduler::stats() {
    SpinlockGuard guard(scheduler_lock);
    Stats stats = counters;
    stats.idle_ticks = idle ? idle->runtime_ticks : 0;
    stats.runnable = runnable_locked();
    stats.uninterruptible = uninterruptible;
    return stats;
}

void Scheduler::interrupt(Thread* thread) {
    SpinlockGuard guard(scheduler_lock);
    thread->m_interrupt_pending = true;
    if (thread->m_state == ThreadState::Blocked && thread->m_waiting_on &&
        thread->m_interruptible) {
        make_runnable(thread);
    }
}

// Blocks the running thread on this queue; the scheduler lock is held and
// stays held across the wait. An interruptible wait does not start, or ends,
// when a signal comes (Scheduler::interrupt). A mutex to release is let go
// only once the thread is on the queue, so that a waker holding it cannot
// miss the thread.
WaitResult WaitQueue::block_locked(u64 timeout_ns, bool interruptible, Mutex* release) {
    VERIFY(scheduler_lock.is_held());
    Thread* self = running;
    if (interruptible && self->m_interrupt_pending) {
        self->m_interrupt_pending = false;
        return WaitResult::Interrupted;
    }
    self->m_state = ThreadState::Blocked;
    self->m_timed_out = false;
    self->m_interruptible = interruptible;
    m_waiters.push_back(self);
    self->m_waiting_on = &m_waiters;
    if (timeout_ns > 0) {
        const u64 now = clock::monotonic_ns();
        self->m_wake_at_ns = timeout_ns > ~u64{0} - now ? ~u64{0} : now + timeout_ns;
        Scheduler::add_timer(self);
    }
    if (release && !release->unlock_if_uncontended()) {
        // Someone waits for the mutex: its unlock wakes them, which takes
        // the scheduler lock. Interrupts stay off meanwhile.
        scheduler_lock.release();
        release->unlock();
        scheduler_lock.acquire();
    }
    if (self->m_state == ThreadState::Blocked) {
        // As Linux's load leaves out kernel threads' idle waits (TASK_IDLE),
        // only user threads' uninterruptible waits count.
        const u32 counted = !interruptible && self->process() ? 1 : 0;
        uninterruptible += counted;
        Scheduler::schedule();
        uninterruptible -= counted;
    } else { // woken while letting go of the mutex (another CPU)
        run_queue.remove(self);
        self->m_state = ThreadState::Running;
    }
    // Whoever woke us took us off the queue and the timer list.
    self->m_wake_at_ns = 0;
    self->m_interruptible = false;
    if (interruptible && self->m_interrupt_pending) {
        self->m_interrupt_pending = false;
        return WaitResult::Interrupted;
    }
    return self->m_timed_out ? WaitResult::TimedOut : WaitResult::Woken;
}

WaitResult WaitQueue::wait(Spinlock& held, u64 timeout_ns, Interruptible interruptible) {
    VERIFY(held.is_held());
    scheduler_lock.acquire();
    held.release(); // interrupts stay off: no wakeup can slip in between
    const WaitResult result =
        block_locked(timeout_ns, interruptible == Interruptible::Yes, nullptr);
    scheduler_lock.release();
    Scheduler::reap();
    held.acquire();
    return result;
}

WaitResult WaitQueue::wait(Mutex& held, u64 timeout_ns, Interruptible interruptible) {
    VERIFY(held.is_held());
    const bool were_enabled = cpu::interrupts_enabled();
    cpu::disable_interrupts();
    scheduler_lock.acquire();
    const WaitResult result = block_locked(timeout_ns, interruptible == Interruptible::Yes, &held);
    scheduler_lock.release();
    if (were_enabled) {
        cpu::enable_interrupts();
    }
    Scheduler::reap();
    if (!held.is_held()) { // an interrupted wait returns before letting go
        held.lock();
    }
    return result;
}

// wake_one and wake_all past their look at an empty queue (scheduler.h).
void WaitQueue::wake_one_locking() {
    SpinlockGuard guard(scheduler_lock);
    if (Thread* thread = m_waiters.front()) {
        Scheduler::make_runnable(thread);
    }
}

void WaitQueue::wake_all_locking() {
    SpinlockGuard guard(scheduler_lock);
    while (Thread* thread = m_waiters.front()) {
        Scheduler::make_runnable(thread);
    }
}

bool WaitQueue::is_empty() const {
    SpinlockGuard guard(scheduler_lock);
    return m_waiters.is_empty();
}

} // namespace kite
