// mount_table.cpp: see mount_table.h. The types mount(2) knows
// (syscalls/mount_calls.cpp), with ramfs for the initrd.
#include "fs/mount_table.h"

namespace kite::mount_table {

StringView filesystems_text() {
    return "nodev\tramfs\n"
           "nodev\ttmpfs\n"
           "nodev\tdevtmpfs\n"
           "nodev\tproc\n"
           "\text2\n";
}

} // namespace kite::mount_table
