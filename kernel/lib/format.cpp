// format.cpp: the one implementation behind format() (see format.h).
#include "lib/format.h"

namespace kite {

namespace {

enum class Align : u8 { Default, Left, Right, Center };

struct Spec {
    char fill = ' ';
    Align align = Align::Default;
    bool alternate = false;
    bool zero_pad = false;
    usize width = 0;
    bool has_precision = false;
    usize precision = 0;
    char type = '\0';
};

constexpr bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
constexpr bool is_align(char c) {
    return c == '<' || c == '>' || c == '^';
}
constexpr Align to_align(char c) {
    return c == '<' ? Align::Left : c == '>' ? Align::Right : Align::Center;
}

// Parses the text between ':' and '}'. Returns false if it is malformed.
bool parse_spec(StringView text, Spec& spec) {
    usize i = 0;
    if (text.length() >= 2 && is_align(text[1])) {
        spec.fill = text[0];
        spec.align = to_align(text[1]);
        i = 2;
    } else if (text.length() >= 1 && is_align(text[0])) {
        spec.align = to_align(text[0]);
        i = 1;
    }
    if (i < text.length() && text[i] == '#') {
        spec.alternate = true;
        ++i;
    }
    if (i < text.length() && text[i] == '0') {
        spec.zero_pad = true;
        ++i;
    }
    while (i < text.length() && is_digit(text[i])) {
        spec.width = spec.width * 10 + static_cast<usize>(text[i] - '0');
        if (spec.width > 256) {
            return false;
        }
        ++i;
    }
    if (i < text.length() && text[i] == '.') {
        spec.has_precision = true;
        ++i;
        if (i >= text.length() || !is_digit(text[i])) {
            return false;
        }
        while (i < text.length() && is_digit(text[i])) {
            spec.precision = spec.precision * 10 + static_cast<usize>(text[i] - '0');
            if (spec.precision > 1'000'000) {
                return false;
            }
            ++i;
        }
    }
    if (i < text.length()) {
        const char t = text[i];
        if (t != 'd' && t != 'x' && t != 'X' && t != 'b' && t != 'o' && t != 'c' && t != 's' &&
            t != 'p') {
            return false;
        }
        spec.type = t;
        ++i;
    }
    return i == text.length();
}

void write_fill(FormatSink& sink, char fill, usize count) {
    char chunk[32];
    for (char& c : chunk) {
        c = fill;
    }
    while (count > 0) {
        const usize n = count < sizeof(chunk) ? count : sizeof(chunk);
        sink.write({chunk, n});
        count -= n;
    }
}

// Writes prefix+body padded to spec.width. Zero padding goes between the
// prefix (sign, 0x) and the digits; other padding follows the alignment.
void write_padded(FormatSink& sink, const Spec& spec, StringView prefix, StringView body,
                  Align default_align, bool numeric) {
    const usize length = prefix.length() + body.length();
    const usize padding = spec.width > length ? spec.width - length : 0;
    if (numeric && spec.zero_pad && spec.align == Align::Default) {
        sink.write(prefix);
        write_fill(sink, '0', padding);
        sink.write(body);
        return;
    }
    const Align align = spec.align == Align::Default ? default_align : spec.align;
    usize before = 0;
    if (align == Align::Right) {
        before = padding;
    } else if (align == Align::Center) {
        before = padding / 2;
    }
    write_fill(sink, spec.fill, before);
    sink.write(prefix);
    sink.write(body);
    write_fill(sink, spec.fill, padding - before);
}

void write_number(FormatSink& sink, const Spec& spec, u64 magnitude, bool negative,
                  bool is_pointer) {
    char type = spec.type;
    if (type == '\0' || type == 's') {
        type = is_pointer ? 'p' : 'd';
    }
    unsigned base = 10;
    const char* digits = "0123456789abcdef";
    const char* prefix_text = "";
    switch (type) {
    case 'x':
    case 'p':
        base = 16;
        prefix_text = "0x";
        break;
    case 'X':
        base = 16;
        digits = "0123456789ABCDEF";
        prefix_text = "0x";
        break;
    case 'b':
        base = 2;
        prefix_text = "0b";
        break;
    case 'o':
        base = 8;
        prefix_text = "0o";
        break;
    default:
        break;
    }

    char buffer[64];
    usize position = sizeof(buffer);
    do {
        buffer[--position] = digits[magnitude % base];
        magnitude /= base;
    } while (magnitude != 0);
    if (type == 'p') {
        while (position > sizeof(buffer) - 16) {
            buffer[--position] = '0';
        }
    }

    char prefix[3];
    usize prefix_length = 0;
    if (negative) {
        prefix[prefix_length++] = '-';
    }
    if (spec.alternate || type == 'p') {
        for (const char* p = prefix_text; *p; ++p) {
            prefix[prefix_length++] = *p;
        }
    }
    write_padded(sink, spec, {prefix, prefix_length},
                 {buffer + position, sizeof(buffer) - position}, Align::Right, true);
}

void write_arg(FormatSink& sink, const Spec& spec, const FormatArg& arg) {
    switch (arg.kind) {
    case FormatArg::Kind::Signed: {
        if (spec.type == 'c') {
            const char c = static_cast<char>(arg.signed_value);
            write_padded(sink, spec, {}, {&c, 1}, Align::Left, false);
            return;
        }
        const bool negative = arg.signed_value < 0;
        // Negate in unsigned arithmetic so INT64_MIN does not overflow.
        const u64 magnitude =
            negative ? 0 - static_cast<u64>(arg.signed_value) : static_cast<u64>(arg.signed_value);
        write_number(sink, spec, magnitude, negative, false);
        return;
    }
    case FormatArg::Kind::Unsigned:
        if (spec.type == 'c') {
            const char c = static_cast<char>(arg.unsigned_value);
            write_padded(sink, spec, {}, {&c, 1}, Align::Left, false);
            return;
        }
        write_number(sink, spec, arg.unsigned_value, false, false);
        return;
    case FormatArg::Kind::Pointer:
        write_number(sink, spec, arg.unsigned_value, false, true);
        return;
    case FormatArg::Kind::String: {
        StringView text = arg.string ? StringView(arg.string, arg.string_length) : "(null)";
        if (spec.has_precision && spec.precision < text.length()) {
            text = text.substring(0, spec.precision);
        }
        write_padded(sink, spec, {}, text, Align::Left, false);
        return;
    }
    case FormatArg::Kind::Char:
        if (spec.type != '\0' && spec.type != 'c') {
            write_number(sink, spec, static_cast<u8>(arg.character), false, false);
            return;
        }
        write_padded(sink, spec, {}, {&arg.character, 1}, Align::Left, false);
        return;
    case FormatArg::Kind::Bool:
        write_padded(sink, spec, {}, arg.boolean ? "true" : "false", Align::Left, false);
        return;
    }
}

} // namespace

void vformat(FormatSink& sink, StringView fmt, const FormatArg* args, usize arg_count) {
    usize next_arg = 0;
    usize literal_start = 0;
    usize i = 0;
    while (i < fmt.length()) {
        const char c = fmt[i];
        if (c != '{' && c != '}') {
            ++i;
            continue;
        }
        sink.write(fmt.substring(literal_start, i - literal_start));
        if (i + 1 < fmt.length() && fmt[i + 1] == c) { // "{{" or "}}"
            sink.write({&fmt.data()[i], 1});
            i += 2;
            literal_start = i;
            continue;
        }
        if (c == '}') { // a lone '}' is printed as it is
            sink.write("}");
            ++i;
            literal_start = i;
            continue;
        }
        usize close = i + 1;
        while (close < fmt.length() && fmt[close] != '}') {
            ++close;
        }
        if (close == fmt.length()) {
            sink.write("<bad-format>");
            return;
        }
        StringView inside = fmt.substring(i + 1, close - i - 1);
        Spec spec;
        bool ok = true;
        if (!inside.is_empty()) {
            ok = inside[0] == ':' && parse_spec(inside.substring(1), spec);
        }
        if (!ok) {
            sink.write("<bad-format>");
        } else if (next_arg >= arg_count) {
            sink.write("<missing>");
        } else {
            write_arg(sink, spec, args[next_arg]);
        }
        ++next_arg;
        i = close + 1;
        literal_start = i;
    }
    sink.write(fmt.substring(literal_start, fmt.length() - literal_start));
}

void BufferSink::write(StringView text) {
    if (m_capacity == 0) {
        m_truncated = m_truncated || !text.is_empty();
        return;
    }
    for (usize i = 0; i < text.length(); ++i) {
        if (m_length + 1 >= m_capacity) {
            m_truncated = true;
            break;
        }
        m_buffer[m_length++] = text[i];
    }
    m_buffer[m_length] = '\0';
}

} // namespace kite
