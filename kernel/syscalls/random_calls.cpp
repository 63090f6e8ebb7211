// random_calls.cpp: getrandom, over the kernel's generator
// (random/random.h), with Linux's checks and results.
#include "random/random.h"
#include "syscalls/file_arguments.h"
#include "syscalls/syscall.h"

namespace kite {

namespace {

constexpr u32 GRND_NONBLOCK = 0x1;
constexpr u32 GRND_RANDOM = 0x2;
constexpr u32 GRND_INSECURE = 0x4;

} // namespace

// getrandom(buffer, length, flags). The generator is seeded at boot, so
// neither the blocking form nor GRND_NONBLOCK ever waits or gives EAGAIN,
// and GRND_RANDOM reads the same generator (as on Linux since 5.6). A
// length past max_io is cut to it; the range must lie in user space
// (Linux's access_ok), then a short count comes at the first unwritable
// byte or after a page with a signal pending (random::read).
SyscallResult sys_getrandom(const SyscallArguments& args) {
    const u32 flags = static_cast<u32>(args.a2); // an unsigned int: the high half is ignored
    if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) {
        return Error(Errno::INVAL, "unknown getrandom flags");
    }
    if ((flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE)) {
        return Error(Errno::INVAL, "GRND_INSECURE with GRND_RANDOM");
    }
    const usize length = min<u64>(args.a1, max_io);
    if (!is_user_range(args.a0, length)) {
        return Error(Errno::FAULT, "getrandom buffer outside user space");
    }
    return static_cast<i64>(TRY(random::read(IoBuffer::user({args.a0}), length)));
}

} // namespace kite
