// event_descriptor_calls.cpp: descriptors that are events rather than
// files: eventfd and eventfd2, signalfd and signalfd4, timerfd_create,
// timerfd_settime and timerfd_gettime (fs/eventfd.h, fs/signalfd.h,
// fs/timerfd.h). The checks come in Linux's order.
#include "api/constants.h"
#include "api/types.h"
#include "fs/eventfd.h"
#include "fs/signalfd.h"
#include "fs/timerfd.h"
#include "proc/process.h"
#include "syscalls/syscall.h"

namespace kite {

namespace {

// EFD_SEMAPHORE; EFD_/SFD_/TFD_CLOEXEC and _NONBLOCK are O_CLOEXEC and
// O_NONBLOCK.
constexpr u64 EFD_SEMAPHORE = 1;
constexpr u64 descriptor_flags = O_CLOEXEC | O_NONBLOCK;
constexpr u64 TFD_TIMER_ABSTIME = 1;
constexpr u64 TFD_TIMER_CANCEL_ON_SET = 2;
constexpr int CLOCK_REALTIME_ALARM = 8;
constexpr int CLOCK_BOOTTIME_ALARM = 9;
constexpr long ns_per_second = 1'000'000'000;

// The new descriptor, read-write, O_NONBLOCK as asked.
ErrorOr<i64> install(RefPtr<Vnode> vnode, u64 flags) {
    auto file = TRY(try_make_ref<OpenFile>(move(vnode), O_RDWR | (flags & O_NONBLOCK)));
    Process* self = Process::current();
    return TRY(self->fds().install(file, flags & O_CLOEXEC, self->limits.open_files()));
}

bool valid(const abi::Timespec& time) {
    return time.seconds >= 0 && time.nanoseconds >= 0 && time.nanoseconds < ns_per_second;
}

// The timerfd behind a descriptor: EBADF, or EINVAL for another file.
ErrorOr<RefPtr<OpenFile>> timerfd_file(u64 fd) {
    auto file = TRY(Process::current()->fds().get(int_argument(fd)));
    if (!timerfd::is_timerfd(*file->vnode())) {
        return Error(Errno::INVAL, "not a timerfd");
    }
    return file;
}

} // namespace

SyscallResult sys_eventfd2(const SyscallArguments& args) {
    const u64 flags = static_cast<u32>(args.a1);
    if (flags & ~(descriptor_flags | EFD_SEMAPHORE)) {
        return Error(Errno::INVAL, "unknown eventfd2 flags");
    }
    // The initial value is an unsigned int.
    return install(TRY(eventfd::create(static_cast<u32>(args.a0), flags & EFD_SEMAPHORE)), flags);
}

SyscallResult sys_eventfd(const SyscallArguments& args) {
    return sys_eventfd2({args.a0, 0, 0, 0, 0, 0, args.frame});
}

// signalfd4(fd, mask, sizemask, flags): fd -1 makes a new one; another
// fd must be a signalfd, whose set is replaced.
SyscallResult sys_signalfd4(const SyscallArguments& args) {
    if (args.a2 != sizeof(u64)) {
        return Error(Errno::INVAL, "bad sigset size");
    }
    const u64 mask = TRY(read_user<u64>({args.a1}));
    const u64 flags = static_cast<u32>(args.a3);
    if (flags & ~descriptor_flags) {
        return Error(Errno::INVAL, "unknown signalfd4 flags");
    }
    const int fd = int_argument(args.a0);
    if (fd == -1) {
        return install(TRY(signalfd::create(mask)), flags);
    }
    auto file = TRY(Process::current()->fds().get(fd));
    if (!signalfd::is_signalfd(*file->vnode())) {
        return Error(Errno::INVAL, "not a signalfd");
    }
    signalfd::set_mask(*file->vnode(), mask);
    return fd;
}

SyscallResult sys_signalfd(const SyscallArguments& args) {
    return sys_signalfd4({args.a0, args.a1, args.a2, 0, 0, 0, args.frame});
}

// timerfd_create(clockid, flags): the realtime and monotonic clocks (the
// boot-time ones are the monotonic clock: Kite does not suspend).
SyscallResult sys_timerfd_create(const SyscallArguments& args) {
    const int clock = int_argument(args.a0);
    const u64 flags = static_cast<u32>(args.a1);
    const bool realtime = clock == abi::clock_id::REALTIME || clock == CLOCK_REALTIME_ALARM;
    const bool monotonic = clock == abi::clock_id::MONOTONIC || clock == abi::clock_id::BOOTTIME ||
                           clock == CLOCK_BOOTTIME_ALARM;
    if ((flags & ~descriptor_flags) || !(realtime || monotonic)) {
        return Error(Errno::INVAL, "bad timerfd clock or flags");
    }
    return install(TRY(timerfd::create(realtime)), flags);
}

// timerfd_settime(fd, flags, new, old): the setting is read and checked
// before the descriptor, the old one written last, as Linux.
SyscallResult sys_timerfd_settime(const SyscallArguments& args) {
    const abi::Itimerspec setting = TRY(read_user<abi::Itimerspec>({args.a2}));
    const u64 flags = static_cast<u32>(args.a1);
    if ((flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) || !valid(setting.value) ||
        !valid(setting.interval)) {
        return Error(Errno::INVAL, "bad timerfd setting");
    }
    auto file = TRY(timerfd_file(args.a0));
    // TFD_TIMER_CANCEL_ON_SET: the wall clock cannot be set on Kite yet,
    // so nothing ever cancels.
    const abi::Itimerspec old = timerfd::set(*file->vnode(), setting, flags & TFD_TIMER_ABSTIME);
    if (args.a3 != 0) {
        TRY(write_user({args.a3}, old));
    }
    return 0;
}

SyscallResult sys_timerfd_gettime(const SyscallArguments& args) {
    auto file = TRY(timerfd_file(args.a0));
    TRY(write_user({args.a1}, timerfd::get(*file->vnode())));
    return 0;
}

} // namespace kite
