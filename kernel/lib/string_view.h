// string_view.h: a non-owning, length-delimited view of characters.
#pragma once

#include "lib/types.h"

namespace kite {

constexpr usize cstring_length(const char* s) {
    usize n = 0;
    while (s[n] != '\0') {
        ++n;
    }
    return n;
}

class StringView {
  public:
    constexpr StringView() = default;
    constexpr StringView(const char* s) : m_data(s), m_length(s ? cstring_length(s) : 0) {}
    constexpr StringView(const char* s, usize length) : m_data(s), m_length(length) {}

    [[nodiscard]] constexpr const char* data() const { return m_data; }
    [[nodiscard]] constexpr usize length() const { return m_length; }
    [[nodiscard]] constexpr bool is_empty() const { return m_length == 0; }
    constexpr char operator[](usize i) const { return m_data[i]; }
    [[nodiscard]] constexpr const char* begin() const { return m_data; }
    [[nodiscard]] constexpr const char* end() const { return m_data + m_length; }

    [[nodiscard]] constexpr StringView substring(usize start, usize length) const {
        if (start > m_length) {
            return {};
        }
        if (length > m_length - start) {
            length = m_length - start;
        }
        return {m_data + start, length};
    }
    [[nodiscard]] constexpr StringView substring(usize start) const {
        return substring(start, m_length);
    }
    [[nodiscard]] constexpr bool starts_with(StringView prefix) const {
        return prefix.m_length <= m_length && substring(0, prefix.m_length) == prefix;
    }
    // Index of the first occurrence of needle, or -1.
    [[nodiscard]] constexpr long find(StringView needle) const {
        if (needle.m_length > m_length) {
            return -1;
        }
        for (usize i = 0; i + needle.m_length <= m_length; ++i) {
            if (substring(i, needle.m_length) == needle) {
                return static_cast<long>(i);
            }
        }
        return -1;
    }
    [[nodiscard]] constexpr bool contains(StringView needle) const { return find(needle) >= 0; }

    constexpr bool operator==(const StringView& other) const {
        if (m_length != other.m_length) {
            return false;
        }
        for (usize i = 0; i < m_length; ++i) {
            if (m_data[i] != other.m_data[i]) {
                return false;
            }
        }
        return true;
    }

  private:
    const char* m_data = nullptr;
    usize m_length = 0;
};

} // namespace kite
