// clock_tests.cpp: the timer interrupt and the clocks built on it.
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pit.h"
#include "console/console.h"
#include "interrupts/irq.h"
#include "tests/ktest.h"
#include "time/calendar.h"
#include "time/clock.h"

namespace kite {

namespace {

void wait_ticks(u64 count) {
    const u64 target = clock::ticks() + count;
    while (clock::ticks() < target) {
        cpu::halt(); // interrupts are on: the next tick wakes us
    }
}

} // namespace

KTEST(timer_ticks_advance) {
    KEXPECT(cpu::interrupts_enabled());
    const u64 irqs = irq::count(0);
    const u64 before = clock::ticks();
    wait_ticks(5);
    KEXPECT(clock::ticks() >= before + 5);
    KEXPECT(irq::count(0) >= irqs + 5);
}

KTEST(monotonic_clock_never_goes_back) {
    u64 previous = clock::monotonic_ns();
    bool ordered = true;
    for (int i = 0; i < 100000; ++i) {
        const u64 now = clock::monotonic_ns();
        ordered = ordered && now >= previous;
        previous = now;
    }
    KEXPECT(ordered);
}

// The TSC-based clock measures a 50 ms countdown of PIT channel 2 as 50 ms,
// within 1 % plus the reading's own uncertainty: a calibration or
// conversion error shows. The PIT's counter, unlike the tick count, does
// not depend on interrupts being delivered on time (a busy emulator host
// delays and drops timer interrupts: 500 ticks have read as 620 ms), and
// pit::measure discards readings the host stretched. Measured again only
// when the PIT ran out (the guest stopped for longer than the margin) or
// every reading at one end was stretched.
KTEST(monotonic_clock_agrees_with_the_pit) {
    pit::Measurement window;
    bool measured = false;
    for (int attempt = 0; attempt < 5 && !measured; ++attempt) {
        measured = pit::measure(50'000, clock::monotonic_ns, window) &&
                   window.uncertainty * 100 < window.exact_ns;
    }
    KEXPECT(measured);
    const u64 exact = window.exact_ns;
    const u64 difference =
        window.clock_delta > exact ? window.clock_delta - exact : exact - window.clock_delta;
    if (difference > exact / 100 + window.uncertainty) {
        kprintln("  the PIT counted {} ns, the clock says {} ns (+-{} ns)", exact,
                 window.clock_delta, window.uncertainty);
    }
    KEXPECT(exact > 40'000'000);
    KEXPECT(difference <= exact / 100 + window.uncertainty);
    KEXPECT(clock::monotonic_ns() > 0);
}

KTEST(wall_clock_is_plausible) {
    const DateTime now = from_unix_time(clock::realtime_ns() / 1'000'000'000);
    KEXPECT(now.year >= 2024 && now.year < 2100);
    KEXPECT(now.month >= 1 && now.month <= 12 && now.day >= 1 && now.day <= 31);
}

} // namespace kite
