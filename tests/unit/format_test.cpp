// Host tests for kernel/lib/format.cpp.
#include "lib/format.h"

#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <string>

namespace {

template <typename... Args>
std::string fmt(kite::StringView f, const Args&... args) {
    char buffer[512];
    auto view = kite::format_to(buffer, sizeof(buffer), f, args...);
    return std::string(view.data(), view.length());
}

TEST(Format, PlainTextAndEscapes) {
    EXPECT_EQ(fmt("hello"), "hello");
    EXPECT_EQ(fmt(""), "");
    EXPECT_EQ(fmt("{{}} {{x}}"), "{} {x}");
    EXPECT_EQ(fmt("a } b"), "a } b");
}

TEST(Format, SignedIntegers) {
    EXPECT_EQ(fmt("{}", 0), "0");
    EXPECT_EQ(fmt("{}", -42), "-42");
    EXPECT_EQ(fmt("{}", static_cast<short>(-7)), "-7");
    EXPECT_EQ(fmt("{}", LLONG_MIN), "-9223372036854775808");
    EXPECT_EQ(fmt("{}", LLONG_MAX), "9223372036854775807");
    EXPECT_EQ(fmt("{:x}", -255), "-ff");
}

TEST(Format, UnsignedIntegersInEveryBase) {
    EXPECT_EQ(fmt("{}", ULLONG_MAX), "18446744073709551615");
    EXPECT_EQ(fmt("{:x}", 0xdeadbeefu), "deadbeef");
    EXPECT_EQ(fmt("{:X}", 0xdeadbeefu), "DEADBEEF");
    EXPECT_EQ(fmt("{:#x}", 255u), "0xff");
    EXPECT_EQ(fmt("{:b}", 5u), "101");
    EXPECT_EQ(fmt("{:#b}", 5u), "0b101");
    EXPECT_EQ(fmt("{:o}", 8u), "10");
    EXPECT_EQ(fmt("{:#o}", 8u), "0o10");
    EXPECT_EQ(fmt("{:d}", static_cast<uint8_t>(200)), "200");
    EXPECT_EQ(fmt("{:b}", 0u), "0");
}

TEST(Format, WidthFillAndAlignment) {
    EXPECT_EQ(fmt("{:5}", 42), "   42");
    EXPECT_EQ(fmt("{:<5}|", 42), "42   |");
    EXPECT_EQ(fmt("{:^6}|", 42), "  42  |");
    EXPECT_EQ(fmt("{:*>6}", 42), "****42");
    EXPECT_EQ(fmt("{:05}", -42), "-0042");
    EXPECT_EQ(fmt("{:#010x}", 0xbeefu), "0x0000beef");
    EXPECT_EQ(fmt("{:2}", 12345), "12345"); // width is a minimum
    EXPECT_EQ(fmt("{:6}|", "ab"), "ab    |");
    EXPECT_EQ(fmt("{:>6}|", "ab"), "    ab|");
    EXPECT_EQ(fmt("{:-^7}", "ab"), "--ab---");
}

TEST(Format, PointersAndAddresses) {
    EXPECT_EQ(fmt("{}", reinterpret_cast<void*>(0x1000)), "0x0000000000001000");
    EXPECT_EQ(fmt("{}", static_cast<void*>(nullptr)), "0x0000000000000000");
    EXPECT_EQ(fmt("{}", kite::PhysAddr(0xb8000)), "0x00000000000b8000");
    EXPECT_EQ(fmt("{:p}", 0xffffffff80000000ull), "0xffffffff80000000");
    EXPECT_EQ(fmt("{:x}", kite::VirtAddr(0xff)), "ff");
    EXPECT_EQ(fmt("{:#x}", kite::VirtAddr(0xff)), "0xff");
}

TEST(Format, StringsCharsBools) {
    const char* null_string = nullptr;
    EXPECT_EQ(fmt("{}", "text"), "text");
    EXPECT_EQ(fmt("{}", null_string), "(null)");
    EXPECT_EQ(fmt("{}", kite::StringView("abcdef", 3)), "abc");
    EXPECT_EQ(fmt("{:.2}", "abcdef"), "ab");
    EXPECT_EQ(fmt("{}{}", 'o', 'k'), "ok");
    EXPECT_EQ(fmt("{:d}", 'A'), "65");
    EXPECT_EQ(fmt("{:c}", 65), "A");
    EXPECT_EQ(fmt("{} {}", true, false), "true false");
}

TEST(Format, MismatchesAreVisibleNotFatal) {
    EXPECT_EQ(fmt("{} {}", 1), "1 <missing>");
    EXPECT_EQ(fmt("{}", 1, 2), "1");
    EXPECT_EQ(fmt("{:q}", 1), "<bad-format>");
    EXPECT_EQ(fmt("{x}", 1), "<bad-format>");
    EXPECT_EQ(fmt("{:.}", "s"), "<bad-format>");
    EXPECT_EQ(fmt("{:999999}", 1), "<bad-format>");
    EXPECT_EQ(fmt("unterminated {", 1), "unterminated <bad-format>");
}

TEST(Format, BufferSinkTruncatesSafely) {
    char buffer[8];
    kite::BufferSink sink(buffer, sizeof(buffer));
    kite::format(sink, "{}", "0123456789");
    EXPECT_TRUE(sink.truncated());
    EXPECT_EQ(std::string(sink.view().data(), sink.view().length()), "0123456");
    EXPECT_EQ(buffer[7], '\0');

    char tiny[1];
    kite::BufferSink empty(tiny, 1);
    kite::format(empty, "x");
    EXPECT_TRUE(empty.truncated());
    EXPECT_EQ(tiny[0], '\0');
}

} // namespace
