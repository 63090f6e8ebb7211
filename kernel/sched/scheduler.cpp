// scheduler.cpp: see scheduler.h.
//
// Invariants: `running` is the thread on the CPU and is in no queue; every
// Runnable thread other than it is in run_queue; a Blocked thread is in at
// most one wait queue and, when its wait has a timeout, in `sleepers` too.
#include "sched/scheduler.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/interrupt_guard.h"
#include "arch/x86_64/page_table.h"
#include "debug/panic.h"
#include "proc/process.h"
#include "time/clock.h"

extern "C" void switch_context(kite::u64* save_rsp, kite::u64 load_rsp);

namespace kite {

namespace {

Thread* running = nullptr;
Thread* idle = nullptr;
ThreadQueue run_queue;
bool need_resched = false;
Thread* to_reap = nullptr; // a Dead thread whose stack we just left

// Threads in a timed wait, with the queue each waits on.
struct Sleeper {
    Thread* thread;
    ThreadQueue* queue;
};
constexpr usize max_sleepers = 256;
Sleeper sleepers[max_sleepers];
usize sleeper_count = 0;

Scheduler::Stats counters;

void idle_loop(void*) {
    for (;;) {
        asm volatile("sti; hlt" : : : "memory");
    }
}

void remove_sleeper(Thread* thread) {
    for (usize i = 0; i < sleeper_count; ++i) {
        if (sleepers[i].thread == thread) {
            sleepers[i] = sleepers[--sleeper_count];
            return;
        }
    }
}

void arch_activate_process(Thread* thread) {
    AddressSpace& space = thread->process()->address_space();
    if ((cpu::read_cr3() & PageTableEntry::address_mask) != space.pml4().value()) {
        space.activate();
    }
}

} // namespace

// Frees a thread that died, once we run on another stack.
void Scheduler::reap() {
    if (Thread* dead = to_reap) {
        to_reap = nullptr;
        delete dead;
        --counters.threads;
    }
}

void Scheduler::finish_switch() {
    fpu::restore(running->m_fpu);
    reap();
}

void Scheduler::init() {
    running = Thread::adopt_boot_context("main");
    counters.threads = 1;
    auto created = Thread::create("idle", idle_loop, nullptr);
    if (created.is_error()) {
        panic("cannot create the idle thread: {}", created.error().what());
    }
    // The idle thread never waits in the run queue: schedule() falls back to it.
    idle = created.value();
    InterruptGuard guard;
    run_queue.remove(idle);
}

Thread* Scheduler::current() {
    return running;
}

void Scheduler::adopt_new(Thread* thread) {
    InterruptGuard guard;
    ++counters.threads;
    thread->m_state = ThreadState::Runnable;
    run_queue.push_back(thread);
    if (running == idle) {
        need_resched = true;
    }
}

void Scheduler::schedule() {
    VERIFY(!cpu::interrupts_enabled());
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
        to_reap = previous;
    }
    fpu::save(previous->m_fpu);
    if (previous->process()) {
        previous->fs_base = cpu::rdmsr(cpu_local::msr_fs_base);
    }
    running = next;
    cpu_local::get().current = next;
    cpu_local::set_kernel_stack(next->m_kernel_stack_top);
    if (next->process() && next->process()->has_address_space()) {
        // Kernel threads run on whatever address space is loaded (the
        // kernel half is the same in all); a process needs its own.
        arch_activate_process(next);
        cpu::wrmsr(cpu_local::msr_fs_base, next->fs_base);
    }
    switch_context(&previous->m_saved_rsp, next->m_saved_rsp);
    // Back on `previous`, which someone scheduled again.
    finish_switch();
}

void Scheduler::yield() {
    InterruptGuard guard;
    schedule();
}

void Scheduler::block() {
    schedule();
}

void Scheduler::exit_current() {
    cpu::disable_interrupts();
    VERIFY(running != idle && running->m_stack != nullptr);
    running->m_state = ThreadState::Dead;
    schedule();
    panic("a dead thread was scheduled");
}

void Scheduler::sleep_ns(u64 ns) {
    WaitQueue nobody_wakes;
    InterruptGuard guard;
    (void)nobody_wakes.wait(ns == 0 ? 1 : ns);
}

WaitResult Scheduler::sleep_interruptible_ns(u64 ns) {
    WaitQueue nobody_wakes;
    InterruptGuard guard;
    return nobody_wakes.wait(ns == 0 ? 1 : ns);
}

void Scheduler::tick(bool in_user_mode) {
    ++running->runtime_ticks;
    if (in_user_mode) {
        ++running->user_ticks;
    }
    const u64 now = clock::monotonic_ns();
    for (usize i = 0; i < sleeper_count;) {
        Sleeper s = sleepers[i];
        if (now < s.thread->m_wake_at_ns) {
            ++i;
            continue;
        }
        sleepers[i] = sleepers[--sleeper_count];
        s.queue->remove(s.thread);
        s.thread->m_timed_out = true;
        s.thread->m_state = ThreadState::Runnable;
        run_queue.push_back(s.thread);
        need_resched = need_resched || running == idle;
    }
    if (running == idle) {
        need_resched = need_resched || !run_queue.is_empty();
    } else if (running->m_slice_ticks > 0 && --running->m_slice_ticks == 0) {
        need_resched = true;
    }
}

void Scheduler::preempt_if_needed() {
    if (need_resched && running) {
        ++counters.preemptions;
        schedule();
    }
}

Scheduler::Stats Scheduler::stats() {
    return counters;
}

void Scheduler::interrupt(Thread* thread) {
    InterruptGuard guard;
    thread->m_interrupt_pending = true;
    if (thread->m_state == ThreadState::Blocked && thread->m_waiting_on) {
        thread->m_waiting_on->remove(thread);
        thread->m_waiting_on = nullptr;
        remove_sleeper(thread);
        thread->m_state = ThreadState::Runnable;
        run_queue.push_back(thread);
        need_resched = need_resched || running == idle;
    }
}

WaitResult WaitQueue::wait(u64 timeout_ns) {
    VERIFY(!cpu::interrupts_enabled());
    Thread* self = running;
    self->m_state = ThreadState::Blocked;
    self->m_timed_out = false;
    m_waiters.push_back(self);
    if (timeout_ns > 0) {
        if (sleeper_count == max_sleepers) {
            panic("more than {} threads sleep with a timeout", max_sleepers);
        }
        const u64 now = clock::monotonic_ns();
        self->m_wake_at_ns = timeout_ns > ~u64{0} - now ? ~u64{0} : now + timeout_ns;
        sleepers[sleeper_count++] = {self, &m_waiters};
    }
    if (self->m_interrupt_pending) {
        // A signal came in while getting here: do not sleep at all.
        m_waiters.remove(self);
        self->m_state = ThreadState::Running;
    } else {
        self->m_waiting_on = &m_waiters;
        Scheduler::block();
        self->m_waiting_on = nullptr;
    }
    remove_sleeper(self);
    self->m_wake_at_ns = 0;
    if (self->m_interrupt_pending) {
        self->m_interrupt_pending = false;
        return WaitResult::Interrupted;
    }
    return self->m_timed_out ? WaitResult::TimedOut : WaitResult::Woken;
}

void WaitQueue::wake_one() {
    InterruptGuard guard;
    if (Thread* thread = m_waiters.pop_front()) {
        remove_sleeper(thread);
        thread->m_state = ThreadState::Runnable;
        run_queue.push_back(thread);
        if (running == idle) {
            need_resched = true;
        }
    }
}

void WaitQueue::wake_all() {
    InterruptGuard guard;
    while (!m_waiters.is_empty()) {
        wake_one();
    }
}

} // namespace kite
