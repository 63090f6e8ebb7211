// ustar.cpp: see ustar.h.
#include "fs/ustar.h"

namespace kite {

namespace {

constexpr usize block = 512;

bool all_zero(const char* at, usize length) {
    for (usize i = 0; i < length; ++i) {
        if (at[i] != 0) {
            return false;
        }
    }
    return true;
}

bool checksum_matches(const UstarHeader& h) {
    u64 expected;
    if (!parse_octal(h.checksum, sizeof(h.checksum), expected)) {
        return false;
    }
    const auto* bytes = reinterpret_cast<const u8*>(&h);
    u64 sum = 0;
    for (usize i = 0; i < sizeof(UstarHeader); ++i) {
        const bool in_field = i >= 148 && i < 156;
        sum += in_field ? u8{' '} : bytes[i];
    }
    return sum == expected;
}

// Copies a field that may lack a NUL (it then fills the field).
usize copy_field(char* out, usize at, usize capacity, const char* field, usize length) {
    usize n = 0;
    while (n < length && field[n] != '\0' && at + n + 1 < capacity) {
        out[at + n] = field[n];
        ++n;
    }
    out[at + n] = '\0';
    return at + n;
}

} // namespace

bool parse_octal(const char* field, usize length, u64& out) {
    usize i = 0;
    while (i < length && field[i] == ' ') {
        ++i;
    }
    u64 value = 0;
    usize digits = 0;
    for (; i < length && field[i] >= '0' && field[i] <= '7'; ++i, ++digits) {
        if (value >> 60) {
            return false; // would overflow
        }
        value = value * 8 + static_cast<u64>(field[i] - '0');
    }
    if (digits == 0 || (i < length && field[i] != '\0' && field[i] != ' ')) {
        return false;
    }
    out = value;
    return true;
}

bool UstarReader::next(UstarEntry& out) {
    while (m_offset + block <= m_archive.length()) {
        const char* at = m_archive.data() + m_offset;
        if (all_zero(at, block)) {
            return false; // the end-of-archive marker
        }
        UstarHeader header;
        __builtin_memcpy(&header, at, sizeof(header));
        u64 size = 0;
        u64 mode = 0;
        u64 mtime = 0;
        const bool magic_ok = header.magic[0] == 'u' && header.magic[1] == 's' &&
                              header.magic[2] == 't' && header.magic[3] == 'a' &&
                              header.magic[4] == 'r';
        if (!magic_ok || !checksum_matches(header) ||
            !parse_octal(header.size, sizeof(header.size), size) ||
            !parse_octal(header.mode, sizeof(header.mode), mode) ||
            !parse_octal(header.mtime, sizeof(header.mtime), mtime)) {
            ++m_bad;
            m_offset += block; // resynchronise on the next block
            continue;
        }
        const usize data_start = m_offset + block;
        if (size > m_archive.length() - data_start) {
            ++m_bad; // contents run past the archive: the rest is unusable
            m_offset = m_archive.length();
            return false;
        }
        m_offset = data_start + ((size + block - 1) / block) * block;

        usize length = 0;
        if (header.prefix[0] != '\0') {
            length =
                copy_field(out.path, 0, sizeof(out.path), header.prefix, sizeof(header.prefix));
            length = copy_field(out.path, length, sizeof(out.path), "/", 1);
        }
        copy_field(out.path, length, sizeof(out.path), header.name, sizeof(header.name));
        // Strip "./" and "/" prefixes and a trailing "/".
        StringView path(out.path);
        while (path.starts_with("./") || path.starts_with("/")) {
            path = path.substring(path[0] == '.' ? 2 : 1);
        }
        while (!path.is_empty() && path[path.length() - 1] == '/') {
            path = path.substring(0, path.length() - 1);
        }
        __builtin_memmove(out.path, path.data(), path.length());
        out.path[path.length()] = '\0';

        copy_field(out.link_target, 0, sizeof(out.link_target), header.link_name,
                   sizeof(header.link_name));
        switch (header.type) {
        case '0':
        case '\0':
            out.type = UstarType::Regular;
            break;
        case '5':
            out.type = UstarType::Directory;
            break;
        case '2':
            out.type = UstarType::Symlink;
            break;
        default:
            out.type = UstarType::Other;
            break;
        }
        out.data = m_archive.substring(data_start, out.type == UstarType::Regular ? size : 0);
        out.mode = static_cast<u32>(mode & 07777);
        out.mtime = static_cast<i64>(mtime);
        return true;
    }
    return false;
}

} // namespace kite
