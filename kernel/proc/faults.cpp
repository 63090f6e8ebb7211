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
    // The signal and the siginfo Linux gives for each exception.
    signals::SigInfo info{};
    int signal = SIGSEGV;
    info.code = signals::SI_KERNEL;
    switch (static_cast<ExceptionVector>(frame.vector)) {
    case ExceptionVector::PageFault: {
        const bool write = frame.error_code & 2;
        const bool execute = frame.error_code & 16;
        cpu::enable_interrupts();
        UserSpace* space = process->m_user_space.ptr();
        const auto result =
            space ? space->handle_fault(cr2, write, execute) : UserSpace::FaultResult::Refused;
        if (result == UserSpace::FaultResult::Resolved) {
            return;
        }
        if (result == UserSpace::FaultResult::OutOfMemory) {
            // Linux's OOM outcome: SIGKILL, which nothing can catch.
            kprintln("kite: out of memory: killed pid {} ({}) with SIGKILL: no frame for {:#x}",
                     process->pid(), process->name(), cr2);
            process->exit(signals::KILL);
        }
        if (result == UserSpace::FaultResult::BeyondEnd) {
            // A file mapping's page past the end of its file (Linux's
            // VM_FAULT_SIGBUS).
            signal = SIGBUS;
            info.code = signals::BUS_ADRERR;
            info.fault.address = cr2;
            break;
        }
        info.code =
            space && space->has_region_at(cr2) ? signals::SEGV_ACCERR : signals::SEGV_MAPERR;
        info.fault.address = cr2;
        break;
    }
    case ExceptionVector::DivideError:
        signal = SIGFPE;
        info.code = signals::FPE_INTDIV;
        info.fault.address = frame.rip;
        break;
    case ExceptionVector::X87FloatingPoint:
    case ExceptionVector::SimdFloatingPoint:
        signal = SIGFPE;
        info.code = signals::FPE_FLTDIV;
        info.fault.address = frame.rip;
        break;
    case ExceptionVector::InvalidOpcode:
        signal = SIGILL;
        info.code = signals::ILL_ILLOPN;
        info.fault.address = frame.rip;
        break;
    case ExceptionVector::Breakpoint:
        signal = SIGTRAP; // int3: SI_KERNEL, as Linux
        break;
    case ExceptionVector::Debug:
        signal = SIGTRAP;
        info.code = signals::TRAP_TRACE;
        info.fault.address = frame.rip;
        break;
    case ExceptionVector::AlignmentCheck:
        signal = SIGBUS;
        info.code = signals::BUS_ADRALN;
        break;
    default: // #GP and the like: SIGSEGV, SI_KERNEL, no address
        break;
    }
    cpu::enable_interrupts();
    // A handler runs on the way back to user mode; without one the
    // process ends here, with a line on the console.
    if (process->force_fault_signal(signal, info)) {
        return;
    }
    kprintln("kite: pid {} ({}) killed by {}: {} at rip {:#x}{}", process->pid(), process->name(),
             signal_name(signal), exception_name(frame.vector), frame.rip, "");
    if (static_cast<ExceptionVector>(frame.vector) == ExceptionVector::PageFault) {
        kprintln("      address {:#x}", cr2);
    }
    process->exit(signal);
}

bool Process::force_fault_signal(int signal, const signals::SigInfo& info) {
    SpinlockGuard guard(table_lock());
    Thread* self = Scheduler::current();
    signals::Action& action = signal_actions[signal];
    const bool blocked = self->user.blocked_signals & signals::bit(signal);
    // Blocked or ignored, the fault would come back at once: Linux then
    // takes the default action, as here.
    if (blocked || action.handler == signals::SIG_IGN) {
        action.handler = signals::SIG_DFL;
        self->user.blocked_signals &= ~signals::bit(signal);
    }
    if (action.handler == signals::SIG_DFL) {
        return false;
    }
    (void)send_thread_signal_locked(self, signal, info);
    return true;
}

// From return_to_user: the frame's RIP is not a user address. Leaving
// through it would fault in ring 0, so the process dies here.
extern "C" [[noreturn]] void user_return_to_bad_address(InterruptFrame* frame) {
    cpu::enable_interrupts();
    Process* process = Process::current();
    VERIFY(process != nullptr);
    // Which way it came (a system call, or the vector of an interrupt or
    // exception) tells whoever reads the line what sent it there.
    if (frame->vector >= InterruptFrame::system_call) {
        kprintln("kite: pid {} ({}) killed by SIGSEGV: return to non-canonical address {:#x} "
                 "after a system call",
                 process->pid(), process->name(), frame->rip);
    } else {
        kprintln("kite: pid {} ({}) killed by SIGSEGV: return to non-canonical address {:#x} "
                 "after vector {}",
                 process->pid(), process->name(), frame->rip, frame->vector);
    }
    process->exit(SIGSEGV);
}

bool Process::resolve_kernel_fault_on_user_address(u64 address, bool write) {
    Process* process = current();
    return process && process->m_user_space && address < user_space_end &&
           process->m_user_space->handle_fault(address, write, false) ==
               UserSpace::FaultResult::Resolved;
}

} // namespace kite
