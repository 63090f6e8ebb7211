// elf_loader.cpp: see elf_loader.h. Segments are checked against the file
// and user space before anything is mapped; a segment both writable and
// executable, a dynamically linked program or an entry point outside the
// executable segments is refused.
#include "proc/elf_loader.h"

#include "lib/kbuffer.h"
#include "mm/page.h"

namespace kite {

namespace {

using user_layout::max_stack_size;
using user_layout::stack_top;
using user_layout::static_pie_base;
constexpr u64 lowest_load_address = user_layout::lowest_mapping;
constexpr usize max_program_headers = 64;

u64 page_down(u64 v) {
    return v & ~(page_size - 1);
}
u64 page_up(u64 v) {
    return (v + page_size - 1) & ~(page_size - 1);
}

// Reads part of the file straight into the image's pages.
ErrorOr<void> load_from_file(Image& image, Vnode& file, u64 offset, u64 address, u64 length) {
    while (length > 0) {
        const u64 page = page_down(address);
        const usize in_page = min<u64>(length, page + page_size - address);
        u8* to = TRY(image.space->image_page(page));
        TRY(read_exactly(file, offset, to + (address - page), in_page));
        address += in_page;
        offset += in_page;
        length -= in_page;
    }
    return {};
}

ErrorOr<void> load_segments(Vnode& file, const elf::FileHeader& header, Image& image,
                            elf::ProgramHeader* headers, u64 table_size);

} // namespace

Error not_executable(const char* why) {
    return Error(Errno::NOEXEC, why);
}

ErrorOr<void> read_exactly(Vnode& file, u64 offset, void* to, usize length) {
    const usize n = TRY(file.read(offset, IoBuffer::kernel(to), length));
    if (n != length) {
        return not_executable("file shorter than its headers say");
    }
    return {};
}

ErrorOr<void> write_to_image(Image& image, u64 address, const u8* data, usize length) {
    while (length > 0) {
        const u64 page = page_down(address);
        const usize in_page = min<u64>(length, page + page_size - address);
        u8* to = TRY(image.space->image_page(page));
        __builtin_memcpy(to + (address - page), data, in_page);
        address += in_page;
        data += in_page;
        length -= in_page;
    }
    return {};
}

ErrorOr<void> load_elf(Vnode& file, const elf::FileHeader& header, Image& image) {
    const u8* id = header.ident;
    if (id[4] != elf::class_64 || id[5] != elf::data_little_endian ||
        id[6] != elf::current_version) {
        return not_executable("not a little-endian ELF64 file");
    }
    if (header.machine != elf::machine_x86_64) {
        return not_executable("ELF file for another machine");
    }
    if (header.type != elf::type_executable && header.type != elf::type_shared) {
        return not_executable("ELF file is not an executable");
    }
    if (header.program_header_size != sizeof(elf::ProgramHeader) ||
        header.program_header_count == 0 || header.program_header_count > max_program_headers) {
        return not_executable("bad program header table");
    }
    const u64 table_size = u64{header.program_header_count} * sizeof(elf::ProgramHeader);
    if (header.program_header_offset > file.size() ||
        table_size > file.size() - header.program_header_offset) {
        return not_executable("program headers outside the file");
    }
    KBuffer headers = TRY(KBuffer::try_create(table_size));
    return load_segments(file, header, image, reinterpret_cast<elf::ProgramHeader*>(headers.data()),
                         table_size);
}

namespace {

ErrorOr<void> load_segments(Vnode& file, const elf::FileHeader& header, Image& image,
                            elf::ProgramHeader* headers, u64 table_size) {
    TRY(read_exactly(file, header.program_header_offset, headers, table_size));

    const u64 bias = header.type == elf::type_shared ? static_pie_base : 0;
    bool entry_ok = false;
    for (u16 i = 0; i < header.program_header_count; ++i) {
        const elf::ProgramHeader& ph = headers[i];
        if (ph.type == elf::segment_interpreter) {
            return not_executable("dynamically linked (PT_INTERP): not supported");
        }
        if (ph.type == elf::segment_gnu_stack) {
            image.executable_stack = ph.flags & elf::flag_execute;
            continue;
        }
        if (ph.type != elf::segment_load || ph.memory_size == 0) {
            continue;
        }
        const u64 start = ph.virtual_address + bias;
        if (ph.file_size > ph.memory_size || ph.offset > file.size() ||
            ph.file_size > file.size() - ph.offset) {
            return not_executable("segment outside the file");
        }
        if (start < lowest_load_address || start >= user_task_size ||
            ph.memory_size > user_task_size - start ||
            start + ph.memory_size > stack_top - max_stack_size) {
            return not_executable("segment outside user space");
        }
        if ((ph.virtual_address - ph.offset) % page_size != 0) {
            return not_executable("segment misaligned with its file offset");
        }
        if ((ph.flags & elf::flag_write) && (ph.flags & elf::flag_execute)) {
            return not_executable("segment both writable and executable");
        }
        u32 protection = ProtNone;
        protection |= (ph.flags & elf::flag_read) ? ProtRead : 0;
        protection |= (ph.flags & elf::flag_write) ? ProtWrite : 0;
        protection |= (ph.flags & elf::flag_execute) ? ProtExec : 0;
        const u64 end = start + ph.memory_size;
        if (image.space->add_region(page_down(start), page_up(end), protection).is_error()) {
            return not_executable("segments overlap");
        }
        TRY(load_from_file(image, file, ph.offset, start, ph.file_size));
        if (header.entry + bias >= start && header.entry + bias < end &&
            (ph.flags & elf::flag_execute)) {
            entry_ok = true;
        }
        if (header.program_header_offset >= ph.offset &&
            header.program_header_offset + table_size <= ph.offset + ph.file_size) {
            image.program_headers_address = start + (header.program_header_offset - ph.offset);
        }
        image.highest_end = max(image.highest_end, page_up(end));
    }
    if (!entry_ok) {
        return not_executable("entry point not in an executable segment");
    }
    image.entry = header.entry + bias;
    image.program_header_count = header.program_header_count;
    return {};
}

} // namespace

} // namespace kite
