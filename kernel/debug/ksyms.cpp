// ksyms.cpp: lookups in the .ksyms table. The table is sorted by address
// (gen_ksyms.py guarantees it), so lookup is a binary search. An absent or
// malformed table (the stage-1 kernel has none) gives no symbols, not a crash.
#include "debug/ksyms.h"

extern "C" const kite::u8 _ksyms_start[];
extern "C" const kite::u8 _ksyms_end[];

namespace kite::ksyms {

namespace {

const Header* table() {
    const usize size = static_cast<usize>(_ksyms_end - _ksyms_start);
    if (size < sizeof(Header)) {
        return nullptr;
    }
    const auto* header = reinterpret_cast<const Header*>(_ksyms_start);
    if (header->magic != magic) {
        return nullptr;
    }
    const u64 entries_end = sizeof(Header) + u64{header->count} * sizeof(Entry);
    if (entries_end > header->strings_offset ||
        u64{header->strings_offset} + header->strings_size > size) {
        return nullptr;
    }
    return header;
}

const Entry* entries(const Header* header) {
    return reinterpret_cast<const Entry*>(header + 1);
}

StringView name_of(const Header* header, const Entry& entry) {
    if (entry.name_offset >= header->strings_size) {
        return "?";
    }
    const char* strings = reinterpret_cast<const char*>(header) + header->strings_offset;
    usize length = 0;
    while (entry.name_offset + length < header->strings_size &&
           strings[entry.name_offset + length]) {
        ++length;
    }
    return {strings + entry.name_offset, length};
}

} // namespace

bool lookup(u64 address, Symbol& out) {
    const Header* header = table();
    if (!header || header->count == 0) {
        return false;
    }
    const Entry* list = entries(header);
    // Last entry with entry.address <= address.
    usize low = 0;
    usize high = header->count;
    while (low < high) {
        const usize middle = low + (high - low) / 2;
        if (list[middle].address <= address) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    if (low == 0) {
        return false;
    }
    const Entry& entry = list[low - 1];
    if (entry.size != 0 && address - entry.address >= entry.size) {
        return false;
    }
    out = {name_of(header, entry), entry.address, address - entry.address};
    return true;
}

u64 address_of(StringView name) {
    const Header* header = table();
    if (!header) {
        return 0;
    }
    for (u32 i = 0; i < header->count; ++i) {
        if (name_of(header, entries(header)[i]) == name) {
            return entries(header)[i].address;
        }
    }
    return 0;
}

u32 count() {
    const Header* header = table();
    return header ? header->count : 0;
}

} // namespace kite::ksyms
