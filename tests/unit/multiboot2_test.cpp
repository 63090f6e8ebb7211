// Host tests for kernel/boot/multiboot2.cpp: well-formed and malformed
// synthetic information blocks.
#include "boot/multiboot2.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace {

using kite::BootInfo;

// Builds a Multiboot2 information block tag by tag.
class Blob {
  public:
    Blob() { put32(0), put32(0); }

    Blob& tag(uint32_t type, const std::vector<uint8_t>& payload) {
        align();
        put32(type);
        put32(static_cast<uint32_t>(8 + payload.size()));
        bytes.insert(bytes.end(), payload.begin(), payload.end());
        return *this;
    }
    Blob& string_tag(uint32_t type, const std::string& text) {
        std::vector<uint8_t> payload(text.begin(), text.end());
        payload.push_back(0);
        return tag(type, payload);
    }
    Blob& memory_map(const std::vector<std::tuple<uint64_t, uint64_t, uint32_t>>& entries,
                     uint32_t entry_size = 24) {
        std::vector<uint8_t> payload;
        append32(payload, entry_size);
        append32(payload, 0);
        for (auto [base, length, type] : entries) {
            append64(payload, base);
            append64(payload, length);
            append32(payload, type);
            append32(payload, 0);
            payload.resize(payload.size() + entry_size - 24);
        }
        return tag(6, payload);
    }
    Blob& module(uint32_t start, uint32_t end, const std::string& name) {
        std::vector<uint8_t> payload;
        append32(payload, start);
        append32(payload, end);
        payload.insert(payload.end(), name.begin(), name.end());
        payload.push_back(0);
        return tag(3, payload);
    }
    Blob& end() {
        align();
        put32(0);
        put32(8);
        return *this;
    }
    // Sets total_size to the real size (or to an override).
    std::vector<uint8_t> build(int64_t total_size = -1) {
        std::vector<uint8_t> out = bytes;
        const uint32_t size =
            total_size < 0 ? static_cast<uint32_t>(out.size()) : static_cast<uint32_t>(total_size);
        std::memcpy(out.data(), &size, 4);
        return out;
    }

    std::vector<uint8_t> bytes;

  private:
    static void append32(std::vector<uint8_t>& v, uint32_t x) {
        for (int i = 0; i < 4; ++i)
            v.push_back(static_cast<uint8_t>(x >> (8 * i)));
    }
    static void append64(std::vector<uint8_t>& v, uint64_t x) {
        for (int i = 0; i < 8; ++i)
            v.push_back(static_cast<uint8_t>(x >> (8 * i)));
    }
    void put32(uint32_t x) { append32(bytes, x); }
    void align() {
        while (bytes.size() % 8)
            bytes.push_back(0);
    }
};

// Parses a copy placed in 8-aligned heap memory, exactly size bytes long
// (so AddressSanitizer catches any read past it).
struct Parsed {
    kite::ErrorOr<void> result;
    std::unique_ptr<BootInfo> info;
};
Parsed parse(const std::vector<uint8_t>& blob, size_t available = SIZE_MAX, size_t shift = 0) {
    const size_t size = blob.size();
    auto* memory = static_cast<uint8_t*>(aligned_alloc(8, ((size + shift + 7) / 8) * 8 + 8));
    if (size > 0) {
        std::memcpy(memory + shift, blob.data(), size);
    }
    auto info = std::make_unique<BootInfo>();
    auto result =
        kite::parse_multiboot2(memory + shift, available == SIZE_MAX ? size : available, *info);
    free(memory);
    return {std::move(result), std::move(info)};
}

std::string error_of(const Parsed& p) {
    return p.result.is_error() ? p.result.error().what() : "";
}

TEST(Multiboot2, WellFormedBlock) {
    auto blob =
        Blob()
            .string_tag(1, "kite.test=all")
            .string_tag(2, "GRUB 2.06")
            .tag(4, {0x7f, 2, 0, 0, 0x00, 0xfc, 1, 0})
            .memory_map({{0, 0x9fc00, 1}, {0x100000, 0x7ee0000, 1}, {0xfffc0000, 0x40000, 2}})
            .module(0x200000, 0x201000, "initrd")
            .tag(0x1234, {1, 2, 3}) // unknown: skipped
            .end()
            .build();
    auto p = parse(blob);
    ASSERT_FALSE(p.result.is_error()) << error_of(p);
    EXPECT_STREQ(p.info->command_line, "kite.test=all");
    EXPECT_STREQ(p.info->bootloader_name, "GRUB 2.06");
    EXPECT_TRUE(p.info->has_basic_memory_info);
    EXPECT_EQ(p.info->lower_memory_kib, 639u);
    ASSERT_EQ(p.info->memory_map_count, 3u);
    EXPECT_EQ(p.info->memory_map[1].base, 0x100000u);
    EXPECT_EQ(p.info->memory_map[1].length, 0x7ee0000u);
    EXPECT_EQ(p.info->memory_map[2].type, 2u);
    ASSERT_EQ(p.info->module_count, 1u);
    EXPECT_EQ(p.info->modules[0].start, 0x200000u);
    EXPECT_STREQ(p.info->modules[0].name, "initrd");
    EXPECT_EQ(p.info->unknown_tags, 1u);
    EXPECT_EQ(p.info->total_size, blob.size());
}

TEST(Multiboot2, MemoryMapWithLargerEntriesAndAbove4GiB) {
    auto blob = Blob().memory_map({{0x100000000ull, 0x40000000, 1}}, 32).end().build();
    auto p = parse(blob);
    ASSERT_FALSE(p.result.is_error()) << error_of(p);
    ASSERT_EQ(p.info->memory_map_count, 1u);
    EXPECT_EQ(p.info->memory_map[0].base, 0x100000000ull);
}

TEST(Multiboot2, TooManyEntriesAreCountedNotOverflowed) {
    std::vector<std::tuple<uint64_t, uint64_t, uint32_t>> entries;
    for (uint64_t i = 0; i < BootInfo::max_memory_regions + 5; ++i)
        entries.emplace_back(i << 20, 4096, 1);
    auto p = parse(Blob().memory_map(entries).end().build());
    ASSERT_FALSE(p.result.is_error());
    EXPECT_EQ(p.info->memory_map_count, BootInfo::max_memory_regions);
    EXPECT_EQ(p.info->memory_map_dropped, 5u);
}

TEST(Multiboot2, LongCommandLineIsTruncatedAndFlagged) {
    auto p = parse(Blob().string_tag(1, std::string(2000, 'x')).end().build());
    ASSERT_FALSE(p.result.is_error());
    EXPECT_TRUE(p.info->command_line_truncated);
    EXPECT_EQ(std::strlen(p.info->command_line), sizeof(p.info->command_line) - 1);
}

TEST(Multiboot2, NoEndTag) {
    auto p = parse(Blob().string_tag(1, "x").build());
    EXPECT_EQ(error_of(p), "no end tag");
}

TEST(Multiboot2, EmptyBlock) {
    EXPECT_EQ(error_of(parse(Blob().build())), "boot information total size too small");
    EXPECT_EQ(error_of(parse({})), "boot information block truncated before its header");
}

TEST(Multiboot2, TruncatedBuffer) {
    auto blob = Blob().string_tag(1, "kite").end().build();
    // total_size claims more than the caller may read.
    EXPECT_EQ(error_of(parse(blob, blob.size() - 8)),
              "boot information total size exceeds its bounds");
}

TEST(Multiboot2, OversizedTotalSize) {
    auto blob = Blob().end().build(64 * 1024 * 1024);
    EXPECT_EQ(error_of(parse(blob, SIZE_MAX - 1)),
              "boot information total size exceeds its bounds");
}

TEST(Multiboot2, TagRunningPastTheEnd) {
    Blob b;
    b.string_tag(1, "abc").end();
    auto blob = b.build();
    const uint32_t huge = 4096;
    std::memcpy(blob.data() + 12, &huge, 4); // the command-line tag's size
    EXPECT_EQ(error_of(parse(blob)), "tag runs past the end of the block");
}

TEST(Multiboot2, TagSmallerThanItsHeader) {
    Blob b;
    b.string_tag(1, "abc").end();
    auto blob = b.build();
    const uint32_t tiny = 4;
    std::memcpy(blob.data() + 12, &tiny, 4);
    EXPECT_EQ(error_of(parse(blob)), "tag smaller than its header");
}

TEST(Multiboot2, MisalignedBlock) {
    auto blob = Blob().end().build();
    EXPECT_EQ(error_of(parse(blob, SIZE_MAX, 4)), "boot information block not 8-byte aligned");
}

TEST(Multiboot2, StringWithoutNul) {
    auto p = parse(Blob().tag(1, {'a', 'b', 'c'}).end().build());
    EXPECT_EQ(error_of(p), "string tag without a terminating NUL");
}

TEST(Multiboot2, BadMemoryMapEntrySize) {
    EXPECT_EQ(error_of(parse(Blob().memory_map({{0, 4096, 1}}, 20).end().build())),
              "memory map entry size invalid");
    EXPECT_EQ(error_of(parse(Blob().tag(6, {24, 0, 0, 0}).end().build())),
              "memory map tag too small");
}

TEST(Multiboot2, ModuleEndingBeforeItStarts) {
    EXPECT_EQ(error_of(parse(Blob().module(0x2000, 0x1000, "m").end().build())),
              "module ends before it starts");
}

TEST(Multiboot2, EndTagWithWrongSize) {
    Blob b;
    b.end();
    auto blob = b.build();
    const uint32_t bad = 16;
    std::memcpy(blob.data() + 12, &bad, 4);
    blob.resize(24, 0);
    std::memcpy(blob.data(), "\x18\0\0\0", 4);
    EXPECT_EQ(error_of(parse(blob)), "end tag has the wrong size");
}

TEST(Multiboot2, EveryTruncationOfAGoodBlockFailsCleanly) {
    auto blob = Blob()
                    .string_tag(1, "console=ttyS0")
                    .memory_map({{0, 0x9fc00, 1}, {0x100000, 0x100000, 1}})
                    .module(0x1000, 0x2000, "initrd")
                    .end()
                    .build();
    for (size_t cut = 0; cut < blob.size(); ++cut) {
        std::vector<uint8_t> shorter(blob.begin(), blob.begin() + static_cast<long>(cut));
        EXPECT_TRUE(parse(shorter).result.is_error()) << "cut at " << cut;
        if (cut >= 8) { // the same cut with total_size saying so
            const uint32_t size = static_cast<uint32_t>(cut);
            std::memcpy(shorter.data(), &size, 4);
            EXPECT_TRUE(parse(shorter).result.is_error()) << "consistent cut at " << cut;
        }
    }
}

TEST(Multiboot2, MemoryTypeNames) {
    EXPECT_TRUE(kite::memory_type_name(1) == "available");
    EXPECT_TRUE(kite::memory_type_name(4) == "ACPI NVS");
    EXPECT_TRUE(kite::memory_type_name(99) == "unknown");
}

} // namespace

// GRUB passes the ACPI 1.0 RSDP (tag 14) and, when the firmware has one,
// the 2.0 RSDP (tag 15); the 2.0 copy is kept whichever tag comes first.
TEST(Multiboot2, NewRsdpWinsOverTheOldInEitherOrder) {
    const std::vector<uint8_t> old_rsdp(20, 0x11), new_rsdp(36, 0x22);
    for (bool new_first : {false, true}) {
        Blob blob;
        if (new_first) {
            blob.tag(15, new_rsdp).tag(14, old_rsdp);
        } else {
            blob.tag(14, old_rsdp).tag(15, new_rsdp);
        }
        auto p = parse(blob.end().build());
        ASSERT_FALSE(p.result.is_error()) << error_of(p);
        EXPECT_TRUE(p.info->acpi_rsdp_new);
        EXPECT_EQ(p.info->acpi_rsdp_length, 36u);
        EXPECT_EQ(p.info->acpi_rsdp[0], 0x22);
    }
    Blob only_old;
    auto p = parse(only_old.tag(14, old_rsdp).end().build());
    ASSERT_FALSE(p.result.is_error());
    EXPECT_FALSE(p.info->acpi_rsdp_new);
    EXPECT_EQ(p.info->acpi_rsdp_length, 20u);
}
