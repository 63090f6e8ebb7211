// faults.cpp: what happens when user code faults: a page fault that the
// user space can resolve is resolved; anything else kills the process with
// the matching signal and a line on the console. Also a kernel-mode fault
// on a user address during a user copy.
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/exceptions.h"
#include "console/console.h"
#include "proc/process.h"

namespace kite {

namespace {

// Linux signal numbers for the faults user code can cause.
constexpr int SIGILL = signals::ILL;
constexpr int SIGTRAP = signals::TRAP;
constexpr int SIGBUS = signals::BUS;
constexpr int SIGFPE = signals::FPE;
constexpr int SIGSEGV = signals::SEGV;

const char* signal_name(int signal) {
    switch (signal) {
    case SIGILL:
        return "SIGILL";
    case SIGTRAP:
        return "SIGTRAP";
    case SIGBUS:
        return "SIGBUS";
    case SIGFPE:
        return "SIGFPE";
    case SIGSEGV:
        return "SIGSEGV";
    }
    return "signal";
}

} // namespace

void Process::handle_user_exception(InterruptFrame& frame, u64 cr2) {
    Process* process = current();
    VERIFY(process != nullptr);
    int signal = SIGSEGV;
    switch (static_cast<ExceptionVector>(frame.vector)) {
    case ExceptionVector::PageFault: {
        const bool write = frame.error_code & 2;
        const bool execute = frame.error_code & 16;
        cpu::enable_interrupts();
        if (process->m_user_space && process->m_user_space->handle_fault(cr2, write, execute)) {
            return;
        }
        signal = SIGSEGV;
        break;
    }
    case ExceptionVector::DivideError:
    case ExceptionVector::X87FloatingPoint:
    case ExceptionVector::SimdFloatingPoint:
        signal = SIGFPE;
        break;
    case ExceptionVector::InvalidOpcode:
        signal = SIGILL;
        break;
    case ExceptionVector::Breakpoint:
    case ExceptionVector::Debug:
        signal = SIGTRAP;
        break;
    case ExceptionVector::AlignmentCheck:
        signal = SIGBUS;
        break;
    default:
        signal = SIGSEGV;
        break;
    }
    cpu::enable_interrupts();
    kprintln("kite: pid {} ({}) killed by {}: {} at rip {:#x}{}", process->pid(), process->name(),
             signal_name(signal), exception_name(frame.vector), frame.rip, "");
    if (static_cast<ExceptionVector>(frame.vector) == ExceptionVector::PageFault) {
        kprintln("      address {:#x}", cr2);
    }
    process->exit(signal);
}

// From return_to_user: the frame's RIP is not a user address. Leaving
// through it would fault in ring 0, so the process dies here.
extern "C" [[noreturn]] void user_return_to_bad_address(InterruptFrame* frame) {
    cpu::enable_interrupts();
    Process* process = Process::current();
    VERIFY(process != nullptr);
    kprintln("kite: pid {} ({}) killed by SIGSEGV: return to non-canonical address {:#x}",
             process->pid(), process->name(), frame->rip);
    process->exit(SIGSEGV);
}

bool Process::resolve_kernel_fault_on_user_address(u64 address, bool write) {
    Process* process = current();
    return process && process->m_user_space && address < user_space_end &&
           process->m_user_space->handle_fault(address, write, false);
}

} // namespace kite
