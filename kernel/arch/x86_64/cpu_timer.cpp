// cpu_timer.cpp: see cpu_timer.h.
#include "arch/x86_64/cpu_timer.h"

#include "arch/x86_64/idt.h"
#include "arch/x86_64/interrupt_frame.h"
#include "arch/x86_64/interrupt_guard.h"
#include "arch/x86_64/local_apic.h"
#include "console/console.h"
#include "sched/scheduler.h"
#include "time/clock.h"

namespace kite::cpu_timer {

namespace {

constexpr u64 window_ns = 10'000'000;
constexpr u32 full_count = 0xFFFFFFFF;

u32 per_tick = 0;
Hook tick_hook = nullptr;

void on_tick(InterruptFrame& frame) {
    local_apic::end_of_interrupt();
    if (tick_hook) {
        tick_hook(frame.from_user());
    }
    Scheduler::preempt_if_needed();
}

} // namespace

void calibrate(Hook hook) {
    tick_hook = hook;
    idt::set_handler(vector, on_tick);
    u64 counted;
    u64 elapsed;
    {
        InterruptGuard steady; // no interrupt lengthens the window unseen
        local_apic::start_timer_one_shot_masked(full_count);
        const u64 start = clock::monotonic_ns();
        while (clock::monotonic_ns() - start < window_ns) {
            cpu::pause();
        }
        counted = full_count - local_apic::timer_current_count();
        elapsed = clock::monotonic_ns() - start;
        local_apic::stop_timer();
    }
    const u64 count = elapsed ? counted * (1'000'000'000 / clock::tick_hz) / elapsed : 0;
    if (count == 0 || count > full_count) {
        kprintln("cpu_timer: the local APIC timer did not count; other CPUs get no tick");
        return;
    }
    per_tick = static_cast<u32>(count);
    kprintln("cpu_timer: local APIC timer, {} counts per {} ms tick", per_tick,
             1000 / clock::tick_hz);
}

void start_this_cpu() {
    if (per_tick) {
        local_apic::start_timer_periodic(vector, per_tick);
    }
}

u32 count_per_tick() {
    return per_tick;
}

} // namespace kite::cpu_timer
