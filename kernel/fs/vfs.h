// vfs.h: the file-system tree: path resolution across mounts, and the
// mount table. Paths are absolute ("/a/b") or relative to a directory; "."
// and ".." and repeated slashes work as in Unix; symlinks are followed, at
// most max_symlinks in one resolution (ELOOP beyond).
#pragma once

#include "boot/multiboot2.h"
#include "fs/vnode.h"

namespace kite::vfs {

constexpr usize max_symlinks = 40;

// Mounts the initrd (the Multiboot2 module named "initrd") read-only at /,
// a tmpfs at /tmp, the device file system at /dev, a tmpfs at /dev/shm and
// procfs at /proc (fs/mounts.h keeps the table).
void init(const BootInfo& info);

[[nodiscard]] RefPtr<Vnode> root();
// Where walks of absolute paths start from now on: mounts::replace_root's
// part (a disk made the root at boot, fs/root_disk.h), under the namespace
// lock. Nothing else changes the root: there is no chroot.
void set_root(RefPtr<Vnode> root);

enum class Follow : u8 { Yes, No }; // whether a symlink as the last component is followed

[[nodiscard]] ErrorOr<RefPtr<Vnode>> resolve(StringView path, const RefPtr<Vnode>& base,
                                             Follow follow = Follow::Yes);

// A path's last component and the directory it is in, unresolved: what a
// create, remove or rename starts from. fs/name_rules.h turns it into each
// call's answer.
struct LastName {
    enum class Kind : u8 {
        Name,   // an ordinary name
        Dot,    // "."
        DotDot, // ".."
        None,   // the path is only slashes ("/"): it has no last component
    };
    Kind kind = Kind::None;
    RefPtr<Vnode> directory;     // holds (or would hold) name; for None, the root
    StringView name;             // a view into the path; empty for None
    bool trailing_slash = false; // "name/": only a directory may answer to it
};
// Errors are those of the components before the last (ENOENT, ENOTDIR,
// ELOOP, ENAMETOOLONG); the last one is not looked up.
[[nodiscard]] ErrorOr<LastName> resolve_last(StringView path, const RefPtr<Vnode>& base);

// The absolute path of a directory, for getcwd.
[[nodiscard]] ErrorOr<usize> absolute_path(const RefPtr<Vnode>& directory, char* out,
                                           usize capacity);

// The absolute path of what path names, with every symlink in it followed
// and no "." or ".." left (realpath(3)): the name /proc/PID/exe gives for a
// program. Returns the length with the NUL; ERANGE if out is too small.
[[nodiscard]] ErrorOr<usize> canonical_path(StringView path, const RefPtr<Vnode>& base, char* out,
                                            usize capacity);

} // namespace kite::vfs
