// boot_info.cpp: see boot_info.h.
#include "boot/boot_info.h"

#include "arch/x86_64/qemu.h"
#include "debug/panic.h"
#include "mm/direct_map.h"

namespace kite {

namespace {

BootInfo info;
PhysAddr info_address;
char command_line[1024];
usize command_line_length = 0;

void append(StringView text) {
    for (usize i = 0; i < text.length() && command_line_length + 1 < sizeof(command_line); ++i) {
        command_line[command_line_length++] = text[i];
    }
    command_line[command_line_length] = '\0';
}

} // namespace

void load_boot_info(u32 magic, PhysAddr address) {
    if (magic != multiboot2::loader_magic) {
        panic("not started by a Multiboot2 loader: magic {:#x}, expected {:#x}", magic,
              multiboot2::loader_magic);
    }
    if (address.value() == 0 || !in_direct_map(address, multiboot2_max_info_size)) {
        panic("Multiboot2 information block at {:p} is outside the direct map", address);
    }
    auto result = parse_multiboot2(phys_to_virt<const u8>(address), multiboot2_max_info_size, info);
    if (result.is_error()) {
        panic("malformed Multiboot2 information block at {:p}: {}", address, result.error().what());
    }

    info_address = address;
    append(info.command_line);
    char extra[512];
    if (qemu::read_fw_cfg_file("opt/kite/cmdline", extra, sizeof(extra)) > 0) {
        if (command_line_length > 0) {
            append(" ");
        }
        append(extra);
    }
}

const BootInfo& boot_info() {
    return info;
}

PhysAddr boot_info_address() {
    return info_address;
}

StringView kernel_command_line() {
    return {command_line, command_line_length};
}

} // namespace kite
