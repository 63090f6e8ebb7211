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

// The TSC-based clock measures a 50 ms one-shot countdown of PIT channel 2
// as 50 ms, within 10 %: only a calibration or conversion error shows. The
// PIT's counter, unlike the tick count, does not depend on interrupts being
// delivered on time (a busy emulator host delays and drops timer
// interrupts: 500 ticks have read as 620 ms). A host that stops the guest
// can only make one measurement long, so the first good of five passes.
KTEST(monotonic_clock_agrees_with_the_pit) {
    bool agreed = false;
    for (int attempt = 0; attempt < 5 && !agreed; ++attempt) {
        const u64 start = clock::monotonic_ns();
        u64 exact_ns = 0;
        (void)pit::measure_tsc(50'000, exact_ns);
        const u64 measured = clock::monotonic_ns() - start;
        const u64 difference = measured > exact_ns ? measured - exact_ns : exact_ns - measured;
        agreed = difference * 1000 / exact_ns < 100;
        if (!agreed) {
            kprintln("  attempt {}: the PIT counted {} ns, the clock says {} ns", attempt, exact_ns,
                     measured);
        }
    }
    KEXPECT(agreed);
    KEXPECT(clock::monotonic_ns() > 0);
}

KTEST(wall_clock_is_plausible) {
    const DateTime now = from_unix_time(clock::realtime_ns() / 1'000'000'000);
    KEXPECT(now.year >= 2024 && now.year < 2100);
    KEXPECT(now.month >= 1 && now.month <= 12 && now.day >= 1 && now.day <= 31);
}

} // namespace kite
