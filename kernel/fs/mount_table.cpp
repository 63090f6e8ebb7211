// mount_table.cpp: see mount_table.h. The lines name each file system as
// Linux would: the initrd is a read-only ramfs at /, /dev a devtmpfs (which
// Linux reports with TMPFS_MAGIC, as Kite's statfs does), /proc procfs and
// /tmp a tmpfs. Keep in step with vfs::init and syscalls/statfs_calls.cpp.
#include "fs/mount_table.h"

namespace kite::mount_table {

StringView mounts_text() {
    return "initrd / ramfs ro,relatime 0 0\n"
           "devtmpfs /dev devtmpfs rw,nosuid,relatime,mode=755 0 0\n"
           "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"
           "tmpfs /tmp tmpfs rw,nosuid,nodev,relatime 0 0\n";
}

StringView filesystems_text() {
    return "nodev\tramfs\n"
           "nodev\ttmpfs\n"
           "nodev\tdevtmpfs\n"
           "nodev\tproc\n";
}

} // namespace kite::mount_table
