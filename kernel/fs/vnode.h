// vnode.h: a file, directory, symlink or device in some file system. File
// systems subclass Vnode and override what they support; the defaults give
// the errno a Unix program expects (reading a directory: EISDIR, looking up
// in a file: ENOTDIR, creating on a read-only file system: EROFS...).
#pragma once

#include "lib/ref_ptr.h"
#include "lib/string_view.h"
#include "mm/user_memory.h"

namespace kite {

class PageCache;

// Anonymous: a descriptor with no file behind it (eventfd, epoll, signalfd,
// timerfd), Linux's anon inodes: st_mode has no type bits.
enum class VnodeType : u8 {
    Regular,
    Directory,
    Symlink,
    CharDevice,
    Fifo,
    BlockDevice,
    Anonymous,
    Socket
};

constexpr usize max_name_length = 255;
constexpr usize max_path_length = 4096;

// A file's three times, in nanoseconds since 1970 (CLOCK_REALTIME).
struct FileTimes {
    i64 access;
    i64 modify;
    i64 change;
};

struct DirectoryEntry {
    char name[max_name_length + 1];
    u64 inode;
    VnodeType type;
};

class Vnode : public RefCounted<Vnode> {
  public:
    Vnode(VnodeType type, u32 permissions);
    virtual ~Vnode() = default;

    [[nodiscard]] VnodeType type() const { return m_type; }
    [[nodiscard]] bool is_directory() const { return m_type == VnodeType::Directory; }
    [[nodiscard]] u64 inode() const { return m_inode; }
    // The mode's permission bits and setuid, setgid and sticky (07777),
    // the owner and the times: what stat reports and chmod, chown and
    // utimensat change. Each is one word read and written whole, so a
    // stat racing a chmod sees the old mode or the new, never a mix; no
    // lock is needed because no rule ties two of them together.
    [[nodiscard]] u32 permissions() const {
        return __atomic_load_n(&m_permissions, __ATOMIC_RELAXED);
    }
    void set_permissions(u32 mode) {
        __atomic_store_n(&m_permissions, mode & 07777, __ATOMIC_RELAXED);
    }
    [[nodiscard]] u32 uid() const { return __atomic_load_n(&m_uid, __ATOMIC_RELAXED); }
    [[nodiscard]] u32 gid() const { return __atomic_load_n(&m_gid, __ATOMIC_RELAXED); }
    void set_owner(u32 uid, u32 gid) {
        __atomic_store_n(&m_uid, uid, __ATOMIC_RELAXED);
        __atomic_store_n(&m_gid, gid, __ATOMIC_RELAXED);
    }
    [[nodiscard]] FileTimes times() const;
    void set_times(const FileTimes& times);
    // The file's contents changed (write, truncate) or a directory's
    // entries did: modification and change time become now.
    void touch_modified();
    // Its inode changed (chmod, chown, a link count): change time is now.
    void touch_changed();
    // It was read: access time becomes now under Linux's default relatime
    // rule (only if it is not newer than the last modification or change,
    // or is a day old), so reads seldom write.
    void touch_accessed();
    // Number of directory entries naming it (st_nlink): by default 1, for
    // files no directory holds (pipes, procfs); the memory file systems
    // count names, so an unlinked file that is still open reports 0.
    [[nodiscard]] virtual u32 link_count() const { return 1; }
    // fsync(2) and fdatasync(2): whether the file has a notion of being
    // written back (Linux: EINVAL for pipes, terminals, most devices).
    [[nodiscard]] virtual bool can_sync() const { return false; }
    // fsync's work, for a file that can_sync: its data and inode reach the
    // disk. Nothing to do for a file in memory.
    [[nodiscard]] virtual ErrorOr<void> sync() { return {}; }
    [[nodiscard]] u64 device() const { return m_device; }
    void set_device(u64 device) { m_device = device; }
    [[nodiscard]] virtual u64 size() const { return 0; }
    // st_blocks: the storage the file takes, in 512-byte units. By default
    // its size rounded up; a file system that knows its holes says less.
    [[nodiscard]] virtual u64 blocks() const { return (size() + 511) / 512; }
    // Device number of a character device (st_rdev).
    [[nodiscard]] virtual u64 device_number() const { return 0; }

    [[nodiscard]] virtual ErrorOr<usize> read(u64 offset, const IoBuffer& to, usize length);
    [[nodiscard]] virtual ErrorOr<usize> write(u64 offset, const IoBuffer& from, usize length);
    // The same with the open file's flags (O_NONBLOCK), for vnodes that can
    // block; by default the flags do not matter.
    [[nodiscard]] virtual ErrorOr<usize> read_with_flags(u64 offset, const IoBuffer& to,
                                                         usize length, u32) {
        return read(offset, to, length);
    }
    [[nodiscard]] virtual ErrorOr<usize> write_with_flags(u64 offset, const IoBuffer& from,
                                                          usize length, u32) {
        return write(offset, from, length);
    }
    // An O_APPEND write: finds the end and writes there as one step, so two
    // appenders never write over each other; end is set to the offset just
    // past the bytes written. By default the two steps are separate.
    [[nodiscard]] virtual ErrorOr<usize> append(const IoBuffer& from, usize length, u32 flags,
                                                u64& end);
    // A child of a directory by name ("." and ".." are the VFS's business).
    [[nodiscard]] virtual ErrorOr<RefPtr<Vnode>> lookup(StringView name);
    // Entry number index of a directory, or false past the end.
    [[nodiscard]] virtual ErrorOr<bool> read_directory(usize index, DirectoryEntry& out);
    [[nodiscard]] virtual ErrorOr<usize> read_link(char* out, usize capacity);
    [[nodiscard]] virtual ErrorOr<RefPtr<Vnode>> create(StringView name, VnodeType type,
                                                        u32 permissions);
    // Enters a node the caller made (mknod's FIFOs and device nodes) as
    // name; it joins this directory's file system.
    [[nodiscard]] virtual ErrorOr<void> add_node(StringView name, const RefPtr<Vnode>& node);
    // open(2) of this vnode by name, before its descriptor exists (a FIFO
    // waits here for its other end); closed() undoes it when that open
    // file's last descriptor goes. Only for vnodes open() reaches through
    // a name; by default nothing happens. The word returned is kept in the
    // open file and handed back to poll_ready_for (a FIFO's writer count
    // at the open).
    [[nodiscard]] virtual ErrorOr<u64> opened(u32 /*flags*/) { return u64{0}; }
    virtual void closed(u32 /*flags*/) {}
    // Removes a directory entry (a directory must be empty: ENOTEMPTY).
    [[nodiscard]] virtual ErrorOr<void> remove(StringView name);
    // Adds a second name for a file (link(2)); EXDEV across file systems.
    [[nodiscard]] virtual ErrorOr<void> link(StringView name, const RefPtr<Vnode>& file);
    // Makes entry name a symbolic link to target (symlink(2)); EPERM where
    // the file system has none.
    [[nodiscard]] virtual ErrorOr<void> symlink(StringView name, StringView target);
    // Moves entry old_name of this directory to new_name in target, replacing
    // a compatible entry there (rename(2)). EXDEV across file systems.
    [[nodiscard]] virtual ErrorOr<void> rename(StringView old_name, Vnode& target,
                                               StringView new_name);
    [[nodiscard]] virtual ErrorOr<void> truncate(u64 size);
    // fallocate: makes the file at least end long, in one step (a writer
    // growing it meanwhile is never cut back), with [offset, end) allocated
    // where the file system allocates ahead (a tmpfs makes the pages).
    [[nodiscard]] virtual ErrorOr<void> extend(u64 offset, u64 end);
    // On a read-only file system: opening it for writing is EROFS.
    [[nodiscard]] virtual bool is_read_only() const { return false; }
    // Terminals and pipes are not seekable (ESPIPE).
    [[nodiscard]] virtual bool is_seekable() const { return true; }
    [[nodiscard]] virtual ErrorOr<i64> ioctl(u64 request, UserAddress argument);
    // poll(2): the events (Linux's POLL* bits) that hold now, whatever was
    // asked. A vnode whose readiness changes must call poll_wait::notify()
    // when it may have. By default reads and writes never wait: readable
    // and writable, as Linux's regular files and simple devices are.
    [[nodiscard]] virtual u32 poll_ready();
    // poll_ready as one open file sees it (its access mode, and the word
    // its opened() returned): a FIFO open for reading only is never
    // reported writable. By default what every open file sees.
    [[nodiscard]] virtual u32 poll_ready_for(u32 /*open_flags*/, u64 /*open_word*/) {
        return poll_ready();
    }
    // Whether epoll may watch it: Linux refuses (EPERM) files without a
    // poll method: regular files, directories (and /dev/null).
    [[nodiscard]] virtual bool is_pollable() const {
        return m_type != VnodeType::Regular && m_type != VnodeType::Directory &&
               m_type != VnodeType::Symlink;
    }
    // For EPOLLET: a count that moves each time an event happens that a
    // poll_wait::notify() announced (a pipe's write, say), so that edge-
    // triggered epoll reports a new write to a pipe already readable, as
    // Linux does. 0 for a vnode that keeps none: epoll then reports only
    // readiness it did not see before.
    [[nodiscard]] virtual u64 poll_event_count() const { return 0; }
    // The name of an anonymous descriptor's kind, "[eventfd]" and the like
    // (what Linux's /proc/PID/fd shows after "anon_inode:"); null for files.
    // Each kind returns one constant, so it also tells the kinds apart.
    [[nodiscard]] virtual const char* anonymous_kind() const { return nullptr; }
    // What /proc/PID/fd/N links to for a vnode that no path names, as
    // Linux writes it ("pipe:[N]", "socket:[N]", "anon_inode:[eventfd]"):
    // its length in out, or 0 for a vnode named by its path.
    // By default an anonymous vnode's "anon_inode:" + anonymous_kind().
    [[nodiscard]] virtual usize anonymous_name(char* out, usize capacity) const;
    // fcntl F_GETPIPE_SZ and F_SETPIPE_SZ: a pipe's buffer size in bytes.
    // A new size (a whole number of pages, checked by the caller) below
    // what the pipe holds is EBUSY. Anything but a pipe: EBADF, as on Linux.
    [[nodiscard]] virtual ErrorOr<usize> pipe_buffer_size() {
        return Error(Errno::BADF, "not a pipe");
    }
    [[nodiscard]] virtual ErrorOr<void> set_pipe_buffer_size(usize) {
        return Error(Errno::BADF, "not a pipe");
    }
    // mmap of a descriptor: the page cache that holds the file's data
    // (mm/page_cache.h), shared by read, write and every mapping. By
    // default ENODEV: pipes, sockets and devices cannot be mapped.
    [[nodiscard]] virtual ErrorOr<RefPtr<PageCache>> page_cache();

    // Directory tree links kept by the VFS, all guarded by the namespace
    // lock (fs/namespace_lock.h: follow a raw link only while holding it):
    // the parent (for ".."), the root of a file system mounted on this
    // directory, and, for a file system's root, the directory it is
    // mounted on.
    Vnode* parent = nullptr;
    // Directory entries that name this vnode (its hard links), kept by the
    // memory file systems; 0 for vnodes no directory holds (pipes).
    u32 names = 0;
    RefPtr<Vnode> mounted;
    Vnode* mount_point = nullptr;

  protected:
    // A disk file system's vnodes report the inode numbers on the disk.
    void set_inode_number(u64 number) { m_inode = number; }

  private:
    VnodeType m_type;
    u32 m_permissions;
    u32 m_uid = 0;
    u32 m_gid = 0;
    u64 m_inode;
    i64 m_atime;
    i64 m_mtime;
    i64 m_ctime;
    u64 m_device = 0;
};

} // namespace kite
