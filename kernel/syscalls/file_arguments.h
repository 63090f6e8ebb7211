// file_arguments.h: turning the file system calls' raw arguments into
// kernel objects: a descriptor into its open file, a dirfd and path into
// the directory the path starts from.
#pragma once

#include "api/constants.h"
#include "api/types.h"
#include "fs/open_file.h"
#include "fs/vfs.h"
#include "proc/process.h"

namespace kite {

constexpr usize max_io = 0x7ffff000; // Linux's cap on one read or write
// AT_FDCWD as a raw argument, for the calls that are their *at() form.
constexpr u64 cwd_argument = static_cast<u64>(static_cast<i64>(abi::AT_FDCWD));

[[nodiscard]] inline ErrorOr<RefPtr<OpenFile>> file_for(u64 fd) {
    return Process::current()->fds().get(static_cast<int>(static_cast<i32>(fd)));
}

// The mode a new file gets: what the caller asked, less its umask.
[[nodiscard]] inline u32 creation_mode(u32 requested) {
    return requested & ~__atomic_load_n(&Process::current()->umask, __ATOMIC_RELAXED);
}

// The directory a *at() call's relative path starts from.
[[nodiscard]] inline ErrorOr<RefPtr<Vnode>> base_directory(i64 dirfd, StringView path) {
    if (!path.is_empty() && path[0] == '/') {
        return vfs::root();
    }
    if (static_cast<i32>(dirfd) == abi::AT_FDCWD) {
        return Process::current()->cwd();
    }
    RefPtr<OpenFile> file = TRY(file_for(static_cast<u64>(dirfd)));
    if (!file->vnode()->is_directory()) {
        return Error(Errno::NOTDIR, "dirfd is not a directory");
    }
    return file->vnode();
}

} // namespace kite
