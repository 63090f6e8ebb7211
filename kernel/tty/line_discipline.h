// line_discipline.h: turns the bytes a person types into what a reader gets,
// the way a Unix terminal does (termios: ICANON, ECHO, ISIG, VMIN...).
//
// receive() runs in interrupt context: it never blocks and never allocates;
// input that does not fit is dropped and the bell rung. read() never blocks
// either: the reader layer waits (can_read(), and the wakeup hook) and calls
// it again.
#pragma once

#include "api/signals.h"
#include "lib/string_view.h"
#include "tty/termios.h"

namespace kite {

class LineDiscipline {
  public:
    static constexpr usize buffer_size = 4096; // committed input
    static constexpr usize line_size = 1024;   // line being edited

    class Hooks {
      public:
        virtual void echo(StringView text) = 0; // to the terminal's screen
        virtual void signal(int signal) = 0;    // ISIG: Ctrl-C, Ctrl-\, Ctrl-Z (Linux numbers)
        virtual void input_available() = 0;     // wake a waiting reader

      protected:
        ~Hooks() = default;
    };

    explicit LineDiscipline(Hooks& hooks) : m_hooks(hooks), m_termios(default_termios()) {}

    void receive(u8 byte);

    // Copies at most capacity bytes. Canonical mode: at most one line
    // (ending at its '\n', or an end of file, which returns 0 when it is
    // first). Raw mode: what is there.
    [[nodiscard]] usize read(u8* out, usize capacity);
    // The same in two steps, for a reader whose copy may fail: peek copies
    // what read would return and says how many ring entries that is; only
    // consume takes them, unless input was flushed in between (the
    // generation changed), which leaves the new input alone.
    struct Peeked {
        usize bytes;
        usize entries;
        bool complete; // stopped at a line end or end of file, not for room
        u64 generation;
    };
    [[nodiscard]] Peeked peek(u8* out, usize capacity) const;
    void consume(const Peeked& peeked);
    // Whether read() would return something now (or end of file).
    [[nodiscard]] bool can_read() const;

    [[nodiscard]] const Termios& termios() const { return m_termios; }
    // Switching from canonical to raw hands the edited line to readers.
    void set_termios(const Termios& termios);
    // Drops all input, committed and being edited.
    void flush_input();

    // Entries ready for readers (bytes, and end-of-file marks).
    [[nodiscard]] usize buffered() const { return m_count; }
    [[nodiscard]] StringView editing_line() const { return {m_line, m_line_length}; }

  private:
    [[nodiscard]] bool canonical() const { return m_termios.c_lflag & ICANON; }
    [[nodiscard]] bool echoing() const { return m_termios.c_lflag & ECHO; }
    [[nodiscard]] bool is_control(u8 byte, u8 index) const {
        return m_termios.c_cc[index] != 0 && byte == m_termios.c_cc[index];
    }
    void echo_char(u8 byte);
    void erase_one();
    void bell();
    bool push(u16 entry);
    // Moves the edited line into the ring, ended by `terminator` (a
    // delimiter byte | line_delimiter, or line_end / end_of_file).
    bool commit_line(u16 terminator);

    // Ring of entries: a data byte, a byte that ends a line (flag
    // line_delimiter: '\n' or VEOL/VEOL2), line_end (a line ended by VEOF
    // or a mode switch, no byte), or end_of_file. In canonical mode a read
    // stops after the first delimiter, line_end or end_of_file.
    static constexpr u16 line_delimiter = 0x100;
    static constexpr u16 line_end = 0x200;
    static constexpr u16 end_of_file = 0x400;
    Hooks& m_hooks;
    Termios m_termios;
    u16 m_ring[buffer_size] = {};
    usize m_head = 0; // next entry to read
    usize m_count = 0;
    u64 m_generation = 0; // counts flushes
    char m_line[line_size] = {};
    usize m_line_length = 0;
};

} // namespace kite
