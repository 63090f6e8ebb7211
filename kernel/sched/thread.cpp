// thread.cpp: creating threads and the queue they wait in.
#include "sched/thread.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/interrupt_frame.h"
#include "arch/x86_64/stacks.h"
#include "debug/panic.h"
#include "lib/own_ptr.h"
#include "sched/scheduler.h"

extern "C" void thread_start();

namespace kite {

namespace {
u32 next_id = 1;
alignas(Thread) u8 boot_thread_storage[sizeof(Thread)];
} // namespace

void Thread::set_name(const char* name) {
    usize i = 0;
    for (; name[i] && i + 1 < name_size; ++i) {
        m_name[i] = name[i];
    }
    m_name[i] = '\0';
}

Thread* Thread::adopt_boot_context(const char* name) {
    auto* thread = new (boot_thread_storage) Thread();
    thread->m_id = 0;
    thread->set_name(name);
    thread->m_state = ThreadState::Running;
    thread->m_on_cpu = true;
    thread->m_kernel_stack_top = reinterpret_cast<u64>(boot_stack_top);
    return thread;
}

ErrorOr<Thread*> Thread::adopt_cpu_context(const char* name, u64 stack_top) {
    auto thread_object = TRY(try_make<Thread>());
    Thread* thread = thread_object.leak();
    thread->m_id = __atomic_fetch_add(&next_id, 1, __ATOMIC_RELAXED);
    thread->set_name(name);
    thread->m_state = ThreadState::Running;
    thread->m_on_cpu = true;
    thread->m_kernel_stack_top = stack_top;
    thread->m_fpu = fpu::initial_state();
    return thread;
}

ErrorOr<Thread*> Thread::create(const char* name, Entry entry, void* argument, Process* process) {
    Thread* thread = TRY(create_unstarted(name, entry, argument, process)).leak();
    Scheduler::adopt_new(thread);
    return thread;
}

ErrorOr<OwnPtr<Thread>> Thread::create_unstarted(const char* name, Entry entry, void* argument,
                                                 Process* process) {
    auto stack = KernelStack::create();
    if (stack.is_error()) {
        return stack.release_error();
    }
    auto owned_stack = TRY(try_make<KernelStack>(stack.release_value()));
    auto thread_object = TRY(try_make<Thread>());
    Thread* thread = thread_object.ptr();
    thread->m_id = __atomic_fetch_add(&next_id, 1, __ATOMIC_RELAXED);
    thread->set_name(name);
    thread->m_stack = move(owned_stack);
    thread->m_kernel_stack_top = thread->m_stack->top();
    thread->m_fpu = fpu::initial_state();
    thread->m_process = process;
    // As on Linux, a new thread may run where its creator may, and starts
    // out on its creator's CPU.
    if (const Thread* creator = Scheduler::current()) {
        thread->m_affinity = creator->m_affinity;
    }
    thread->m_cpu = cpu_local::id();

    // The frame switch_context pops: r15 r14 r13 r12 rbx rbp, then returns
    // into thread_start with rsp 16-byte aligned (below the user frame's
    // place, for a process thread).
    u64* sp =
        reinterpret_cast<u64*>(thread->m_kernel_stack_top - (process ? sizeof(InterruptFrame) : 0));
    *--sp = reinterpret_cast<u64>(thread_start);
    *--sp = 0;                               // rbp
    *--sp = 0;                               // rbx
    *--sp = reinterpret_cast<u64>(entry);    // r12
    *--sp = reinterpret_cast<u64>(argument); // r13
    *--sp = 0;                               // r14
    *--sp = 0;                               // r15
    thread->m_saved_rsp = reinterpret_cast<u64>(sp);
    return thread_object;
}

// Where every new thread starts (called by thread_start in
// context_switch.asm), with interrupts off and the scheduler lock
// held, as schedule() left them.
extern "C" [[noreturn]] void thread_entry(Thread::Entry entry, void* argument) {
    Scheduler::start_new_thread();
    entry(argument);
    Scheduler::exit_current();
}

bool ThreadQueue::remove(Thread* thread) {
    Thread* previous = nullptr;
    for (Thread* t = m_head; t; previous = t, t = t->m_next) {
        if (t != thread) {
            continue;
        }
        (previous ? previous->m_next : m_head) = t->m_next;
        if (m_tail == t) {
            m_tail = previous;
        }
        t->m_next = nullptr;
        --m_length;
        return true;
    }
    return false;
}

} // namespace kite
