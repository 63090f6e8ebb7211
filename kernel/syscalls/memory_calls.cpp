// memory_calls.cpp: brk, mmap, munmap, mprotect, msync, madvise: the
// arguments are checked here, the policy is the user space's
// (mm/user_space_calls.cpp). Mappings are anonymous (pages arrive zeroed on
// first touch) or of a file's page cache (mm/page_cache.h), private or
// shared.
#include "api/constants.h"
#include "fs/mounts.h"
#include "fs/open_file.h"
#include "mm/page.h"
#include "mm/page_cache.h"
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
constexpr u64 map_shared_validate = 0x03; // MAP_SHARED_VALIDATE: files only
u64 page_up(u64 v) {
    return (v + page_size - 1) & ~(page_size - 1);
}

// The PROT_* bits a mapping keeps. mmap ignores any others, as Linux's
// does; mprotect refuses them (below).
constexpr u64 prot_bits = ProtRead | ProtWrite | ProtExec;

// Checks [address, address + length) for MAP_FIXED and returns its
// page-rounded end: ENOMEM outside user space, as Linux's
// get_unmapped_area answers.
ErrorOr<u64> checked_range(u64 address, u64 length) {
    if (address % page_size != 0 || length == 0) {
        return Error(Errno::INVAL, "unaligned address or empty length");
    }
    if (length > user_task_size || address > user_task_size - page_up(length)) {
        return Error(Errno::NOMEM, "range outside user space");
    }
    return address + page_up(length);
}

// munmap's range, as Linux's do_vmi_munmap checks it: EINVAL for an
// unaligned address, an empty range, or one not wholly below the top of
// user space (kernel addresses, lengths that would wrap); its end.
ErrorOr<u64> unmap_range(u64 address, u64 length) {
    if (address % page_size != 0 || address > user_task_size || length > user_task_size - address) {
        return Error(Errno::INVAL, "range outside user space");
    }
    if (length == 0) {
        return Error(Errno::INVAL, "empty range");
    }
    return address + page_up(length); // <= user_task_size: it is page-aligned
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

namespace {

// mmap of an open file, checked as Linux's do_mmap: a shared writable map
// needs the file open for writing, any map needs it open for reading, a
// noexec mount refuses PROT_EXEC, and the file must have a page cache.
SyscallResult map_file(const OpenFile& file, u64 hint, u64 length, u32 protection, bool shared,
                       bool fixed, u64 offset) {
    if (shared && (protection & ProtWrite) && !file.writable()) {
        return Error(Errno::ACCES, "a shared writable map of a file not open for writing");
    }
    if (!file.readable()) {
        return Error(Errno::ACCES, "the file is not open for reading");
    }
    const RefPtr<Vnode>& vnode = file.vnode();
    u32 denied = 0; // what mprotect may not add later (Linux's VM_MAY* bits)
    if (mounts::info_for_device(vnode->device()).flags & mounts::no_exec) {
        if (protection & ProtExec) {
            return Error(Errno::PERM, "the file system is mounted noexec");
        }
        denied |= ProtExec;
    }
    if (shared && !file.writable()) {
        denied |= ProtWrite;
    }
    constexpr u64 dev_zero = (1 << 8) | 5; // st_rdev 1:5 (fs/devfs.cpp)
    if (vnode->type() == VnodeType::CharDevice && vnode->device_number() == dev_zero) {
        // /dev/zero: anonymous memory, private or shared (Linux's mmap_zero).
        const u64 start = TRY(
            user_space().map_anonymous(hint, length, protection, shared, fixed, memory_limits()));
        return static_cast<i64>(start);
    }
    RefPtr<PageCache> cache = TRY(vnode->page_cache()); // ENODEV
    UserSpace::FileMapping mapping{vnode, move(cache), offset / page_size, shared, denied};
    const u64 start =
        TRY(user_space().map_file(move(mapping), hint, length, protection, fixed, memory_limits()));
    return static_cast<i64>(start);
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
    const u64 offset = args.a5;
    const u64 type = flags & map_type;
    // Linux's order: the offset, then the descriptor, then the rest.
    RefPtr<OpenFile> file;
    if (!(flags & MAP_ANONYMOUS)) {
        if (offset % page_size != 0) {
            return Error(Errno::INVAL, "unaligned file offset");
        }
        file = TRY(Process::current()->fds().get(int_argument(args.a4)));
    }
    const bool valid_type =
        type == MAP_SHARED || type == MAP_PRIVATE || (file && type == map_shared_validate);
    if (length == 0 || !valid_type) {
        return Error(Errno::INVAL, "bad mmap arguments");
    }
    if (length > user_task_size) {
        return Error(Errno::NOMEM, "mapping too large");
    }
    // Linux's file_mmap_ok: the mapping must end within the largest file
    // offset (MAX_LFS_FILESIZE).
    constexpr u64 max_file_size = 0x7fffffffffffffff;
    if (file && (page_up(length) > max_file_size ||
                 offset / page_size > (max_file_size - page_up(length)) / page_size)) {
        return Error(Errno::OVERFLOW, "the mapping ends past the largest file offset");
    }
    if (flags & MAP_FIXED) {
        TRY(checked_range(hint, length));
        if (hint < user_layout::lowest_mapping) {
            return Error(Errno::PERM, "mapping below the lowest allowed address");
        }
    }
    if (file) {
        return map_file(*file, hint, length, static_cast<u32>(protection & prot_bits),
                        type != MAP_PRIVATE, flags & MAP_FIXED, offset);
    }
    const u64 start =
        TRY(user_space().map_anonymous(hint, length, static_cast<u32>(protection & prot_bits),
                                       type == MAP_SHARED, flags & MAP_FIXED, memory_limits()));
    return static_cast<i64>(start);
}

SyscallResult sys_munmap(const SyscallArguments& args) {
    const u64 end = TRY(unmap_range(args.a0, args.a1));
    TRY(user_space().unmap(args.a0, end));
    return 0;
}

// msync(2): on Kite's tmpfs and initrd nothing is ever written back (the
// pages are the file, or read-only), but the range and flags are checked
// as Linux checks them, and MS_SYNC writes a backing's dirty pages and
// then syncs the file (an ext2 file reaches the disk).
SyscallResult sys_msync(const SyscallArguments& args) {
    constexpr u64 ms_async = 1;
    constexpr u64 ms_invalidate = 2;
    constexpr u64 ms_sync = 4;
    const u64 start = args.a0;
    const u64 flags = args.a2;
    if ((flags & ~(ms_async | ms_invalidate | ms_sync)) || start % page_size != 0 ||
        ((flags & ms_async) && (flags & ms_sync))) {
        return Error(Errno::INVAL, "bad msync flags or address");
    }
    const u64 length = page_up(args.a1); // wraps to 0 as Linux's PAGE_ALIGN
    if (start + length < start) {
        return Error(Errno::NOMEM, "range wraps");
    }
    if (length == 0) {
        return 0;
    }
    if (start + length > user_task_size) {
        return Error(Errno::NOMEM, "range outside user space");
    }
    TRY(user_space().sync(start, start + length, flags & ms_sync));
    return 0;
}

// madvise(2): MADV_DONTNEED drops pages (user_space.h: discard); the
// other accepted advice is a hint Kite has no use for.
SyscallResult sys_madvise(const SyscallArguments& args) {
    constexpr i64 madv_normal = 0;
    constexpr i64 madv_random = 1;
    constexpr i64 madv_sequential = 2;
    constexpr i64 madv_willneed = 3;
    constexpr i64 madv_dontneed = 4;
    constexpr i64 madv_hugepage = 14;
    constexpr i64 madv_nohugepage = 15;
    constexpr i64 madv_dontdump = 16;
    constexpr i64 madv_dodump = 17;
    const u64 start = args.a0;
    const i64 advice = static_cast<i32>(args.a2);
    switch (advice) {
    case madv_normal:
    case madv_random:
    case madv_sequential:
    case madv_willneed:
    case madv_dontneed:
    case madv_hugepage:
    case madv_nohugepage:
    case madv_dontdump:
    case madv_dodump:
        break;
    default:
        return Error(Errno::INVAL, "unknown or unsupported advice");
    }
    if (start % page_size != 0) {
        return Error(Errno::INVAL, "unaligned address");
    }
    const u64 length = page_up(args.a1);
    if (length < args.a1 || start + length < start) {
        return Error(Errno::INVAL, "range wraps");
    }
    if (length == 0) {
        return 0;
    }
    if (start + length > user_task_size) {
        return Error(Errno::NOMEM, "range outside user space");
    }
    if (advice == madv_dontneed) {
        TRY(user_space().discard(start, start + length));
        return 0;
    }
    // Hints: Linux still answers ENOMEM for a range with holes.
    TRY(user_space().sync(start, start + length, false));
    return 0;
}

// mprotect(2), checked in the order of Linux's do_mprotect_pkey: both
// PROT_GROWSDOWN and PROT_GROWSUP, then an unaligned address, are EINVAL;
// an empty range is done; a range that wraps is ENOMEM; then a bad
// protection is EINVAL (PROT_SEM is a valid bit, with nothing to do on
// x86-64); then any unmapped part is ENOMEM (kernel addresses included,
// where nothing is mapped).
SyscallResult sys_mprotect(const SyscallArguments& args) {
    constexpr u64 prot_sem = 0x8;
    constexpr u64 prot_growsdown = 0x01000000;
    constexpr u64 prot_growsup = 0x02000000;
    const u64 start = args.a0;
    const u64 grows = args.a2 & (prot_growsdown | prot_growsup);
    const u64 protection = args.a2 & ~grows;
    if (grows == (prot_growsdown | prot_growsup)) {
        return Error(Errno::INVAL, "a range cannot grow both ways");
    }
    if (start % page_size != 0) {
        return Error(Errno::INVAL, "unaligned address");
    }
    if (args.a1 == 0) {
        return 0;
    }
    const u64 length = page_up(args.a1); // 0 if it wraps, as Linux's PAGE_ALIGN
    const u64 end = start + length;
    if (end <= start) {
        return Error(Errno::NOMEM, "range wraps");
    }
    if (protection & ~(prot_bits | prot_sem)) {
        return Error(Errno::INVAL, "bad protection");
    }
    if (start >= user_task_size) {
        return Error(Errno::NOMEM, "range outside user space");
    }
    // The part below the top of user space changes as Linux changes it:
    // up to the first hole; past the top there is always one.
    const u64 user_end = min(end, user_task_size);
    const auto bits = static_cast<u32>(protection & prot_bits);
    if (grows != 0) {
        TRY(user_space().protect_growing(start, user_end, bits, grows == prot_growsdown));
    } else {
        TRY(user_space().protect(start, user_end, bits));
    }
    if (end > user_task_size) {
        return Error(Errno::NOMEM, "range outside user space"); // nothing is mapped there
    }
    return 0;
}

} // namespace kite
