// qemu.cpp: isa-debug-exit and the fw_cfg I/O-port interface (QEMU's
// docs/specs/fw_cfg.txt: select a key at 0x510, read bytes from 0x511).
#include "arch/x86_64/qemu.h"

#include "arch/x86_64/cpu.h"
#include "lib/string_view.h"

namespace kite::qemu {

namespace {

constexpr u16 debug_exit_port = 0xF4;
constexpr u16 fw_cfg_selector = 0x510;
constexpr u16 fw_cfg_data = 0x511;
constexpr u16 fw_cfg_signature = 0x0000;
constexpr u16 fw_cfg_file_directory = 0x0019;

// The directory entry layout; multi-byte fields are big-endian.
struct FwCfgFile {
    u32 size;
    u16 select;
    u16 reserved;
    char name[56];
};
static_assert(sizeof(FwCfgFile) == 64);

void select(u16 key) {
    cpu::outw(fw_cfg_selector, key);
}
void read_bytes(void* out, usize count) {
    auto* bytes = static_cast<u8*>(out);
    for (usize i = 0; i < count; ++i) {
        bytes[i] = cpu::inb(fw_cfg_data);
    }
}
u32 big_endian32(u32 v) {
    return __builtin_bswap32(v);
}
u16 big_endian16(u16 v) {
    return __builtin_bswap16(v);
}

} // namespace

void exit(ExitCode code) {
    cpu::outl(debug_exit_port, static_cast<u8>(code));
}

long read_fw_cfg_file(const char* name, char* buffer, usize capacity) {
    if (capacity == 0) {
        return -1;
    }
    char signature[4];
    select(fw_cfg_signature);
    read_bytes(signature, sizeof(signature));
    if (StringView(signature, 4) != StringView("QEMU")) {
        return -1;
    }
    select(fw_cfg_file_directory);
    u32 count;
    read_bytes(&count, sizeof(count));
    count = big_endian32(count);
    for (u32 i = 0; i < count && i < 4096; ++i) {
        FwCfgFile file;
        read_bytes(&file, sizeof(file));
        file.name[sizeof(file.name) - 1] = '\0';
        if (StringView(file.name) != StringView(name)) {
            continue;
        }
        const usize size = big_endian32(file.size);
        const usize wanted = size < capacity - 1 ? size : capacity - 1;
        select(big_endian16(file.select));
        read_bytes(buffer, wanted);
        buffer[wanted] = '\0';
        return static_cast<long>(wanted);
    }
    return -1;
}

} // namespace kite::qemu
