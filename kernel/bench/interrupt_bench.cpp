// interrupt_bench.cpp: what interrupts cost.
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/idt.h"
#include "bench/kbench.h"
#include "time/clock.h"

namespace kite {

namespace {

constexpr u8 bench_vector = 0x81; // no device uses it

void empty_handler(InterruptFrame&) {}

// A fixed amount of work the compiler cannot remove.
[[gnu::noinline]] void spin(u64 iterations) {
    for (u64 i = 0; i < iterations; ++i) {
        asm volatile("" : : "r"(i) : "memory");
    }
}

} // namespace

// Entry stub, register save, dispatch to an empty handler, restore, iretq.
KBENCH(interrupt_round_trip) {
    idt::set_handler(bench_vector, empty_handler);
    const u64 cycles = kbench::measure(100000, [] { asm volatile("int $0x81" : : : "memory"); });
    idt::set_handler(bench_vector, nullptr);
    return cycles;
}

// What one timer tick takes from the running code: the same work timed
// with interrupts off and on, the difference divided by the ticks taken.
// Under plain TCG host noise can swamp the difference; then the result is 0
// ("not measurable"), and the icount figure is the one to quote.
KBENCH(timer_tick_overhead) {
    constexpr u64 work = 20'000'000;
    u64 best = ~u64{0};
    for (int round = 0; round < 3; ++round) {
        cpu::disable_interrupts();
        u64 start = cpu::rdtsc();
        spin(work);
        const u64 quiet = cpu::rdtsc() - start;
        const u64 ticks_before = clock::ticks();
        cpu::enable_interrupts();
        start = cpu::rdtsc();
        spin(work);
        const u64 busy = cpu::rdtsc() - start;
        const u64 ticks = clock::ticks() - ticks_before;
        if (ticks > 0 && busy > quiet) {
            const u64 per_tick = (busy - quiet) / ticks;
            best = per_tick < best ? per_tick : best;
        }
    }
    return best == ~u64{0} ? 0 : best;
}

} // namespace kite
