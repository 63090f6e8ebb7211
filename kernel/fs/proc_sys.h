// proc_sys.h: /proc/sys, the sysctl files Kite has: kernel/{hostname,
// domainname, ostype, osrelease, version, pid_max} and fs/pipe-max-size.
// hostname and domainname are writable (as root, as on Linux): a write
// sets the name up to its first newline. Each file's text is made at read.
#pragma once

#include "fs/vnode.h"

namespace kite::proc_sys {

// The /proc/sys directory, whose ".." is parent.
[[nodiscard]] ErrorOr<RefPtr<Vnode>> create_directory(Vnode* parent, u64 device);

} // namespace kite::proc_sys
