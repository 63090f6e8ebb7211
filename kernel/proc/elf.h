// elf.h: the ELF64 structures the program loader reads (System V gABI and
// the x86-64 psABI).
#pragma once

#include "lib/types.h"

namespace kite::elf {

struct FileHeader {
    u8 ident[16];
    u16 type;
    u16 machine;
    u32 version;
    u64 entry;
    u64 program_header_offset;
    u64 section_header_offset;
    u32 flags;
    u16 header_size;
    u16 program_header_size;
    u16 program_header_count;
    u16 section_header_size;
    u16 section_header_count;
    u16 section_name_index;
};
static_assert(sizeof(FileHeader) == 64);
static_assert(__builtin_offsetof(FileHeader, entry) == 24);
static_assert(__builtin_offsetof(FileHeader, program_header_count) == 56);

struct ProgramHeader {
    u32 type;
    u32 flags;
    u64 offset;
    u64 virtual_address;
    u64 physical_address;
    u64 file_size;
    u64 memory_size;
    u64 alignment;
};
static_assert(sizeof(ProgramHeader) == 56);
static_assert(__builtin_offsetof(ProgramHeader, memory_size) == 40);

constexpr u8 class_64 = 2;
constexpr u8 data_little_endian = 1;
constexpr u8 current_version = 1;
constexpr u16 type_executable = 2; // ET_EXEC
constexpr u16 type_shared = 3;     // ET_DYN (static-pie)
constexpr u16 machine_x86_64 = 62;

constexpr u32 segment_load = 1;
constexpr u32 segment_interpreter = 3;
constexpr u32 segment_program_headers = 6;
constexpr u32 segment_gnu_stack = 0x6474e551;

constexpr u32 flag_execute = 1;
constexpr u32 flag_write = 2;
constexpr u32 flag_read = 4;

// Auxiliary vector keys.
enum AuxKey : u64 {
    AT_NULL = 0,
    AT_PHDR = 3,
    AT_PHENT = 4,
    AT_PHNUM = 5,
    AT_PAGESZ = 6,
    AT_BASE = 7,
    AT_FLAGS = 8,
    AT_ENTRY = 9,
    AT_UID = 11,
    AT_EUID = 12,
    AT_GID = 13,
    AT_EGID = 14,
    AT_SECURE = 23,
    AT_RANDOM = 25,
    AT_EXECFN = 31,
};

} // namespace kite::elf
