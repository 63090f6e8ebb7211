// vnode.cpp: the default answers of a Vnode.
#include "fs/vnode.h"

#include "api/constants.h"

namespace kite {

namespace {
// Vnodes are made by any process at any time (a preempted `++` could hand
// two of them one number), so the counter is atomic.
u64 next_inode = 1;
} // namespace

Vnode::Vnode(VnodeType type, u32 permissions)
    : m_type(type), m_permissions(permissions),
      m_inode(__atomic_fetch_add(&next_inode, 1, __ATOMIC_RELAXED)) {}

u32 Vnode::poll_ready() {
    return abi::POLLIN | abi::POLLRDNORM | abi::POLLOUT | abi::POLLWRNORM;
}

ErrorOr<usize> Vnode::read(u64, const IoBuffer&, usize) {
    return Error(is_directory() ? Errno::ISDIR : Errno::INVAL, "not readable");
}

ErrorOr<usize> Vnode::write(u64, const IoBuffer&, usize) {
    return Error(is_directory() ? Errno::ISDIR : Errno::INVAL, "not writable");
}

ErrorOr<usize> Vnode::append(const IoBuffer& from, usize length, u32 flags, u64& end) {
    const u64 at = size();
    const usize n = TRY(write_with_flags(at, from, length, flags));
    end = at + n;
    return n;
}

ErrorOr<RefPtr<Vnode>> Vnode::lookup(StringView) {
    return Error(Errno::NOTDIR, "not a directory");
}

ErrorOr<bool> Vnode::read_directory(usize, DirectoryEntry&) {
    return Error(Errno::NOTDIR, "not a directory");
}

ErrorOr<usize> Vnode::read_link(char*, usize) {
    return Error(Errno::INVAL, "not a symlink");
}

ErrorOr<RefPtr<Vnode>> Vnode::create(StringView, VnodeType, u32) {
    return Error(is_directory() ? Errno::ROFS : Errno::NOTDIR, "cannot create here");
}

ErrorOr<void> Vnode::remove(StringView) {
    return Error(is_directory() ? Errno::ROFS : Errno::NOTDIR, "cannot remove here");
}

ErrorOr<void> Vnode::link(StringView, const RefPtr<Vnode>&) {
    return Error(is_directory() ? Errno::ROFS : Errno::NOTDIR, "cannot link here");
}

ErrorOr<void> Vnode::symlink(StringView, StringView) {
    return Error(is_directory() ? Errno::PERM : Errno::NOTDIR, "no symbolic links here");
}

ErrorOr<void> Vnode::rename(StringView, Vnode&, StringView) {
    return Error(is_directory() ? Errno::ROFS : Errno::NOTDIR, "cannot rename here");
}

ErrorOr<void> Vnode::truncate(u64) {
    return Error(is_directory() ? Errno::ISDIR : Errno::ROFS, "cannot truncate");
}

ErrorOr<i64> Vnode::ioctl(u64, UserAddress) {
    return Error(Errno::NOTTY, "not a terminal");
}

} // namespace kite
