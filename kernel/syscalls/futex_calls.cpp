// futex_calls.cpp: futex, set_robust_list and get_robust_list, decoded as
// Linux does (proc/futex.h does the work).
#include "api/types.h"
#include "mm/user_memory.h"
#include "proc/futex.h"
#include "proc/process.h"
#include "syscalls/clocks.h"
#include "syscalls/syscall.h"
#include "time/clock.h"

namespace kite {

namespace {

constexpr u64 FUTEX_WAIT = 0;
constexpr u64 FUTEX_WAKE = 1;
constexpr u64 FUTEX_REQUEUE = 3;
constexpr u64 FUTEX_CMP_REQUEUE = 4;
constexpr u64 FUTEX_WAKE_OP = 5;
constexpr u64 FUTEX_LOCK_PI = 6;
constexpr u64 FUTEX_WAIT_BITSET = 9;
constexpr u64 FUTEX_WAKE_BITSET = 10;
constexpr u64 FUTEX_WAIT_REQUEUE_PI = 11;
constexpr u64 FUTEX_LOCK_PI2 = 13;
constexpr u64 FUTEX_PRIVATE_FLAG = 128;
constexpr u64 FUTEX_CLOCK_REALTIME = 256;

constexpr u64 robust_list_head_size = 24; // struct robust_list_head

bool has_timeout(u64 command) {
    return command == FUTEX_WAIT || command == FUTEX_LOCK_PI || command == FUTEX_LOCK_PI2 ||
           command == FUTEX_WAIT_BITSET || command == FUTEX_WAIT_REQUEUE_PI;
}

// A wake count as Linux's loops read it: at least one is woken.
usize wake_count(u64 value) {
    const i32 n = static_cast<i32>(value);
    return n <= 0 ? 1 : static_cast<usize>(n);
}

} // namespace

// futex(uaddr, op, val, timeout or val2, uaddr2, val3)
SyscallResult sys_futex(const SyscallArguments& args) {
    const u64 address = args.a0;
    const u64 command = args.a1 & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
    const bool shared = !(args.a1 & FUTEX_PRIVATE_FLAG);
    const bool realtime = args.a1 & FUTEX_CLOCK_REALTIME;
    const u32 value = static_cast<u32>(args.a2);
    const u64 second = args.a4;
    const u32 value3 = static_cast<u32>(args.a5);

    // The timeout first, as Linux reads it: FUTEX_WAIT's is relative (on
    // the monotonic clock), the others' absolute.
    u64 deadline = futex::no_deadline;
    if (args.a3 != 0 && has_timeout(command)) {
        const u64 ns = TRY(read_timespec_ns(args.a3));
        deadline = command == FUTEX_WAIT ? clock::monotonic_ns() + ns : ns;
    }
    if (realtime && command != FUTEX_WAIT_BITSET && command != FUTEX_WAIT_REQUEUE_PI &&
        command != FUTEX_LOCK_PI2) {
        return Error(Errno::NOSYS, "FUTEX_CLOCK_REALTIME with this operation");
    }
    const auto clock = realtime ? futex::Clock::Realtime : futex::Clock::Monotonic;
    const u64 value2 = args.a3 & 0xffff'ffff; // REQUEUE and WAKE_OP: a count, not a pointer
    switch (command) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET: {
        const u32 bitset = command == FUTEX_WAIT ? futex::any_bitset : value3;
        if (bitset == 0) {
            return Error(Errno::INVAL, "empty futex bitset");
        }
        TRY(futex::wait(address, value, bitset, shared, deadline, clock));
        return 0;
    }
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET: {
        const u32 bitset = command == FUTEX_WAKE ? futex::any_bitset : value3;
        if (bitset == 0) {
            return Error(Errno::INVAL, "empty futex bitset");
        }
        return static_cast<i64>(TRY(futex::wake(address, wake_count(args.a2), bitset, shared)));
    }
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE: {
        const i32 wake = static_cast<i32>(args.a2);
        const i32 move = static_cast<i32>(value2);
        if (wake < 0 || move < 0) {
            return Error(Errno::INVAL, "negative futex count");
        }
        return static_cast<i64>(
            TRY(futex::requeue(address, second, static_cast<usize>(wake), static_cast<usize>(move),
                               command == FUTEX_CMP_REQUEUE ? &value3 : nullptr, shared)));
    }
    case FUTEX_WAKE_OP:
        return static_cast<i64>(TRY(futex::wake_op(address, second, wake_count(args.a2),
                                                   wake_count(value2), value3, shared)));
    default:
        // The priority-inheritance operations, and FUTEX_FD (gone from Linux).
        return Error(Errno::NOSYS, "futex operation not supported");
    }
}

SyscallResult sys_set_robust_list(const SyscallArguments& args) {
    if (args.a1 != robust_list_head_size) {
        return Error(Errno::INVAL, "bad robust list head size");
    }
    Scheduler::current()->user.robust_list = args.a0;
    return 0;
}

// get_robust_list(tid, head_ptr, len_ptr): tid 0 is the caller.
SyscallResult sys_get_robust_list(const SyscallArguments& args) {
    const i32 tid = static_cast<i32>(args.a0);
    u64 head;
    if (tid == 0) {
        head = Scheduler::current()->user.robust_list;
    } else {
        SpinlockGuard guard(Process::table_lock());
        Thread* thread = Process::find_thread(tid);
        if (!thread) {
            return Error(Errno::SRCH, "no such thread");
        }
        head = thread->user.robust_list;
    }
    TRY(write_user<u64>({args.a2}, robust_list_head_size));
    TRY(write_user<u64>({args.a1}, head));
    return 0;
}

} // namespace kite
