// host_names.h: the machine's host name and NIS domain name, as uname
// reports them and sethostname, setdomainname and /proc/sys/kernel/hostname
// set them. Linux's UTS names without namespaces: one pair for everyone.
#pragma once

#include "lib/error.h"
#include "lib/string_view.h"

namespace kite::host_names {

constexpr usize max_length = 64; // Linux's __NEW_UTS_LEN

// A name with room for its NUL (utsname's fields are 65 bytes).
struct Name {
    char text[max_length + 1];
};

[[nodiscard]] Name host();
[[nodiscard]] Name domain();
// EINVAL past max_length.
[[nodiscard]] ErrorOr<void> set_host(StringView name);
[[nodiscard]] ErrorOr<void> set_domain(StringView name);

} // namespace kite::host_names
