// user_path.h: a path copied in from user memory, held on the heap (a 4 KiB
// path would crowd a 16 KiB kernel stack) and freed with its owner.
#pragma once

#include "fs/vnode.h"
#include "lib/kbuffer.h"
#include "mm/user_memory.h"

namespace kite {

class UserPath {
  public:
    // EFAULT for a bad pointer, ENAMETOOLONG past max_path_length, ENOENT
    // for an empty path.
    [[nodiscard]] static ErrorOr<UserPath> copy(u64 address, bool allow_empty = false) {
        KBuffer buffer = TRY(KBuffer::try_create(max_path_length + 1));
        // max_path_length counts the NUL, as Linux's PATH_MAX does.
        const usize length = TRY(copy_string_from_user(buffer.chars(), {address}, max_path_length));
        if (length == 0 && !allow_empty) {
            return Error(Errno::NOENT, "empty path");
        }
        return UserPath(move(buffer), length);
    }

    [[nodiscard]] StringView view() const { return {m_buffer.chars(), m_length}; }

  private:
    UserPath(KBuffer buffer, usize length) : m_buffer(move(buffer)), m_length(length) {}
    KBuffer m_buffer;
    usize m_length;
};

} // namespace kite
