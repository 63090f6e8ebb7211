// mount_table.h: the text of /proc/filesystems, in Linux's format, for
// procfs to serve. /proc/mounts comes from the mount table, fs/mounts.h.
#pragma once

#include "lib/string_view.h"

namespace kite::mount_table {

// "nodev\tTYPE" (or "\tTYPE") per line, as Linux's /proc/filesystems.
[[nodiscard]] StringView filesystems_text();

} // namespace kite::mount_table
