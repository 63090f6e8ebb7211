// io_vector.h: the bytes one socket call moves: a single buffer (read,
// write, sendto, recvfrom) or a user iovec list (sendmsg, recvmsg), seen
// as one run of bytes by offset.
#pragma once

#include "api/types.h"
#include "lib/kbuffer.h"
#include "mm/user_memory.h"

namespace kite {

class IoVector {
  public:
    [[nodiscard]] static IoVector single(const IoBuffer& buffer, usize length) {
        return IoVector(buffer, length);
    }
    // An iovec array from user memory: EMSGSIZE past UIO_MAXIOV entries,
    // EINVAL for a negative length, as Linux's sendmsg; the total is
    // capped at max_total (Linux's MAX_RW_COUNT).
    [[nodiscard]] static ErrorOr<IoVector> from_user(u64 address, u64 count, usize max_total);

    [[nodiscard]] usize length() const { return m_length; }
    // Copies out of the caller's bytes at offset, and into them.
    [[nodiscard]] ErrorOr<void> read(usize offset, void* to, usize length) const;
    [[nodiscard]] ErrorOr<void> write(usize offset, const void* from, usize length) const;

  private:
    IoVector(const IoBuffer& buffer, usize length)
        : m_single(buffer), m_length(length), m_single_length(length) {}
    IoBuffer m_single;
    KBuffer m_entries; // abi::Iovec[m_count], when from user memory
    usize m_count = 0;
    usize m_length;
    usize m_single_length;
};

} // namespace kite
