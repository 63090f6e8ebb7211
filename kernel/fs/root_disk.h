// root_disk.h: root= on the kernel command line puts / on a disk, as Linux
// mounts its root file system (init/do_mounts.c), with the initrd as the
// fallback. The options, Linux's:
//   root=/dev/vda       the disk (or partition, /dev/vda1) by its /dev name;
//                       "vda" alone is taken too, as kite.mnt takes it
//   ro, rw              mounted read-only unless rw is given (the last wins)
//   rootfstype=ext2     a list of types to try; Kite mounts only ext2
//   init=/sbin/init     the program run first, looked up on the new root
// vfs::init has made / the initrd, with /dev, /proc and /tmp on it. Before
// any process runs, the disk becomes the root (mounts::replace_root),
// those mounts move onto its /dev, /proc and /tmp (a missing /proc or /tmp
// is reported and left unmounted), and the initrd is mounted read-only on
// its /initrd if it has one, else dropped, as Linux's handle_initrd does.
// A disk that is missing, does not mount, or lacks the init program or
// /dev (init's console is /dev/console) leaves / on the initrd, with one
// line on the console saying why; a bad root= never stops the boot.
#pragma once

#include "dev/block_device.h"
#include "lib/string_view.h"

namespace kite::root_disk {

// Reads root= and, if it names a usable disk, makes it the root.
void mount();

// The disk / is on, or null while / is the initrd.
[[nodiscard]] RefPtr<BlockDevice> device();

// The first program: init= from the command line, else /sbin/init.
[[nodiscard]] StringView init_program();

} // namespace kite::root_disk
