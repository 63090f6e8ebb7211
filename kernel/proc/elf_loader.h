// elf_loader.h: the pieces exec is made of (proc/elf_loader.cpp): a new
// program image under construction, the ELF loader that fills it from a
// file, and the writer that copies bytes into it.
#pragma once

#include "fs/vnode.h"
#include "mm/user_space.h"
#include "proc/elf.h"

namespace kite {

// A new program image; if never committed, dropping the space gives back
// every frame it got.
struct Image {
    RefPtr<UserSpace> space;
    u64 entry = 0;
    u64 program_headers_address = 0;
    u16 program_header_count = 0;
    u64 highest_end = 0;
    bool executable_stack = false;
};

// ENOEXEC with a reason.
[[nodiscard]] Error not_executable(const char* why);
// Reads exactly length bytes at offset (ENOEXEC if the file is shorter).
[[nodiscard]] ErrorOr<void> read_exactly(Vnode& file, u64 offset, void* to, usize length);
// Copies bytes into the image at a user address, making pages as needed.
[[nodiscard]] ErrorOr<void> write_to_image(Image& image, u64 address, const u8* data, usize length);
// Checks an ELF64 x86-64 static executable (or static-pie, loaded at a fixed
// base) and loads its segments into the image: regions with the segments'
// protection, file bytes read straight into the pages, the rest zero.
[[nodiscard]] ErrorOr<void> load_elf(Vnode& file, const elf::FileHeader& header, Image& image);

} // namespace kite
