// signal_calls.cpp: rt_sigaction, rt_sigprocmask, rt_sigreturn, kill, pause
// and rt_sigsuspend (alarm is with the timers, in timer_calls.cpp).
#include "mm/user_memory.h"
#include "proc/process.h"
#include "syscalls/syscall.h"

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
    Process& process = *Process::current();
    const Action old = process.signal_actions[signal];
    if (args.a1 != 0) {
        if (bit(static_cast<int>(signal)) & unblockable) {
            return Error(Errno::INVAL, "SIGKILL and SIGSTOP cannot be caught or ignored");
        }
        Action action = TRY(read_user<Action>({args.a1}));
        action.mask &= ~unblockable;
        process.signal_actions[signal] = action;
    }
    if (args.a2 != 0) {
        auto written = write_user({args.a2}, old);
        if (written.is_error()) {
            process.signal_actions[signal] = old;
            return written.release_error();
        }
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
    return static_cast<i64>(args.frame->rax);
}

SyscallResult sys_kill(const SyscallArguments& args) {
    const i32 pid = static_cast<i32>(args.a0);
    const u64 signal = args.a1;
    if (signal != 0 && !valid_signal(signal)) {
        return Error(Errno::INVAL, "bad signal");
    }
    Process& self = *Process::current();
    usize found = 0;
    Process::for_each([&](Process& target) {
        if (target.state() == ProcessState::Zombie && pid <= 0) {
            return;
        }
        bool chosen;
        if (pid > 0) {
            chosen = target.pid() == pid;
        } else if (pid == 0) {
            chosen = target.process_group() == self.process_group();
        } else if (pid == -1) {
            chosen = target.pid() != 1 && &target != &self;
        } else {
            chosen = target.process_group() == -pid;
        }
        if (chosen) {
            ++found;
            if (signal != 0) {
                target.send_signal_locked(static_cast<int>(signal));
            }
        }
    });
    if (found == 0) {
        return Error(Errno::SRCH, "no such process");
    }
    return 0;
}

namespace {

// tkill and tgkill: a signal for one thread (tgid -1: of any process).
SyscallResult kill_thread(i32 tgid, i32 tid, u64 signal) {
    if (tid <= 0 || (tgid != -1 && tgid <= 0) || (signal != 0 && !valid_signal(signal))) {
        return Error(Errno::INVAL, "bad thread id or signal");
    }
    SpinlockGuard guard(Process::table_lock());
    Thread* thread = Process::find_thread(tid);
    if (!thread || (tgid != -1 && thread->process()->pid() != tgid)) {
        return Error(Errno::SRCH, "no such thread");
    }
    if (signal != 0) {
        thread->process()->send_thread_signal_locked(thread, static_cast<int>(signal));
    }
    return 0;
}

} // namespace

SyscallResult sys_tkill(const SyscallArguments& args) {
    return kill_thread(-1, static_cast<i32>(args.a0), args.a1);
}

SyscallResult sys_tgkill(const SyscallArguments& args) {
    return kill_thread(static_cast<i32>(args.a0), static_cast<i32>(args.a1), args.a2);
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
        pending = (self.user.pending_signals | Process::current()->pending_signals()) &
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
