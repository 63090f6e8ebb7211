// user_memory.h: the only way kernel code touches memory named by user
// space. Every pointer and length from a system call goes through these:
// the range is checked to lie in the user half without wrapping, and the
// copy itself survives an unmapped or read-only page (exception table),
// turning it into EFAULT. Pages not yet present but inside a mapping are
// faulted in on the way (the page-fault handler does that).
#pragma once

#include "lib/error.h"
#include "lib/types.h"

namespace kite {

// A user virtual address; not dereferenceable in kernel code.
struct UserAddress {
    u64 value = 0;
    [[nodiscard]] UserAddress offset(u64 bytes) const { return {value + bytes}; }
};

[[nodiscard]] bool is_user_range(u64 address, u64 length);

// The process layer says how much of [address, address + length), from
// the start, the current process's mappings allow (PROT_* of its regions);
// absent, only the page tables decide.
using UserAccessCheck = u64 (*)(u64 address, u64 length, bool write);
void set_user_access_check(UserAccessCheck check);

[[nodiscard]] ErrorOr<void> copy_from_user(void* to, UserAddress from, usize length);
[[nodiscard]] ErrorOr<void> copy_to_user(UserAddress to, const void* from, usize length);
// Copies a NUL-terminated string of at most capacity-1 characters; returns
// its length. ENAMETOOLONG (or the given error) if it is longer.
[[nodiscard]] ErrorOr<usize> copy_string_from_user(char* to, UserAddress from, usize capacity,
                                                   Errno too_long = Errno::NAMETOOLONG);

// One atomic compare-and-exchange of an aligned u32 in user memory (the
// futex calls): gives the value that was there; `desired` was stored if
// it equalled `expected`.
[[nodiscard]] ErrorOr<u32> compare_exchange_user_u32(UserAddress address, u32 expected,
                                                     u32 desired);

template <typename T>
[[nodiscard]] ErrorOr<T> read_user(UserAddress from) {
    T value;
    TRY(copy_from_user(&value, from, sizeof(T)));
    return value;
}

template <typename T>
[[nodiscard]] ErrorOr<void> write_user(UserAddress to, const T& value) {
    return copy_to_user(to, &value, sizeof(T));
}

// A buffer that is either kernel memory or user memory, so that drivers and
// file systems serve both kinds of callers with one code path.
class IoBuffer {
  public:
    static IoBuffer kernel(void* data) { return IoBuffer(reinterpret_cast<u64>(data), false); }
    static IoBuffer user(UserAddress address) { return IoBuffer(address.value, true); }

    // Copies into the buffer at offset / out of it.
    [[nodiscard]] ErrorOr<void> write(usize offset, const void* from, usize length) const;
    [[nodiscard]] ErrorOr<void> read(usize offset, void* to, usize length) const;
    [[nodiscard]] ErrorOr<void> fill(usize offset, u8 value, usize length) const;
    // The same, but as Linux's files and /dev/zero do it: as many bytes as
    // the mappings allow, from the first; how many were done, EFAULT only
    // if none could be.
    [[nodiscard]] ErrorOr<usize> write_some(usize offset, const void* from, usize length) const;
    [[nodiscard]] ErrorOr<usize> read_some(usize offset, void* to, usize length) const;
    [[nodiscard]] ErrorOr<usize> fill_some(usize offset, u8 value, usize length) const;

  private:
    IoBuffer(u64 address, bool user) : m_address(address), m_user(user) {}
    u64 m_address;
    bool m_user;
};

} // namespace kite
