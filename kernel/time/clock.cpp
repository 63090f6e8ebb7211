// clock.cpp: see clock.h.
//
// monotonic_ns = (rdtsc - tsc_at_init) * ns_per_cycle, computed as a 128-bit
// product with a 32.32 fixed-point factor, so it neither overflows nor needs
// a division on the read path.
#include "time/clock.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/interrupt_guard.h"
#include "arch/x86_64/pit.h"
#include "arch/x86_64/rtc.h"
#include "console/console.h"
#include "interrupts/irq.h"
#include "time/calendar.h"

#include <cpuid.h>

namespace kite::clock {

namespace {

volatile u64 tick_count = 0;
u64 period_ps = 0;
u64 tsc_frequency = 0;
u64 tsc_at_init = 0;
u64 ns_per_cycle_fixed = 0; // ns per TSC cycle, times 2^32
bool invariant = false;
i64 boot_unix_ns = 0;
TickHook tick_hook = nullptr;

void on_tick(InterruptFrame& frame) {
    tick_count = tick_count + 1;
    if (tick_hook) {
        tick_hook(frame.from_user());
    }
}

bool cpu_has_invariant_tsc() {
    unsigned a, b, c, d;
    if (!__get_cpuid(0x80000000, &a, &b, &c, &d) || a < 0x80000007) {
        return false;
    }
    __get_cpuid(0x80000007, &a, &b, &c, &d);
    return d & (1u << 8);
}

} // namespace

void init() {
    invariant = cpu_has_invariant_tsc();
    {
        InterruptGuard guard;
        // A 10 ms window, measured again if the PIT ran out or an end's
        // reading could be more than 0.1 % off (pit::measure says why a
        // stopped guest does not skew it).
        pit::Measurement window;
        bool measured = false;
        for (int attempt = 0; attempt < 5 && !measured; ++attempt) {
            measured = pit::measure(
                           10000, [] { return cpu::rdtsc(); }, window) &&
                       window.uncertainty * 1000 < window.clock_delta;
        }
        if (measured) {
            tsc_frequency = window.clock_delta * 1'000'000'000 / window.exact_ns;
        } else {
            tsc_frequency = 1'000'000'000;
            kprintln("clock: the PIT did not count; the TSC is taken to run at 1 GHz");
        }
        ns_per_cycle_fixed = (u64{1'000'000'000} << 32) / tsc_frequency;
        tsc_at_init = cpu::rdtsc();
    }
    DateTime now{};
    if (rtc::read(now)) {
        boot_unix_ns = to_unix_time(now) * 1'000'000'000;
    } else {
        kprintln("clock: the CMOS clock never settled; wall clock starts at 1970");
    }
    period_ps = pit::start_periodic(tick_hz);
    irq::install(0, on_tick);
    kprintln("clock: TSC {} MHz{}, tick {} Hz, RTC {}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
             tsc_frequency / 1'000'000, invariant ? " (invariant)" : " (not invariant per CPUID)",
             tick_hz, now.year, now.month, now.day, now.hour, now.minute, now.second);
}

u64 ticks() {
    return tick_count;
}
u64 tick_period_ps() {
    return period_ps;
}
u64 tick_period_ns() {
    return (period_ps + 500) / 1000;
}

u64 monotonic_ns() {
    static u64 last = 0;
    const u64 cycles = cpu::rdtsc() - tsc_at_init;
    const u64 ns =
        static_cast<u64>((static_cast<unsigned __int128>(cycles) * ns_per_cycle_fixed) >> 32);
    // Never backwards, across CPUs and interrupts alike: an atomic maximum.
    u64 seen = __atomic_load_n(&last, __ATOMIC_RELAXED);
    while (ns > seen && !__atomic_compare_exchange_n(&last, &seen, ns, true, __ATOMIC_RELAXED,
                                                     __ATOMIC_RELAXED)) {
    }
    return ns > seen ? ns : seen;
}

i64 realtime_ns() {
    return boot_unix_ns + static_cast<i64>(monotonic_ns());
}

u64 tsc_hz() {
    return tsc_frequency;
}
bool tsc_invariant() {
    return invariant;
}

void set_tick_hook(TickHook hook) {
    tick_hook = hook;
}

} // namespace kite::clock
