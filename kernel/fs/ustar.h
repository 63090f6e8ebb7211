// ustar.h: reading a POSIX ustar archive defensively. Every header's
// checksum is verified, sizes and names are bounded by the archive and the
// header fields, and a bad header is reported and skipped (the reader
// resynchronises on the next 512-byte block). Pure code: unit-tested on the
// host with hostile archives.
#pragma once

#include "lib/string_view.h"
#include "lib/types.h"

namespace kite {

struct UstarHeader {
    char name[100];
    char mode[8];
    char uid[8];
    char gid[8];
    char size[12];
    char mtime[12];
    char checksum[8];
    char type;
    char link_name[100];
    char magic[6];
    char version[2];
    char user_name[32];
    char group_name[32];
    char device_major[8];
    char device_minor[8];
    char prefix[155];
    char padding[12];
};
static_assert(sizeof(UstarHeader) == 512);
static_assert(__builtin_offsetof(UstarHeader, checksum) == 148);
static_assert(__builtin_offsetof(UstarHeader, type) == 156);
static_assert(__builtin_offsetof(UstarHeader, magic) == 257);
static_assert(__builtin_offsetof(UstarHeader, prefix) == 345);

enum class UstarType : u8 { Regular, Directory, Symlink, Other };

struct UstarEntry {
    char path[257]; // prefix/name (155 + "/" + 100 at most), no leading "./" or "/"
    UstarType type;
    StringView data; // file contents, inside the archive
    char link_target[101];
    u32 mode; // permission bits
    i64 mtime;
};

class UstarReader {
  public:
    explicit UstarReader(StringView archive) : m_archive(archive) {}

    // The next good entry, or false at the end of the archive.
    [[nodiscard]] bool next(UstarEntry& out);
    // Headers that failed a check and were skipped.
    [[nodiscard]] usize bad_headers() const { return m_bad; }

  private:
    StringView m_archive;
    usize m_offset = 0;
    usize m_bad = 0;
};

// Parses an octal numeric field (NUL- or space-terminated); false if it is
// not one.
[[nodiscard]] bool parse_octal(const char* field, usize length, u64& out);

} // namespace kite
