// time_calls.cpp: clocks, CPU times and sleeping.
#include "api/constants.h"
#include "api/types.h"
#include "arch/x86_64/interrupt_guard.h"
#include "mm/user_memory.h"
#include "proc/process.h"
#include "sched/scheduler.h"
#include "syscalls/clocks.h"
#include "syscalls/syscall.h"
#include "time/clock.h"

namespace kite {

namespace {

constexpr i64 ns_per_second = 1'000'000'000;

abi::Timespec to_timespec(i64 ns) {
    return {ns / ns_per_second, ns % ns_per_second};
}

// A timespec from user space as nanoseconds: EINVAL unless 0 <= tv_nsec <
// 1 s and tv_sec >= 0 (Linux's timespec64_valid); huge ones saturate.
ErrorOr<u64> timespec_ns(const abi::Timespec& time) {
    if (time.seconds < 0 || time.nanoseconds < 0 || time.nanoseconds >= ns_per_second) {
        return Error(Errno::INVAL, "bad timespec");
    }
    constexpr u64 max_seconds = ~u64{0} / ns_per_second - 1;
    const u64 seconds = min<u64>(static_cast<u64>(time.seconds), max_seconds);
    return seconds * ns_per_second + static_cast<u64>(time.nanoseconds);
}

i64 ticks_to_user_hz(u64 ticks) {
    return static_cast<i64>(ticks * clock::tick_period_ps() / (1'000'000'000'000 / abi::user_hz));
}

abi::Timeval ticks_to_timeval(u64 ticks) {
    const u64 us = cpu_ticks_to_ns(ticks) / 1000;
    return {static_cast<i64>(us / 1'000'000), static_cast<i64>(us % 1'000'000)};
}

// Sleeps ns (or until a signal comes): EINTR, with what was left in
// *remaining (relative sleeps only: null for an absolute one).
SyscallResult sleep_ns(u64 ns, UserPointer<abi::Timespec>* remaining) {
    if (ns == 0) {
        return 0;
    }
    const u64 start = clock::monotonic_ns();
    if (Scheduler::sleep_interruptible_ns(ns) != WaitResult::Interrupted) {
        return 0;
    }
    if (remaining && !remaining->is_null()) {
        const u64 slept = clock::monotonic_ns() - start;
        TRY(remaining->write(to_timespec(static_cast<i64>(slept < ns ? ns - slept : 0))));
    }
    return Error(Errno::INTR, "interrupted by a signal");
}

} // namespace

SyscallResult sys_clock_gettime(const SyscallArguments& args) {
    const Clock clock = TRY(clock_from_id(args.a0));
    TRY(user_pointer<abi::Timespec>(args.a1).write(to_timespec(clock_now_ns(clock.base))));
    return 0;
}

SyscallResult sys_clock_getres(const SyscallArguments& args) {
    const Clock clock = TRY(clock_from_id(args.a0));
    const auto resolution = user_pointer<abi::Timespec>(args.a1);
    if (!resolution.is_null()) {
        TRY(resolution.write(to_timespec(static_cast<i64>(clock_resolution_ns(clock)))));
    }
    return 0;
}

// clock_nanosleep: the clock is checked before the request is read, and a
// flag other than TIMER_ABSTIME is ignored, as on Linux.
SyscallResult sys_clock_nanosleep(const SyscallArguments& args) {
    const Clock clock = TRY(clock_from_id(args.a0));
    if (!clock.can_sleep) {
        return Error(Errno::OPNOTSUPP, "no sleeping on this clock");
    }
    const abi::Timespec asked = TRY(user_pointer<abi::Timespec>(args.a2).read());
    const u64 request = TRY(timespec_ns(asked));
    auto remaining = user_pointer<abi::Timespec>(args.a3);
    if (!(args.a1 & abi::timer_abstime)) {
        return sleep_ns(request, &remaining);
    }
    // Absolute: until the clock reads `request`; at once if it has. The
    // wall clock runs with the monotonic one (it cannot be set yet), so the
    // time left now is the time to sleep. No remainder is written, and a
    // signal without a handler (a stop and continue) restarts the call,
    // which still ends at the same time, as on Linux.
    const i64 now = clock_now_ns(clock.base);
    const i64 deadline = static_cast<i64>(min<u64>(request, ~u64{0} >> 1));
    auto slept = sleep_ns(deadline > now ? static_cast<u64>(deadline - now) : 0, nullptr);
    if (slept.is_error() && slept.error().code() == Errno::INTR) {
        return Error(Errno::RESTARTNOHAND, "interrupted by a signal");
    }
    return slept;
}

SyscallResult sys_nanosleep(const SyscallArguments& args) {
    const abi::Timespec asked = TRY(user_pointer<abi::Timespec>(args.a0).read());
    const u64 request = TRY(timespec_ns(asked));
    auto remaining = user_pointer<abi::Timespec>(args.a1);
    return sleep_ns(request, &remaining);
}

SyscallResult sys_gettimeofday(const SyscallArguments& args) {
    const auto time = user_pointer<abi::Timeval>(args.a0);
    const auto zone = user_pointer<abi::Timezone>(args.a1);
    if (!time.is_null()) {
        const i64 ns = clock::realtime_ns();
        TRY(time.write({ns / ns_per_second, ns % ns_per_second / 1000}));
    }
    if (!zone.is_null()) {
        TRY(zone.write({0, 0}));
    }
    return 0;
}

// time(2): the wall clock's seconds, also stored at tloc unless it is null.
SyscallResult sys_time(const SyscallArguments& args) {
    const i64 seconds = clock::realtime_ns() / ns_per_second;
    const auto stored = user_pointer<i64>(args.a0);
    if (!stored.is_null()) {
        TRY(stored.write(seconds));
    }
    return seconds;
}

SyscallResult sys_times(const SyscallArguments& args) {
    const auto times = user_pointer<abi::Tms>(args.a0);
    if (!times.is_null()) {
        const Process* process = Process::current();
        const Process::CpuTimes own = process->cpu_times();
        const Process::CpuTimes children = process->children_cpu_times();
        TRY(times.write({ticks_to_user_hz(own.user_ticks), ticks_to_user_hz(own.system_ticks),
                         ticks_to_user_hz(children.user_ticks),
                         ticks_to_user_hz(children.system_ticks)}));
    }
    // Elapsed time in the same units, from an arbitrary start (boot).
    return static_cast<i64>(clock::monotonic_ns() / (1'000'000'000 / abi::user_hz));
}

// getrusage: the user and system times of the process, of its reaped
// children (theirs included), or of the calling thread. Kite keeps none of
// the other counters: they are 0.
SyscallResult sys_getrusage(const SyscallArguments& args) {
    Process::CpuTimes times;
    switch (static_cast<i64>(int_argument(args.a0))) {
    case abi::rusage_who::SELF:
        times = Process::current()->cpu_times();
        break;
    case abi::rusage_who::CHILDREN:
        times = Process::current()->children_cpu_times();
        break;
    case abi::rusage_who::THREAD: {
        const Thread* thread = Scheduler::current();
        InterruptGuard guard; // both counts from the same tick
        times = {thread->user_ticks, thread->runtime_ticks - thread->user_ticks};
        break;
    }
    default:
        return Error(Errno::INVAL, "bad getrusage who");
    }
    abi::Rusage usage{};
    const abi::Timeval user = ticks_to_timeval(times.user_ticks);
    const abi::Timeval system = ticks_to_timeval(times.system_ticks);
    usage.user_seconds = user.seconds;
    usage.user_microseconds = user.microseconds;
    usage.system_seconds = system.seconds;
    usage.system_microseconds = system.microseconds;
    TRY(user_pointer<abi::Rusage>(args.a1).write(usage));
    return 0;
}

} // namespace kite
