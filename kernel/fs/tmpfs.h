// tmpfs.h: a writable file system in memory (/tmp, /dev/shm, and what
// mount(2) makes with type "tmpfs"), limited in size like Linux's.
#pragma once

#include "fs/tmpfs_space.h"
#include "fs/vnode.h"

namespace kite::tmpfs {

// mount(2)'s data for a tmpfs ("size=64k,mode=0700"), as Linux parses it.
struct Options {
    bool has_size = false;
    u64 size_pages = 0; // 0: unlimited
    bool has_mode = false;
    u32 mode = 01777; // the root directory's
};
// EINVAL for an unknown option or a bad number. nr_inodes= is accepted and
// not enforced (Kite does not count a tmpfs's inodes).
[[nodiscard]] ErrorOr<Options> parse_options(StringView data);

// Linux's default size: half of memory.
[[nodiscard]] u64 default_size_pages();

[[nodiscard]] ErrorOr<RefPtr<Vnode>> create_root(u32 mode, const RefPtr<TmpfsSpace>& space);

} // namespace kite::tmpfs
