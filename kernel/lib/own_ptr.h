// own_ptr.h: OwnPtr<T>, the single owner of a heap object, and try_make<T>,
// the fallible way to create one (no raw new without an owner). The kernel
// is built with -fcheck-new, so a failed new yields nullptr, which try_make
// turns into ENOMEM.
#pragma once

#include "lib/error.h"
#include "lib/utility.h"

namespace kite {

template <typename T>
class OwnPtr {
  public:
    OwnPtr() = default;
    static OwnPtr adopt(T* object) { return OwnPtr(object); }
    OwnPtr(OwnPtr&& other) : m_object(other.leak()) {}
    OwnPtr& operator=(OwnPtr&& other) {
        if (this != &other) {
            reset();
            m_object = other.leak();
        }
        return *this;
    }
    OwnPtr(const OwnPtr&) = delete;
    OwnPtr& operator=(const OwnPtr&) = delete;
    ~OwnPtr() { reset(); }

    void reset() {
        delete m_object;
        m_object = nullptr;
    }
    [[nodiscard]] T* leak() {
        T* object = m_object;
        m_object = nullptr;
        return object;
    }
    T* ptr() const { return m_object; }
    T* operator->() const { return m_object; }
    T& operator*() const { return *m_object; }
    explicit operator bool() const { return m_object != nullptr; }

  private:
    explicit OwnPtr(T* object) : m_object(object) {}
    T* m_object = nullptr;
};

template <typename T, typename... Args>
[[nodiscard]] ErrorOr<OwnPtr<T>> try_make(Args&&... args) {
    T* object = new T(forward<Args>(args)...);
    if (!object) {
        return Error(Errno::NOMEM, "out of memory");
    }
    return OwnPtr<T>::adopt(object);
}

} // namespace kite
