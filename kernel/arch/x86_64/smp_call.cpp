// smp_call.cpp: see smp_call.h. One call is in flight at a time: its
// function and argument sit in globals, and a mask holds the CPUs still to
// answer; each clears its own bit after running the function.
#include "arch/x86_64/smp_call.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/local_apic.h"
#include "debug/panic.h"
#include "time/clock.h"

namespace kite::smp_call {

namespace {

static_assert(max_cpus <= 64, "the answer mask has a bit per CPU");

// A CPU that has not answered for this long is stuck with interrupts off.
constexpr u64 answer_timeout_ns = 30'000'000'000;

u32 in_flight = 0; // 1 while a call is being made
Function call_function = nullptr;
void* call_argument = nullptr;
u64 to_answer = 0; // bit n: CPU n has not run the function yet
u64 answers[max_cpus];

void answer(InterruptFrame&) {
    const u32 me = cpu_local::get().id;
    call_function(call_argument);
    ++answers[me];
    local_apic::end_of_interrupt();
    // Last: the caller may start the next call once every bit is clear.
    __atomic_and_fetch(&to_answer, ~(u64{1} << me), __ATOMIC_RELEASE);
}

} // namespace

void init() {
    idt::set_handler(vector, answer);
}

void on_every_cpu(Function function, void* argument) {
    VERIFY(cpu::interrupts_enabled());
    // Spinning with interrupts on, a CPU waiting here still answers the
    // call in flight, so two callers cannot wait for each other.
    while (__atomic_exchange_n(&in_flight, 1, __ATOMIC_ACQUIRE)) {
        cpu::pause();
    }
    // Interrupts off from here: this CPU stays the one that sends.
    cpu::disable_interrupts();
    const u32 me = cpu_local::get().id;
    const u32 online = cpu_local::online();
    u64 others = 0;
    for (u32 cpu = 0; cpu < online; ++cpu) {
        others |= cpu == me ? 0 : u64{1} << cpu;
    }
    call_function = function;
    call_argument = argument;
    __atomic_store_n(&to_answer, others, __ATOMIC_RELEASE);
    // One IPI per online CPU, by APIC ID: a CPU still starting must not
    // see the call (it is not in the mask).
    for (u32 cpu = 0; cpu < online; ++cpu) {
        if (others & (u64{1} << cpu)) {
            local_apic::send_ipi(cpu_local::of(cpu).apic_id, vector);
        }
    }
    function(argument);
    ++answers[me];
    const u64 start = clock::monotonic_ns();
    u64 left;
    while ((left = __atomic_load_n(&to_answer, __ATOMIC_ACQUIRE)) != 0) {
        if (clock::monotonic_ns() - start > answer_timeout_ns) {
            panic("smp_call: CPUs {:#x} (a bit per CPU id) did not answer within 30 s", left);
        }
        cpu::pause();
    }
    __atomic_store_n(&in_flight, 0, __ATOMIC_RELEASE);
    cpu::enable_interrupts();
}

u64 answered(u32 cpu) {
    return cpu < max_cpus ? __atomic_load_n(&answers[cpu], __ATOMIC_RELAXED) : 0;
}

} // namespace kite::smp_call
