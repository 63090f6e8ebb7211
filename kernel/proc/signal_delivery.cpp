// signal_delivery.cpp: sending signals to processes and threads and
// delivering them on the way back to user mode. A signal sent to the
// process waits in its pending set until some thread that does not block
// it takes it; one sent to a thread, in that thread's own. Pending and
// blocked signals change under the process table lock, which
// deliver_pending_signals, on the way out to user mode (interrupts off),
// takes for each look at them: a sender may run on another CPU meanwhile.
// User memory is written with no lock held.
#include "api/constants.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "console/console.h"
#include "fs/poll_wait.h"
#include "mm/user_memory.h"
#include "proc/altstack.h"
#include "proc/process.h"
#include "time/clock.h"

namespace kite {

namespace {

using namespace signals;

constexpr u64 red_zone = 128;
constexpr u64 syscall_vector = InterruptFrame::system_call;
constexpr u64 page_fault_vector = 14;
// RFLAGS bits user code may set through sigreturn: CF PF AF ZF SF TF DF OF AC.
constexpr u64 user_flags = 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | 0x40000;
constexpr u64 interrupt_flag = 0x200;
constexpr u32 mxcsr_writable = 0xFFBF; // MXCSR_MASK of every x86-64 CPU without DAZ quirks

bool ignored_by_default(int signal) {
    return signal == CHLD || signal == URG || signal == WINCH || signal == CONT;
}

// CPU time as SIGCHLD's siginfo counts it: clock ticks of USER_HZ.
u64 ticks_to_user_hz(u64 ticks) {
    return ticks * clock::tick_period_ps() / (1'000'000'000'000 / abi::user_hz);
}

} // namespace

void Process::send_signal(int signal) {
    SpinlockGuard guard(table_lock());
    send_signal_locked(signal);
}

void Process::send_signal_locked(int signal) {
    (void)send_signal_locked(signal, kernel_signal_info(signal));
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
        m_pending.clear(stop_signals);
        for (Thread* t = m_threads; t; t = t->user.next_in_process) {
            t->user.pending.clear(stop_signals);
            t->user.stop_pending = false;
        }
        if (m_stopped) {
            m_stopped = false;
            m_stop_complete = false;
            m_continued.wake_all();
            if (signal == CONT) { // the parent hears of it (wait4 WCONTINUED)
                m_stop_reported = true;
                m_continue_reported = false;
                tell_parent_locked(abi::CLD_CONTINUED, CONT);
            }
        }
    }
    if (bit(signal) & stop_signals) {
        m_pending.clear(bit(CONT));
        for (Thread* t = m_threads; t; t = t->user.next_in_process) {
            t->user.pending.clear(bit(CONT));
        }
    }
    const Action& action = signal_actions[signal];
    const bool ignored =
        action.handler == SIG_IGN || (action.handler == SIG_DFL && ignored_by_default(signal));
    return !ignored || (bit(signal) & unblockable) ||
           (target && ((target->user.blocked_signals | target->user.real_blocked) & bit(signal)));
}

bool Process::send_signal_locked(int signal, const SigInfo& info) {
    if (!prepare_signal_locked(signal, m_threads)) {
        return true;
    }
    if (!m_pending.add(signal, info, limits.soft(Resource::PendingSignals))) {
        return false;
    }
    poll_wait::notify(); // a signalfd may be readable now
    for (Thread* t = m_threads; t; t = t->user.next_in_process) {
        t->user.signals_to_check = true; // any of them may take it
    }
    // One thread that can take it is told: the oldest (the leader, if it
    // still runs) that has not been told of another yet, else the oldest
    // that can take it; SIGKILL tells them all, since it ends every one.
    Thread* chosen = nullptr;
    for (Thread* t = m_threads; t; t = t->user.next_in_process) {
        if (!(bit(signal) & (~t->user.blocked_signals | unblockable))) {
            continue;
        }
        if (signal == KILL) {
            Scheduler::interrupt(t);
        } else if (!chosen || (chosen->interrupt_pending() && !t->interrupt_pending())) {
            chosen = t;
        }
    }
    if (chosen) {
        Scheduler::interrupt(chosen);
    }
    return true;
}

bool Process::send_thread_signal_locked(Thread* thread, int signal, const SigInfo& info) {
    VERIFY(thread->process() == this);
    if (!prepare_signal_locked(signal, thread)) {
        return true;
    }
    if (!thread->user.pending.add(signal, info, limits.soft(Resource::PendingSignals))) {
        return false;
    }
    poll_wait::notify();
    thread->user.signals_to_check = true;
    if (bit(signal) & (~thread->user.blocked_signals | unblockable)) {
        Scheduler::interrupt(thread);
    }
    return true;
}

void Process::discard_if_ignored_locked(int signal) {
    VERIFY(table_lock().is_held());
    const Action& action = signal_actions[signal];
    if (action.handler == SIG_IGN || (action.handler == SIG_DFL && ignored_by_default(signal))) {
        m_pending.clear(bit(signal));
        for (Thread* t = m_threads; t; t = t->user.next_in_process) {
            t->user.pending.clear(bit(signal));
        }
    }
}

u64 Process::pending_anywhere_locked() const {
    u64 pending = m_pending.mask();
    for (const Thread* t = m_threads; t; t = t->user.next_in_process) {
        pending |= t->user.pending.mask();
    }
    return pending;
}

bool Process::kill_pending(const Thread& self) const {
    SpinlockGuard guard(table_lock());
    return kill_pending_locked(self);
}

bool Process::kill_pending_locked(const Thread& self) const {
    VERIFY(table_lock().is_held());
    return m_group_exiting || ((m_pending.mask() | self.user.pending.mask()) & bit(KILL));
}

void Process::retarget_pending_locked() {
    VERIFY(table_lock().is_held());
    for (Thread* t = m_threads; t; t = t->user.next_in_process) {
        if (m_pending.mask() & (~t->user.blocked_signals | unblockable)) {
            t->user.signals_to_check = true;
            Scheduler::interrupt(t);
        }
    }
}

void Process::tell_parent_of_exit_locked() {
    const int signal = m_wait_status & 0x7f;
    if (signal == 0) {
        tell_parent_locked(abi::CLD_EXITED, (m_wait_status >> 8) & 0xff);
    } else {
        tell_parent_locked((m_wait_status & 0x80) ? abi::CLD_DUMPED : abi::CLD_KILLED, signal);
    }
}

void Process::tell_parent_locked(int code, int status) {
    VERIFY(table_lock().is_held());
    if (!m_parent) {
        return;
    }
    m_parent->m_child_event.wake_all();
    const int signal = code == abi::CLD_EXITED || code == abi::CLD_KILLED || code == abi::CLD_DUMPED
                           ? m_exit_signal
                           : CHLD;
    if (signal <= 0 || signal > count) {
        return;
    }
    // Stops and continues reach the parent unless it asked not to hear of
    // them (SA_NOCLDSTOP).
    if (signal == CHLD && (code == abi::CLD_STOPPED || code == abi::CLD_CONTINUED) &&
        (m_parent->signal_actions[CHLD].flags & SA_NOCLDSTOP)) {
        return;
    }
    SigInfo info{};
    info.code = code;
    info.child.pid = m_pid;
    info.child.uid = uid;
    info.child.status = status;
    const CpuTimes times = cpu_times_locked();
    info.child.user_time = static_cast<i64>(ticks_to_user_hz(times.user_ticks));
    info.child.system_time = static_cast<i64>(ticks_to_user_hz(times.system_ticks));
    (void)m_parent->send_signal_locked(signal, info);
}

// Stops the whole group until SIGCONT or SIGKILL. The other threads join
// the stop on their way to user mode (stop_pending); the parent hears of
// it (SIGCHLD, wait4 WUNTRACED) once every thread has, as on Linux.
void Process::stop(int signal) {
    SpinlockGuard guard(table_lock());
    m_stopped = true;
    m_stop_complete = false;
    m_stop_signal = signal;
    m_stop_reported = false;
    m_continue_reported = true; // a stop supersedes an unreported continue
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
    if (!m_stopped) {
        return;
    }
    ++m_threads_stopped;
    note_stop_progress_locked();
    while (m_stopped && !(self.user.pending.mask() & bit(KILL))) {
        (void)m_continued.wait(table_lock());
        self.clear_interrupt();
    }
    --m_threads_stopped;
}

void Process::note_stop_progress_locked() {
    VERIFY(table_lock().is_held());
    if (m_stopped && !m_stop_complete && m_threads_stopped >= m_thread_count) {
        m_stop_complete = true;
        tell_parent_locked(abi::CLD_STOPPED, m_stop_signal);
    }
}

bool Process::setup_handler_frame(InterruptFrame& frame, int signal, const Action& action,
                                  const SigInfo& info) {
    Thread& self = *Scheduler::current();
    UserThreadState& user = self.user;
    // Below the red zone, or at the top of the alternate stack if the
    // action asks for it and the thread is not on it yet: the FPU state
    // (64-byte aligned), then the frame, placed so that rsp + 8 is 16-byte
    // aligned at the handler's entry, as after a call.
    const bool nested = on_altstack(user, frame.rsp);
    bool entering = false;
    u64 sp = frame.rsp - red_zone;
    if ((action.flags & SA_ONSTACK) && user.altstack_size != 0 && !on_altstack(user, sp)) {
        sp = user.altstack_sp + user.altstack_size;
        entering = true;
    }
    const u64 fpstate = (sp - sizeof(FpuState)) & ~u64{63};
    const u64 at = ((fpstate - sizeof(Frame)) & ~u64{15}) - 8;
    // A frame that would run off the alternate stack is not written (the
    // process dies of SIGSEGV), as Linux refuses it.
    if ((nested || entering) &&
        !(at > user.altstack_sp && at - user.altstack_sp <= user.altstack_size)) {
        return false;
    }
    FpuState fpu;
    fpu::save_for_user(fpu);
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
    c.cr2 = frame.vector == page_fault_vector && (signal == SEGV || signal == BUS) &&
                    info.code > 0 && info.code < SI_KERNEL
                ? info.fault.address
                : 0;
    // After rt_sigsuspend, the handler's return restores the mask from
    // before the suspension, not the suspension's own.
    const u64 mask_to_restore = user.mask_saved ? user.saved_mask : user.blocked_signals;
    c.oldmask = mask_to_restore;
    c.fpstate = fpstate;
    f.context.sigmask = mask_to_restore;
    // The alternate stack as it was; sigreturn puts it back (which matters
    // with SS_AUTODISARM, which turns it off while the handler runs).
    f.context.stack_sp = user.altstack_sp;
    f.context.stack_flags = user.altstack_flags;
    f.context.stack_size = user.altstack_size;
    f.info = info;
    f.info.signo = signal;
    cpu::enable_interrupts();
    if (copy_to_user({fpstate}, &fpu, sizeof(fpu)).is_error() ||
        copy_to_user({at}, &f, sizeof(f)).is_error()) {
        return false;
    }
    cpu::disable_interrupts();
    if (user.altstack_flags & SS_AUTODISARM) {
        user.altstack_sp = user.altstack_size = 0;
        user.altstack_flags = SS_DISABLE;
    }
    frame.rip = action.handler;
    frame.rsp = at;
    frame.rdi = static_cast<u64>(signal);
    frame.rsi = at + __builtin_offsetof(Frame, info);
    frame.rdx = at + __builtin_offsetof(Frame, context);
    frame.rax = 0;
    frame.rflags &= ~u64{0x100 | 0x400}; // no single-stepping, direction up
    frame.cs = gdt::user_code_selector;
    frame.ss = gdt::user_data_selector;
    user.blocked_signals |= action.mask | ((action.flags & SA_NODEFER) ? 0 : bit(signal));
    user.blocked_signals &= ~unblockable;
    // The mask grew: what it now holds back may be another thread's to take.
    {
        SpinlockGuard guard(table_lock());
        if (action.flags & SA_RESETHAND) {
            signal_actions[signal].handler = SIG_DFL; // the rest stays, as Linux
        }
        retarget_pending_locked();
    }
    cpu::disable_interrupts();
    return true;
}

// The next signal the thread takes: SIGKILL first (it ends everything
// anyway), then the CPU's own (a fault must be handled before its
// instruction runs again), the thread's before the process's, lowest
// number first, as Linux does. 0 if none may be taken now.
int Process::next_signal(Thread& self, SigInfo& info) {
    const u64 allowed = ~self.user.blocked_signals | unblockable;
    const u64 own = self.user.pending.mask() & allowed;
    const u64 shared = m_pending.mask() & allowed;
    PendingSignals* from = nullptr;
    u64 candidates = 0;
    if ((own | shared) & bit(KILL)) {
        from = (own & bit(KILL)) ? &self.user.pending : &m_pending;
        candidates = bit(KILL);
    } else if (own & synchronous_signals) {
        from = &self.user.pending;
        candidates = own & synchronous_signals;
    } else if (own) {
        from = &self.user.pending;
        candidates = own;
    } else if (shared) {
        from = &m_pending;
        candidates = shared;
    } else {
        return 0;
    }
    const int signal = __builtin_ctzll(candidates) + 1;
    from->take(signal, info);
    return signal;
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
        SigInfo info;
        int signal;
        Action action{};
        {
            SpinlockGuard guard(table_lock());
            signal = next_signal(self, info);
            if (signal != 0) {
                action = signal_actions[signal];
            }
        }
        if (signal == 0) {
            break;
        }
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
        if (!setup_handler_frame(frame, signal, action, info)) {
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
    // Pending but blocked signals keep this thread on the slow path; one
    // that may still be taken (a handler runs first) keeps the thread's
    // interruption, so that the handler's own waits end for it.
    SpinlockGuard guard(table_lock());
    const u64 pending = self.user.pending.mask() | m_pending.mask();
    self.user.signals_to_check = pending != 0 || self.user.stop_pending;
    if (!(pending & (~self.user.blocked_signals | unblockable))) {
        self.clear_interrupt();
    }
}

ErrorOr<int> Process::wait_for_signal(u64 set, u64 deadline, SigInfo& info) {
    Thread& self = *Scheduler::current();
    set &= ~unblockable;
    SpinlockGuard guard(table_lock());
    const u64 blocked = self.user.blocked_signals;
    // The mask as it really is, while the set is let in (below): a signal
    // ignored by default (SIGCHLD) is still queued for this wait, as
    // Linux's real_blocked makes it.
    self.user.real_blocked = blocked;
    auto finish = [&] {
        self.user.blocked_signals = blocked;
        self.user.real_blocked = 0;
        retarget_pending_locked(); // what the set let in may be another's now
    };
    for (;;) {
        // The thread's own first, lowest number first, then the process's.
        const u64 own = self.user.pending.mask() & set;
        const u64 shared = m_pending.mask() & set;
        if (own | shared) {
            const int signal = __builtin_ctzll(own ? own : shared) + 1;
            (own ? self.user.pending : m_pending).take(signal, info);
            finish();
            return signal;
        }
        const u64 now = clock::monotonic_ns();
        if (deadline == 0 || (deadline != ~u64{0} && now >= deadline)) {
            finish();
            return Error(Errno::AGAIN, "no signal came");
        }
        if ((self.user.pending.mask() | m_pending.mask()) & ~blocked) {
            // Another signal may be taken (its handler runs on the way out).
            finish();
            return Error(Errno::INTR, "interrupted by another signal");
        }
        // While waiting, the signals of the set are let in, so that sending
        // one wakes this thread; taken here, they are never delivered.
        self.user.blocked_signals = blocked & ~set;
        const u64 timeout = deadline == ~u64{0} ? 0 : deadline - now; // 0: no timeout
        (void)m_signal_waiters.wait(table_lock(), timeout);
        self.clear_interrupt();
    }
}

void Process::suspend(u64 mask) {
    Thread& self = *Scheduler::current();
    {
        SpinlockGuard guard(table_lock());
        self.user.saved_mask = self.user.blocked_signals;
        self.user.mask_saved = true;
        self.user.signals_to_check = true;
        self.user.blocked_signals = mask & ~unblockable;
        retarget_pending_locked();
    }
    for (;;) {
        {
            SpinlockGuard guard(table_lock());
            if ((m_pending.mask() | self.user.pending.mask()) &
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
    // The alternate stack as the frame says, as Linux's restore_altstack
    // (refused, silently, while the thread still runs on it).
    StackT stack{f.context.stack_sp, f.context.stack_flags, 0, f.context.stack_size};
    (void)set_altstack(stack, at + 8);
    SpinlockGuard guard(table_lock());
    Thread& self = *Scheduler::current();
    self.user.blocked_signals = f.context.sigmask & ~unblockable;
    self.user.signals_to_check = true; // a signal the mask held back may go now
    retarget_pending_locked();         // and one it now holds back, another's
    return {};
}

} // namespace kite
