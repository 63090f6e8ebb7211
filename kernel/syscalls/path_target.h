// path_target.h: the file a *at() call names: path relative to dirfd, its
// last symlink followed unless AT_SYMLINK_NOFOLLOW, and with AT_EMPTY_PATH
// an empty path naming dirfd itself (AT_FDCWD: the current directory).
#pragma once

#include "syscalls/file_arguments.h"
#include "syscalls/user_path.h"

namespace kite {

[[nodiscard]] inline ErrorOr<RefPtr<Vnode>> file_at(i64 dirfd, u64 path_address, u32 flags) {
    const UserPath path = TRY(UserPath::copy(path_address, flags & abi::AT_EMPTY_PATH));
    if (path.view().is_empty()) {
        if (static_cast<i32>(dirfd) == abi::AT_FDCWD) {
            return Process::current()->cwd();
        }
        return TRY(file_for(static_cast<u64>(dirfd)))->vnode();
    }
    const RefPtr<Vnode> base = TRY(base_directory(dirfd, path.view()));
    const auto follow = (flags & abi::AT_SYMLINK_NOFOLLOW) ? vfs::Follow::No : vfs::Follow::Yes;
    return vfs::resolve(path.view(), base, follow);
}

} // namespace kite
