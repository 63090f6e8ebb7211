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
// a tmpfs at /tmp and the device file system at /dev.
void init(const BootInfo& info);

[[nodiscard]] RefPtr<Vnode> root();

enum class Follow : u8 { Yes, No }; // whether a symlink as the last component is followed

[[nodiscard]] ErrorOr<RefPtr<Vnode>> resolve(StringView path, const RefPtr<Vnode>& base,
                                             Follow follow = Follow::Yes);
// The directory that would hold path's last component, and that component;
// trailing_slash says whether the path ended in "/" (then the component
// must be a directory). EEXIST-style checks are the caller's.
[[nodiscard]] ErrorOr<RefPtr<Vnode>> resolve_parent(StringView path, const RefPtr<Vnode>& base,
                                                    StringView& last,
                                                    bool* trailing_slash = nullptr);

// Mounts fs_root on the directory at path.
[[nodiscard]] ErrorOr<void> mount(StringView path, RefPtr<Vnode> fs_root);

// The absolute path of a directory, for getcwd.
[[nodiscard]] ErrorOr<usize> absolute_path(const RefPtr<Vnode>& directory, char* out,
                                           usize capacity);

} // namespace kite::vfs
