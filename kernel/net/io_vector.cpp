// io_vector.cpp: see io_vector.h.
#include "net/io_vector.h"

namespace kite {

ErrorOr<IoVector> IoVector::from_user(u64 address, u64 count, usize max_total) {
    constexpr u64 max_entries = 1024; // UIO_MAXIOV
    if (count > max_entries) {
        return Error(Errno::MSGSIZE, "too many iovecs");
    }
    IoVector vector(IoBuffer::user({0}), 0);
    vector.m_entries = TRY(KBuffer::try_create(count * sizeof(abi::Iovec) + 1));
    auto* entries = reinterpret_cast<abi::Iovec*>(vector.m_entries.data());
    TRY(copy_from_user(entries, {address}, count * sizeof(abi::Iovec)));
    usize total = 0;
    for (u64 i = 0; i < count; ++i) {
        if (entries[i].length > static_cast<u64>(INT64_MAX)) {
            return Error(Errno::INVAL, "negative iovec length");
        }
        entries[i].length = min<u64>(entries[i].length, max_total - total);
        total += entries[i].length;
    }
    vector.m_count = count;
    vector.m_length = total;
    return vector;
}

ErrorOr<void> IoVector::read(usize offset, void* to, usize length) const {
    if (m_count == 0) {
        return m_single.read(offset, to, length);
    }
    const auto* entries = reinterpret_cast<const abi::Iovec*>(m_entries.data());
    auto* bytes = static_cast<u8*>(to);
    for (usize i = 0, start = 0; i < m_count && length > 0; start += entries[i].length, ++i) {
        const usize end = start + entries[i].length;
        if (offset >= end) {
            continue;
        }
        const usize n = min(length, end - offset);
        TRY(IoBuffer::user({entries[i].base}).read(offset - start, bytes, n));
        bytes += n;
        offset += n;
        length -= n;
    }
    return {};
}

ErrorOr<void> IoVector::write(usize offset, const void* from, usize length) const {
    if (m_count == 0) {
        return m_single.write(offset, from, length);
    }
    const auto* entries = reinterpret_cast<const abi::Iovec*>(m_entries.data());
    const auto* bytes = static_cast<const u8*>(from);
    for (usize i = 0, start = 0; i < m_count && length > 0; start += entries[i].length, ++i) {
        const usize end = start + entries[i].length;
        if (offset >= end) {
            continue;
        }
        const usize n = min(length, end - offset);
        TRY(IoBuffer::user({entries[i].base}).write(offset - start, bytes, n));
        bytes += n;
        offset += n;
        length -= n;
    }
    return {};
}

} // namespace kite
