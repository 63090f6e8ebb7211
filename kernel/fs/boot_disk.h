// boot_disk.h: the disk mounted at boot. The kernel command line's
// kite.mnt=NAME names a block device (by its /dev name, "vda" when absent,
// "none" for no disk) whose ext2 file system is mounted at /mnt (or at
// kite.mnt_dir=DIR: /tmp, to run the user tests on ext2); a missing
// device is quietly skipped (most test boots have none), a device that is
// not ext2 is reported, the disk root= made / (fs/root_disk.h) is
// skipped.
#pragma once

namespace kite::boot_disk {

void mount();

} // namespace kite::boot_disk
