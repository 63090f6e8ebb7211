// ksyms.h: the kernel's own symbol table, for backtraces. It is generated
// from the stage-1 link by scripts/gen_ksyms.py and linked into the .ksyms
// section (see kernel/CMakeLists.txt), so it needs no file system or loader.
#pragma once

#include "lib/string_view.h"
#include "lib/types.h"

namespace kite::ksyms {

// Binary layout of .ksyms; gen_ksyms.py writes exactly this.
struct Header {
    u32 magic; // "KSYM"
    u32 count;
    u32 strings_offset; // from the start of the header
    u32 strings_size;
};
static_assert(sizeof(Header) == 16);

struct Entry {
    u64 address;
    u32 name_offset; // into the string table
    u32 size;        // bytes; 0 if unknown
};
static_assert(sizeof(Entry) == 16);

constexpr u32 magic = 0x4D59534B; // "KSYM" little-endian

struct Symbol {
    StringView name;
    u64 address;
    u64 offset; // of the looked-up address from the symbol's start
};

// The function symbol that contains address, if any.
[[nodiscard]] bool lookup(u64 address, Symbol& out);

// The address of a symbol by exact name, or 0.
[[nodiscard]] u64 address_of(StringView name);

[[nodiscard]] u32 count();

} // namespace kite::ksyms
