// fatal_tests.cpp: tests that end in a panic by design. Each runs in a boot
// of its own (kite.test=<name>); tests/qemu/test_fatal.py checks the report
// on the serial console and QEMU's failure exit code.
#include "arch/x86_64/cpu.h"
#include "console/console.h"
#include "debug/panic.h"
#include "sync/spinlock.h"
#include "tests/ktest.h"

namespace kite {

namespace {

// Recurses until the boot stack runs into its guard page. The page fault
// cannot be delivered on the exhausted stack, so the CPU raises a double
// fault, which runs on IST1. The volatile bound is never reached; it keeps
// the compiler from proving (and rejecting) the infinite recursion.
volatile u64 never_reached = ~u64{0};

[[gnu::noinline]] u64 recurse_forever(u64 depth) {
    if (depth == never_reached) {
        return 0;
    }
    volatile u8 pad[256];
    pad[0] = static_cast<u8>(depth);
    return recurse_forever(depth + 1) + pad[0];
}

} // namespace

KTEST_FATAL(stack_overflow) {
    (void)recurse_forever(0);
}

KTEST_FATAL(unhandled_page_fault) {
    volatile u64* bad = reinterpret_cast<volatile u64*>(0xdead0000);
    *bad = 1;
}

// Waits for the harness to inject an NMI through the QEMU monitor; the NMI
// handler runs on IST2 and reports it.
KTEST_FATAL(nmi_report) {
    kprintln("KTEST waiting for an NMI");
    // Interrupts off: no timer tick may switch to another thread, and an
    // NMI still wakes hlt.
    for (;;) {
        asm volatile("cli; hlt");
    }
}

// Takes two spinlocks in the wrong order: the lock-order check must stop
// the kernel with both names, before anything can deadlock.
KTEST_FATAL(lock_order_violation) {
    static Spinlock outer{"test outer", LockRank::ProcessTable};
    static Spinlock inner{"test inner", LockRank::Heap};
    SpinlockGuard first(inner);
    SpinlockGuard second(outer);
}

KTEST_FATAL(explicit_panic) {
    panic("deliberate panic from test {}", "explicit_panic");
}

} // namespace kite
