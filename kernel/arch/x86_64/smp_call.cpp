// smp_call.cpp: see smp_call.h. One call is in flight at a time: its
// function and argument sit in globals, and a mask holds the CPUs still to
// answer; each clears its own bit after running the function. A CPU runs a
// call when its bit is set, whether its IPI handler or its own wait loop
// notices first; the IPI that arrives after the loop answered finds its bit
// clear and does nothing.
#include "arch/x86_64/smp_call.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/local_apic.h"
#include "debug/panic.h"
#include "sched/scheduler.h"
#include "sync/spinlock.h"
#include "time/clock.h"

namespace kite::smp_call {

namespace {

// A CPU that has not answered for this long is stuck with interrupts off.
constexpr u64 answer_timeout_ns = 30'000'000'000;

u32 in_flight = 0; // 1 while a call is being made
Function call_function = nullptr;
void* call_argument = nullptr;
CpuMask to_answer = 0; // bit n: CPU n has not run the function yet
u64 answers[max_cpus];

CpuMask bit(u32 cpu) {
    return CpuMask{1} << cpu;
}

// Runs the call in flight if it is addressed to this CPU. Interrupts are off.
void answer_if_asked() {
    const u32 me = cpu_local::get().id;
    if (!(__atomic_load_n(&to_answer, __ATOMIC_ACQUIRE) & bit(me))) {
        return;
    }
    call_function(call_argument);
    ++answers[me];
    // Last: the caller may start the next call once every bit is clear.
    __atomic_and_fetch(&to_answer, ~bit(me), __ATOMIC_RELEASE);
}

void call_interrupt(InterruptFrame&) {
    answer_if_asked();
    local_apic::end_of_interrupt();
}

void reschedule_interrupt(InterruptFrame&) {
    local_apic::end_of_interrupt();
    Scheduler::preempt_if_needed();
}

// on_cpus, and on this CPU too (at the same time as the others) if `here`.
void make_call(CpuMask cpus, Function function, void* argument, bool here) {
    if (const Spinlock* held = innermost_spinlock()) {
        panic("smp_call while holding spinlock '{}'", held->name());
    }
    const bool were_enabled = cpu::interrupts_enabled();
    // Interrupts off from here: this CPU stays the one that sends.
    cpu::disable_interrupts();
    while (__atomic_exchange_n(&in_flight, 1, __ATOMIC_ACQUIRE)) {
        answer_if_asked();
        cpu::pause();
    }
    const u32 me = cpu_local::get().id;
    const u32 online = cpu_local::online();
    CpuMask targets = 0;
    for (u32 cpu = 0; cpu < online; ++cpu) {
        targets |= cpu != me && (cpus & bit(cpu)) ? bit(cpu) : 0;
    }
    if (targets) {
        call_function = function;
        call_argument = argument;
        __atomic_store_n(&to_answer, targets, __ATOMIC_SEQ_CST);
        // One IPI per CPU, by APIC ID: a CPU still starting must not see
        // the call (it is not in the mask).
        for (u32 cpu = 0; cpu < online; ++cpu) {
            if (targets & bit(cpu)) {
                local_apic::send_ipi(cpu_local::of(cpu).apic_id, vector);
            }
        }
    }
    if (here) {
        function(argument);
        ++answers[me];
    }
    const u64 start = clock::monotonic_ns();
    CpuMask left;
    while ((left = __atomic_load_n(&to_answer, __ATOMIC_ACQUIRE)) != 0) {
        if (clock::monotonic_ns() - start > answer_timeout_ns) {
            panic("smp_call: CPUs {:#x} (a bit per CPU id) did not answer within 30 s", left);
        }
        cpu::pause();
    }
    __atomic_store_n(&in_flight, 0, __ATOMIC_RELEASE);
    if (were_enabled) {
        cpu::enable_interrupts();
    }
}

} // namespace

void init() {
    idt::set_handler(vector, call_interrupt);
    idt::set_handler(reschedule_vector, reschedule_interrupt);
}

void on_cpus(CpuMask cpus, Function function, void* argument) {
    make_call(cpus, function, argument, false);
}

void on_every_cpu(Function function, void* argument) {
    make_call(~CpuMask{0}, function, argument, true);
}

void send_reschedule(u32 id) {
    local_apic::send_ipi(cpu_local::of(id).apic_id, reschedule_vector);
}

u64 answered(u32 cpu) {
    return cpu < max_cpus ? __atomic_load_n(&answers[cpu], __ATOMIC_RELAXED) : 0;
}

} // namespace kite::smp_call
