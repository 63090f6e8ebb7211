// tmpfs.cpp: a writable MemoryDirectory tree (see memory_fs.h) and the
// parsing of its mount options.
#include "fs/tmpfs.h"

#include "fs/memory_fs.h"
#include "mm/physical.h"

namespace kite::tmpfs {

namespace {

u64 next_device = 0x100;

// simple_strtoull with base 0 (0x hex, 0 octal, else decimal): the digits
// taken, or false if there were none or the value overflows.
bool parse_number(StringView text, usize& at, u64& value, u32 base = 0) {
    if (base == 0) {
        base = 10;
        if (at + 1 < text.length() && text[at] == '0' && (text[at + 1] | 0x20) == 'x') {
            base = 16;
            at += 2;
        } else if (at < text.length() && text[at] == '0') {
            base = 8;
        }
    }
    const usize start = at;
    value = 0;
    for (; at < text.length(); ++at) {
        const char c = static_cast<char>(text[at] | 0x20);
        u32 digit = 99;
        if (c >= '0' && c <= '9') {
            digit = static_cast<u32>(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            digit = static_cast<u32>(c - 'a' + 10);
        }
        if (digit >= base) {
            break;
        }
        if (value > (~u64{0} - digit) / base) {
            return false;
        }
        value = value * base + digit;
    }
    return at > start;
}

// size=: memparse (a number, then K M G T P E), then, as Linux's
// shmem_parse_one, an optional % that makes it a percentage of memory.
bool parse_size(StringView text, u64& pages) {
    usize at = 0;
    u64 value = 0;
    if (!parse_number(text, at, value)) {
        return false;
    }
    u32 shift = 0;
    if (at < text.length()) {
        switch (text[at] | 0x20) {
        case 'k':
            shift = 10;
            break;
        case 'm':
            shift = 20;
            break;
        case 'g':
            shift = 30;
            break;
        case 't':
            shift = 40;
            break;
        case 'p':
            shift = 50;
            break;
        case 'e':
            shift = 60;
            break;
        default:
            break;
        }
    }
    if (shift != 0) {
        if ((value >> (64 - shift)) != 0) {
            return false;
        }
        value <<= shift;
        ++at;
    }
    u64 bytes = value;
    if (at < text.length() && text[at] == '%') {
        const u64 memory = physical::stats().managed_frames * TmpfsSpace::page_size;
        if (value != 0 && memory > ~u64{0} / value) {
            return false;
        }
        bytes = value * memory / 100;
        ++at;
    }
    if (at != text.length()) {
        return false;
    }
    pages = bytes / TmpfsSpace::page_size + (bytes % TmpfsSpace::page_size != 0);
    return true;
}

} // namespace

u64 default_size_pages() {
    return physical::stats().managed_frames / 2;
}

ErrorOr<Options> parse_options(StringView data) {
    Options options;
    usize at = 0;
    while (at < data.length()) {
        usize end = at;
        while (end < data.length() && data[end] != ',') {
            ++end;
        }
        const StringView option = data.substring(at, end - at);
        at = end + 1;
        if (option.is_empty()) {
            continue;
        }
        usize equals = 0;
        while (equals < option.length() && option[equals] != '=') {
            ++equals;
        }
        const StringView key = option.substring(0, equals);
        const StringView value = equals < option.length()
                                     ? option.substring(equals + 1, option.length() - equals - 1)
                                     : StringView();
        if (key == "size") {
            if (!parse_size(value, options.size_pages)) {
                return Error(Errno::INVAL, "bad tmpfs size=");
            }
            options.has_size = true;
        } else if (key == "mode") {
            usize i = 0;
            u64 mode = 0;
            if (!parse_number(value, i, mode, 8) || i != value.length()) {
                return Error(Errno::INVAL, "bad tmpfs mode=");
            }
            options.mode = static_cast<u32>(mode & 07777);
            options.has_mode = true;
        } else if (key == "nr_inodes") {
            u64 pages = 0;
            if (!parse_size(value, pages)) {
                return Error(Errno::INVAL, "bad tmpfs nr_inodes=");
            }
        } else {
            return Error(Errno::INVAL, "unknown tmpfs option");
        }
    }
    return options;
}

ErrorOr<RefPtr<Vnode>> create_root(u32 mode, const RefPtr<TmpfsSpace>& space) {
    auto root = TRY(try_make_ref<MemoryDirectory>(true, mode, space));
    root->set_device(__atomic_fetch_add(&next_device, 1, __ATOMIC_RELAXED)); // mounts race
    return RefPtr<Vnode>(root);
}

} // namespace kite::tmpfs
