// kernel_log.h: the kernel's messages kept for syslog(2) (dmesg): a ring of
// the last `capacity` bytes of everything kprint wrote, each line starting
// with its level as syslog shows it ("<6>" for a normal line, "<4>" for a
// warning, "<3>" for an error). What user programs write to the console is
// not in it. The ring has no lock of its own: console.cpp uses it only
// under the console output lock (so an interrupt's line cannot tear it).
#pragma once

#include "lib/string_view.h"
#include "lib/types.h"

namespace kite {

class KernelLog {
  public:
    static constexpr usize capacity = 64 * KiB;

    void append(StringView text, int level);
    // SYSLOG_ACTION_READ_ALL: from the last clear, the newest whole lines
    // that fit in size bytes; gives how many were copied.
    [[nodiscard]] usize copy_all(char* out, usize size) const;
    // SYSLOG_ACTION_READ: the oldest bytes not read yet, which are then read.
    [[nodiscard]] usize read_unread(char* out, usize size);
    [[nodiscard]] usize unread() const;
    // SYSLOG_ACTION_CLEAR: READ_ALL starts from here on.
    void clear() { m_clear = m_end; }

  private:
    [[nodiscard]] u64 oldest() const { return m_end > capacity ? m_end - capacity : 0; }
    void put(char byte);

    char m_ring[capacity] = {};
    u64 m_end = 0;   // bytes ever appended; byte i is at m_ring[i % capacity]
    u64 m_read = 0;  // the first byte SYSLOG_ACTION_READ has not given
    u64 m_clear = 0; // the first byte after the last clear
    bool m_at_line_start = true;
};

} // namespace kite
