// exceptions.cpp: what happens when the CPU raises an exception.
#include "arch/x86_64/exceptions.h"

#include "arch/x86_64/backtrace.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/extable.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/probe.h"
#include "arch/x86_64/protections.h"
#include "arch/x86_64/stacks.h"
#include "debug/panic.h"

namespace kite {

namespace {

struct ExceptionDescription {
    const char* mnemonic;
    const char* name;
};

constexpr ExceptionDescription descriptions[32] = {
    {"#DE", "Divide Error"},
    {"#DB", "Debug"},
    {"NMI", "Non-Maskable Interrupt"},
    {"#BP", "Breakpoint"},
    {"#OF", "Overflow"},
    {"#BR", "BOUND Range Exceeded"},
    {"#UD", "Invalid Opcode"},
    {"#NM", "Device Not Available"},
    {"#DF", "Double Fault"},
    {"#CSO", "Coprocessor Segment Overrun"},
    {"#TS", "Invalid TSS"},
    {"#NP", "Segment Not Present"},
    {"#SS", "Stack-Segment Fault"},
    {"#GP", "General Protection Fault"},
    {"#PF", "Page Fault"},
    {"#??", "Reserved"},
    {"#MF", "x87 Floating-Point Error"},
    {"#AC", "Alignment Check"},
    {"#MC", "Machine Check"},
    {"#XM", "SIMD Floating-Point Exception"},
    {"#VE", "Virtualization Exception"},
    {"#CP", "Control Protection Exception"},
    {"#??", "Reserved"},
    {"#??", "Reserved"},
    {"#??", "Reserved"},
    {"#??", "Reserved"},
    {"#??", "Reserved"},
    {"#??", "Reserved"},
    {"#HV", "Hypervisor Injection Exception"},
    {"#VC", "VMM Communication Exception"},
    {"#SX", "Security Exception"},
    {"#??", "Reserved"},
};

RecoveredFault recovered;
UserExceptionHandler user_exception_handler = nullptr;
UserPageResolver user_page_resolver = nullptr;

bool has_selector_error_code(u64 vector) {
    switch (static_cast<ExceptionVector>(vector)) {
    case ExceptionVector::InvalidTss:
    case ExceptionVector::SegmentNotPresent:
    case ExceptionVector::StackSegmentFault:
    case ExceptionVector::GeneralProtection:
        return true;
    default:
        return false;
    }
}

// Only these can come from an instruction listed in the exception table.
bool may_have_fixup(u64 vector) {
    switch (static_cast<ExceptionVector>(vector)) {
    case ExceptionVector::DivideError:
    case ExceptionVector::Breakpoint:
    case ExceptionVector::InvalidOpcode:
    case ExceptionVector::GeneralProtection:
    case ExceptionVector::StackSegmentFault:
    case ExceptionVector::PageFault:
    case ExceptionVector::AlignmentCheck:
        return true;
    default:
        return false;
    }
}

void write_page_fault_error(FormatSink& sink, u64 error) {
    format(sink, "{} {} in {} mode",
           (error & 1) ? "protection violation on" : "non-present page on",
           (error & 16)  ? "instruction fetch"
           : (error & 2) ? "write"
                         : "read",
           (error & 4) ? "user" : "kernel");
    if (error & 8) {
        format(sink, ", reserved bit set in a page-table entry");
    }
    if (error & 32) {
        format(sink, ", protection key");
    }
    if (error & 64) {
        format(sink, ", shadow stack");
    }
}

void write_selector_error(FormatSink& sink, u64 error) {
    if (error == 0) {
        format(sink, "no selector");
        return;
    }
    static constexpr const char* tables[4] = {"GDT", "IDT", "LDT", "IDT"};
    format(sink, "selector index {} in the {}{}", (error >> 3) & 0x1FFF, tables[(error >> 1) & 3],
           (error & 1) ? ", external event" : "");
}

void write_flags(FormatSink& sink, u64 rflags) {
    static constexpr struct {
        u8 bit;
        const char* name;
    } flags[] = {{0, "CF"}, {2, "PF"},  {4, "AF"},  {6, "ZF"},  {7, "SF"},  {8, "TF"},
                 {9, "IF"}, {10, "DF"}, {11, "OF"}, {14, "NT"}, {16, "RF"}, {18, "AC"}};
    format(sink, "[");
    bool first = true;
    for (const auto& flag : flags) {
        if (rflags & (u64{1} << flag.bit)) {
            format(sink, first ? "{}" : " {}", flag.name);
            first = false;
        }
    }
    format(sink, "]");
}

} // namespace

void write_stack_name(FormatSink& sink, u64 rsp) {
    KnownStack stack;
    if (!find_stack(rsp, stack)) {
        format(sink, "an unknown stack");
    } else if (rsp > stack.bottom) {
        format(sink, "{}", stack.name);
    } else {
        // A push that faults on the guard page leaves rsp at most 8 bytes
        // into it, or exactly at its top, so both count as overflow.
        format(sink, "the guard page below the {}: STACK OVERFLOW", stack.name);
    }
}

void write_registers(FormatSink& sink, const InterruptFrame& frame) {
    format(sink, "CS  {:#06x}  SS {:#06x}  RFLAGS {:#018x} ", frame.cs, frame.ss, frame.rflags);
    write_flags(sink, frame.rflags);
    format(sink, "\nRAX {:p}  RBX {:p}  RCX {:p}\n", frame.rax, frame.rbx, frame.rcx);
    format(sink, "RDX {:p}  RSI {:p}  RDI {:p}\n", frame.rdx, frame.rsi, frame.rdi);
    format(sink, "RBP {:p}  RSP {:p}  R8  {:p}\n", frame.rbp, frame.rsp, frame.r8);
    format(sink, "R9  {:p}  R10 {:p}  R11 {:p}\n", frame.r9, frame.r10, frame.r11);
    format(sink, "R12 {:p}  R13 {:p}  R14 {:p}\n", frame.r12, frame.r13, frame.r14);
    format(sink, "R15 {:p}\n", frame.r15);
    format(sink, "CR0 {:p}  CR3 {:p}  CR4 {:p}\n", cpu::read_cr0(), cpu::read_cr3(),
           cpu::read_cr4());
}

StringView exception_name(u64 vector) {
    return vector < 32 ? descriptions[vector].name : "Interrupt";
}

StringView exception_mnemonic(u64 vector) {
    return vector < 32 ? descriptions[vector].mnemonic : "IRQ";
}

const RecoveredFault& last_recovered_fault() {
    return recovered;
}

void write_exception_report(FormatSink& sink, const InterruptFrame& frame, u64 cr2) {
    const u64 vector = frame.vector;
    format(sink, "\nKERNEL PANIC: CPU exception {} {} (vector {}) in {} mode\n",
           exception_mnemonic(vector), exception_name(vector), vector,
           frame.from_user() ? "user" : "kernel");
    if (static_cast<ExceptionVector>(vector) == ExceptionVector::DoubleFault) {
        format(sink, "The CPU faulted while delivering an exception; the most common cause is a "
                     "kernel stack overflow.\n");
    }
    format(sink, "error code {:#x}", frame.error_code);
    if (static_cast<ExceptionVector>(vector) == ExceptionVector::PageFault) {
        format(sink, ": ");
        write_page_fault_error(sink, frame.error_code);
        format(sink, "\nCR2 (faulting address) {:p}", cr2);
        const auto violation = protections::violation(frame, cr2);
        if (violation != protections::Violation::None) {
            format(sink, "\n{}", protections::describe(violation));
        }
    } else if (has_selector_error_code(vector)) {
        format(sink, ": ");
        write_selector_error(sink, frame.error_code);
    }
    format(sink, "\nRIP ");
    print_code_address(sink, frame.rip);
    u64 return_address = 0;
    if (protections::violation(frame, cr2) == protections::Violation::Smep &&
        probe_read_u64(frame.rsp, &return_address)) {
        // A jump or call into user memory: the word on top of the stack
        // is most likely the call's return address, the kernel code at fault.
        format(sink, "\ncalled from (the word at RSP) ");
        print_code_address(sink, return_address);
    }
    format(sink, "\n");
    write_registers(sink, frame);
    format(sink, "interrupted stack: ");
    write_stack_name(sink, frame.rsp);
    format(sink, "\nhandler stack: ");
    write_stack_name(sink, cpu::read_rsp());
    format(sink, "\n");
    print_backtrace(sink, frame.rbp);
}

void handle_exception(InterruptFrame& frame) {
    const u64 cr2 =
        frame.vector == static_cast<u64>(ExceptionVector::PageFault) ? cpu::read_cr2() : 0;
    if (!frame.from_user() && may_have_fixup(frame.vector)) {
        if (const ExceptionTableEntry* entry = find_exception_fixup(frame.rip)) {
            // A missing page inside a mapping, or a copy-on-write page:
            // the process layer may make the access possible.
            // Never for a protection violation: the page is there, and
            // retrying would fault again forever.
            const bool user_page =
                static_cast<ExceptionVector>(frame.vector) == ExceptionVector::PageFault &&
                cr2 < 0x0000800000000000 &&
                protections::violation(frame, cr2) == protections::Violation::None;
            if (user_page && user_page_resolver && user_page_resolver(cr2, frame.error_code & 2)) {
                return; // retry the copy with the page present
            }
            recovered.frame = frame;
            recovered.cr2 = cr2;
            ++recovered.count;
            frame.rip = entry->fixup;
            return;
        }
    }
    if (frame.from_user() && user_exception_handler) {
        user_exception_handler(frame, cr2);
        return;
    }
    panic_with_frame(frame, cr2);
}

void set_user_exception_handler(UserExceptionHandler handler) {
    user_exception_handler = handler;
}

void set_user_page_resolver(UserPageResolver resolver) {
    user_page_resolver = resolver;
}

} // namespace kite
