// memory_calls.cpp: brk, mmap, munmap, mprotect. Mappings are anonymous and
// private; their pages arrive zeroed on first touch.
#include "mm/page.h"
#include "proc/process.h"
#include "syscalls/syscall.h"

namespace kite {

namespace {

constexpr u64 MAP_SHARED = 0x01;
constexpr u64 MAP_PRIVATE = 0x02;
constexpr u64 MAP_FIXED = 0x10;
constexpr u64 MAP_ANONYMOUS = 0x20;
constexpr u64 MAP_NORESERVE = 0x4000;
constexpr u64 MAP_POPULATE = 0x8000;
constexpr u64 known_map_flags =
    MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_NORESERVE | MAP_POPULATE;
constexpr u64 mmap_lowest = 0x10000;
constexpr u64 mmap_top = 0x00007f0000000000; // below the stack's 8 MiB
constexpr u64 brk_limit = 1 * GiB;

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

ErrorOr<void> unmap_range(Process& process, u64 start, u64 end) {
    TRY(process.memory().remove(start, end));
    process.release_pages(start, end);
    return {};
}

} // namespace

// Linux's brk: returns the new break, or the old one if it cannot move.
SyscallResult sys_brk(const SyscallArguments& args) {
    Process& process = *Process::current();
    const u64 wanted = args.a0;
    if (wanted < process.brk_start || wanted > process.brk_start + brk_limit) {
        return static_cast<i64>(process.brk_end);
    }
    const u64 old_end = page_up(process.brk_end);
    const u64 new_end = page_up(wanted);
    if (new_end > old_end) {
        if (process.memory().overlaps(old_end, new_end)) {
            return static_cast<i64>(process.brk_end);
        }
        // One region for the whole heap, so brk never fills the map.
        if (old_end > process.brk_start &&
            process.memory().remove(process.brk_start, old_end).is_error()) {
            return static_cast<i64>(process.brk_end);
        }
        if (process.memory().add(process.brk_start, new_end, ProtRead | ProtWrite).is_error()) {
            (void)process.memory().add(process.brk_start, old_end, ProtRead | ProtWrite);
            return static_cast<i64>(process.brk_end);
        }
    } else if (new_end < old_end) {
        if (unmap_range(process, new_end, old_end).is_error()) {
            return static_cast<i64>(process.brk_end);
        }
    }
    process.brk_end = wanted;
    return static_cast<i64>(wanted);
}

SyscallResult sys_mmap(const SyscallArguments& args) {
    const u64 hint = args.a0;
    const u64 length = args.a1;
    const u64 protection = args.a2;
    const u64 flags = args.a3;
    if (length == 0 || (flags & ~known_map_flags) || (protection & ~u64{7}) ||
        ((flags & (MAP_SHARED | MAP_PRIVATE)) == 0) ||
        ((flags & (MAP_SHARED | MAP_PRIVATE)) == (MAP_SHARED | MAP_PRIVATE))) {
        return Error(Errno::INVAL, "bad mmap arguments");
    }
    if (!(flags & MAP_ANONYMOUS)) {
        TRY(Process::current()->fds().get(static_cast<int>(static_cast<i32>(args.a4))));
        return Error(Errno::NODEV, "file mappings are not supported");
    }
    if (length > user_task_size) {
        return Error(Errno::NOMEM, "mapping too large");
    }
    Process& process = *Process::current();
    u64 start;
    if (flags & MAP_FIXED) {
        const u64 end = TRY(checked_range(hint, length));
        if (hint < mmap_lowest) {
            return Error(Errno::PERM, "mapping below the lowest allowed address");
        }
        TRY(unmap_range(process, hint, end));
        start = hint;
    } else {
        start = process.memory().find_free(page_up(length), mmap_lowest, mmap_top);
        if (start == 0) {
            return Error(Errno::NOMEM, "no room for the mapping");
        }
    }
    TRY(process.memory().add(start, start + page_up(length), static_cast<u32>(protection)));
    return static_cast<i64>(start);
}

SyscallResult sys_munmap(const SyscallArguments& args) {
    const u64 end = TRY(checked_range(args.a0, args.a1));
    TRY(unmap_range(*Process::current(), args.a0, end));
    return 0;
}

SyscallResult sys_mprotect(const SyscallArguments& args) {
    if (args.a2 & ~u64{7}) {
        return Error(Errno::INVAL, "bad protection");
    }
    const u64 end = TRY(checked_range(args.a0, args.a1));
    Process& process = *Process::current();
    const u32 protection = static_cast<u32>(args.a2);
    TRY(process.memory().protect(args.a0, end, protection));
    // Pages already present change now (ENOENT for the others is fine:
    // they will be mapped with the region's new protection). PROT_NONE
    // keeps the frame but drops the user bit, so any user access faults.
    const MapFlags flags = map_flags_for(protection);
    process.for_each_present_page(args.a0, end, [&](u64 page) {
        (void)process.address_space().protect(VirtAddr(page), flags);
    });
    return 0;
}

} // namespace kite
