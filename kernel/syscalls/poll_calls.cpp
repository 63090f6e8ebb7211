// poll_calls.cpp: waiting for descriptors to become ready: poll and ppoll.
// Each vnode says what holds now (Vnode::poll_ready); between checks the
// caller sleeps until something may have changed, the timeout passes, or a
// signal comes (syscalls/wait_loop.h, shared with select and epoll).
#include "api/constants.h"
#include "api/types.h"
#include "fs/open_file.h"
#include "lib/kbuffer.h"
#include "proc/process.h"
#include "proc/wait_mask.h"
#include "syscalls/clocks.h"
#include "syscalls/syscall.h"
#include "syscalls/wait_loop.h"

namespace kite {

namespace {

// Fills each entry's revents; returns how many are non-zero.
usize check(abi::PollFd* entries, usize count) {
    FdTable& fds = Process::current()->fds();
    usize ready = 0;
    for (usize i = 0; i < count; ++i) {
        abi::PollFd& entry = entries[i];
        entry.revents = 0;
        if (entry.fd < 0) {
            continue; // ignored, as poll(2) says
        }
        auto file = fds.get(entry.fd);
        u32 events = abi::POLLNVAL;
        if (!file.is_error()) {
            // Errors and hang-ups are reported whether asked for or not.
            const u32 wanted = static_cast<u16>(entry.events) | abi::POLLERR | abi::POLLHUP;
            events = file.value()->vnode()->poll_ready() & wanted;
        }
        entry.revents = static_cast<short>(events);
        ready += events != 0;
    }
    return ready;
}

// What poll and ppoll share: the user's array in, the wait, revents out
// (not after an interrupted wait, as Linux).
ErrorOr<usize> poll_entries(u64 address, u64 count, const WaitDeadline& deadline) {
    // Linux refuses more entries than RLIMIT_NOFILE allows descriptors.
    if (count > Process::current()->limits.open_files()) {
        return Error(Errno::INVAL, "more poll entries than descriptors");
    }
    const usize bytes = count * sizeof(abi::PollFd);
    const KBuffer storage = TRY(KBuffer::try_create(bytes > 0 ? bytes : 1));
    auto* entries = reinterpret_cast<abi::PollFd*>(storage.data());
    TRY(copy_from_user(entries, {address}, bytes));
    const usize ready =
        TRY(wait_until_ready(deadline, [&]() -> ErrorOr<usize> { return check(entries, count); }));
    TRY(copy_to_user({address}, entries, bytes));
    return ready;
}

} // namespace

void write_time_left(u64 address, const WaitDeadline& deadline, bool as_timeval) {
    if (address == 0 || deadline.is_immediate() || deadline.is_forever()) {
        return;
    }
    const u64 left = deadline.remaining_ns();
    abi::Timespec time{static_cast<long>(left / 1'000'000'000),
                       static_cast<long>(left % 1'000'000'000)};
    if (as_timeval) {
        time.nanoseconds /= 1000; // a struct timeval: microseconds, same layout
    }
    (void)copy_to_user({address}, &time, sizeof(time));
}

// poll(fds, nfds, timeout_ms): a negative timeout waits for ever, 0 not at
// all. A signal ends the wait: EINTR if a handler ran (and always with a
// timeout, which a restart would lengthen), else the call restarts.
SyscallResult sys_poll(const SyscallArguments& args) {
    const int timeout_ms = int_argument(args.a2);
    const WaitDeadline deadline =
        timeout_ms < 0 ? WaitDeadline::forever()
                       : WaitDeadline::after_ns(static_cast<u64>(timeout_ms) * 1'000'000);
    auto ready = poll_entries(args.a0, static_cast<u32>(args.a1), deadline); // nfds: unsigned int
    if (ready.is_error() && ready.release_error().code() == Errno::RESTARTNOHAND &&
        !deadline.is_forever()) {
        return Error(Errno::INTR, "interrupted by a signal");
    }
    return TRY(move(ready));
}

// ppoll(fds, nfds, timeout, sigmask, sigsetsize): a timespec (null: for
// ever), updated with the time left; the mask is in place for the wait
// only. Interrupted, it restarts if no handler ran (with the time left).
SyscallResult sys_ppoll(const SyscallArguments& args) {
    WaitDeadline deadline = WaitDeadline::forever();
    if (args.a2 != 0) {
        deadline = WaitDeadline::after_ns(TRY(read_timespec_ns(args.a2)));
    }
    WaitSignalMask mask;
    TRY(mask.install_from_user(args.a3, args.a4));
    auto ready = poll_entries(args.a0, static_cast<u32>(args.a1), deadline);
    write_time_left(args.a2, deadline, false);
    if (ready.is_error() && ready.release_error().code() == Errno::RESTARTNOHAND) {
        mask.keep_for_delivery();
    }
    return TRY(move(ready));
}

} // namespace kite
