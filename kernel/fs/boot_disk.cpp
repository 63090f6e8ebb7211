// boot_disk.cpp: see boot_disk.h.
#include "fs/boot_disk.h"

#include "boot/boot_info.h"
#include "boot/command_line.h"
#include "console/console.h"
#include "dev/block_device.h"
#include "fs/ext2/ext2_fs.h"
#include "fs/mounts.h"
#include "fs/root_disk.h"
#include "fs/vfs.h"

namespace kite::boot_disk {

void mount() {
    StringView name = "vda";
    StringView option;
    if (command_line_option(kernel_command_line(), "kite.mnt", option)) {
        name = option;
    }
    if (name == "none" || name.is_empty()) {
        return;
    }
    RefPtr<BlockDevice> device = block_devices::find(name);
    if (!device) {
        if (!option.is_empty()) {
            kprintln("kite.mnt: no disk {}", name);
        }
        return;
    }
    if (device == root_disk::device()) {
        // Mounted once already, as /; a second mount would be EBUSY.
        if (!option.is_empty()) {
            kprintln("kite.mnt: {} is the root disk, not mounted again", name);
        }
        return;
    }
    StringView directory = "/mnt";
    if (command_line_option(kernel_command_line(), "kite.mnt_dir", option) && !option.is_empty()) {
        directory = option;
    }
    auto mount_point = vfs::resolve(directory, vfs::root());
    if (mount_point.is_error()) {
        kprintln("kite.mnt: no {} to mount {} on", directory, name);
        return;
    }
    auto disk = ext2::mount(device, false);
    if (disk.is_error()) {
        kprintln("kite.mnt: {} not mounted: {}", name, disk.error().what());
        return;
    }
    char source[24];
    const StringView path = format_to(source, sizeof(source), "/dev/{}", name);
    const u64 flags = disk.value()->is_read_only() ? mounts::read_only : 0;
    mounts::Spec spec{mounts::FsType::Ext2, path, flags, disk.value()->root(), {}};
    spec.disk = disk.value();
    if (!spec.root || mounts::attach(mount_point.value(), move(spec)).is_error()) {
        kprintln("kite.mnt: {} could not be mounted on {}", name, directory);
        disk.value()->release();
        return;
    }
    kprintln("ext2: {} mounted on {}", path, directory);
}

} // namespace kite::boot_disk
