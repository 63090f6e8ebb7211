// boot_info.h: the kernel's copy of the boot information, filled once by
// kernel_main from the Multiboot2 block and the QEMU fw_cfg command line.
#pragma once

#include "boot/multiboot2.h"

namespace kite {

// Parses the Multiboot2 block at info (physical), panicking with the reason
// if the loader's magic or the block is wrong.
void load_boot_info(u32 magic, PhysAddr info);

[[nodiscard]] const BootInfo& boot_info();

// Where the Multiboot2 block itself lies (physical), to keep it reserved.
[[nodiscard]] PhysAddr boot_info_address();

// GRUB's command line followed by fw_cfg's opt/kite/cmdline, if any.
[[nodiscard]] StringView kernel_command_line();

} // namespace kite
