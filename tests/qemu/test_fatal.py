#!/usr/bin/env python3
"""Boots build/kite.iso with one fatal kernel test (kite.test=<name>) and
checks the panic report a person would read on the serial console, and that
the panic ended QEMU with the failure code (35), not a reset."""
import argparse
import re
import sys

from kite_qemu import EXIT_FAIL, Machine, Timeout

# What each report must say, in order.
EXPECTED = {
    "stack_overflow": [
        r"KERNEL PANIC: CPU exception #DF Double Fault \(vector 8\) in kernel mode",
        r"kernel stack overflow",
        r"^RIP 0x[0-9a-f]{16} <.*recurse_forever",
        r"^RAX 0x[0-9a-f]{16}  RBX",
        r"^interrupted stack: the guard page below the boot stack: STACK OVERFLOW$",
        r"^handler stack: IST1 \(double fault\) stack$",
        r"^backtrace:$",
        r"^  #0 +0x[0-9a-f]{16} <.*recurse_forever",
        r"the frame above repeats \d+ more times",
        r"<kernel_main\+0x[0-9a-f]+>",
        r"^System halted\.$",
    ],
    "unhandled_page_fault": [
        r"KERNEL PANIC: CPU exception #PF Page Fault \(vector 14\) in kernel mode",
        r"^error code 0x2: non-present page on write in kernel mode$",
        r"^CR2 \(faulting address\) 0x00000000dead0000$",
        r"^RIP 0x[0-9a-f]{16} <kite::ktest_unhandled_page_fault\(\)\+0x[0-9a-f]+>",
        r"^CR0 0x[0-9a-f]{16}  CR3",
        r"^interrupted stack: boot stack$",
        r"^backtrace:$",
        r"<kernel_main\+0x[0-9a-f]+>",
        r"^System halted\.$",
    ],
    "nmi_report": [
        r"KERNEL PANIC: CPU exception NMI Non-Maskable Interrupt \(vector 2\) in kernel mode",
        r"^RIP 0x[0-9a-f]{16} <",
        r"^handler stack: IST2 \(NMI\) stack$",
        r"^System halted\.$",
    ],
    "lock_order_violation": [
        r"^KERNEL PANIC: lock order: taking spinlock 'test outer' \(rank 100\) while holding "
        r"'test inner' \(rank 150\)$",
        r"^  at kernel/sync/spinlock\.cpp:\d+ in ",
        r"ktest_lock_order_violation",
    ],
    "explicit_panic": [
        r"^KERNEL PANIC: deliberate panic from test explicit_panic$",
        r"^  at kernel/tests/fatal_tests\.cpp:\d+ in ktest_explicit_panic$",
        r"^backtrace:$",
        r"^  #0 +0x[0-9a-f]{16} <kite::ktest_explicit_panic\(\)",
        r"<kernel_main\+0x[0-9a-f]+>",
        r"^System halted\.$",
    ],
    # A local buffer overrun up to its function's canary (stack_protector_tests.cpp).
    "stack_smashed": [
        r"^KERNEL PANIC: stack protector: stack smashed in "
        r"kite::\(anonymous namespace\)::overrun_local_buffer\(\)$",
        r"^check failed at 0x[0-9a-f]{16} <kite::\(anonymous namespace\)::overrun_local_buffer\(\)\+",
        r"^RAX 0x[0-9a-f]{16}  RBX",
        r"^CR0 0x[0-9a-f]{16}  CR3",
        r"^stack: boot stack$",
        r"^backtrace:$",
        r"<kite::ktest::.*run_one",  # the test itself tail-calls the overrun
        r"<kernel_main\+0x[0-9a-f]+>",
        r"^System halted\.$",
    ],
    # Under -cpu max (SMAP and SMEP): a user page touched from ring 0.
    "smap_read_of_user_page": [
        r"KERNEL PANIC: CPU exception #PF Page Fault \(vector 14\) in kernel mode",
        r"^error code 0x1: protection violation on read in kernel mode$",
        r"^CR2 \(faulting address\) 0x0000000000400000$",
        r"^SMAP: the kernel touched a user page outside a user-copy window",
        r"^RIP 0x[0-9a-f]{16} <kite::ktest_smap_read_of_user_page\(\)\+0x[0-9a-f]+>",
        r"^backtrace:$",
        r"^System halted\.$",
    ],
    "smep_execute_user_page": [
        r"KERNEL PANIC: CPU exception #PF Page Fault \(vector 14\) in kernel mode",
        r"^error code 0x11: protection violation on instruction fetch in kernel mode$",
        r"^CR2 \(faulting address\) 0x0000000000400040$",
        r"^SMEP: the kernel executed an instruction in a user page$",
        r"^RIP 0x0000000000400040",
        r"^called from \(the word at RSP\) 0x[0-9a-f]{16} <kite::ktest_smep_execute_user_page\(\)\+",
        r"^backtrace:$",
        r"^System halted\.$",
    ],
}

# The QEMU CPU a test needs (default: QEMU's own).
CPU = {"smap_read_of_user_page": "max", "smep_execute_user_page": "max"}


# Checked on the whole report once it is complete. (The NMI may land while
# the test is still printing, so RIP can be in console code; the report must
# name the test, in RIP or the backtrace.)
WHOLE_REPORT = {"nmi_report": r"(?s)KERNEL PANIC.*kite::ktest_nmi_report\(\).*System halted"}

# Tests that wait for something from outside: (what to wait for, monitor command).
TRIGGERS = {"nmi_report": (r"^KTEST waiting for an NMI$", "nmi")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    parser.add_argument("--test", required=True, choices=sorted(EXPECTED))
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()

    extra = ["-cpu", CPU[args.test]] if args.test in CPU else []
    with Machine(args.iso, append=f"kite.test={args.test}", extra=extra) as machine:
        try:
            if args.test in TRIGGERS:
                ready, command = TRIGGERS[args.test]
                machine.expect(ready, args.timeout)
                machine.monitor(command)
            for pattern in EXPECTED[args.test]:
                machine.expect(pattern, args.timeout)
            code = machine.wait_exit(timeout=10)
        except Timeout as error:
            print(f"\nFAIL: {error}")
            return 1
    if args.test in WHOLE_REPORT and not re.search(WHOLE_REPORT[args.test], machine.output, re.M):
        print(f"\nFAIL: the report does not match {WHOLE_REPORT[args.test]!r}")
        return 1
    if code != EXIT_FAIL:
        print(f"\nFAIL: QEMU exit code {code}, expected {EXIT_FAIL} from the panic")
        return 1
    print(f"\n{args.test}: the report is complete and QEMU ended with the panic code")
    return 0


if __name__ == "__main__":
    sys.exit(main())
