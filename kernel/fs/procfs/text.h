// text.h: the text of a generated procfs file, made by formatting into a
// buffer that grows: a generator writes all of it (format or append); if
// it does not fit, the buffer is made twice as large and the generator
// runs again (generators only read state, so a second run is harmless).
// This keeps allocation out of the generators, which may format under the
// process table lock.
#pragma once

#include "lib/format.h"
#include "lib/kbuffer.h"

namespace kite::procfs {

class Text final : public FormatSink {
  public:
    static constexpr usize first_capacity = 4096;
    static constexpr usize max_capacity = 4 * MiB;

    explicit Text(KBuffer storage, usize capacity)
        : m_storage(move(storage)), m_capacity(capacity) {}

    void write(StringView text) override { append(text.data(), text.length()); }
    void append(const void* bytes, usize length) {
        if (length > m_capacity - m_length) {
            m_overflowed = true;
            return;
        }
        __builtin_memcpy(m_storage.data() + m_length, bytes, length);
        m_length += length;
    }
    template <typename... Args>
    void print(StringView fmt, const Args&... args) {
        format(*this, fmt, args...);
    }

    [[nodiscard]] bool overflowed() const { return m_overflowed; }
    [[nodiscard]] usize length() const { return m_length; }
    [[nodiscard]] usize capacity() const { return m_capacity; }
    [[nodiscard]] KBuffer take_storage() { return move(m_storage); }

  private:
    KBuffer m_storage;
    usize m_capacity;
    usize m_length = 0;
    bool m_overflowed = false;
};

} // namespace kite::procfs
