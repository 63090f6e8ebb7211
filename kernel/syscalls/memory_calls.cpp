// memory_calls.cpp: brk, mmap, munmap, mprotect: the arguments are checked
// here, the policy is the user space's (mm/user_space_calls.cpp). Mappings
// are anonymous, private or shared; their pages arrive zeroed on first touch.
#include "api/constants.h"
#include "mm/page.h"
#include "mm/user_space.h"
#include "proc/process.h"
#include "syscalls/syscall.h"

namespace kite {

namespace {

using namespace abi; // MAP_*

// mmap's type (MAP_TYPE): shared or private; other flags Linux does not
// check are ignored, as Linux does (MAP_SHARED_VALIDATE, which checks
// them, is EINVAL for anonymous memory on Linux too). MAP_STACK,
// MAP_GROWSDOWN, MAP_NORESERVE, MAP_POPULATE and the like change nothing
// here: pages come on first touch. MAP_FIXED_NOREPLACE is taken as a hint,
// as kernels before 4.17 did (callers check the address they get).
constexpr u64 map_type = 0x0f;
u64 page_up(u64 v) {
    return (v + page_size - 1) & ~(page_size - 1);
}

// Checks [address, address + length) for munmap/mprotect/MAP_FIXED and
// returns its page-rounded end.
ErrorOr<u64> checked_range(u64 address, u64 length) {
    if (address % page_size != 0 || length == 0) {
        return Error(Errno::INVAL, "unaligned address or empty length");
    }
    if (length > user_task_size || address > user_task_size - page_up(length)) {
        return Error(Errno::NOMEM, "range outside user space");
    }
    return address + page_up(length);
}

} // namespace

UserSpace& user_space() {
    return *Process::current()->user_space();
}

namespace {

MemoryLimits memory_limits() {
    const ResourceLimits& limits = Process::current()->limits;
    return {limits.address_space(), limits.data()};
}

} // namespace

// Linux's brk: returns the new break, or the old one if it cannot move.
SyscallResult sys_brk(const SyscallArguments& args) {
    return static_cast<i64>(user_space().set_break(args.a0, memory_limits()));
}

SyscallResult sys_mmap(const SyscallArguments& args) {
    const u64 hint = args.a0;
    const u64 length = args.a1;
    const u64 protection = args.a2;
    const u64 flags = args.a3;
    const u64 type = flags & map_type;
    if (length == 0 || (protection & ~u64{7}) || (type != MAP_SHARED && type != MAP_PRIVATE)) {
        return Error(Errno::INVAL, "bad mmap arguments");
    }
    if (!(flags & MAP_ANONYMOUS)) {
        TRY(Process::current()->fds().get(int_argument(args.a4)));
        return Error(Errno::NODEV, "file mappings are not supported");
    }
    if (length > user_task_size) {
        return Error(Errno::NOMEM, "mapping too large");
    }
    if (flags & MAP_FIXED) {
        TRY(checked_range(hint, length));
        if (hint < user_layout::lowest_mapping) {
            return Error(Errno::PERM, "mapping below the lowest allowed address");
        }
    }
    const u64 start =
        TRY(user_space().map_anonymous(hint, length, static_cast<u32>(protection),
                                       type == MAP_SHARED, flags & MAP_FIXED, memory_limits()));
    return static_cast<i64>(start);
}

SyscallResult sys_munmap(const SyscallArguments& args) {
    const u64 end = TRY(checked_range(args.a0, args.a1));
    TRY(user_space().unmap(args.a0, end));
    return 0;
}

SyscallResult sys_mprotect(const SyscallArguments& args) {
    if (args.a2 & ~u64{7}) {
        return Error(Errno::INVAL, "bad protection");
    }
    const u64 end = TRY(checked_range(args.a0, args.a1));
    TRY(user_space().protect(args.a0, end, static_cast<u32>(args.a2)));
    return 0;
}

} // namespace kite
