// vnode.cpp: the default answers of a Vnode.
#include "fs/vnode.h"

#include "api/constants.h"
#include "lib/format.h"
#include "mm/page_cache.h"
#include "time/clock.h"

namespace kite {

namespace {
// Vnodes are made by any process at any time (a preempted `++` could hand
// two of them one number), so the counter is atomic.
u64 next_inode = 1;
} // namespace

Vnode::Vnode(VnodeType type, u32 permissions)
    : m_type(type), m_permissions(permissions & 07777),
      m_inode(__atomic_fetch_add(&next_inode, 1, __ATOMIC_RELAXED)) {
    const i64 now = clock::realtime_ns();
    m_atime = m_mtime = m_ctime = now;
}

namespace {
i64 load(const i64& time) {
    return __atomic_load_n(&time, __ATOMIC_RELAXED);
}
void store(i64& time, i64 value) {
    __atomic_store_n(&time, value, __ATOMIC_RELAXED);
}
constexpr i64 relatime_interval_ns = 24LL * 60 * 60 * 1'000'000'000;
} // namespace

FileTimes Vnode::times() const {
    return {load(m_atime), load(m_mtime), load(m_ctime)};
}

void Vnode::set_times(const FileTimes& times) {
    store(m_atime, times.access);
    store(m_mtime, times.modify);
    store(m_ctime, times.change);
}

void Vnode::touch_modified() {
    const i64 now = clock::realtime_ns();
    store(m_mtime, now);
    store(m_ctime, now);
}

void Vnode::touch_changed() {
    store(m_ctime, clock::realtime_ns());
}

void Vnode::touch_accessed() {
    const i64 accessed = load(m_atime);
    const i64 now = clock::realtime_ns();
    if (accessed <= load(m_mtime) || accessed <= load(m_ctime) ||
        now - accessed >= relatime_interval_ns) {
        store(m_atime, now);
    }
}

usize Vnode::anonymous_name(char* out, usize capacity) const {
    const char* kind = anonymous_kind();
    if (!kind) {
        return 0;
    }
    return format_to(out, capacity, "anon_inode:{}", kind).length();
}

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

ErrorOr<RefPtr<PageCache>> Vnode::page_cache() {
    return Error(Errno::NODEV, "this file cannot be mapped");
}

ErrorOr<void> Vnode::extend(u64, u64) {
    return Error(Errno::OPNOTSUPP, "the file system cannot allocate");
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

ErrorOr<void> Vnode::add_node(StringView, const RefPtr<Vnode>&) {
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
