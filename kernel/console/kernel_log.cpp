// kernel_log.cpp: see kernel_log.h.
#include "console/kernel_log.h"

#include "lib/utility.h"

namespace kite {

void KernelLog::put(char byte) {
    m_ring[m_end % capacity] = byte;
    ++m_end;
}

void KernelLog::append(StringView text, int level) {
    for (usize i = 0; i < text.length(); ++i) {
        if (m_at_line_start) {
            put('<');
            put(static_cast<char>('0' + level));
            put('>');
            m_at_line_start = false;
        }
        put(text[i]);
        m_at_line_start = text[i] == '\n';
    }
}

usize KernelLog::copy_all(char* out, usize size) const {
    u64 start = max(m_clear, oldest());
    if (m_end - start > size) {
        start = m_end - size;
        // Whole lines only: skip to just after the next newline.
        while (start < m_end && m_ring[(start - 1) % capacity] != '\n') {
            ++start;
        }
    } else if (start > 0 && start == oldest()) {
        // The ring overwrote the start of the oldest line: skip what is left of it.
        while (start < m_end && m_ring[(start - 1) % capacity] != '\n') {
            ++start;
        }
    }
    const usize count = static_cast<usize>(m_end - start);
    for (usize i = 0; i < count; ++i) {
        out[i] = m_ring[(start + i) % capacity];
    }
    return count;
}

usize KernelLog::unread() const {
    return static_cast<usize>(m_end - max(m_read, oldest()));
}

usize KernelLog::read_unread(char* out, usize size) {
    m_read = max(m_read, oldest());
    const usize count = min(size, static_cast<usize>(m_end - m_read));
    for (usize i = 0; i < count; ++i) {
        out[i] = m_ring[(m_read + i) % capacity];
    }
    m_read += count;
    return count;
}

} // namespace kite
