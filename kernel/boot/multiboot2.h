// multiboot2.h: the Multiboot2 boot information layout (the structures GRUB
// hands the kernel), and BootInfo, the kernel's own copy of what it keeps.
// Layouts follow the Multiboot2 specification, section 3.6.
#pragma once

#include "lib/error.h"
#include "lib/string_view.h"
#include "lib/types.h"

namespace kite::multiboot2 {

constexpr u32 loader_magic = 0x36d76289;

enum class TagType : u32 {
    End = 0,
    CommandLine = 1,
    BootLoaderName = 2,
    Module = 3,
    BasicMemoryInfo = 4,
    BootDevice = 5,
    MemoryMap = 6,
    Framebuffer = 8,
    AcpiOldRsdp = 14,
    AcpiNewRsdp = 15,
};

struct InfoHeader {
    u32 total_size;
    u32 reserved;
};
static_assert(sizeof(InfoHeader) == 8);

struct TagHeader {
    u32 type;
    u32 size; // including this header, excluding padding to 8 bytes
};
static_assert(sizeof(TagHeader) == 8);

struct StringTag { // command line, boot loader name
    TagHeader header;
    char string[]; // NUL-terminated
};
static_assert(sizeof(StringTag) == 8);

struct ModuleTag {
    TagHeader header;
    u32 start; // physical
    u32 end;   // physical, exclusive
    char string[];
};
static_assert(sizeof(ModuleTag) == 16 && __builtin_offsetof(ModuleTag, end) == 12);

struct BasicMemoryInfoTag {
    TagHeader header;
    u32 lower_kib;
    u32 upper_kib;
};
static_assert(sizeof(BasicMemoryInfoTag) == 16);

struct MemoryMapTag {
    TagHeader header;
    u32 entry_size;
    u32 entry_version;
};
static_assert(sizeof(MemoryMapTag) == 16);

struct MemoryMapEntry {
    u64 base;
    u64 length;
    u32 type;
    u32 reserved;
};
static_assert(sizeof(MemoryMapEntry) == 24 && __builtin_offsetof(MemoryMapEntry, type) == 16);

struct FramebufferTag {
    TagHeader header;
    u64 address;
    u32 pitch;
    u32 width;
    u32 height;
    u8 bpp;
    u8 type;
    u16 reserved;
};
static_assert(sizeof(FramebufferTag) == 32 && __builtin_offsetof(FramebufferTag, bpp) == 28);

} // namespace kite::multiboot2

namespace kite {

enum class MemoryType : u32 {
    Available = 1,
    Reserved = 2,
    AcpiReclaimable = 3,
    AcpiNvs = 4,
    BadRam = 5,
};

struct MemoryRegion {
    u64 base;
    u64 length;
    u32 type; // MemoryType, or a value the loader knows and we do not
};

struct BootModule {
    u64 start;
    u64 end;
    char name[64];
};

struct FramebufferInfo {
    u64 address;
    u32 pitch;
    u32 width;
    u32 height;
    u8 bpp;
    u8 type;
};

// What the kernel keeps from the boot information. Fixed-size, so it can be
// filled before any allocator exists; what does not fit is counted in the
// *_dropped fields and reported, never written out of bounds.
struct BootInfo {
    static constexpr usize max_memory_regions = 128;
    static constexpr usize max_modules = 16;

    u32 total_size = 0;
    char command_line[512] = {};
    bool command_line_truncated = false;
    char bootloader_name[64] = {};
    MemoryRegion memory_map[max_memory_regions] = {};
    usize memory_map_count = 0;
    usize memory_map_dropped = 0;
    BootModule modules[max_modules] = {};
    usize module_count = 0;
    usize modules_dropped = 0;
    bool has_basic_memory_info = false;
    u32 lower_memory_kib = 0;
    u32 upper_memory_kib = 0;
    bool has_framebuffer = false;
    FramebufferInfo framebuffer = {};
    u8 acpi_rsdp[64] = {};
    usize acpi_rsdp_length = 0;
    bool acpi_rsdp_new = false; // from tag 15 (ACPI 2.0), not tag 14
    usize unknown_tags = 0;
};

// Largest information block accepted; GRUB's are a few KiB.
constexpr usize multiboot2_max_info_size = 1 * MiB;

// Walks the information block at data, of which at most available bytes may
// be read. Every tag is bounds-checked against the block's total size and the
// available bytes; unknown tags are skipped. On error, out is left partially
// filled and the error says what was wrong.
ErrorOr<void> parse_multiboot2(const u8* data, usize available, BootInfo& out);

StringView memory_type_name(u32 type);

} // namespace kite
