// signal_calls.cpp: rt_sigaction, rt_sigprocmask, rt_sigreturn, kill, pause
// and rt_sigsuspend (alarm is with the timers, in timer_calls.cpp).
#include "api/types.h"
#include "mm/user_memory.h"
#include "proc/altstack.h"
#include "proc/process.h"
#include "syscalls/clocks.h"
#include "syscalls/syscall.h"
#include "time/clock.h"

namespace kite {

namespace {

using namespace signals;

bool valid_signal(u64 signal) {
    return signal >= 1 && signal <= static_cast<u64>(count);
}

} // namespace

SyscallResult sys_rt_sigaction(const SyscallArguments& args) {
    const u64 signal = args.a0;
    if (!valid_signal(signal) || args.a3 != sizeof(u64)) {
        return Error(Errno::INVAL, "bad signal or sigset size");
    }
    // The actions are the threads' in common: read and replaced whole under
    // the table lock, so that a delivery never sees half of one.
    Process& process = *Process::current();
    Action action{};
    if (args.a1 != 0) {
        if (bit(static_cast<int>(signal)) & unblockable) {
            return Error(Errno::INVAL, "SIGKILL and SIGSTOP cannot be caught or ignored");
        }
        action = TRY(read_user<Action>({args.a1}));
        action.mask &= ~unblockable;
    }
    Action old;
    {
        SpinlockGuard guard(Process::table_lock());
        old = process.signal_actions[signal];
        if (args.a1 != 0) {
            process.signal_actions[signal] = action;
            process.discard_if_ignored_locked(static_cast<int>(signal));
        }
    }
    // As Linux: the new action stays even if the old one cannot be written.
    if (args.a2 != 0) {
        TRY(write_user({args.a2}, old));
    }
    return 0;
}

SyscallResult sys_rt_sigprocmask(const SyscallArguments& args) {
    if (args.a3 != sizeof(u64)) {
        return Error(Errno::INVAL, "bad sigset size");
    }
    Thread& self = *Scheduler::current();
    const u64 old = self.user.blocked_signals;
    if (args.a1 != 0) {
        const u64 set = TRY(read_user<u64>({args.a1}));
        u64 blocked = old;
        switch (args.a0) {
        case SIG_BLOCK:
            blocked |= set;
            break;
        case SIG_UNBLOCK:
            blocked &= ~set;
            break;
        case SIG_SETMASK:
            blocked = set;
            break;
        default:
            return Error(Errno::INVAL, "bad how");
        }
        SpinlockGuard guard(Process::table_lock());
        self.user.blocked_signals = blocked & ~unblockable;
        Process::current()->retarget_pending_locked(); // another thread may take them now
    }
    if (args.a2 != 0) {
        TRY(write_user({args.a2}, old));
    }
    return 0;
}

SyscallResult sys_rt_sigreturn(const SyscallArguments& args) {
    Process& process = *Process::current();
    auto restored = process.return_from_signal(*args.frame);
    if (restored.is_error()) {
        process.exit(SEGV); // a corrupt frame: what Linux does too
    }
    args.frame->vector = InterruptFrame::restored_context;
    return static_cast<i64>(args.frame->rax);
}

namespace {

// What kill, tkill and tgkill tell the receiver: who sent it.
SigInfo sender_info(int code) {
    SigInfo info{};
    info.code = code;
    info.kill.pid = Process::current()->pid();
    info.kill.uid = Process::current()->uid;
    return info;
}

} // namespace

SyscallResult sys_kill(const SyscallArguments& args) {
    const i32 pid = static_cast<i32>(args.a0);
    const u64 signal = args.a1;
    if (signal != 0 && !valid_signal(signal)) {
        return Error(Errno::INVAL, "bad signal");
    }
    Process& self = *Process::current();
    const SigInfo info = sender_info(SI_USER);
    SpinlockGuard guard(Process::table_lock());
    if (pid > 0) {
        // A thread's id names its process too, as on Linux.
        Process* target = Process::find(pid);
        if (!target) {
            Thread* thread = Process::find_thread(pid);
            target = thread ? thread->process() : nullptr;
        }
        if (!target) {
            return Error(Errno::SRCH, "no such process");
        }
        if (signal != 0) {
            (void)target->send_signal_locked(static_cast<int>(signal), info);
        }
        return 0;
    }
    usize found = 0;
    Process::for_each_locked([&](Process& target) {
        if (target.state() == ProcessState::Zombie) {
            return;
        }
        bool chosen;
        if (pid == 0) {
            chosen = target.process_group() == self.process_group();
        } else if (pid == -1) {
            chosen = target.pid() != 1 && &target != &self;
        } else {
            chosen = target.process_group() == -pid;
        }
        if (chosen) {
            ++found;
            if (signal != 0) {
                (void)target.send_signal_locked(static_cast<int>(signal), info);
            }
        }
    });
    if (found == 0) {
        return Error(Errno::SRCH, "no such process");
    }
    return 0;
}

namespace {

// tkill, tgkill and rt_tgsigqueueinfo: a signal for one thread (tgid -1:
// of any process).
SyscallResult signal_thread(i32 tgid, i32 tid, u64 signal, const SigInfo& info) {
    if (tid <= 0 || (tgid != -1 && tgid <= 0) || (signal != 0 && !valid_signal(signal))) {
        return Error(Errno::INVAL, "bad thread id or signal");
    }
    SpinlockGuard guard(Process::table_lock());
    Thread* thread = Process::find_thread(tid);
    if (!thread || (tgid != -1 && thread->process()->pid() != tgid)) {
        return Error(Errno::SRCH, "no such thread");
    }
    if (signal != 0 &&
        !thread->process()->send_thread_signal_locked(thread, static_cast<int>(signal), info)) {
        return Error(Errno::AGAIN, "too many real-time signals queued");
    }
    return 0;
}

// sigqueue's siginfo from user space: the caller may claim a kernel or
// kill() code only for itself (EPERM otherwise), as Linux.
ErrorOr<SigInfo> queued_info(u64 address, i32 target_pid) {
    SigInfo info = TRY(read_user<SigInfo>({address}));
    if ((info.code >= 0 || info.code == SI_TKILL) && target_pid != Process::current()->pid()) {
        return Error(Errno::PERM, "only SI_QUEUE-like codes may be sent to another process");
    }
    return info;
}

} // namespace

SyscallResult sys_tkill(const SyscallArguments& args) {
    return signal_thread(-1, static_cast<i32>(args.a0), args.a1, sender_info(SI_TKILL));
}

SyscallResult sys_tgkill(const SyscallArguments& args) {
    if (static_cast<i32>(args.a0) <= 0) {
        return Error(Errno::INVAL, "bad thread group id");
    }
    return signal_thread(static_cast<i32>(args.a0), static_cast<i32>(args.a1), args.a2,
                         sender_info(SI_TKILL));
}

// rt_sigqueueinfo(tgid, sig, info): a signal with a siginfo of the
// caller's making, to a process.
SyscallResult sys_rt_sigqueueinfo(const SyscallArguments& args) {
    const i32 pid = static_cast<i32>(args.a0);
    const SigInfo info = TRY(queued_info(args.a2, pid));
    SpinlockGuard guard(Process::table_lock());
    Process* target = pid > 0 ? Process::find(pid) : nullptr;
    if (!target || target->state() == ProcessState::Zombie) {
        return Error(Errno::SRCH, "no such process");
    }
    if (args.a1 != 0 && !valid_signal(args.a1)) {
        return Error(Errno::INVAL, "bad signal");
    }
    if (args.a1 != 0 && !target->send_signal_locked(static_cast<int>(args.a1), info)) {
        return Error(Errno::AGAIN, "too many real-time signals queued");
    }
    return 0;
}

// rt_tgsigqueueinfo(tgid, tid, sig, info): the same, to one thread.
SyscallResult sys_rt_tgsigqueueinfo(const SyscallArguments& args) {
    const i32 tgid = static_cast<i32>(args.a0);
    const i32 tid = static_cast<i32>(args.a1);
    if (tgid <= 0 || tid <= 0) {
        return Error(Errno::INVAL, "bad thread id");
    }
    const SigInfo info = TRY(queued_info(args.a3, tgid));
    return signal_thread(tgid, tid, args.a2, info);
}

// rt_sigtimedwait(set, info, timeout, sigsetsize): takes a pending signal
// of the set instead of delivering it.
SyscallResult sys_rt_sigtimedwait(const SyscallArguments& args) {
    if (args.a3 != sizeof(u64)) {
        return Error(Errno::INVAL, "bad sigset size");
    }
    const u64 set = TRY(read_user<u64>({args.a0}));
    u64 deadline = ~u64{0};
    if (args.a2 != 0) {
        const u64 ns = TRY(read_timespec_ns(args.a2));
        deadline = ns == 0 ? 0 : clock::monotonic_ns() + ns;
    }
    SigInfo info;
    const int signal = TRY(Process::current()->wait_for_signal(set, deadline, info));
    if (args.a1 != 0) {
        TRY(write_user({args.a1}, info));
    }
    return signal;
}

// sigaltstack(ss, old): the change first, then the old stack as it was, as
// Linux (which also leaves the change made if writing the old one fails).
SyscallResult sys_sigaltstack(const SyscallArguments& args) {
    const u64 sp = args.frame->rsp;
    const StackT old = current_altstack(sp);
    if (args.a0 != 0) {
        const StackT stack = TRY(read_user<StackT>({args.a0}));
        TRY(set_altstack(stack, sp));
    }
    if (args.a1 != 0) {
        TRY(write_user({args.a1}, old));
    }
    return 0;
}

// The blocked signals waiting for this thread or its process; a set of up
// to sigset_t's 8 bytes (Linux copies as many as asked).
SyscallResult sys_rt_sigpending(const SyscallArguments& args) {
    if (args.a1 > sizeof(u64)) {
        return Error(Errno::INVAL, "bad sigset size");
    }
    Thread& self = *Scheduler::current();
    u64 pending;
    {
        SpinlockGuard guard(Process::table_lock());
        pending = (self.user.pending.mask() | Process::current()->pending_signals()) &
                  self.user.blocked_signals;
    }
    TRY(copy_to_user({args.a0}, &pending, args.a1));
    return 0;
}

// Sleeps until a signal is delivered; a handled one makes it return EINTR.
SyscallResult sys_rt_sigsuspend(const SyscallArguments& args) {
    if (args.a1 != sizeof(u64)) {
        return Error(Errno::INVAL, "bad sigset size");
    }
    const u64 mask = TRY(read_user<u64>({args.a0}));
    Process::current()->suspend(mask);
    // EINTR once a handler has run; restarted (with the mask from before
    // put back) if the signal was handled without one, as Linux does.
    return Error(Errno::RESTARTNOHAND, "a signal arrived");
}

SyscallResult sys_pause(const SyscallArguments&) {
    for (;;) {
        if (Scheduler::sleep_interruptible_ns(~u64{0} >> 2) == WaitResult::Interrupted) {
            // EINTR after a handler; a stop and continue, say, goes on pausing.
            return Error(Errno::RESTARTNOHAND, "interrupted by a signal");
        }
    }
}

} // namespace kite
