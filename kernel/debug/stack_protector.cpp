// stack_protector.cpp: the guard, its random value, and the report of a
// smashed stack (stack_protector.h).
#include "debug/stack_protector.h"

#include "arch/x86_64/backtrace.h"
#include "arch/x86_64/exceptions.h"
#include "debug/ksyms.h"
#include "debug/panic.h"
#include "random/random.h"

// In .data: written once, by init(). (Every protected function reads it.)
kite::u64 __stack_chk_guard = kite::stack_protector::boot_guard;

namespace kite::stack_protector {

// Not protected itself: it is the function that changes the guard, so a
// canary it stored on entry would no longer match when it returns. The
// random value is made into a local first, so that random::fill and what it
// calls (protected) return before the guard changes.
[[gnu::no_stack_protector, gnu::noinline]] void init() {
    u64 guard = 0;
    random::fill(&guard, sizeof(guard));
    // The low byte is zero, as glibc's is: a string copy that overruns a
    // buffer stops at the first zero byte, before the rest of the canary
    // (56 random bits remain).
    guard &= ~u64{0xFF};
    if (guard == 0 || guard == boot_guard) { // 1 in 2^55: take any other value
        guard = boot_guard ^ 0x5a5a5a5a5a5a5a00;
    }
    __atomic_store_n(&__stack_chk_guard, guard, __ATOMIC_RELAXED);
}

namespace {

void write_stack_smashed_report(FormatSink& sink, const void* context) {
    const auto& frame = *static_cast<const InterruptFrame*>(context);
    ksyms::Symbol symbol;
    const StringView function = ksyms::lookup(frame.rip - 1, symbol) ? symbol.name : "?";
    format(sink, "\nKERNEL PANIC: stack protector: stack smashed in {}\n", function);
    format(sink, "Its stack canary was overwritten (a buffer on its stack overran); the check "
                 "as it returned found it.\n");
    format(sink, "check failed at ");
    print_code_address(sink, frame.rip, true);
    format(sink, "\n");
    write_registers(sink, frame);
    format(sink, "stack: ");
    write_stack_name(sink, frame.rsp);
    format(sink, "\n");
    print_backtrace(sink, frame.rbp);
}

} // namespace

} // namespace kite::stack_protector

// Called by __stack_chk_fail with the registers at the failed check.
// frame.rip is the return address of that call, in the function whose
// canary was overwritten (looked up one byte earlier: the call may be the
// function's last instruction). frame.rbp is that function's frame, whose
// saved return address the backtrace reads through fault-safe probes.
extern "C" [[noreturn]] void stack_smashed_report(const kite::InterruptFrame& frame) {
    kite::panic_with_report(kite::stack_protector::write_stack_smashed_report, &frame);
}
