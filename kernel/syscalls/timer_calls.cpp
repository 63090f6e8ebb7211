// timer_calls.cpp: the timers of a process: setitimer, getitimer and alarm
// (ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF), and the POSIX timers
// (timer_create, timer_settime, timer_gettime, timer_getoverrun,
// timer_delete). The state is the process's IntervalTimers, under the
// process table lock; the timer tick fires them (proc/process_timers.h).
// The checks come in Linux's order, so that a call with two faults gives
// Linux's errno.
#include "api/constants.h"
#include "api/signals.h"
#include "api/types.h"
#include "proc/process.h"
#include "proc/process_timers.h"
#include "syscalls/clocks.h"
#include "syscalls/syscall.h"
#include "time/clock.h"

namespace kite {

namespace {

constexpr u64 ns_per_second = 1'000'000'000;
// Longer times saturate here (Linux saturates at KTIME_MAX, 2^63 - 1 ns):
// some 146 years, and no sum of a deadline and a period overflows.
constexpr u64 max_ns = u64{1} << 62;

u64 saturating_ns(i64 seconds, u64 sub_second_ns) {
    const u64 whole = static_cast<u64>(seconds);
    return whole >= max_ns / ns_per_second ? max_ns : whole * ns_per_second + sub_second_ns;
}

// Linux's timeval_valid and timespec64_valid: EINVAL for a negative time
// or a fraction of a second out of range.
ErrorOr<u64> timeval_ns(const abi::Timeval& time) {
    if (time.seconds < 0 || time.microseconds < 0 || time.microseconds >= 1'000'000) {
        return Error(Errno::INVAL, "bad timeval");
    }
    return saturating_ns(time.seconds, static_cast<u64>(time.microseconds) * 1000);
}

ErrorOr<u64> timespec_ns(const abi::Timespec& time) {
    if (time.seconds < 0 || time.nanoseconds < 0 ||
        time.nanoseconds >= static_cast<i64>(ns_per_second)) {
        return Error(Errno::INVAL, "bad timespec");
    }
    return saturating_ns(time.seconds, static_cast<u64>(time.nanoseconds));
}

// To user space, truncated as Linux does (a remaining 1.5 us reads 1 us).
abi::Timeval to_timeval(u64 ns) {
    return {static_cast<i64>(ns / ns_per_second), static_cast<i64>(ns % ns_per_second / 1000)};
}
abi::Timespec to_timespec(u64 ns) {
    return {static_cast<i64>(ns / ns_per_second), static_cast<i64>(ns % ns_per_second)};
}

ErrorOr<IntervalTimer> interval_timer(u64 raw) {
    switch (static_cast<i64>(int_argument(raw))) {
    case abi::itimer::REAL:
        return IntervalTimer::Real;
    case abi::itimer::VIRTUAL:
        return IntervalTimer::Virtual;
    case abi::itimer::PROF:
        return IntervalTimer::Prof;
    default:
        return Error(Errno::INVAL, "bad itimer");
    }
}

// Replaces (or, with no new setting, reads) an interval timer of the
// calling process; gives the setting before.
TimerValue exchange_interval_timer(IntervalTimer which, const TimerValue* setting) {
    Process& process = *Process::current();
    SpinlockGuard guard(Process::table_lock());
    const u64 now = clock::monotonic_ns();
    process_timers::expire_due(process, now);
    if (!setting) {
        return process.timers.get(which, now, clock::tick_period_ns());
    }
    const TimerValue old = process.timers.set(which, *setting, now, clock::tick_period_ns());
    process_timers::note_deadline(process.timers.next_deadline());
    return old;
}

abi::Itimerval to_itimerval(const TimerValue& value) {
    return {to_timeval(value.interval_ns), to_timeval(value.value_ns)};
}

} // namespace

SyscallResult sys_getitimer(const SyscallArguments& args) {
    const IntervalTimer which = TRY(interval_timer(args.a0));
    const TimerValue now = exchange_interval_timer(which, nullptr);
    TRY(user_pointer<abi::Itimerval>(args.a1).write(to_itimerval(now)));
    return 0;
}

// setitimer: a null new value disarms the timer (Linux still takes it,
// with a warning), and the old value is written after the change is made.
SyscallResult sys_setitimer(const SyscallArguments& args) {
    const auto wanted = user_pointer<abi::Itimerval>(args.a1);
    const auto previous = user_pointer<abi::Itimerval>(args.a2);
    TimerValue setting;
    if (!wanted.is_null()) {
        const abi::Itimerval value = TRY(wanted.read());
        setting = {TRY(timeval_ns(value.value)), TRY(timeval_ns(value.interval))};
    }
    const IntervalTimer which = TRY(interval_timer(args.a0));
    const TimerValue old = exchange_interval_timer(which, &setting);
    if (!previous.is_null()) {
        TRY(previous.write(to_itimerval(old)));
    }
    return 0;
}

// alarm: ITIMER_REAL in whole seconds, with no period. Gives what was left
// of the timer before, rounded to the nearest second, but never 0 while it
// was armed (Linux's alarm_setitimer).
SyscallResult sys_alarm(const SyscallArguments& args) {
    // alarm takes an unsigned int: the upper half of the register is not
    // part of the argument.
    const TimerValue setting{(args.a0 & 0xffff'ffff) * ns_per_second, 0};
    const TimerValue old = exchange_interval_timer(IntervalTimer::Real, &setting);
    u64 seconds = old.value_ns / ns_per_second;
    const u64 fraction = old.value_ns % ns_per_second;
    if ((seconds == 0 && fraction != 0) || fraction >= ns_per_second / 2) {
        ++seconds;
    }
    return static_cast<i64>(seconds);
}

SyscallResult sys_timer_create(const SyscallArguments& args) {
    const auto event_pointer = user_pointer<abi::Sigevent>(args.a1);
    abi::Sigevent event{};
    if (!event_pointer.is_null()) {
        event = TRY(event_pointer.read());
    }
    const Clock clock = TRY(clock_from_id(args.a0));
    if (!clock.can_sleep) {
        return Error(Errno::OPNOTSUPP, "no timers on this clock");
    }
    // No sigevent: SIGALRM, with the timer's id for a value.
    PosixTimerSetup setup{int_argument(args.a0), true, abi::signals::ALRM, 0, true};
    if (!event_pointer.is_null()) {
        switch (event.notify) {
        case abi::sigev::SIGNAL:
        case abi::sigev::THREAD: // a C library's business: to the kernel, a signal
            if (event.signo <= 0 || event.signo > abi::signals::count) {
                return Error(Errno::INVAL, "bad timer signal");
            }
            setup.signal_number = event.signo;
            setup.value = event.value;
            setup.value_is_id = false;
            break;
        case abi::sigev::NONE:
            setup.signal = false;
            setup.value_is_id = false;
            break;
        case abi::sigev::THREAD_ID: {
            // A thread of the caller's own process, as Linux requires.
            SpinlockGuard guard(Process::table_lock());
            Thread* thread = Process::find_thread(event.thread_id);
            if (!thread || thread->process() != Process::current()) {
                return Error(Errno::INVAL, "SIGEV_THREAD_ID names no thread of this process");
            }
            if (event.signo <= 0 || event.signo > abi::signals::count) {
                return Error(Errno::INVAL, "bad timer signal");
            }
            setup.signal_number = event.signo;
            setup.value = event.value;
            setup.value_is_id = false;
            setup.thread_id = event.thread_id;
            break;
        }
        default:
            return Error(Errno::INVAL, "bad timer notification");
        }
    }
    Process& process = *Process::current();
    int id;
    {
        SpinlockGuard guard(Process::table_lock());
        id = TRY(process.timers.create(setup));
    }
    if (auto stored = write_user<i32>({args.a2}, id); stored.is_error()) {
        SpinlockGuard guard(Process::table_lock());
        (void)process.timers.remove(id);
        return stored.error();
    }
    return 0;
}

SyscallResult sys_timer_settime(const SyscallArguments& args) {
    const auto wanted = user_pointer<abi::Itimerspec>(args.a2);
    const auto previous = user_pointer<abi::Itimerspec>(args.a3);
    if (wanted.is_null()) {
        return Error(Errno::INVAL, "no new setting");
    }
    const abi::Itimerspec value = TRY(wanted.read());
    const u64 interval = TRY(timespec_ns(value.interval));
    const u64 when = TRY(timespec_ns(value.value));
    const int id = int_argument(args.a0);
    Process& process = *Process::current();
    TimerValue old;
    {
        SpinlockGuard guard(Process::table_lock());
        const PosixTimerSetup setup = TRY(process.timers.setup(id));
        const u64 now = clock::monotonic_ns();
        process_timers::expire_due(process, now);
        u64 deadline = 0; // on the monotonic clock; 0: disarmed
        if (when != 0 && (args.a1 & abi::timer_abstime)) {
            // The timer's clock runs with the monotonic one (the wall
            // clock cannot be set yet): its time to go is the time left,
            // none if the time has passed.
            const Clock clock = TRY(clock_from_id(static_cast<u64>(setup.clock)));
            const i64 left = static_cast<i64>(when) - clock_now_ns(clock.base);
            deadline = now + (left > 0 ? static_cast<u64>(left) : 0);
        } else if (when != 0) {
            deadline = now + when;
        }
        old = TRY(process.timers.set_posix(id, deadline, interval, now));
        process_timers::note_deadline(process.timers.next_deadline());
    }
    if (!previous.is_null()) {
        TRY(previous.write({to_timespec(old.interval_ns), to_timespec(old.value_ns)}));
    }
    return 0;
}

SyscallResult sys_timer_gettime(const SyscallArguments& args) {
    Process& process = *Process::current();
    TimerValue now;
    {
        SpinlockGuard guard(Process::table_lock());
        const u64 time = clock::monotonic_ns();
        process_timers::expire_due(process, time);
        now = TRY(process.timers.get_posix(int_argument(args.a0), time));
    }
    TRY(user_pointer<abi::Itimerspec>(args.a1).write(
        {to_timespec(now.interval_ns), to_timespec(now.value_ns)}));
    return 0;
}

SyscallResult sys_timer_getoverrun(const SyscallArguments& args) {
    Process& process = *Process::current();
    SpinlockGuard guard(Process::table_lock());
    return TRY(process.timers.overrun(int_argument(args.a0), process.pending_anywhere_locked()));
}

SyscallResult sys_timer_delete(const SyscallArguments& args) {
    SpinlockGuard guard(Process::table_lock());
    TRY(Process::current()->timers.remove(int_argument(args.a0)));
    return 0;
}

} // namespace kite
