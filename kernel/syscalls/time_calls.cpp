// time_calls.cpp: clocks, CPU times and sleeping.
#include "api/constants.h"
#include "api/types.h"
#include "mm/user_memory.h"
#include "proc/process.h"
#include "sched/scheduler.h"
#include "syscalls/syscall.h"
#include "time/clock.h"

namespace kite {

namespace {

constexpr u64 CLOCK_REALTIME = 0;
constexpr u64 CLOCK_MONOTONIC = 1;
constexpr u64 CLOCK_PROCESS_CPUTIME_ID = 2;
constexpr u64 CLOCK_THREAD_CPUTIME_ID = 3;
constexpr u64 CLOCK_MONOTONIC_RAW = 4;
constexpr u64 CLOCK_REALTIME_COARSE = 5;
constexpr u64 CLOCK_MONOTONIC_COARSE = 6;
constexpr u64 CLOCK_BOOTTIME = 7;

abi::Timespec to_timespec(i64 ns) {
    return {ns / 1'000'000'000, ns % 1'000'000'000};
}

// CPU time is counted in timer ticks (whole ticks: a process that ran for
// less than one tick reads 0).
u64 ticks_to_ns(u64 ticks) {
    return ticks * clock::tick_period_ps() / 1000;
}

i64 ticks_to_user_hz(u64 ticks) {
    return static_cast<i64>(ticks * clock::tick_period_ps() / (1'000'000'000'000 / abi::user_hz));
}

} // namespace

SyscallResult sys_clock_gettime(const SyscallArguments& args) {
    i64 ns;
    switch (args.a0) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
        ns = clock::realtime_ns();
        break;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
        ns = static_cast<i64>(clock::monotonic_ns());
        break;
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID: { // one thread per process
        const Process::CpuTimes own = Process::current()->cpu_times();
        ns = static_cast<i64>(ticks_to_ns(own.user_ticks + own.system_ticks));
        break;
    }
    default:
        return Error(Errno::INVAL, "unsupported clock");
    }
    TRY(user_pointer<abi::Timespec>(args.a1).write(to_timespec(ns)));
    return 0;
}

SyscallResult sys_gettimeofday(const SyscallArguments& args) {
    const auto time = user_pointer<abi::Timeval>(args.a0);
    const auto zone = user_pointer<abi::Timezone>(args.a1);
    if (!time.is_null()) {
        const i64 ns = clock::realtime_ns();
        TRY(time.write({ns / 1'000'000'000, ns % 1'000'000'000 / 1000}));
    }
    if (!zone.is_null()) {
        TRY(zone.write({0, 0}));
    }
    return 0;
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

SyscallResult sys_nanosleep(const SyscallArguments& args) {
    const auto request = TRY(user_pointer<abi::Timespec>(args.a0).read());
    const auto remaining = user_pointer<abi::Timespec>(args.a1);
    if (request.seconds < 0 || request.nanoseconds < 0 || request.nanoseconds >= 1'000'000'000) {
        return Error(Errno::INVAL, "bad timespec");
    }
    const u64 max_seconds = ~u64{0} / 1'000'000'000 - 1;
    const u64 seconds = min<u64>(static_cast<u64>(request.seconds), max_seconds);
    const u64 ns = seconds * 1'000'000'000 + static_cast<u64>(request.nanoseconds);
    if (ns == 0) {
        return 0;
    }
    const u64 start = clock::monotonic_ns();
    if (Scheduler::sleep_interruptible_ns(ns) != WaitResult::Interrupted) {
        return 0;
    }
    // Interrupted by a signal: EINTR, with the time left in *rem.
    if (!remaining.is_null()) {
        const u64 slept = clock::monotonic_ns() - start;
        const u64 left = slept < ns ? ns - slept : 0;
        TRY(remaining.write(
            {static_cast<i64>(left / 1'000'000'000), static_cast<i64>(left % 1'000'000'000)}));
    }
    return Error(Errno::INTR, "interrupted by a signal");
}

} // namespace kite
