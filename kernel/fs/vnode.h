// vnode.h: a file, directory, symlink or device in some file system. File
// systems subclass Vnode and override what they support; the defaults give
// the errno a Unix program expects (reading a directory: EISDIR, looking up
// in a file: ENOTDIR, creating on a read-only file system: EROFS...).
#pragma once

#include "lib/ref_ptr.h"
#include "lib/string_view.h"
#include "mm/user_memory.h"

namespace kite {

enum class VnodeType : u8 { Regular, Directory, Symlink, CharDevice, Fifo, Socket };

constexpr usize max_name_length = 255;
constexpr usize max_path_length = 4096;

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
    [[nodiscard]] u32 permissions() const { return m_permissions; }
    [[nodiscard]] u64 device() const { return m_device; }
    void set_device(u64 device) { m_device = device; }
    [[nodiscard]] virtual u64 size() const { return 0; }
    // Device number of a character device (st_rdev).
    [[nodiscard]] virtual u64 device_number() const { return 0; }
    // Seconds since 1970, for stat.
    [[nodiscard]] virtual i64 modified_time() const { return 0; }

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

  private:
    VnodeType m_type;
    u32 m_permissions;
    u64 m_inode;
    u64 m_device = 0;
};

} // namespace kite
