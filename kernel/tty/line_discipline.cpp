// line_discipline.cpp: see line_discipline.h.
//
// In canonical mode typed bytes collect in m_line until Enter (or EOF); then
// the line moves into the ring, where readers see it. In raw mode bytes go
// straight into the ring. Echo reflects exactly what the editing did, so the
// screen always shows the line as it is.
#include "tty/line_discipline.h"

namespace kite {

Termios default_termios() {
    Termios t{};
    t.c_iflag = ICRNL; // no IXON: flow control is not implemented
    t.c_oflag = OPOST | ONLCR;
    t.c_cflag = B38400 | CS8 | CREAD;
    t.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
    t.c_cc[VINTR] = 3;    // Ctrl-C
    t.c_cc[VQUIT] = 28;   // Ctrl-backslash
    t.c_cc[VERASE] = 127; // DEL (what Backspace sends)
    t.c_cc[VKILL] = 21;   // Ctrl-U
    t.c_cc[VEOF] = 4;     // Ctrl-D
    t.c_cc[VTIME] = 0;
    t.c_cc[VMIN] = 1;
    t.c_cc[VSTART] = 17;
    t.c_cc[VSTOP] = 19;
    t.c_cc[VSUSP] = 26; // Ctrl-Z
    t.c_cc[VREPRINT] = 18;
    t.c_cc[VDISCARD] = 15;
    t.c_cc[VWERASE] = 23; // Ctrl-W
    t.c_cc[VLNEXT] = 22;
    return t;
}

void LineDiscipline::bell() {
    if (echoing()) {
        m_hooks.echo("\a");
    }
}

bool LineDiscipline::push(u16 entry) {
    if (m_count == buffer_size) {
        return false;
    }
    m_ring[(m_head + m_count) % buffer_size] = entry;
    ++m_count;
    return true;
}

// All or nothing: either the whole line and its terminator fit, or nothing
// moves (and the caller rings the bell).
bool LineDiscipline::commit_line(u16 terminator) {
    if (buffer_size - m_count < m_line_length + 1) {
        return false;
    }
    for (usize i = 0; i < m_line_length; ++i) {
        push(static_cast<u8>(m_line[i]));
    }
    push(terminator);
    m_line_length = 0;
    m_hooks.input_available();
    return true;
}

void LineDiscipline::echo_char(u8 byte) {
    if (!echoing()) {
        if (byte == '\n' && (m_termios.c_lflag & ECHONL)) {
            m_hooks.echo("\n");
        }
        return;
    }
    if (byte < 32 && byte != '\n' && byte != '\t' && (m_termios.c_lflag & ECHOCTL)) {
        const char text[2] = {'^', static_cast<char>(byte + '@')};
        m_hooks.echo({text, 2});
    } else if (byte == 127 && (m_termios.c_lflag & ECHOCTL)) {
        m_hooks.echo("^?");
    } else {
        const char c = static_cast<char>(byte);
        m_hooks.echo({&c, 1});
    }
}

// Removes the last character of the line, and from the screen (a control
// character was echoed as two cells, ^X).
void LineDiscipline::erase_one() {
    if (m_line_length == 0) {
        return;
    }
    const u8 erased = static_cast<u8>(m_line[--m_line_length]);
    if (echoing() && (m_termios.c_lflag & ECHOE)) {
        const bool two_cells =
            (erased < 32 || erased == 127) && erased != '\t' && (m_termios.c_lflag & ECHOCTL);
        m_hooks.echo(two_cells ? "\b \b\b \b" : "\b \b");
    }
}

void LineDiscipline::receive(u8 byte) {
    if (byte == '\r' && (m_termios.c_iflag & IGNCR)) {
        return;
    }
    if (byte == '\r' && (m_termios.c_iflag & ICRNL)) {
        byte = '\n';
    } else if (byte == '\n' && (m_termios.c_iflag & INLCR)) {
        byte = '\r';
    }

    if (m_termios.c_lflag & ISIG) {
        int signal = 0;
        bool raised = true;
        if (is_control(byte, VINTR)) {
            signal = abi::signals::INT;
        } else if (is_control(byte, VQUIT)) {
            signal = abi::signals::QUIT;
        } else if (is_control(byte, VSUSP)) {
            signal = abi::signals::TSTP;
        } else {
            raised = false;
        }
        if (raised) {
            flush_input();
            echo_char(byte);
            if (echoing()) {
                m_hooks.echo("\n");
            }
            m_hooks.signal(signal);
            return;
        }
    }

    if (!canonical()) {
        if (!push(byte)) {
            bell();
            return;
        }
        echo_char(byte);
        m_hooks.input_available();
        return;
    }

    // 8 (BS) erases too: many serial terminals send it for Backspace.
    if (is_control(byte, VERASE) || byte == '\b') {
        erase_one();
        return;
    }
    if (is_control(byte, VKILL)) {
        while (m_line_length > 0) {
            erase_one();
        }
        return;
    }
    if (is_control(byte, VWERASE) && (m_termios.c_lflag & IEXTEN)) {
        while (m_line_length > 0 && m_line[m_line_length - 1] == ' ') {
            erase_one();
        }
        while (m_line_length > 0 && m_line[m_line_length - 1] != ' ') {
            erase_one();
        }
        return;
    }
    if (is_control(byte, VEOF)) {
        // At the start of a line: end of file. Otherwise the line so far
        // goes to the reader as it is, without a newline.
        if (!commit_line(m_line_length == 0 ? end_of_file : line_end)) {
            bell();
        }
        return;
    }
    if (byte == '\n' || is_control(byte, VEOL) || is_control(byte, VEOL2)) {
        if (!commit_line(static_cast<u16>(byte | line_delimiter))) {
            bell();
            return;
        }
        if (byte == '\n') {
            if (echoing() || (m_termios.c_lflag & ECHONL)) {
                m_hooks.echo("\n");
            }
        } else {
            echo_char(byte);
        }
        return;
    }
    // Keep one byte of the ring for the newline that ends this line.
    if (m_line_length == line_size || m_line_length + 1 >= buffer_size - m_count) {
        bell();
        return;
    }
    m_line[m_line_length++] = static_cast<char>(byte);
    echo_char(byte);
}

usize LineDiscipline::read(u8* out, usize capacity) {
    const Peeked peeked = peek(out, capacity);
    consume(peeked);
    return peeked.bytes;
}

LineDiscipline::Peeked LineDiscipline::peek(u8* out, usize capacity) const {
    Peeked p{0, 0, false, m_generation};
    while (p.bytes < capacity && p.entries < m_count) {
        const u16 entry = m_ring[(m_head + p.entries) % buffer_size];
        if (entry == end_of_file || entry == line_end) {
            // A line end is consumed with its line; an end of file is this
            // read's whole answer when it comes first.
            if (entry == line_end || p.bytes == 0) {
                ++p.entries;
            }
            if (entry == line_end && !canonical()) {
                continue; // raw readers see bytes only
            }
            p.complete = true;
            break;
        }
        out[p.bytes++] = static_cast<u8>(entry);
        ++p.entries;
        if ((entry & line_delimiter) && canonical()) {
            p.complete = true;
            break;
        }
    }
    if (p.entries == m_count && !canonical()) {
        p.complete = true; // raw: all there is
    }
    return p;
}

void LineDiscipline::consume(const Peeked& peeked) {
    if (peeked.generation != m_generation || peeked.entries > m_count) {
        return; // flushed since the peek: what it saw is gone already
    }
    m_head = (m_head + peeked.entries) % buffer_size;
    m_count -= peeked.entries;
}

bool LineDiscipline::can_read() const {
    if (canonical()) {
        return m_count > 0; // the ring only holds whole lines and EOFs
    }
    const usize vmin = m_termios.c_cc[VMIN];
    return m_count >= (vmin == 0 ? 1 : vmin);
}

void LineDiscipline::set_termios(const Termios& termios) {
    const bool was_canonical = canonical();
    m_termios = termios;
    if (was_canonical && !canonical() && m_line_length > 0) {
        // The half-edited line becomes raw input.
        usize i = 0;
        for (; i < m_line_length && push(static_cast<u8>(m_line[i])); ++i) {
        }
        if (i < m_line_length) {
            bell();
        }
        m_line_length = 0;
        m_hooks.input_available();
    } else if (!was_canonical && canonical() && m_count > 0 &&
               (m_ring[(m_head + m_count - 1) % buffer_size] & ~u16{0xFF}) == 0) {
        // Raw bytes not ended by a delimiter: one line, as far as readers
        // go, ended at the last byte itself (as Linux marks it). Not an extra
        // end marker: a reader taking the bytes one at a time would find the
        // marker alone and read it as end of file.
        m_ring[(m_head + m_count - 1) % buffer_size] |= line_delimiter;
    }
}

void LineDiscipline::flush_input() {
    ++m_generation;
    m_head = 0;
    m_count = 0;
    m_line_length = 0;
}

} // namespace kite
