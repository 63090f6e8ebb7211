// multiboot2.cpp: a defensive walker over the Multiboot2 information block.
// Nothing in the block is trusted: sizes, alignment, string termination and
// the end tag are all checked before anything is read.
#include "boot/multiboot2.h"

namespace kite {

namespace {

using namespace multiboot2;

constexpr usize align8(usize value) {
    return (value + 7) & ~usize{7};
}

Error malformed(const char* what) {
    return Error(Errno::INVAL, what);
}

template <typename T>
T read_struct(const u8* at) {
    T value;
    __builtin_memcpy(&value, at, sizeof(T));
    return value;
}

// Copies the NUL-terminated string that fills tag bytes [offset, size) into
// out. Fails if no NUL lies inside the tag.
ErrorOr<void> copy_string(const u8* tag, usize offset, usize size, char* out, usize capacity,
                          bool* truncated) {
    usize length = 0;
    while (offset + length < size && tag[offset + length] != 0) {
        ++length;
    }
    if (offset + length >= size) {
        return malformed("string tag without a terminating NUL");
    }
    usize copied = length < capacity - 1 ? length : capacity - 1;
    __builtin_memcpy(out, tag + offset, copied);
    out[copied] = '\0';
    if (truncated) {
        *truncated = copied < length;
    }
    return {};
}

ErrorOr<void> parse_memory_map(const u8* tag, usize size, BootInfo& out) {
    if (size < sizeof(MemoryMapTag)) {
        return malformed("memory map tag too small");
    }
    const auto header = read_struct<MemoryMapTag>(tag);
    if (header.entry_size < sizeof(MemoryMapEntry) || header.entry_size % 8 != 0) {
        return malformed("memory map entry size invalid");
    }
    for (usize at = sizeof(MemoryMapTag); at + header.entry_size <= size; at += header.entry_size) {
        const auto entry = read_struct<MemoryMapEntry>(tag + at);
        if (out.memory_map_count == BootInfo::max_memory_regions) {
            ++out.memory_map_dropped;
            continue;
        }
        out.memory_map[out.memory_map_count++] = {entry.base, entry.length, entry.type};
    }
    return {};
}

ErrorOr<void> parse_module(const u8* tag, usize size, BootInfo& out) {
    if (size < sizeof(ModuleTag) + 1) {
        return malformed("module tag too small");
    }
    const auto header = read_struct<ModuleTag>(tag);
    if (header.end < header.start) {
        return malformed("module ends before it starts");
    }
    if (out.module_count == BootInfo::max_modules) {
        ++out.modules_dropped;
        return {};
    }
    BootModule& module = out.modules[out.module_count];
    module.start = header.start;
    module.end = header.end;
    TRY(copy_string(tag, sizeof(ModuleTag), size, module.name, sizeof(module.name), nullptr));
    ++out.module_count;
    return {};
}

ErrorOr<void> parse_tag(u32 type, const u8* tag, usize size, BootInfo& out) {
    switch (static_cast<TagType>(type)) {
    case TagType::CommandLine:
        return copy_string(tag, sizeof(StringTag), size, out.command_line, sizeof(out.command_line),
                           &out.command_line_truncated);
    case TagType::BootLoaderName:
        return copy_string(tag, sizeof(StringTag), size, out.bootloader_name,
                           sizeof(out.bootloader_name), nullptr);
    case TagType::Module:
        return parse_module(tag, size, out);
    case TagType::BasicMemoryInfo: {
        if (size < sizeof(BasicMemoryInfoTag)) {
            return malformed("basic memory info tag too small");
        }
        const auto info = read_struct<BasicMemoryInfoTag>(tag);
        out.has_basic_memory_info = true;
        out.lower_memory_kib = info.lower_kib;
        out.upper_memory_kib = info.upper_kib;
        return {};
    }
    case TagType::MemoryMap:
        return parse_memory_map(tag, size, out);
    case TagType::Framebuffer: {
        if (size < sizeof(FramebufferTag)) {
            return malformed("framebuffer tag too small");
        }
        const auto fb = read_struct<FramebufferTag>(tag);
        out.has_framebuffer = true;
        out.framebuffer = {fb.address, fb.pitch, fb.width, fb.height, fb.bpp, fb.type};
        return {};
    }
    case TagType::AcpiOldRsdp:
    case TagType::AcpiNewRsdp: {
        const usize length = size - sizeof(TagHeader);
        if (length > sizeof(out.acpi_rsdp)) {
            return malformed("ACPI RSDP tag too large");
        }
        // The ACPI 2.0 copy (XSDT) wins over the 1.0 one, in either order.
        const bool is_new = static_cast<TagType>(type) == TagType::AcpiNewRsdp;
        if (!is_new && out.acpi_rsdp_new) {
            return {};
        }
        out.acpi_rsdp_new = is_new;
        __builtin_memcpy(out.acpi_rsdp, tag + sizeof(TagHeader), length);
        out.acpi_rsdp_length = length;
        return {};
    }
    default:
        ++out.unknown_tags;
        return {};
    }
}

} // namespace

ErrorOr<void> parse_multiboot2(const u8* data, usize available, BootInfo& out) {
    if (data == nullptr) {
        return malformed("no boot information block");
    }
    if (reinterpret_cast<uptr>(data) % 8 != 0) {
        return malformed("boot information block not 8-byte aligned");
    }
    if (available < sizeof(InfoHeader)) {
        return malformed("boot information block truncated before its header");
    }
    const auto header = read_struct<InfoHeader>(data);
    if (header.total_size < sizeof(InfoHeader) + sizeof(TagHeader)) {
        return malformed("boot information total size too small");
    }
    if (header.total_size > available || header.total_size > multiboot2_max_info_size) {
        return malformed("boot information total size exceeds its bounds");
    }
    out.total_size = header.total_size;

    usize offset = sizeof(InfoHeader);
    while (offset + sizeof(TagHeader) <= header.total_size) {
        const auto tag = read_struct<TagHeader>(data + offset);
        if (tag.size < sizeof(TagHeader)) {
            return malformed("tag smaller than its header");
        }
        if (tag.size > header.total_size - offset) {
            return malformed("tag runs past the end of the block");
        }
        if (tag.type == static_cast<u32>(TagType::End)) {
            if (tag.size != sizeof(TagHeader)) {
                return malformed("end tag has the wrong size");
            }
            return {};
        }
        TRY(parse_tag(tag.type, data + offset, tag.size, out));
        offset = align8(offset + tag.size);
    }
    return malformed("no end tag");
}

StringView memory_type_name(u32 type) {
    switch (static_cast<MemoryType>(type)) {
    case MemoryType::Available:
        return "available";
    case MemoryType::Reserved:
        return "reserved";
    case MemoryType::AcpiReclaimable:
        return "ACPI reclaimable";
    case MemoryType::AcpiNvs:
        return "ACPI NVS";
    case MemoryType::BadRam:
        return "bad RAM";
    }
    return "unknown";
}

} // namespace kite
