// scheduler.cpp: see scheduler.h.
//
// The scheduler lock guards everything here: the run queue, every wait
// queue, the timer list, each thread's state and wait fields, and each
// CPU's scheduling fields in its CpuLocal (current, idle, need_resched,
// to_reap). Invariants: a CPU's `current` is the thread on it and is in no
// queue; every Runnable thread that runs nowhere is in run_queue, which all
// CPUs share; an idle thread belongs to its CPU and is never queued; a
// Blocked thread is in at most one wait queue and, when its wait has a
// deadline, on the timer list, which is sorted by deadline. A switch
// happens with the scheduler lock held and no other spinlock; the thread
// switched to releases it, so a thread put back on the queue is not taken
// by another CPU before its registers are saved.
#include "sched/scheduler.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/page_table.h"
#include "arch/x86_64/smp_call.h"
#include "debug/panic.h"
#include "lib/format.h"
#include "proc/process.h"
#include "sched/load_average.h"
#include "sync/mutex.h"
#include "time/clock.h"

extern "C" void switch_context(kite::u64* save_rsp, kite::u64 load_rsp);

namespace kite {

namespace {

Spinlock scheduler_lock{"scheduler", LockRank::Scheduler};
ThreadQueue run_queue;
Thread* timers = nullptr; // threads waiting with a deadline, earliest first

Scheduler::Stats counters;
u32 uninterruptible = 0;  // threads blocked in a wait no signal ends
u64 next_load_sample = 0; // the tick at which the load is sampled next

void idle_loop(void*) {
    for (;;) {
        asm volatile("sti; hlt" : : : "memory");
    }
}

// This CPU's scheduling fields; interrupts are off (the scheduler lock is
// held, or an interrupt handler runs), so the thread cannot move meanwhile.
CpuLocal& here() {
    return cpu_local::get();
}

bool is_idle(const CpuLocal& cpu) {
    return cpu.current == cpu.idle;
}

// A thread became Runnable: if this CPU idles, it switches on its way out
// of the kernel; else one idle CPU that is not already about to switch is
// told to (a reschedule IPI wakes it from hlt). When every CPU is busy, the
// thread waits for a slice to end.
void wake_a_cpu() {
    CpuLocal& me = here();
    if (is_idle(me)) {
        me.need_resched = true;
        return;
    }
    const u32 online = cpu_local::online();
    for (u32 id = 0; id < online; ++id) {
        CpuLocal& cpu = cpu_local::of(id);
        if (&cpu != &me && cpu.idle && is_idle(cpu) && !cpu.need_resched) {
            cpu.need_resched = true;
            smp_call::send_reschedule(id);
            return;
        }
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
    if (thread->m_on_cpu) {
        // Woken on its way to block (block_locked let the lock go to
        // release a mutex): it simply goes on running where it is.
        thread->m_state = ThreadState::Running;
        return;
    }
    thread->m_state = ThreadState::Runnable;
    run_queue.push_back(thread);
    wake_a_cpu();
}

// Frees a thread that died, once we run on another stack and hold no lock.
void Scheduler::reap() {
    // Only this CPU's switches set it, so a look without the lock is
    // enough to skip the common case (if the thread moves to another CPU
    // meanwhile, whoever runs next here reaps it).
    if (!__atomic_load_n(&cpu_local::get().to_reap, __ATOMIC_RELAXED)) {
        return;
    }
    Thread* dead;
    {
        SpinlockGuard guard(scheduler_lock);
        dead = here().to_reap;
        here().to_reap = nullptr;
        if (dead) {
            --counters.threads;
        }
    }
    delete dead;
}

void Scheduler::finish_switch() {
    fpu::restore(here().current->m_fpu);
}

void Scheduler::init() {
    Thread* main = Thread::adopt_boot_context("main");
    here().current = main;
    counters.threads = 1;
    auto created = Thread::create("idle", idle_loop, nullptr);
    if (created.is_error()) {
        panic("cannot create the idle thread: {}", created.error().what());
    }
    // The idle thread never waits in the run queue: schedule() falls back to it.
    SpinlockGuard guard(scheduler_lock);
    here().idle = created.value();
    run_queue.remove(here().idle);
    here().need_resched = false;
}

void Scheduler::init_this_cpu(u64 stack_top) {
    char name[Thread::name_size];
    (void)format_to(name, sizeof(name), "idle/{}", cpu_local::get().id);
    auto created = Thread::adopt_cpu_context(name, stack_top);
    if (created.is_error()) {
        panic("cannot create CPU {}'s idle thread: {}", cpu_local::get().id,
              created.error().what());
    }
    SpinlockGuard guard(scheduler_lock);
    ++counters.threads;
    here().idle = here().current = created.value();
}

void Scheduler::adopt_new(Thread* thread) {
    SpinlockGuard guard(scheduler_lock);
    ++counters.threads;
    thread->m_state = ThreadState::Runnable;
    run_queue.push_back(thread);
    wake_a_cpu();
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
    CpuLocal& cpu = here();
    Thread* previous = cpu.current;
    if (previous->m_state == ThreadState::Running) {
        previous->m_state = ThreadState::Runnable;
        if (previous != cpu.idle) {
            run_queue.push_back(previous);
        }
    }
    Thread* next = run_queue.pop_front();
    if (!next) {
        next = cpu.idle;
    }
    cpu.need_resched = false;
    next->m_state = ThreadState::Running;
    next->m_slice_ticks = slice_ms * clock::tick_hz / 1000;
    if (next == previous) {
        return;
    }
    ++counters.switches;
    if (previous->m_state == ThreadState::Dead) {
        VERIFY(cpu.to_reap == nullptr);
        cpu.to_reap = previous;
    }
    fpu::save(previous->m_fpu);
    if (previous->process()) {
        previous->fs_base = cpu::rdmsr(cpu_local::msr_fs_base);
    }
    previous->m_on_cpu = false;
    next->m_on_cpu = true;
    next->m_cpu = cpu.id;
    cpu.current = next;
    cpu_local::set_kernel_stack(next->m_kernel_stack_top);
    if (UserSpace* space = next->process() ? next->process()->user_space() : nullptr) {
        // Kernel threads run on whatever address space is loaded (the
        // kernel half is the same in all), lazily; a process needs its own.
        if (!space->is_loaded_here()) {
            space->activate();
        }
        cpu.lazy_space = false;
        cpu::wrmsr(cpu_local::msr_fs_base, next->fs_base);
    } else {
        cpu.lazy_space = true;
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
    VERIFY(!is_idle(here()) && here().current->m_stack);
    here().current->m_state = ThreadState::Dead;
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
    CpuLocal& cpu = here();
    Thread* running = cpu.current;
    ++running->runtime_ticks;
    if (in_user_mode) {
        ++running->user_ticks;
        ++counters.user_ticks;
    } else if (running != cpu.idle) {
        ++counters.system_ticks;
    }
    if (running == cpu.idle) {
        cpu.need_resched = cpu.need_resched || !run_queue.is_empty();
    } else if (running->m_slice_ticks > 0 && --running->m_slice_ticks == 0) {
        cpu.need_resched = true;
    }
    // The rest is the machine's, done by the boot CPU's tick (the one that
    // also keeps the clock).
    if (cpu.id != 0) {
        return;
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
}

void Scheduler::preempt_if_needed() {
    // Interrupts are off: this CPU's fields stay this CPU's.
    if (here().need_resched && here().current) {
        {
            SpinlockGuard guard(scheduler_lock);
            ++counters.preemptions;
            schedule();
        }
        reap();
    }
}

// The running threads and those queued (idle threads never queue).
u32 Scheduler::runnable_locked() {
    u32 running = 0;
    const u32 online = cpu_local::online();
    for (u32 id = 0; id < online; ++id) {
        const CpuLocal& cpu = cpu_local::of(id);
        running += cpu.current && cpu.idle && !is_idle(cpu) ? 1 : 0;
    }
    return static_cast<u32>(run_queue.length()) + running;
}

Scheduler::Stats Scheduler::stats() {
    SpinlockGuard guard(scheduler_lock);
    Stats stats = counters;
    // Summed over the CPUs, as Linux's /proc/stat and /proc/uptime do.
    stats.idle_ticks = 0;
    const u32 online = cpu_local::online();
    for (u32 id = 0; id < online; ++id) {
        const Thread* idle = cpu_local::of(id).idle;
        stats.idle_ticks += idle ? idle->runtime_ticks : 0;
    }
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
    if (thread->m_on_cpu && thread->m_cpu != here().id) {
        // It runs elsewhere, maybe in user mode: an interrupt there makes it
        // look at its signals on the way back.
        smp_call::send_reschedule(thread->m_cpu);
    }
}

// Blocks the running thread on this queue; the scheduler lock is held and
// stays held across the wait. An interruptible wait does not start, or ends,
// when a signal comes (Scheduler::interrupt). A mutex to release is let go
// only once the thread is on the queue, so that a waker holding it cannot
// miss the thread.
WaitResult WaitQueue::block_locked(u64 timeout_ns, bool interruptible, Mutex* release) {
    VERIFY(scheduler_lock.is_held());
    Thread* self = here().current;
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
    }
    // Else woken while letting go of the mutex: make_runnable left it Running.
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
