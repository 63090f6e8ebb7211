// root_disk.cpp: see root_disk.h.
#include "fs/root_disk.h"

#include "boot/boot_info.h"
#include "boot/command_line.h"
#include "console/console.h"
#include "debug/panic.h"
#include "fs/ext2/ext2_fs.h"
#include "fs/mounts.h"
#include "fs/namespace_lock.h"
#include "fs/vfs.h"

namespace kite::root_disk {

namespace {

RefPtr<BlockDevice> root_device;

// vfs::init's mounts on the initrd, which follow / onto the disk. /dev/shm
// is mounted inside /dev's tree and goes with it.
constexpr StringView boot_mount_points[] = {"/dev", "/proc", "/tmp"};

// Whether the last of the bare words "ro" and "rw" is rw: Linux mounts
// its root read-only unless told otherwise (init remounts it later).
bool wants_read_write(StringView line) {
    bool read_write = false;
    usize i = 0;
    while (i < line.length()) {
        while (i < line.length() && line[i] == ' ') {
            ++i;
        }
        const usize start = i;
        while (i < line.length() && line[i] != ' ') {
            ++i;
        }
        const StringView word = line.substring(start, i - start);
        if (word == "ro" || word == "rw") {
            read_write = word == "rw";
        }
    }
    return read_write;
}

// rootfstype= is a list of types to try in turn; without it, Linux tries
// every type it has, which for Kite is ext2.
bool allows_ext2(StringView line) {
    StringView types;
    if (!command_line_option(line, "rootfstype", types)) {
        return true;
    }
    bool found = false;
    for_each_list_item(types, [&](StringView type) { found = found || type == "ext2"; });
    return found;
}

// What a root must hold that this one lacks (written into reason), or
// false if nothing. Looked up once the disk is the root, so that absolute
// symlinks in the paths resolve on the disk and not on the initrd.
bool lacks_something(char* reason, usize capacity) {
    const StringView init = init_program();
    auto program = vfs::resolve(init, vfs::root());
    if (program.is_error() || program.value()->type() != VnodeType::Regular) {
        format_to(reason, capacity, "no program {} on it", init);
        return true;
    }
    auto dev = vfs::resolve("/dev", vfs::root());
    if (dev.is_error() || !dev.value()->is_directory()) {
        format_to(reason, capacity, "no /dev directory on it (for init's /dev/console)");
        return true;
    }
    return false;
}

// Moves the boot mounts from the initrd onto the same directories of the
// disk (now the root); one missing there is reported and unmounted, as
// nothing could reach it.
void move_boot_mounts(const RefPtr<Vnode>& initrd_root, StringView given) {
    for (const StringView point : boot_mount_points) {
        // Relative to the initrd's root: its directory, crossed onto what
        // is mounted there.
        auto mounted = vfs::resolve(point.substring(1), initrd_root);
        if (mounted.is_error() || !mounted.value()->mount_point) {
            continue; // nothing mounted there (vfs::init mounts all three)
        }
        auto directory = vfs::resolve(point, vfs::root());
        if (!directory.is_error() && directory.value()->is_directory() &&
            !mounts::move_mount(mounted.value(), directory.value()).is_error()) {
            continue;
        }
        kprintln("root={}: no {} directory on it; {} is not mounted", given, point, point);
        (void)mounts::unmount(mounted.value(), true);
    }
}

// Makes the disk root= names the root, or says why not and leaves / as
// it is.
void switch_root(StringView given, StringView line) {
    StringView name = given;
    if (name.starts_with("/dev/")) {
        name = name.substring(5);
    }
    auto fall_back = [&](StringView reason) {
        kprintln("root={}: {}; / stays on the initrd", given, reason);
    };
    if (name.is_empty()) {
        fall_back("no disk named");
        return;
    }
    if (!allows_ext2(line)) {
        fall_back("rootfstype= does not list ext2, the one type Kite mounts");
        return;
    }
    RefPtr<BlockDevice> device = block_devices::find(name);
    if (!device) {
        fall_back("no such disk");
        return;
    }
    auto disk = ext2::mount(device, !wants_read_write(line));
    if (disk.is_error()) {
        char reason[96];
        fall_back(format_to(reason, sizeof(reason), "not mounted: {}", disk.error().what()));
        return;
    }
    char source[24];
    const StringView path = format_to(source, sizeof(source), "/dev/{}", device->name());
    const u64 flags = disk.value()->is_read_only() ? mounts::read_only : 0;
    mounts::Spec spec{mounts::FsType::Ext2, path, flags, disk.value()->root(), {}};
    spec.disk = disk.value();
    if (!spec.root) {
        disk.value()->release();
        fall_back("its root directory cannot be read");
        return;
    }
    auto initrd_root = mounts::replace_root(move(spec));
    if (initrd_root.is_error()) {
        disk.value()->release();
        fall_back(initrd_root.error().what());
        return;
    }
    char reason[128];
    if (lacks_something(reason, sizeof(reason))) {
        // Back as it was: the initrd's record again, the disk unmounted.
        // Nothing holds the disk's vnodes now but the table, which lets
        // them go here.
        const mounts::Spec initrd{
            mounts::FsType::Ramfs, "initrd", mounts::read_only, initrd_root.value(), {}};
        auto back = mounts::replace_root(initrd);
        VERIFY(!back.is_error());
        back.value() = {};
        disk.value()->release();
        fall_back(StringView(reason));
        return;
    }
    move_boot_mounts(initrd_root.value(), given);
    // Linux's handle_initrd moves the initrd to /initrd if the new root
    // has that directory and otherwise lets it go; Kite does the same.
    auto initrd_directory = vfs::resolve("/initrd", vfs::root());
    const bool keep_initrd =
        !initrd_directory.is_error() && initrd_directory.value()->is_directory() &&
        !mounts::attach(
             initrd_directory.value(),
             {mounts::FsType::Ramfs, "initrd", mounts::read_only, initrd_root.value(), {}})
             .is_error();
    root_device = move(device);
    kprintln("root={}: / is {} (ext2, {}); {}", given, path,
             flags & mounts::read_only ? "ro" : "rw",
             keep_initrd ? "the initrd is on /initrd" : "no /initrd on it, the initrd is let go");
}

} // namespace

void mount() {
    const StringView line = kernel_command_line();
    StringView given;
    if (command_line_option(line, "root", given)) {
        switch_root(given, line);
    }
}

RefPtr<BlockDevice> device() {
    return root_device;
}

StringView init_program() {
    StringView option;
    if (command_line_option(kernel_command_line(), "init", option) && !option.is_empty()) {
        return option;
    }
    return "/sbin/init";
}

} // namespace kite::root_disk
