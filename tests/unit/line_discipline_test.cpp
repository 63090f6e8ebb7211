// Host tests for kernel/tty/line_discipline.cpp: every editing key, signals,
// end of file, buffer limits, canonical and raw modes.
#include "tty/line_discipline.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using kite::LineDiscipline;

struct Recorder final : LineDiscipline::Hooks {
    std::string screen;
    std::vector<int> signals;
    int wakeups = 0;
    void echo(kite::StringView text) override { screen.append(text.data(), text.length()); }
    void signal(int number) override { signals.push_back(number); }
    void input_available() override { ++wakeups; }
};

struct Tty {
    Recorder hooks;
    LineDiscipline ld{hooks};

    void type(const std::string& text) {
        for (char c : text) {
            ld.receive(static_cast<kite::u8>(c));
        }
    }
    std::string read(size_t capacity = 4096) {
        std::string out(capacity, '\0');
        out.resize(ld.read(reinterpret_cast<kite::u8*>(out.data()), capacity));
        return out;
    }
};

TEST(LineDiscipline, CanonicalLineIsReadableOnlyAfterEnter) {
    Tty t;
    t.type("hello");
    EXPECT_FALSE(t.ld.can_read());
    EXPECT_EQ(t.hooks.screen, "hello");
    t.type("\r"); // ICRNL: Enter from a serial terminal
    EXPECT_TRUE(t.ld.can_read());
    EXPECT_EQ(t.hooks.wakeups, 1);
    EXPECT_EQ(t.read(), "hello\n");
    EXPECT_EQ(t.hooks.screen, "hello\n");
    EXPECT_FALSE(t.ld.can_read());
}

TEST(LineDiscipline, ReadReturnsOneLineAtATime) {
    Tty t;
    t.type("one\ntwo\n");
    EXPECT_EQ(t.read(), "one\n");
    EXPECT_EQ(t.read(2), "tw");
    EXPECT_EQ(t.read(), "o\n");
}

TEST(LineDiscipline, BackspaceAndDeleteEraseOneCharacter) {
    Tty t;
    t.type("abx\x7f");
    t.type("cy\b");
    t.type("\n");
    EXPECT_EQ(t.read(), "abc\n");
    EXPECT_EQ(t.hooks.screen, "abx\b \bcy\b \b\n");
}

TEST(LineDiscipline, EraseAtLineStartDoesNothing) {
    Tty t;
    t.type("\x7f\x7f"
           "a\n");
    EXPECT_EQ(t.read(), "a\n");
    EXPECT_EQ(t.hooks.screen, "a\n");
}

TEST(LineDiscipline, ErasingAControlCharacterErasesItsTwoCells) {
    Tty t;
    t.type("a\x01\x7f\n"); // Ctrl-A is echoed as ^A
    EXPECT_EQ(t.read(), "a\n");
    EXPECT_EQ(t.hooks.screen, "a^A\b \b\b \b\n");
}

TEST(LineDiscipline, CtrlUErasesTheLine) {
    Tty t;
    t.type("garbage\x15ok\n");
    EXPECT_EQ(t.read(), "ok\n");
    EXPECT_EQ(t.hooks.screen.find("garbage"), 0u);
}

TEST(LineDiscipline, CtrlWErasesAWord) {
    Tty t;
    t.type("ls -l  \x17"
           "-a\n");
    EXPECT_EQ(t.read(), "ls -a\n");
    t.type("one\x17\x17two\n"); // a second Ctrl-W on an empty line does nothing
    EXPECT_EQ(t.read(), "two\n");
}

TEST(LineDiscipline, CtrlDAtLineStartIsEndOfFile) {
    Tty t;
    t.type("\x04");
    EXPECT_TRUE(t.ld.can_read());
    EXPECT_EQ(t.read(), "");
    EXPECT_FALSE(t.ld.can_read());
}

TEST(LineDiscipline, CtrlDMidLineSubmitsWithoutNewline) {
    Tty t;
    t.type("abc\x04");
    EXPECT_EQ(t.read(), "abc");
    t.type("x\n\x04"
           "y\n");
    EXPECT_EQ(t.read(), "x\n");
    EXPECT_EQ(t.read(), ""); // the end of file, in order
    EXPECT_EQ(t.read(), "y\n");
}

TEST(LineDiscipline, CtrlDMidLineEndsThatLineOnly) {
    Tty t;
    t.type("abc\x04"
           "def\n");
    EXPECT_EQ(t.read(), "abc");
    EXPECT_EQ(t.read(), "def\n");
}

TEST(LineDiscipline, EolCharacterEndsALineAndIsDelivered) {
    Tty t;
    kite::Termios with_eol = t.ld.termios();
    with_eol.c_cc[kite::VEOL] = '!';
    t.ld.set_termios(with_eol);
    t.type("ab!cd\n");
    EXPECT_EQ(t.read(), "ab!");
    EXPECT_EQ(t.read(), "cd\n");
    t.type("!");
    EXPECT_EQ(t.read(), "!"); // an empty line ended by EOL is not end of file
}

TEST(LineDiscipline, RawBytesBecomeOneLineWhenSwitchingToCanonical) {
    Tty t;
    kite::Termios raw = t.ld.termios();
    raw.c_lflag &= ~kite::ICANON;
    t.ld.set_termios(raw);
    t.type("x");
    kite::Termios canonical = raw;
    canonical.c_lflag |= kite::ICANON;
    t.ld.set_termios(canonical);
    t.type("yz\n");
    EXPECT_EQ(t.read(), "x");
    EXPECT_EQ(t.read(), "yz\n");
}

// Typed ahead in raw mode, read a byte at a time after the switch (as a
// shell's line editor leaves input for the next program): every byte
// arrives and no end of file appears after them.
TEST(LineDiscipline, TypedAheadRawLinesReadByteByByteInCanonicalHaveNoEndOfFile) {
    Tty t;
    kite::Termios raw = t.ld.termios();
    raw.c_lflag &= ~kite::ICANON;
    t.ld.set_termios(raw);
    t.type("a\nb\n");
    kite::Termios canonical = raw;
    canonical.c_lflag |= kite::ICANON;
    t.ld.set_termios(canonical);
    std::string got;
    while (t.ld.can_read()) {
        const std::string byte = t.read(1);
        ASSERT_EQ(byte.size(), 1u) << "a read returned " << byte.size() << " bytes after " << got;
        got += byte;
    }
    EXPECT_EQ(got, "a\nb\n");
}

TEST(LineDiscipline, CtrlCAndCtrlZRaiseSignalsAndDropTheLine) {
    Tty t;
    t.type("partial\x03");
    t.type("more\x1a");
    t.type("\x1c");
    EXPECT_EQ(t.hooks.signals, (std::vector<int>{kite::abi::signals::INT, kite::abi::signals::TSTP,
                                                 kite::abi::signals::QUIT}));
    EXPECT_FALSE(t.ld.can_read());
    EXPECT_NE(t.hooks.screen.find("^C\n"), std::string::npos);
    EXPECT_NE(t.hooks.screen.find("^Z\n"), std::string::npos);
    t.type("after\n");
    EXPECT_EQ(t.read(), "after\n");
}

TEST(LineDiscipline, SignalsOffWithoutIsig) {
    Tty t;
    kite::Termios raw = t.ld.termios();
    raw.c_lflag &= ~kite::ISIG;
    t.ld.set_termios(raw);
    t.type("a\x03\n");
    EXPECT_TRUE(t.hooks.signals.empty());
    EXPECT_EQ(t.read(), "a\x03\n");
}

TEST(LineDiscipline, NoEchoMode) {
    Tty t;
    kite::Termios quiet = t.ld.termios();
    quiet.c_lflag &= ~kite::ECHO;
    t.ld.set_termios(quiet);
    t.type("secret\n");
    EXPECT_EQ(t.read(), "secret\n");
    EXPECT_EQ(t.hooks.screen, "");
}

TEST(LineDiscipline, RawModeDeliversEveryByteAtOnce) {
    Tty t;
    kite::Termios raw = t.ld.termios();
    raw.c_lflag &= ~(kite::ICANON | kite::ECHO);
    raw.c_iflag &= ~kite::ICRNL;
    t.ld.set_termios(raw);
    t.type("a");
    EXPECT_TRUE(t.ld.can_read());
    t.type("\x7f\r\x15");
    EXPECT_EQ(t.read(), std::string("a\x7f\r\x15"));
    EXPECT_EQ(t.hooks.screen, "");
}

TEST(LineDiscipline, RawModeHonoursVmin) {
    Tty t;
    kite::Termios raw = t.ld.termios();
    raw.c_lflag &= ~kite::ICANON;
    raw.c_cc[kite::VMIN] = 3;
    t.ld.set_termios(raw);
    t.type("ab");
    EXPECT_FALSE(t.ld.can_read());
    t.type("c");
    EXPECT_TRUE(t.ld.can_read());
}

TEST(LineDiscipline, SwitchingToRawHandsOverTheEditedLine) {
    Tty t;
    t.type("half");
    kite::Termios raw = t.ld.termios();
    raw.c_lflag &= ~kite::ICANON;
    t.ld.set_termios(raw);
    EXPECT_EQ(t.read(), "half");
}

TEST(LineDiscipline, FullLineRingsTheBellAndKeepsWhatFits) {
    Tty t;
    t.type(std::string(LineDiscipline::line_size + 10, 'x'));
    EXPECT_EQ(t.ld.editing_line().length(), LineDiscipline::line_size);
    EXPECT_NE(t.hooks.screen.find('\a'), std::string::npos);
    t.type("\x15short\n");
    EXPECT_EQ(t.read(), "short\n");
}

TEST(LineDiscipline, FullBufferDropsInputInsteadOfOverwriting) {
    Tty t;
    const std::string line(1000, 'y');
    for (int i = 0; i < 10; ++i) {
        t.type(line + "\n"); // 10 x 1001 bytes do not fit in 4096
    }
    EXPECT_EQ(t.ld.buffered(), LineDiscipline::buffer_size);
    EXPECT_NE(t.hooks.screen.find('\a'), std::string::npos);
    // Four whole lines, then the part of the fifth that fit (one byte kept
    // for its newline); everything after was dropped, nothing overwritten.
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(t.read(), line + "\n");
    }
    const size_t room = LineDiscipline::buffer_size - 4 * 1001;
    EXPECT_EQ(t.read(), std::string(room - 1, 'y') + "\n");
    EXPECT_FALSE(t.ld.can_read());
    t.type("\x15"
           "fresh\n");
    EXPECT_EQ(t.read(), "fresh\n");
}

TEST(LineDiscipline, DefaultTermiosLooksLikeLinux) {
    const kite::Termios t = kite::default_termios();
    EXPECT_EQ(t.c_cc[kite::VINTR], 3);
    EXPECT_EQ(t.c_cc[kite::VERASE], 127);
    EXPECT_EQ(t.c_cc[kite::VEOF], 4);
    EXPECT_EQ(t.c_cc[kite::VMIN], 1);
    EXPECT_TRUE(t.c_lflag & kite::ICANON);
    EXPECT_TRUE(t.c_lflag & kite::ECHO);
    EXPECT_TRUE(t.c_lflag & kite::ISIG);
}

} // namespace
