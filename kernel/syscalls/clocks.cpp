// clocks.cpp: see clocks.h.
#include "syscalls/clocks.h"

#include "api/constants.h"
#include "api/types.h"
#include "mm/user_memory.h"
#include "proc/process.h"
#include "sched/scheduler.h"
#include "syscalls/syscall.h"
#include "time/clock.h"

namespace kite {

ErrorOr<Clock> clock_from_id(u64 raw) {
    namespace id = abi::clock_id;
    switch (int_argument(raw)) {
    case id::REALTIME:
    case id::TAI:
        return Clock{ClockBase::Realtime, false, true};
    case id::REALTIME_COARSE:
        return Clock{ClockBase::Realtime, true, false};
    case id::MONOTONIC:
    case id::BOOTTIME:
        return Clock{ClockBase::Monotonic, false, true};
    case id::MONOTONIC_RAW:
        return Clock{ClockBase::Monotonic, false, false};
    case id::MONOTONIC_COARSE:
        return Clock{ClockBase::Monotonic, true, false};
    // Linux sleeps on, and makes timers of, the CPU-time clocks too; Kite
    // does not yet (EOPNOTSUPP, Linux's answer for a thread's clock).
    case id::PROCESS_CPUTIME_ID:
        return Clock{ClockBase::ProcessCpu, false, false};
    case id::THREAD_CPUTIME_ID:
        return Clock{ClockBase::ThreadCpu, false, false};
    default:
        // Also the negative ids of other processes' CPU clocks
        // (clock_getcpuclockid), which Kite does not have yet.
        return Error(Errno::INVAL, "unsupported clock");
    }
}

u64 cpu_ticks_to_ns(u64 ticks) {
    return ticks * clock::tick_period_ps() / 1000;
}

i64 clock_now_ns(ClockBase base) {
    switch (base) {
    case ClockBase::Realtime:
        return clock::realtime_ns();
    case ClockBase::Monotonic:
        return static_cast<i64>(clock::monotonic_ns());
    case ClockBase::ProcessCpu: {
        const Process::CpuTimes own = Process::current()->cpu_times();
        return static_cast<i64>(cpu_ticks_to_ns(own.user_ticks + own.system_ticks));
    }
    case ClockBase::ThreadCpu:
        return static_cast<i64>(cpu_ticks_to_ns(Scheduler::current()->runtime_ticks));
    }
    return 0;
}

u64 clock_resolution_ns(const Clock& clock) {
    // Linux: 1 ns for the high-resolution clocks, a tick for the coarse
    // ones. Kite's CPU clocks advance a tick at a time, and say so (Linux
    // says 1 ns for them).
    if (clock.coarse || clock.base == ClockBase::ProcessCpu || clock.base == ClockBase::ThreadCpu) {
        return clock::tick_period_ns();
    }
    return 1;
}

ErrorOr<u64> read_timespec_ns(u64 address) {
    const auto time = TRY(read_user<abi::Timespec>({address}));
    if (time.seconds < 0 || time.nanoseconds < 0 || time.nanoseconds >= 1'000'000'000) {
        return Error(Errno::INVAL, "bad timespec");
    }
    const u64 seconds = min<u64>(static_cast<u64>(time.seconds), 1ull << 32);
    return seconds * 1'000'000'000 + static_cast<u64>(time.nanoseconds);
}

} // namespace kite
