// format.h: type-safe formatted output for the kernel.
//
//   format(sink, "{} frames free, first at {:#x}\n", count, address);
//
// Each {} takes the next argument. A spec after ':' is
//   [[fill]align][#][0][width][.precision][type]
// align is < > ^; # adds 0x/0b/0o; 0 pads numbers with zeros after the sign
// and prefix; precision cuts strings; type is d x X b o c s p. Arguments are
// type-erased into FormatArg so the formatting code exists once, not per call
// site. A missing argument prints <missing>, a malformed spec <bad-format>;
// neither is fatal, because the formatter runs inside panic().
#pragma once

#include "lib/string_view.h"
#include "lib/types.h"

namespace kite {

class FormatSink {
  public:
    virtual void write(StringView text) = 0;

  protected:
    ~FormatSink() = default;
};

struct FormatArg {
    enum class Kind : u8 { Signed, Unsigned, Pointer, String, Char, Bool };
    Kind kind;
    union {
        i64 signed_value;
        u64 unsigned_value;
        const char* string;
        char character;
        bool boolean;
    };
    usize string_length = 0;
};

inline FormatArg make_format_arg(signed char v) {
    return {.kind = FormatArg::Kind::Signed, .signed_value = v};
}
inline FormatArg make_format_arg(short v) {
    return {.kind = FormatArg::Kind::Signed, .signed_value = v};
}
inline FormatArg make_format_arg(int v) {
    return {.kind = FormatArg::Kind::Signed, .signed_value = v};
}
inline FormatArg make_format_arg(long v) {
    return {.kind = FormatArg::Kind::Signed, .signed_value = v};
}
inline FormatArg make_format_arg(long long v) {
    return {.kind = FormatArg::Kind::Signed, .signed_value = v};
}
inline FormatArg make_format_arg(unsigned char v) {
    return {.kind = FormatArg::Kind::Unsigned, .unsigned_value = v};
}
inline FormatArg make_format_arg(unsigned short v) {
    return {.kind = FormatArg::Kind::Unsigned, .unsigned_value = v};
}
inline FormatArg make_format_arg(unsigned int v) {
    return {.kind = FormatArg::Kind::Unsigned, .unsigned_value = v};
}
inline FormatArg make_format_arg(unsigned long v) {
    return {.kind = FormatArg::Kind::Unsigned, .unsigned_value = v};
}
inline FormatArg make_format_arg(unsigned long long v) {
    return {.kind = FormatArg::Kind::Unsigned, .unsigned_value = v};
}
inline FormatArg make_format_arg(char v) {
    return {.kind = FormatArg::Kind::Char, .character = v};
}
inline FormatArg make_format_arg(bool v) {
    return {.kind = FormatArg::Kind::Bool, .boolean = v};
}
inline FormatArg make_format_arg(const char* v) {
    return {
        .kind = FormatArg::Kind::String, .string = v, .string_length = v ? cstring_length(v) : 0};
}
inline FormatArg make_format_arg(char* v) {
    return make_format_arg(static_cast<const char*>(v));
}
inline FormatArg make_format_arg(StringView v) {
    return {.kind = FormatArg::Kind::String, .string = v.data(), .string_length = v.length()};
}
template <typename T>
inline FormatArg make_format_arg(T* v) {
    return {.kind = FormatArg::Kind::Pointer, .unsigned_value = reinterpret_cast<uptr>(v)};
}
template <typename Tag>
inline FormatArg make_format_arg(Address<Tag> v) {
    return {.kind = FormatArg::Kind::Pointer, .unsigned_value = v.value()};
}

void vformat(FormatSink& sink, StringView fmt, const FormatArg* args, usize arg_count);

template <typename... Args>
void format(FormatSink& sink, StringView fmt, const Args&... args) {
    const FormatArg packed[sizeof...(Args) + 1] = {make_format_arg(args)...};
    vformat(sink, fmt, packed, sizeof...(Args));
}

// A sink that fills a caller's buffer, always NUL-terminated, dropping what
// does not fit (and remembering that it did).
class BufferSink final : public FormatSink {
  public:
    BufferSink(char* buffer, usize capacity) : m_buffer(buffer), m_capacity(capacity) {
        if (m_capacity > 0) {
            m_buffer[0] = '\0';
        }
    }
    void write(StringView text) override;

    [[nodiscard]] StringView view() const { return {m_buffer, m_length}; }
    [[nodiscard]] bool truncated() const { return m_truncated; }

  private:
    char* m_buffer;
    usize m_capacity;
    usize m_length = 0;
    bool m_truncated = false;
};

// Formats into buffer and returns a view of the (possibly truncated) result.
template <typename... Args>
StringView format_to(char* buffer, usize capacity, StringView fmt, const Args&... args) {
    BufferSink sink(buffer, capacity);
    format(sink, fmt, args...);
    return sink.view();
}

} // namespace kite
