// Host tests for kernel/console/text_screen.cpp: text, scrolling and the
// ANSI escape sequences a shell sends.
#include "console/text_screen.h"

#include <gtest/gtest.h>

#include <string>

namespace {

struct Screen {
    static constexpr size_t columns = 10;
    static constexpr size_t rows = 4;
    kite::u16 cells[columns * rows] = {};
    kite::TextScreen screen{cells, columns, rows};

    Screen() { screen.clear(); }
    std::string line(size_t row) const {
        std::string s;
        for (size_t c = 0; c < columns; ++c) {
            s += static_cast<char>(cells[row * columns + c] & 0xFF);
        }
        return s.substr(0, s.find_last_not_of(' ') + 1);
    }
    kite::u8 attribute(size_t row, size_t column) const {
        return static_cast<kite::u8>(cells[row * columns + column] >> 8);
    }
};

TEST(TextScreen, WritesWrapsAndScrolls) {
    Screen s;
    s.screen.write("hello\nworld\n0123456789ab\nlast");
    EXPECT_EQ(s.line(0), "world");
    EXPECT_EQ(s.line(1), "0123456789");
    EXPECT_EQ(s.line(2), "ab");
    EXPECT_EQ(s.line(3), "last");
    EXPECT_EQ(s.screen.row(), 3u);
    EXPECT_EQ(s.screen.column(), 4u);
}

TEST(TextScreen, BackspaceCarriageReturnAndTab) {
    Screen s;
    s.screen.write("abc\b\bX\rY\tZ");
    EXPECT_EQ(s.line(0), "YXc     Z"); // Tab moves without erasing
    s.screen.write("\t\t\t!");         // and stops at the last column
    EXPECT_EQ(s.line(0), "YXc     Z!");
}

TEST(TextScreen, CursorMovement) {
    Screen s;
    s.screen.write("\x1b[3;5H*");
    EXPECT_EQ(s.line(2), "    *");
    s.screen.write("\x1b[A\x1b[2D#");
    EXPECT_EQ(s.line(1), "   #");
    s.screen.write("\x1b[B\x1b[99C!");
    EXPECT_EQ(s.line(2), "    *    !");
    s.screen.write("\x1b[H@");
    EXPECT_EQ(s.line(0), "@");
    s.screen.write("\x1b[99;99H");
    EXPECT_EQ(s.screen.row(), 3u);
    EXPECT_EQ(s.screen.column(), 9u);
}

TEST(TextScreen, EraseDisplayAndLine) {
    Screen s;
    s.screen.write("aaaa\nbbbb\ncccc");
    s.screen.write("\x1b[2;3H\x1b[K");
    EXPECT_EQ(s.line(1), "bb");
    s.screen.write("\x1b[1K");
    EXPECT_EQ(s.line(1), "");
    s.screen.write("\x1b[J");
    EXPECT_EQ(s.line(2), "");
    EXPECT_EQ(s.line(0), "aaaa");
    s.screen.write("\x1b[2J");
    EXPECT_EQ(s.line(0), "");
}

TEST(TextScreen, Colours) {
    Screen s;
    s.screen.write("\x1b[31mr\x1b[1;44mb\x1b[0mn");
    EXPECT_EQ(s.attribute(0, 0), 0x04); // red on black
    EXPECT_EQ(s.attribute(0, 1), 0x1C); // bright red on blue
    EXPECT_EQ(s.attribute(0, 2), 0x07); // reset
    s.screen.write("\x1b[92;7mx\x1b[m");
    EXPECT_EQ(s.attribute(0, 3), 0xA0); // bright green, then reversed
}

TEST(TextScreen, MalformedAndUnknownSequencesDoNoHarm) {
    Screen s;
    s.screen.write("\x1b[999999999999;5q\x1bXa\x1b[\x01"
                   "b\x1b[?25lc");
    EXPECT_EQ(s.line(0), "abc");
}

} // namespace
