// acpi_tables.cpp: see acpi_tables.h. Tables are unaligned bytes in
// firmware memory: fields are read with memcpy, never through a cast
// pointer to a wider type.
#include "acpi/acpi_tables.h"

namespace kite::acpi {

namespace {

template <typename T>
T load(const u8* bytes) {
    T value;
    __builtin_memcpy(&value, bytes, sizeof(T));
    return value;
}

} // namespace

u8 checksum(const u8* bytes, usize length) {
    u8 sum = 0;
    for (usize i = 0; i < length; ++i) {
        sum = static_cast<u8>(sum + bytes[i]);
    }
    return sum;
}

ErrorOr<RootPointer> parse_rsdp(const u8* bytes, usize available) {
    if (bytes == nullptr || available < rsdp_v1_size) {
        return Error(Errno::INVAL, "RSDP shorter than 20 bytes");
    }
    if (__builtin_memcmp(bytes, "RSD PTR ", 8) != 0) {
        return Error(Errno::INVAL, "no RSDP signature");
    }
    if (checksum(bytes, rsdp_v1_size) != 0) {
        return Error(Errno::INVAL, "RSDP checksum wrong");
    }
    const u8 revision = bytes[__builtin_offsetof(Rsdp, revision)];
    const u32 rsdt = load<u32>(bytes + __builtin_offsetof(Rsdp, rsdt_address));
    if (revision < 2) {
        if (rsdt == 0) {
            return Error(Errno::INVAL, "RSDP without an RSDT");
        }
        return RootPointer{revision, rsdt, false};
    }
    // The extended checksum covers the 36 bytes ACPI 2.0 defined, as
    // ACPICA checks it; a longer length field is not trusted further.
    if (available < rsdp_v2_size) {
        return Error(Errno::INVAL, "ACPI 2.0 RSDP shorter than 36 bytes");
    }
    if (load<u32>(bytes + __builtin_offsetof(Rsdp, length)) < rsdp_v2_size) {
        return Error(Errno::INVAL, "ACPI 2.0 RSDP length below 36");
    }
    if (checksum(bytes, rsdp_v2_size) != 0) {
        return Error(Errno::INVAL, "RSDP extended checksum wrong");
    }
    const u64 xsdt = load<u64>(bytes + __builtin_offsetof(Rsdp, xsdt_address));
    if (xsdt != 0) {
        return RootPointer{revision, xsdt, true};
    }
    if (rsdt == 0) {
        return Error(Errno::INVAL, "RSDP without an RSDT or XSDT");
    }
    return RootPointer{revision, rsdt, false};
}

long find_rsdp(const u8* area, usize length) {
    for (usize offset = 0; offset + rsdp_v1_size <= length; offset += 16) {
        if (!parse_rsdp(area + offset, length - offset).is_error()) {
            return static_cast<long>(offset);
        }
    }
    return -1;
}

ErrorOr<u32> check_table(const u8* bytes, usize available) {
    if (bytes == nullptr || available < sizeof(SdtHeader)) {
        return Error(Errno::INVAL, "ACPI table shorter than its header");
    }
    const u32 length = load<u32>(bytes + __builtin_offsetof(SdtHeader, length));
    if (length < sizeof(SdtHeader)) {
        return Error(Errno::INVAL, "ACPI table length below its header's");
    }
    if (length > max_table_length) {
        return Error(Errno::INVAL, "ACPI table length too large");
    }
    if (length > available) {
        return Error(Errno::INVAL, "ACPI table length past the bytes mapped");
    }
    if (checksum(bytes, length) != 0) {
        return Error(Errno::INVAL, "ACPI table checksum wrong");
    }
    return length;
}

bool has_signature(const u8* header, StringView signature) {
    return signature.length() == 4 && __builtin_memcmp(header, signature.data(), 4) == 0;
}

usize root_entry_count(u32 length, bool extended) {
    if (length < sizeof(SdtHeader)) {
        return 0;
    }
    return (length - sizeof(SdtHeader)) / (extended ? 8 : 4);
}

u64 root_entry(const u8* table, u32 length, bool extended, usize index) {
    if (index >= root_entry_count(length, extended)) {
        return 0;
    }
    const u8* entry = table + sizeof(SdtHeader) + index * (extended ? 8 : 4);
    return extended ? load<u64>(entry) : load<u32>(entry);
}

} // namespace kite::acpi
