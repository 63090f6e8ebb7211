// signal_delivery.cpp: sending signals to processes and threads and
// delivering them on the way back to user mode. A signal sent to the
// process waits in its pending set until some thread that does not block
// it takes it; one sent to a thread, in that thread's own. Pending and
// blocked signals change under the process table lock; deliver_signals, on
// the way out to user mode, runs with interrupts off instead (one CPU: no
// sender can run meanwhile). User memory is written with no lock held.
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "console/console.h"
#include "mm/user_memory.h"
#include "proc/process.h"

namespace kite {

namespace {

using namespace signals;

constexpr u64 red_zone = 128;
constexpr u64 syscall_vector = 0x100;
// RFLAGS bits user code may set through sigreturn: CF PF AF ZF SF TF DF OF AC.
constexpr u64 user_flags = 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | 0x40000;
constexpr u64 interrupt_flag = 0x200;
constexpr u32 mxcsr_writable = 0xFFBF; // MXCSR_MASK of every x86-64 CPU without DAZ quirks

bool ignored_by_default(int signal) {
    return signal == CHLD || signal == URG || signal == WINCH || signal == CONT;
}

} // namespace

void Process::send_signal(int signal) {
    SpinlockGuard guard(table_lock());
    send_signal_locked(signal);
}

// What sending a signal does before it is queued, for the process or one
// of its threads: SIGKILL and SIGCONT end a stop (and drop pending stop
// signals), a stop signal drops a pending SIGCONT. False if the signal is
// to be dropped: the process is gone, or the signal would be ignored and
// the target (the thread, or the first for the process) does not block it
// (a blocked one waits: a handler may come before it is unblocked).
bool Process::prepare_signal_locked(int signal, const Thread* target) {
    VERIFY(table_lock().is_held());
    if (signal <= 0 || signal > count || m_state == ProcessState::Zombie) {
        return false;
    }
    if (signal == KILL || signal == CONT) {
        m_pending_signals &= ~stop_signals;
        for (Thread* t = m_threads; t; t = t->user.next_in_process) {
            t->user.pending_signals &= ~stop_signals;
            t->user.stop_pending = false;
        }
        if (m_stopped) {
            m_stopped = false;
            m_continued.wake_all();
            if (signal == CONT) { // the parent hears of it (wait4 WCONTINUED)
                m_stop_reported = true;
                m_continue_reported = false;
                if (m_parent) {
                    m_parent->m_child_event.wake_all();
                    m_parent->send_signal_locked(CHLD);
                }
            }
        }
    }
    if (bit(signal) & stop_signals) {
        m_pending_signals &= ~bit(CONT);
        for (Thread* t = m_threads; t; t = t->user.next_in_process) {
            t->user.pending_signals &= ~bit(CONT);
        }
    }
    const Action& action = signal_actions[signal];
    const bool ignored =
        action.handler == SIG_IGN || (action.handler == SIG_DFL && ignored_by_default(signal));
    return !ignored || (bit(signal) & unblockable) ||
           (target && (target->user.blocked_signals & bit(signal)));
}

void Process::send_signal_locked(int signal) {
    if (!prepare_signal_locked(signal, m_threads)) {
        return;
    }
    m_pending_signals |= bit(signal);
    for (Thread* t = m_threads; t; t = t->user.next_in_process) {
        t->user.signals_to_check = true; // any of them may take it
    }
    // One thread that can take it is told; SIGKILL tells them all, since
    // it ends every one of them.
    for (Thread* t = m_threads; t; t = t->user.next_in_process) {
        if (bit(signal) & (~t->user.blocked_signals | unblockable)) {
            Scheduler::interrupt(t);
            if (signal != KILL) {
                break;
            }
        }
    }
}

void Process::send_thread_signal_locked(Thread* thread, int signal) {
    VERIFY(thread->process() == this);
    if (!prepare_signal_locked(signal, thread)) {
        return;
    }
    thread->user.pending_signals |= bit(signal);
    thread->user.signals_to_check = true;
    if (bit(signal) & (~thread->user.blocked_signals | unblockable)) {
        Scheduler::interrupt(thread);
    }
}

// Stops the whole group until SIGCONT or SIGKILL; the parent hears of it
// (wait4 WUNTRACED). The other threads join the stop on their way to user
// mode (stop_pending).
void Process::stop(int signal) {
    SpinlockGuard guard(table_lock());
    m_stopped = true;
    m_stop_signal = signal;
    m_stop_reported = false;
    m_continue_reported = true; // a stop supersedes an unreported continue
    if (m_parent) {
        m_parent->m_child_event.wake_all();
        m_parent->send_signal_locked(CHLD);
    }
    Thread* self = Scheduler::current();
    for (Thread* t = m_threads; t; t = t->user.next_in_process) {
        if (t != self) {
            t->user.stop_pending = true;
            t->user.signals_to_check = true;
            Scheduler::interrupt(t);
        }
    }
    wait_while_stopped_locked();
}

void Process::wait_while_stopped_locked() {
    Thread& self = *Scheduler::current();
    while (m_stopped && !(self.user.pending_signals & bit(KILL))) {
        (void)m_continued.wait(table_lock());
        self.clear_interrupt();
    }
}

bool Process::setup_handler_frame(InterruptFrame& frame, int signal, const Action& action) {
    // Below the red zone: the FPU state (64-byte aligned), then the frame,
    // placed so that rsp + 8 is 16-byte aligned at the handler's entry, as
    // after a call.
    const u64 fpstate = (frame.rsp - red_zone - sizeof(FpuState)) & ~u64{63};
    const u64 at = ((fpstate - sizeof(Frame)) & ~u64{15}) - 8;
    FpuState fpu;
    fpu::save(fpu);
    Frame f{};
    f.return_address = action.restorer;
    SigContext& c = f.context.mcontext;
    c.r8 = frame.r8, c.r9 = frame.r9, c.r10 = frame.r10, c.r11 = frame.r11;
    c.r12 = frame.r12, c.r13 = frame.r13, c.r14 = frame.r14, c.r15 = frame.r15;
    c.rdi = frame.rdi, c.rsi = frame.rsi, c.rbp = frame.rbp, c.rbx = frame.rbx;
    c.rdx = frame.rdx, c.rax = frame.rax, c.rcx = frame.rcx, c.rsp = frame.rsp;
    c.rip = frame.rip, c.eflags = frame.rflags;
    c.cs = gdt::user_code_selector;
    c.ss = gdt::user_data_selector;
    c.trapno = frame.vector < 32 ? frame.vector : 0;
    c.err = frame.vector < 32 ? frame.error_code : 0;
    // After rt_sigsuspend, the handler's return restores the mask from
    // before the suspension, not the suspension's own.
    Thread& self = *Scheduler::current();
    const u64 mask_to_restore =
        self.user.mask_saved ? self.user.saved_mask : self.user.blocked_signals;
    c.oldmask = mask_to_restore;
    c.fpstate = fpstate;
    f.context.sigmask = mask_to_restore;
    f.info.signo = signal;
    f.info.code = 0x80; // SI_KERNEL
    cpu::enable_interrupts();
    if (copy_to_user({fpstate}, &fpu, sizeof(fpu)).is_error() ||
        copy_to_user({at}, &f, sizeof(f)).is_error()) {
        return false;
    }
    cpu::disable_interrupts();
    frame.rip = action.handler;
    frame.rsp = at;
    frame.rdi = static_cast<u64>(signal);
    frame.rsi = at + __builtin_offsetof(Frame, info);
    frame.rdx = at + __builtin_offsetof(Frame, context);
    frame.rax = 0;
    frame.rflags &= ~u64{0x100 | 0x400}; // no single-stepping, direction up
    frame.cs = gdt::user_code_selector;
    frame.ss = gdt::user_data_selector;
    self.user.blocked_signals |= action.mask | ((action.flags & SA_NODEFER) ? 0 : bit(signal));
    self.user.blocked_signals &= ~unblockable;
    if (action.flags & SA_RESETHAND) {
        signal_actions[signal] = {};
    }
    return true;
}

void Process::deliver_pending_signals(InterruptFrame& frame) {
    const u64 restart_code = static_cast<u64>(-static_cast<i64>(Errno::RESTARTSYS));
    const u64 restart_unless_handled = static_cast<u64>(-static_cast<i64>(Errno::RESTARTNOHAND));
    // A system call that was interrupted says so with -ERESTARTSYS in rax
    // and its number kept in the error-code slot.
    const bool interrupted_call =
        frame.vector == syscall_vector &&
        (frame.rax == restart_code || frame.rax == restart_unless_handled);
    const bool restart_with_handler = frame.rax == restart_code;
    bool handled = false;
    bool restart = interrupted_call;
    Thread& self = *Scheduler::current();
    for (;;) {
        if (self.user.stop_pending) { // another thread stopped the group
            self.user.stop_pending = false;
            {
                SpinlockGuard guard(table_lock());
                wait_while_stopped_locked();
            }
            cpu::disable_interrupts();
        }
        // The thread's own signals first, then the process's, as Linux.
        const u64 allowed = ~self.user.blocked_signals | unblockable;
        const u64 own = self.user.pending_signals & allowed;
        const u64 shared = m_pending_signals & allowed;
        if ((own | shared) == 0) {
            break;
        }
        const int signal = __builtin_ctzll(own ? own : shared) + 1;
        (own ? self.user.pending_signals : m_pending_signals) &= ~bit(signal);
        const Action action = signal_actions[signal];
        if (action.handler == SIG_IGN && !(bit(signal) & unblockable)) {
            continue;
        }
        if (action.handler == SIG_DFL || (bit(signal) & unblockable)) {
            if (ignored_by_default(signal)) {
                continue;
            }
            if (bit(signal) & stop_signals) {
                stop(signal);
                cpu::disable_interrupts();
                continue;
            }
            cpu::enable_interrupts();
            exit(signal); // the default: terminate
        }
        if (interrupted_call) {
            restart = restart_with_handler && (action.flags & SA_RESTART);
            if (!restart) {
                frame.rax = static_cast<u64>(-static_cast<i64>(Errno::INTR));
            }
        }
        if (restart) {
            frame.rax = frame.error_code; // the system call number
            frame.rip -= 2;               // the syscall instruction again
            restart = false;
        }
        if (!setup_handler_frame(frame, signal, action)) {
            kprintln("kite: pid {} ({}): cannot write a signal frame; killed by SIGSEGV", m_pid,
                     m_name);
            cpu::enable_interrupts();
            exit(SEGV);
        }
        handled = true;
        break;
    }
    if (restart && !handled) {
        frame.rax = frame.error_code;
        frame.rip -= 2;
    }
    if (self.user.mask_saved) {
        if (!handled) {
            self.user.blocked_signals = self.user.saved_mask;
        }
        self.user.mask_saved = false;
    }
    // Pending but blocked signals keep this thread on the slow path.
    self.user.signals_to_check =
        (self.user.pending_signals | m_pending_signals) != 0 || self.user.stop_pending;
    self.clear_interrupt();
}

void Process::suspend(u64 mask) {
    Thread& self = *Scheduler::current();
    {
        SpinlockGuard guard(table_lock());
        self.user.saved_mask = self.user.blocked_signals;
        self.user.mask_saved = true;
        self.user.signals_to_check = true;
        self.user.blocked_signals = mask & ~unblockable;
    }
    for (;;) {
        {
            SpinlockGuard guard(table_lock());
            if ((m_pending_signals | self.user.pending_signals) &
                (~self.user.blocked_signals | unblockable)) {
                return; // deliver_signals takes it on the way out
            }
        }
        // send_signal interrupts this wait for any signal the mask lets in.
        (void)Scheduler::sleep_interruptible_ns(~u64{0} >> 2);
    }
}

ErrorOr<void> Process::return_from_signal(InterruptFrame& frame) {
    const u64 at = frame.rsp - 8; // the handler's ret popped the return address
    const Frame f = TRY(read_user<Frame>({at}));
    const SigContext& c = f.context.mcontext;
    FpuState fpu = TRY(read_user<FpuState>({c.fpstate}));
    // MXCSR (offset 24) with reserved bits set would make fxrstor fault.
    u32 mxcsr;
    __builtin_memcpy(&mxcsr, fpu.bytes + 24, 4);
    mxcsr &= mxcsr_writable;
    __builtin_memcpy(fpu.bytes + 24, &mxcsr, 4);
    fpu::restore(fpu);
    frame.r8 = c.r8, frame.r9 = c.r9, frame.r10 = c.r10, frame.r11 = c.r11;
    frame.r12 = c.r12, frame.r13 = c.r13, frame.r14 = c.r14, frame.r15 = c.r15;
    frame.rdi = c.rdi, frame.rsi = c.rsi, frame.rbp = c.rbp, frame.rbx = c.rbx;
    frame.rdx = c.rdx, frame.rax = c.rax, frame.rcx = c.rcx, frame.rsp = c.rsp;
    frame.rip = c.rip;
    frame.rflags = (frame.rflags & ~user_flags) | (c.eflags & user_flags) | interrupt_flag;
    frame.cs = gdt::user_code_selector;
    frame.ss = gdt::user_data_selector;
    frame.vector = 0; // not a system call any more: no restart, rax stays
    SpinlockGuard guard(table_lock());
    Scheduler::current()->user.blocked_signals = f.context.sigmask & ~unblockable;
    return {};
}

} // namespace kite
