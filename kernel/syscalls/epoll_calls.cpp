// epoll_calls.cpp: epoll_create, epoll_create1, epoll_ctl, epoll_wait,
// epoll_pwait and epoll_pwait2, over fs/epoll.h; the wait is poll's
// (syscalls/wait_loop.h). The checks come in Linux's order, so that each
// bad argument gets the errno it gets there.
#include "api/constants.h"
#include "fs/epoll.h"
#include "lib/kbuffer.h"
#include "proc/process.h"
#include "proc/wait_mask.h"
#include "syscalls/clocks.h"
#include "syscalls/syscall.h"
#include "syscalls/wait_loop.h"

namespace kite {

namespace {

// Linux's EPOLLEXCLUSIVE_OK_BITS: what an exclusive entry may also ask.
constexpr u32 exclusive_ok_bits = abi::POLLIN | abi::POLLOUT | abi::POLLERR | abi::POLLHUP |
                                  abi::EPOLLWAKEUP | abi::EPOLLET | abi::EPOLLEXCLUSIVE;
// A kernel buffer of at most this many events per call: epoll_wait may
// always return fewer than maxevents; the rest wait for the next call.
constexpr usize events_per_call = 1024;

ErrorOr<i64> install_epoll(bool close_on_exec) {
    auto vnode = TRY(epoll::create());
    auto file = TRY(try_make_ref<OpenFile>(vnode, O_RDWR));
    Process* self = Process::current();
    return TRY(self->fds().install(file, close_on_exec, self->limits.open_files()));
}

// epoll_wait's body, once the timeout is known and the mask in place.
ErrorOr<usize> wait_for_events(const SyscallArguments& args, const WaitDeadline& deadline) {
    const int max_events = int_argument(args.a2);
    if (max_events <= 0 || static_cast<u64>(max_events) > abi::epoll_max_events) {
        return Error(Errno::INVAL, "bad maxevents");
    }
    // Linux's access_ok: the range must be user space; a hole in it is
    // found only when events are written.
    if (!is_user_range(args.a1, static_cast<u64>(max_events) * sizeof(abi::EpollEvent))) {
        return Error(Errno::FAULT, "events outside user space");
    }
    auto file = TRY(Process::current()->fds().get(int_argument(args.a0)));
    Vnode& epoll = *file->vnode();
    if (!epoll::is_epoll(epoll)) {
        return Error(Errno::INVAL, "not an epoll descriptor");
    }
    const usize max = min<usize>(static_cast<usize>(max_events), events_per_call);
    const KBuffer storage = TRY(KBuffer::try_create(max * sizeof(abi::EpollEvent)));
    auto* events = reinterpret_cast<abi::EpollEvent*>(storage.data());
    const usize count = TRY(wait_until_ready(
        deadline, [&]() -> ErrorOr<usize> { return epoll::collect(epoll, events, max); }));
    TRY(copy_to_user({args.a1}, events, count * sizeof(abi::EpollEvent)));
    return count;
}

WaitDeadline deadline_from_ms(int timeout_ms) {
    return timeout_ms < 0 ? WaitDeadline::forever()
                          : WaitDeadline::after_ns(static_cast<u64>(timeout_ms) * 1'000'000);
}

// epoll_pwait and epoll_pwait2: the mask for the wait; interrupted, the
// call is EINTR (never restarted, as on Linux) and the mask is put back
// after the handler.
ErrorOr<i64> wait_with_mask(const SyscallArguments& args, const WaitDeadline& deadline) {
    WaitSignalMask mask;
    TRY(mask.install_from_user(args.a4, args.a5));
    auto count = wait_for_events(args, deadline);
    if (count.is_error() && count.release_error().code() == Errno::RESTARTNOHAND) {
        mask.keep_for_delivery();
        return Error(Errno::INTR, "interrupted by a signal");
    }
    return TRY(move(count));
}

} // namespace

// epoll_create(size): size is only checked (Linux ignores it since 2.6.8).
SyscallResult sys_epoll_create(const SyscallArguments& args) {
    if (int_argument(args.a0) <= 0) {
        return Error(Errno::INVAL, "size must be positive");
    }
    return install_epoll(false);
}

SyscallResult sys_epoll_create1(const SyscallArguments& args) {
    const int flags = int_argument(args.a0);
    if (flags & ~static_cast<int>(O_CLOEXEC)) {
        return Error(Errno::INVAL, "unknown epoll_create1 flags");
    }
    return install_epoll(flags & O_CLOEXEC);
}

// epoll_ctl(epfd, op, fd, event): the event is read first (not for DEL),
// then the descriptors, then what they are, as Linux's do_epoll_ctl.
SyscallResult sys_epoll_ctl(const SyscallArguments& args) {
    const int op = int_argument(args.a1);
    const int fd = int_argument(args.a2);
    abi::EpollEvent event{0, 0};
    const bool has_event = op != abi::EPOLL_CTL_DEL;
    if (has_event) {
        event = TRY(read_user<abi::EpollEvent>({args.a3}));
    }
    FdTable& fds = Process::current()->fds();
    auto epoll_file = TRY(fds.get(int_argument(args.a0)));
    auto target = TRY(fds.get(fd));
    if (!target->vnode()->is_pollable()) {
        return Error(Errno::PERM, "the file cannot be polled");
    }
    if (has_event && (event.events & abi::EPOLLEXCLUSIVE)) {
        if (op == abi::EPOLL_CTL_MOD ||
            (op == abi::EPOLL_CTL_ADD &&
             (epoll::is_epoll(*target->vnode()) || (event.events & ~exclusive_ok_bits)))) {
            return Error(Errno::INVAL, "EPOLLEXCLUSIVE misused");
        }
    }
    if (epoll_file == target || !epoll::is_epoll(*epoll_file->vnode())) {
        return Error(Errno::INVAL, "not an epoll, or the epoll itself");
    }
    TRY(epoll::control(*epoll_file->vnode(), op, fd, target, event));
    return 0;
}

// epoll_wait(epfd, events, maxevents, timeout_ms): a negative timeout
// waits for ever. A signal makes it EINTR, handler or not, as Linux.
SyscallResult sys_epoll_wait(const SyscallArguments& args) {
    auto count = wait_for_events(args, deadline_from_ms(int_argument(args.a3)));
    if (count.is_error() && count.release_error().code() == Errno::RESTARTNOHAND) {
        return Error(Errno::INTR, "interrupted by a signal");
    }
    return TRY(move(count));
}

// epoll_pwait(epfd, events, maxevents, timeout_ms, sigmask, sigsetsize).
SyscallResult sys_epoll_pwait(const SyscallArguments& args) {
    return wait_with_mask(args, deadline_from_ms(int_argument(args.a3)));
}

// epoll_pwait2: the same with a timespec (null: for ever).
SyscallResult sys_epoll_pwait2(const SyscallArguments& args) {
    WaitDeadline deadline = WaitDeadline::forever();
    if (args.a3 != 0) {
        deadline = WaitDeadline::after_ns(TRY(read_timespec_ns(args.a3)));
    }
    return wait_with_mask(args, deadline);
}

} // namespace kite
