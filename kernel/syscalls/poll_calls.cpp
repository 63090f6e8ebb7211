// poll_calls.cpp: waiting for descriptors to become ready: poll. Each
// vnode says what holds now (Vnode::poll_ready); between checks the caller
// sleeps until something may have changed (fs/poll_wait.h), the timeout
// passes, or a signal comes.
#include "api/constants.h"
#include "api/types.h"
#include "fs/open_file.h"
#include "fs/poll_wait.h"
#include "lib/kbuffer.h"
#include "proc/process.h"
#include "syscalls/syscall.h"
#include "time/clock.h"

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

} // namespace

// poll(fds, nfds, timeout_ms): a negative timeout waits for ever, 0 not at
// all. A signal ends the wait: EINTR if a handler ran (and always with a
// timeout, which a restart would lengthen), else the call restarts.
SyscallResult sys_poll(const SyscallArguments& args) {
    const u64 count = static_cast<u32>(args.a1); // nfds is an unsigned int
    const int timeout_ms = static_cast<int>(static_cast<i32>(args.a2));
    // Linux refuses more entries than RLIMIT_NOFILE allows descriptors.
    if (count > Process::current()->limits.open_files()) {
        return Error(Errno::INVAL, "more poll entries than descriptors");
    }
    const usize bytes = count * sizeof(abi::PollFd);
    const KBuffer storage = TRY(KBuffer::try_create(bytes > 0 ? bytes : 1));
    auto* entries = reinterpret_cast<abi::PollFd*>(storage.data());
    TRY(copy_from_user(entries, {args.a0}, bytes));
    const bool forever = timeout_ms < 0;
    const u64 deadline =
        forever ? 0 : clock::monotonic_ns() + static_cast<u64>(timeout_ms) * 1'000'000;
    usize ready = 0;
    for (;;) {
        const u64 seen = poll_wait::generation();
        ready = check(entries, count);
        if (ready > 0 || timeout_ms == 0) {
            break;
        }
        const u64 now = clock::monotonic_ns();
        if (!forever && now >= deadline) {
            break;
        }
        const WaitResult result = poll_wait::wait_for_change(seen, forever ? 0 : deadline - now);
        if (result == WaitResult::Interrupted) {
            return Error(forever ? Errno::RESTARTNOHAND : Errno::INTR, "interrupted by a signal");
        }
    }
    TRY(copy_to_user({args.a0}, entries, bytes));
    return ready;
}

} // namespace kite
