// host_names.cpp: see host_names.h. A mutex guards both names: a reader
// takes a whole copy, so it never sees half of a name being set.
#include "proc/host_names.h"

#include "sync/mutex.h"

namespace kite::host_names {

namespace {

Mutex names_lock{"host names", LockRank::HostNames};
Name host_name{"kite"};
Name domain_name{"(none)"}; // Linux's default

Name read(const Name& name) {
    MutexGuard guard(names_lock);
    return name;
}

ErrorOr<void> write(Name& name, StringView value) {
    if (value.length() > max_length) {
        return Error(Errno::INVAL, "name longer than 64 bytes");
    }
    MutexGuard guard(names_lock);
    __builtin_memcpy(name.text, value.data(), value.length());
    __builtin_memset(name.text + value.length(), 0, sizeof(name.text) - value.length());
    return {};
}

} // namespace

Name host() {
    return read(host_name);
}
Name domain() {
    return read(domain_name);
}
ErrorOr<void> set_host(StringView name) {
    return write(host_name, name);
}
ErrorOr<void> set_domain(StringView name) {
    return write(domain_name, name);
}

} // namespace kite::host_names
