// user_path.h: a path copied in from user memory, held on the heap (a 4 KiB
// path would crowd a 16 KiB kernel stack) and freed with its owner.
#pragma once

#include "fs/vnode.h"
#include "mm/kmalloc.h"
#include "mm/user_memory.h"

namespace kite {

class UserPath {
  public:
    // EFAULT for a bad pointer, ENAMETOOLONG past max_path_length, ENOENT
    // for an empty path.
    [[nodiscard]] static ErrorOr<UserPath> copy(u64 address, bool allow_empty = false) {
        auto* buffer = static_cast<char*>(kmalloc(max_path_length + 1));
        if (!buffer) {
            return Error(Errno::NOMEM, "out of memory");
        }
        // max_path_length counts the NUL, as Linux's PATH_MAX does.
        auto length = copy_string_from_user(buffer, {address}, max_path_length);
        if (length.is_error()) {
            kfree(buffer);
            return length.release_error();
        }
        if (length.value() == 0 && !allow_empty) {
            kfree(buffer);
            return Error(Errno::NOENT, "empty path");
        }
        return UserPath(buffer, length.value());
    }
    UserPath(UserPath&& other) : m_buffer(other.m_buffer), m_length(other.m_length) {
        other.m_buffer = nullptr;
    }
    UserPath(const UserPath&) = delete;
    UserPath& operator=(const UserPath&) = delete;
    UserPath& operator=(UserPath&&) = delete;
    ~UserPath() { kfree(m_buffer); }

    [[nodiscard]] StringView view() const { return {m_buffer, m_length}; }

  private:
    UserPath(char* buffer, usize length) : m_buffer(buffer), m_length(length) {}
    char* m_buffer;
    usize m_length;
};

} // namespace kite
