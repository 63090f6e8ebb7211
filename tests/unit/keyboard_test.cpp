// Host tests for kernel/tty/keyboard.cpp (scancode set 1, US layout).
#include "tty/keyboard.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

std::string feed(kite::KeyboardDecoder& k, const std::vector<kite::u8>& codes) {
    std::string out;
    for (kite::u8 code : codes) {
        char bytes[kite::KeyboardDecoder::max_output];
        const size_t n = k.feed(code, bytes);
        out.append(bytes, n);
    }
    return out;
}

constexpr kite::u8 release(kite::u8 code) {
    return code | 0x80;
}
constexpr kite::u8 A = 0x1E, H = 0x23, I = 0x17, C = 0x2E, U = 0x16, ONE = 0x02;
constexpr kite::u8 LSHIFT = 0x2A, RSHIFT = 0x36, CTRL = 0x1D, CAPS = 0x3A;

TEST(Keyboard, LettersDigitsAndReleases) {
    kite::KeyboardDecoder k;
    EXPECT_EQ(feed(k, {H, release(H), I, release(I), ONE, release(ONE)}), "hi1");
}

TEST(Keyboard, ShiftGivesCapitalsAndSymbols) {
    kite::KeyboardDecoder k;
    EXPECT_EQ(feed(k, {LSHIFT, H, release(H), ONE, release(LSHIFT), I}), "H!i");
    EXPECT_EQ(feed(k, {RSHIFT, 0x0C, 0x27, release(RSHIFT), 0x0C}), "_:-");
}

TEST(Keyboard, CapsLockTogglesLettersOnly) {
    kite::KeyboardDecoder k;
    EXPECT_EQ(feed(k, {CAPS, release(CAPS), A, ONE}), "A1");
    EXPECT_EQ(feed(k, {LSHIFT, A, release(LSHIFT)}), "a"); // Shift undoes Caps for letters
    EXPECT_EQ(feed(k, {CAPS, release(CAPS), A}), "a");
}

TEST(Keyboard, CtrlLetterIsTheControlCharacter) {
    kite::KeyboardDecoder k;
    EXPECT_EQ(feed(k, {CTRL, C, release(C), U, release(CTRL), C}), std::string("\x03\x15"
                                                                               "c"));
    EXPECT_EQ(feed(k, {0xE0, CTRL, 0x20, 0xE0, release(CTRL), 0x20}), std::string("\x04"
                                                                                  "d"));
}

TEST(Keyboard, SpecialKeys) {
    kite::KeyboardDecoder k;
    EXPECT_EQ(feed(k, {0x1C, 0x0E, 0x0F, 0x01, 0x39}), std::string("\n\x7f\t\x1b "));
}

TEST(Keyboard, ArrowKeysAreAnsiSequences) {
    kite::KeyboardDecoder k;
    EXPECT_EQ(feed(k, {0xE0, 0x48, 0xE0, release(0x48)}), "\x1b[A");
    EXPECT_EQ(feed(k, {0xE0, 0x50, 0xE0, 0x4D, 0xE0, 0x4B}), "\x1b[B\x1b[C\x1b[D");
    EXPECT_EQ(feed(k, {0xE0, 0x47, 0xE0, 0x4F, 0xE0, 0x53}), "\x1b[H\x1b[F\x1b[3~");
}

TEST(Keyboard, KeypadKeys) {
    kite::KeyboardDecoder k;
    EXPECT_EQ(feed(k, {0x47, 0x37, 0xE0, 0x1C, 0xE0, 0x35}), "7*\n/");
}

TEST(Keyboard, UnknownCodesAndPauseAreIgnored) {
    kite::KeyboardDecoder k;
    EXPECT_EQ(feed(k, {0x3B, 0x57, 0x7F, 0xE0, 0x5B, 0xFF}), ""); // F1, F11, garbage, Win
    EXPECT_EQ(feed(k, {0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5, H}), "h");
}

TEST(Keyboard, ModifierStateFollowsPressAndRelease) {
    kite::KeyboardDecoder k;
    feed(k, {LSHIFT, RSHIFT, release(LSHIFT)});
    EXPECT_TRUE(k.shift());
    feed(k, {release(RSHIFT)});
    EXPECT_FALSE(k.shift());
    feed(k, {CTRL});
    EXPECT_TRUE(k.ctrl());
}

} // namespace
