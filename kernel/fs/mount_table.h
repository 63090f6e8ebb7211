// mount_table.h: the text of /proc/mounts (and /proc/self/mounts) and of
// /proc/filesystems, in Linux's formats, for procfs to serve. Kite mounts
// its file systems at boot (fs/vfs.cpp, vfs::init) and has no mount(2)
// yet, so both texts are fixed: they describe what vfs::init builds.
#pragma once

#include "lib/string_view.h"

namespace kite::mount_table {

// "SOURCE TARGET TYPE OPTIONS 0 0" per line, as Linux's /proc/mounts.
[[nodiscard]] StringView mounts_text();
// "nodev\tTYPE" (or "\tTYPE") per line, as Linux's /proc/filesystems.
[[nodiscard]] StringView filesystems_text();

} // namespace kite::mount_table
