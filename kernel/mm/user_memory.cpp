// user_memory.cpp: see user_memory.h.
#include "mm/user_memory.h"

#include "arch/x86_64/address_space.h"
#include "debug/panic.h"

extern "C" kite::u64 copy_user_bytes(void* to, const void* from, kite::u64 count);
extern "C" kite::i64 copy_user_string(char* to, const char* from, kite::u64 capacity);
extern "C" kite::u64 fill_user_bytes(void* to, kite::u8 value, kite::u64 count);
extern "C" kite::i64 compare_exchange_user_u32(kite::u32* address, kite::u32 expected,
                                               kite::u32 desired);

namespace kite {

bool is_user_range(u64 address, u64 length) {
    return address < user_task_size && length <= user_task_size - address;
}

namespace {
UserAccessCheck access_check = nullptr;
} // namespace

void set_user_access_check(UserAccessCheck check) {
    access_check = check;
}

namespace {

// In user space, and in regions that allow the access: what every copy
// checks before touching user memory (the copy itself then survives a
// missing page through the exception table).
ErrorOr<void> check_user_access(u64 address, usize length, bool write) {
    if (!is_user_range(address, length)) {
        return Error(Errno::FAULT, "user range outside user space");
    }
    if (length > 0 && access_check && access_check(address, length, write) != length) {
        return Error(Errno::FAULT, write ? "user memory not writable" : "user memory not readable");
    }
    return {};
}

} // namespace

ErrorOr<void> copy_from_user(void* to, UserAddress from, usize length) {
    TRY(check_user_access(from.value, length, false));
    if (copy_user_bytes(to, reinterpret_cast<const void*>(from.value), length) != 0) {
        return Error(Errno::FAULT, "user memory not readable");
    }
    return {};
}

ErrorOr<void> copy_to_user(UserAddress to, const void* from, usize length) {
    TRY(check_user_access(to.value, length, true));
    if (copy_user_bytes(reinterpret_cast<void*>(to.value), from, length) != 0) {
        return Error(Errno::FAULT, "user memory not writable");
    }
    return {};
}

ErrorOr<u32> compare_exchange_user_u32(UserAddress address, u32 expected, u32 desired) {
    VERIFY(address.value % 4 == 0);
    TRY(check_user_access(address.value, 4, true));
    const i64 old =
        ::compare_exchange_user_u32(reinterpret_cast<u32*>(address.value), expected, desired);
    if (old < 0) {
        return Error(Errno::FAULT, "user memory not writable");
    }
    return static_cast<u32>(old);
}

ErrorOr<usize> copy_string_from_user(char* to, UserAddress from, usize capacity, Errno too_long) {
    if (from.value >= user_task_size || capacity == 0) {
        return Error(Errno::FAULT, "string outside user space");
    }
    // Never read past the end of user space, even for a long capacity.
    const usize limit = min<u64>(capacity, user_task_size - from.value);
    const i64 result = copy_user_string(to, reinterpret_cast<const char*>(from.value), limit);
    if (result == -1) {
        return Error(Errno::FAULT, "string not readable");
    }
    if (result == -2) {
        return limit < capacity ? Error(Errno::FAULT, "string runs off user space")
                                : Error(too_long, "string too long");
    }
    return static_cast<usize>(result);
}

ErrorOr<void> IoBuffer::write(usize offset, const void* from, usize length) const {
    if (m_user) {
        return copy_to_user({m_address + offset}, from, length);
    }
    __builtin_memcpy(reinterpret_cast<u8*>(m_address) + offset, from, length);
    return {};
}

ErrorOr<void> IoBuffer::read(usize offset, void* to, usize length) const {
    if (m_user) {
        return copy_from_user(to, {m_address + offset}, length);
    }
    __builtin_memcpy(to, reinterpret_cast<const u8*>(m_address) + offset, length);
    return {};
}

namespace {

// How many bytes of [address, address + length), from the first, are in
// user space and allowed by the mappings.
usize accessible_prefix(u64 address, usize length, bool write) {
    if (length == 0 || address >= user_task_size) {
        return 0;
    }
    length = min<u64>(length, user_task_size - address);
    return access_check ? access_check(address, length, write) : length;
}

// The bytes done by a copy that stopped `left` short of n; EFAULT if none.
ErrorOr<usize> done_or_fault(usize n, u64 left) {
    if (n - left == 0) {
        return Error(Errno::FAULT, "user memory not accessible");
    }
    return n - left;
}

} // namespace

ErrorOr<usize> IoBuffer::write_some(usize offset, const void* from, usize length) const {
    if (!m_user || length == 0) {
        TRY(write(offset, from, length));
        return length;
    }
    const usize n = accessible_prefix(m_address + offset, length, true);
    return done_or_fault(
        n, n == 0 ? 0 : copy_user_bytes(reinterpret_cast<void*>(m_address + offset), from, n));
}

ErrorOr<usize> IoBuffer::read_some(usize offset, void* to, usize length) const {
    if (!m_user || length == 0) {
        TRY(read(offset, to, length));
        return length;
    }
    const usize n = accessible_prefix(m_address + offset, length, false);
    return done_or_fault(
        n, n == 0 ? 0 : copy_user_bytes(to, reinterpret_cast<const void*>(m_address + offset), n));
}

ErrorOr<usize> IoBuffer::fill_some(usize offset, u8 value, usize length) const {
    if (!m_user || length == 0) {
        TRY(fill(offset, value, length));
        return length;
    }
    const usize n = accessible_prefix(m_address + offset, length, true);
    return done_or_fault(
        n, n == 0 ? 0 : fill_user_bytes(reinterpret_cast<void*>(m_address + offset), value, n));
}

ErrorOr<void> IoBuffer::fill(usize offset, u8 value, usize length) const {
    if (m_user) { // straight into user memory, checked as a copy would be
        const u64 to = m_address + offset;
        TRY(check_user_access(to, length, true));
        if (fill_user_bytes(reinterpret_cast<void*>(to), value, length) != 0) {
            return Error(Errno::FAULT, "user memory not writable");
        }
        return {};
    }
    __builtin_memset(reinterpret_cast<u8*>(m_address) + offset, value, length);
    return {};
}

} // namespace kite
