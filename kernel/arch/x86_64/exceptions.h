// exceptions.h: CPU exceptions (vectors 0-31): names, the handler, and the
// report printed for one the kernel cannot handle.
#pragma once

#include "arch/x86_64/interrupt_frame.h"
#include "lib/format.h"

namespace kite {

enum class ExceptionVector : u8 {
    DivideError = 0,
    Debug = 1,
    NonMaskableInterrupt = 2,
    Breakpoint = 3,
    Overflow = 4,
    BoundRange = 5,
    InvalidOpcode = 6,
    DeviceNotAvailable = 7,
    DoubleFault = 8,
    CoprocessorSegmentOverrun = 9,
    InvalidTss = 10,
    SegmentNotPresent = 11,
    StackSegmentFault = 12,
    GeneralProtection = 13,
    PageFault = 14,
    X87FloatingPoint = 16,
    AlignmentCheck = 17,
    MachineCheck = 18,
    SimdFloatingPoint = 19,
    Virtualization = 20,
    ControlProtection = 21,
    HypervisorInjection = 28,
    VmmCommunication = 29,
    Security = 30,
};

// "Page Fault" and "#PF" for 14; "Reserved" and "#??" for unassigned vectors.
[[nodiscard]] StringView exception_name(u64 vector);
[[nodiscard]] StringView exception_mnemonic(u64 vector);

// Called by interrupt_dispatch for vectors 0-31. A kernel-mode fault at an
// instruction listed in the exception table resumes at its fixup; anything
// else is a kernel bug and panics with the full report.
void handle_exception(InterruptFrame& frame);

// Handles an exception raised in user mode (vector, and cr2 for page
// faults): resolves it (copy-on-write) or turns it into a signal. The
// process layer installs it; until then a user-mode exception panics, since
// no user code can run.
using UserExceptionHandler = void (*)(InterruptFrame& frame, u64 cr2);
void set_user_exception_handler(UserExceptionHandler handler);

// Called for a kernel-mode page fault on a user address at an instruction
// that may fault (a user copy): returns true if it made the access possible
// (brought the page in, or copied a copy-on-write page), so the copy can go
// on. Installed by the process layer.
using UserPageResolver = bool (*)(u64 address, bool write);
void set_user_page_resolver(UserPageResolver resolver);

// The full report: exception, decoded error code, CR2, registers, stacks and
// backtrace. cr2 is only meaningful for page faults.
void write_exception_report(FormatSink& sink, const InterruptFrame& frame, u64 cr2);

// The register lines of that report: CS, SS, RFLAGS, the general registers,
// CR0, CR3 and CR4. (Also for the stack protector's report.)
void write_registers(FormatSink& sink, const InterruptFrame& frame);

// Names the stack that rsp points into ("boot stack"), or says that it
// points into that stack's guard page (STACK OVERFLOW).
void write_stack_name(FormatSink& sink, u64 rsp);

// The last fault that an exception-table fixup absorbed, for tests.
struct RecoveredFault {
    InterruptFrame frame;
    u64 cr2;
    u64 count; // how many fixups have run since boot
};
[[nodiscard]] const RecoveredFault& last_recovered_fault();

} // namespace kite
