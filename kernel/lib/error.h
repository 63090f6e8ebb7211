// error.h: Error and ErrorOr<T>, the kernel's way to return failure. An Error
// carries a Linux errno value and a short static description; system calls
// turn it into -errno in one place. ErrorOr is [[nodiscard]], so a failure
// cannot be ignored silently. TRY(expr) returns early with the error.
#pragma once

#include "lib/placement_new.h"
#include "lib/types.h"
#include "lib/utility.h"

namespace kite {

// Linux errno values (the system-call ABI is Linux's), from the one list in
// api/errno_list.h. The names drop the leading E so that they never collide
// with <errno.h> macros in host builds: Errno::NOMEM is ENOMEM.
enum class Errno : int {
#define ERRNO(number, name, c_name) name = number,
#include "api/errno_list.h"
#undef ERRNO
    // Kernel-internal, never seen by user space: a system call interrupted
    // by a signal, restarted or turned into EINTR by signal delivery.
    // RESTARTSYS restarts unless a handler without SA_RESTART ran;
    // RESTARTNOHAND restarts only if no handler ran (pause, rt_sigsuspend).
    RESTARTSYS = 512,
    RESTARTNOHAND = 514,
};

class Error {
  public:
    constexpr Error(Errno code, const char* what) : m_code(code), m_what(what) {}
    [[nodiscard]] constexpr Errno code() const { return m_code; }
    [[nodiscard]] constexpr const char* what() const { return m_what; }

  private:
    Errno m_code;
    const char* m_what;
};

template <typename T>
class [[nodiscard]] ErrorOr {
  public:
    ErrorOr(const T& value) : m_has_value(true) { new (&m_value) T(value); }
    ErrorOr(T&& value) : m_has_value(true) { new (&m_value) T(move(value)); }
    ErrorOr(Error error) : m_has_value(false) { new (&m_error) Error(error); }
    ErrorOr(const ErrorOr&) = delete;
    ErrorOr& operator=(const ErrorOr&) = delete;
    ErrorOr(ErrorOr&& other) : m_has_value(other.m_has_value) {
        if (m_has_value) {
            new (&m_value) T(move(other.m_value));
        } else {
            new (&m_error) Error(other.m_error);
        }
    }
    ~ErrorOr() {
        if (m_has_value) {
            m_value.~T();
        }
    }

    [[nodiscard]] bool is_error() const { return !m_has_value; }
    [[nodiscard]] const Error& error() const { return m_error; }
    [[nodiscard]] T& value() { return m_value; }
    [[nodiscard]] const T& value() const { return m_value; }
    [[nodiscard]] T release_value() { return move(m_value); }
    [[nodiscard]] Error release_error() const { return m_error; }

  private:
    bool m_has_value;
    union {
        T m_value;
        Error m_error;
    };
};

template <>
class [[nodiscard]] ErrorOr<void> {
  public:
    ErrorOr() = default;
    ErrorOr(Error error) : m_error(error), m_has_error(true) {}

    [[nodiscard]] bool is_error() const { return m_has_error; }
    [[nodiscard]] const Error& error() const { return m_error; }
    void release_value() const {}
    [[nodiscard]] Error release_error() const { return m_error; }

  private:
    Error m_error{Errno::PERM, ""};
    bool m_has_error = false;
};

} // namespace kite

// Evaluates expr (an ErrorOr); on error returns it from the enclosing
// function, otherwise yields the value.
#define TRY(expr)                                                                                  \
    ({                                                                                             \
        auto _try_result = (expr);                                                                 \
        if (_try_result.is_error()) {                                                              \
            return _try_result.release_error();                                                    \
        }                                                                                          \
        _try_result.release_value();                                                               \
    })
