// scheduler.cpp: see scheduler.h.
//
// The scheduler lock guards everything here: the run queues, every wait
// queue, the timer list, each thread's state, wait and affinity fields, and
// each CPU's scheduling fields in its CpuLocal (current, idle,
// need_resched, to_reap). Invariants: a CPU's `current` is the thread on it
// and is in no queue; every Runnable thread that runs nowhere is in exactly
// one CPU's run queue, a CPU its affinity allows; an idle thread belongs to
// its CPU and is never queued; a Blocked thread is in at most one wait
// queue and, when its wait has a deadline, on the timer list, which is
// sorted by deadline. A switch happens with the scheduler lock held and no
// other spinlock; the thread switched to releases it, so a thread put back
// on a queue is not taken by another CPU before its registers are saved.
//
// Placement: a thread that becomes Runnable goes to the queue of the CPU
// it last ran on if that CPU idles (its cache may still hold its data),
// else to an idle CPU it may run on, which a reschedule IPI wakes; when
// none idles, back to its last CPU. A CPU whose queue is empty takes
// (steals) the first thread it may run from the busiest queue, and one
// whose slice ends takes from a queue with at least two more threads than
// it has, so CPU-bound threads spread over the CPUs.
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
ThreadQueue run_queues[max_cpus]; // by CPU id
usize queued = 0;                 // threads in all of them
// The CPUs that idle with an empty queue and have not been told to
// switch: where a woken thread runs at once.
u64 free_cpus = 0;
Thread* timers = nullptr; // threads waiting with a deadline, earliest first

Scheduler::Stats counters;
u32 uninterruptible = 0;  // threads blocked in a wait no signal ends
u32 exiting_threads = 0;  // see note_exiting; atomic
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

u64 bit(u32 cpu) {
    return u64{1} << cpu;
}

// The CPUs a thread may run on now: its affinity among the online ones
// (never empty: sched_setaffinity refuses a mask with no online CPU).
u64 allowed_cpus(const Thread* thread) {
    const u32 online = cpu_local::online();
    const u64 mask = thread->affinity() & (online >= 64 ? ~u64{0} : bit(online) - 1);
    return mask != 0 ? mask : 1;
}

// The run queues change only through these, which keep `queued`.
void push(u32 id, Thread* thread) {
    run_queues[id].push_back(thread);
    ++queued;
}
Thread* pop(u32 id) {
    Thread* thread = run_queues[id].pop_front();
    queued -= thread ? 1 : 0;
    return thread;
}
bool remove_from(u32 id, Thread* thread) {
    const bool removed = run_queues[id].remove(thread);
    queued -= removed ? 1 : 0;
    return removed;
}

// The run queue a thread that became Runnable waits in (see the top).
u32 choose_cpu(const Thread* thread) {
    const u64 allowed = allowed_cpus(thread);
    const u64 free = free_cpus & allowed;
    const u32 last = thread->cpu();
    if (free & bit(last)) {
        return last;
    }
    if (free) {
        return static_cast<u32>(__builtin_ctzll(free));
    }
    return (allowed & bit(last)) ? last : static_cast<u32>(__builtin_ctzll(allowed));
}

// Tells CPU id that its queue has work: a free CPU switches on its way out
// of the interrupt it is in (this one) or of the reschedule IPI that wakes
// it from hlt (another). A busy CPU takes it when its slice ends.
void kick(u32 id) {
    if (!(free_cpus & bit(id))) {
        return;
    }
    free_cpus &= ~bit(id);
    cpu_local::of(id).need_resched = true;
    if (id != here().id) {
        smp_call::send_reschedule(id);
    }
}

void enqueue(Thread* thread) {
    const u32 id = choose_cpu(thread);
    push(id, thread);
    kick(id);
}

// How much CPU id has to run: its queue, and the thread on it.
usize load_of(u32 id) {
    const CpuLocal& cpu = cpu_local::of(id);
    return run_queues[id].length() + (cpu.current && !is_idle(cpu) ? 1 : 0);
}

// The first thread in another CPU's queue that may run on CPU me, from
// the CPU with the most to run, if that is at least `least`; null if none.
Thread* steal(u32 me, usize least) {
    const auto may_run_here = [me](const Thread* t) { return (allowed_cpus(t) & bit(me)) != 0; };
    const u32 online = cpu_local::online();
    u32 busiest = me;
    usize most = 0;
    for (u32 id = 0; id < online; ++id) {
        if (id == me || run_queues[id].is_empty()) {
            continue;
        }
        const usize load = load_of(id);
        if (load >= least && load > most && run_queues[id].find(may_run_here)) {
            busiest = id;
            most = load;
        }
    }
    if (busiest == me) {
        return nullptr;
    }
    Thread* thread = run_queues[busiest].find(may_run_here);
    remove_from(busiest, thread);
    return thread;
}

// The thread CPU me runs next (null: its idle thread). Its own queue
// first, unless another CPU has at least two more to run; else a steal.
// When every queued thread is in its own queue (always, with one CPU),
// there is nothing to look for elsewhere.
Thread* take_next(u32 me) {
    ThreadQueue& mine = run_queues[me];
    if (queued == mine.length()) {
        return pop(me);
    }
    if (!mine.is_empty()) {
        if (Thread* t = steal(me, mine.length() + 2)) {
            return t;
        }
        return pop(me);
    }
    return steal(me, 1);
}

// Whether an idle CPU me has anything it could run.
bool work_for(u32 me) {
    if (queued == 0) {
        return false;
    }
    if (!run_queues[me].is_empty()) {
        return true;
    }
    const auto may_run_here = [me](const Thread* t) { return (allowed_cpus(t) & bit(me)) != 0; };
    const u32 online = cpu_local::online();
    for (u32 id = 0; id < online; ++id) {
        if (id != me && run_queues[id].find(may_run_here)) {
            return true;
        }
    }
    return false;
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
    enqueue(thread);
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
    const bool counted = dead && dead->m_exiting;
    delete dead;
    if (counted) { // after the delete: its frames are back
        __atomic_sub_fetch(&exiting_threads, 1, __ATOMIC_RELEASE);
    }
}

void Scheduler::note_exiting() {
    Thread* self = current();
    if (!self->m_exiting) {
        self->m_exiting = true;
        __atomic_add_fetch(&exiting_threads, 1, __ATOMIC_RELAXED);
    }
}

void Scheduler::wait_for_exiting_threads() {
    for (int i = 0; i < 5000 && __atomic_load_n(&exiting_threads, __ATOMIC_ACQUIRE) != 0; ++i) {
        sleep_ns(1'000'000);
    }
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
    VERIFY(remove_from(here().id, here().idle));
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
    free_cpus |= bit(here().id);
}

void Scheduler::adopt_new(Thread* thread) {
    SpinlockGuard guard(scheduler_lock);
    ++counters.threads;
    thread->m_state = ThreadState::Runnable;
    enqueue(thread);
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
            if (allowed_cpus(previous) & bit(cpu.id)) {
                push(cpu.id, previous);
            } else {
                enqueue(previous); // its affinity changed: it moves
            }
        }
    }
    Thread* next = take_next(cpu.id);
    if (next) {
        free_cpus &= ~bit(cpu.id);
    } else {
        next = cpu.idle;
        free_cpus |= bit(cpu.id); // and its queue is empty
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
        ++cpu.user_ticks;
    } else if (running != cpu.idle) {
        ++counters.system_ticks;
        ++cpu.system_ticks;
    }
    if (running == cpu.idle) {
        if (!cpu.need_resched && work_for(cpu.id)) {
            free_cpus &= ~bit(cpu.id);
            cpu.need_resched = true;
        }
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
    return static_cast<u32>(queued) + running;
}

Scheduler::CpuTicks Scheduler::cpu_ticks(u32 id) {
    SpinlockGuard guard(scheduler_lock);
    const CpuLocal& cpu = cpu_local::of(id);
    return {cpu.user_ticks, cpu.system_ticks, cpu.idle ? cpu.idle->runtime_ticks : 0};
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

void Scheduler::set_affinity(Thread* thread, u64 cpus) {
    SpinlockGuard guard(scheduler_lock);
    __atomic_store_n(&thread->m_affinity, cpus, __ATOMIC_RELAXED);
    const u64 allowed = allowed_cpus(thread);
    if (thread->m_state == ThreadState::Runnable && !thread->m_on_cpu) {
        // Queued: moved if its queue is a CPU it may no longer use.
        for (u32 id = 0; id < cpu_local::online(); ++id) {
            if (!(allowed & bit(id)) && remove_from(id, thread)) {
                enqueue(thread);
                break;
            }
        }
    } else if (thread->m_on_cpu && !(allowed & bit(thread->m_cpu))) {
        // On a CPU it may no longer use: that CPU switches at once (on
        // its way out of the reschedule IPI, or of this system call), and
        // schedule() moves the thread.
        CpuLocal& cpu = cpu_local::of(thread->m_cpu);
        cpu.need_resched = true;
        if (thread->m_cpu != here().id) {
            smp_call::send_reschedule(thread->m_cpu);
        }
    }
}

// Blocks the running thread on this queue; the scheduler lock is held and
// stays held across the wait. An interruptible wait does not start, or ends,
// when a signal comes (Scheduler::interrupt). The caller's lock (a mutex or
// a spinlock) is let go only once the thread is on the queue: a waker takes
// that lock and then looks at the queue without the scheduler lock
// (wake_one), so on another CPU it would miss a thread not yet queued.
WaitResult WaitQueue::block_locked(u64 timeout_ns, bool interruptible, Mutex* release,
                                   Spinlock* release_spinlock) {
    VERIFY(scheduler_lock.is_held());
    Thread* self = here().current;
    if (interruptible && self->m_interrupt_pending) {
        self->m_interrupt_pending = false;
        if (release_spinlock) {
            release_spinlock->release();
        }
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
    if (release_spinlock) {
        release_spinlock->release(); // interrupts stay off
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
    const WaitResult result =
        block_locked(timeout_ns, interruptible == Interruptible::Yes, nullptr, &held);
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
