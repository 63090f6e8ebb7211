// exception_tests.cpp: deliberate exceptions in kernel mode, caught through
// the exception table, and the report the kernel would print for them.
#include "arch/x86_64/exceptions.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/probe.h"
#include "tests/ktest.h"

namespace kite {

extern "C" const u8 _text_start[];

namespace {

u64 vector_of(ExceptionVector v) {
    return static_cast<u64>(v);
}

} // namespace

KTEST(breakpoint_is_caught) {
    const u64 before = last_recovered_fault().count;
    const u64 taken = idt::count(3);
    KEXPECT(!probe_breakpoint()); // false: the #BP path took the fixup
    KEXPECT_EQ(last_recovered_fault().count, before + 1);
    KEXPECT_EQ(last_recovered_fault().frame.vector, vector_of(ExceptionVector::Breakpoint));
    KEXPECT_EQ(idt::count(3), taken + 1);
}

KTEST(divide_error_is_caught) {
    u64 quotient = 0;
    KEXPECT(probe_divide(84, 2, &quotient));
    KEXPECT_EQ(quotient, 42u);
    KEXPECT(!probe_divide(1, 0, &quotient));
    KEXPECT_EQ(last_recovered_fault().frame.vector, vector_of(ExceptionVector::DivideError));
}

KTEST(invalid_opcode_is_caught) {
    KEXPECT(!probe_invalid_opcode());
    KEXPECT_EQ(last_recovered_fault().frame.vector, vector_of(ExceptionVector::InvalidOpcode));
}

KTEST(null_read_page_faults) {
    u64 value = 0;
    KEXPECT(!probe_read_u64(0, &value));
    const RecoveredFault& fault = last_recovered_fault();
    KEXPECT_EQ(fault.frame.vector, vector_of(ExceptionVector::PageFault));
    KEXPECT_EQ(fault.cr2, 0u);
    KEXPECT_EQ(fault.frame.error_code & 0x7, 0u); // not present, read, kernel
}

KTEST(non_canonical_read_is_general_protection) {
    u64 value = 0;
    KEXPECT(!probe_read_u64(0x0000800000000000, &value));
    KEXPECT_EQ(last_recovered_fault().frame.vector, vector_of(ExceptionVector::GeneralProtection));
}

KTEST(writing_kernel_text_faults) {
    const u64 text = reinterpret_cast<u64>(_text_start);
    u64 original = 0;
    KEXPECT(probe_read_u64(text, &original));
    KEXPECT(!probe_write_u8(text, 0xCC));
    const RecoveredFault& fault = last_recovered_fault();
    KEXPECT_EQ(fault.frame.vector, vector_of(ExceptionVector::PageFault));
    KEXPECT_EQ(fault.cr2, text);
    KEXPECT_EQ(fault.frame.error_code & 0x7, 0x3u); // present, write, kernel
    u64 after = 0;
    KEXPECT(probe_read_u64(text, &after));
    KEXPECT_EQ(after, original);
}

// The report for the page fault above, rendered into a buffer: everything
// a person needs must be there.
KTEST(page_fault_report_is_complete) {
    u64 value = 0;
    KEXPECT(!probe_read_u64(0xdead000, &value));
    const RecoveredFault& fault = last_recovered_fault();
    static char buffer[4096];
    BufferSink sink(buffer, sizeof(buffer));
    write_exception_report(sink, fault.frame, fault.cr2);
    const StringView report = sink.view();
    KEXPECT(!sink.truncated());
    KEXPECT(report.contains("#PF Page Fault (vector 14) in kernel mode"));
    KEXPECT(report.contains("non-present page on read in kernel mode"));
    KEXPECT(report.contains("CR2 (faulting address) 0x000000000dead000"));
    KEXPECT(report.contains("<probe_read_u64+"));
    KEXPECT(report.contains("RAX ") && report.contains("R15 ") && report.contains("RFLAGS"));
    KEXPECT(report.contains("interrupted stack: boot stack"));
    KEXPECT(report.contains("backtrace:"));
    // The fault came through this test function, so the backtrace names it.
    KEXPECT(report.contains("ktest_page_fault_report_is_complete"));
}

} // namespace kite
