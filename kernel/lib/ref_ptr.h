// ref_ptr.h: shared ownership for objects that several owners hold (vnodes,
// open files). RefCounted<T> carries the count; RefPtr<T> holds one
// reference and drops it when destroyed; the last reference deletes.
// Counts change atomically: the owners of one object (processes sharing an
// open file, say) run on different threads, preemptible, and are guarded by
// different locks.
#pragma once

#include "lib/error.h"
#include "lib/utility.h"

namespace kite {

template <typename T>
class RefCounted {
  public:
    void ref() const { __atomic_add_fetch(&m_refs, 1, __ATOMIC_RELAXED); }
    void unref() const {
        if (__atomic_sub_fetch(&m_refs, 1, __ATOMIC_ACQ_REL) == 0) {
            delete static_cast<const T*>(this);
        }
    }
    [[nodiscard]] u32 ref_count() const { return __atomic_load_n(&m_refs, __ATOMIC_RELAXED); }
    // A new reference, unless the count already reached 0 (the object is
    // being destroyed): for caches that keep raw pointers to objects whose
    // destructors take them out under the cache's lock.
    [[nodiscard]] bool try_ref() const {
        u32 refs = __atomic_load_n(&m_refs, __ATOMIC_RELAXED);
        while (refs != 0) {
            if (__atomic_compare_exchange_n(&m_refs, &refs, refs + 1, true, __ATOMIC_ACQUIRE,
                                            __ATOMIC_RELAXED)) {
                return true;
            }
        }
        return false;
    }

  protected:
    RefCounted() = default;
    ~RefCounted() = default;

  private:
    mutable u32 m_refs = 1; // the creator's reference
};

template <typename T>
class RefPtr {
  public:
    RefPtr() = default;
    RefPtr(T* object) : m_object(object) { // takes a new reference
        if (m_object) {
            m_object->ref();
        }
    }
    static RefPtr adopt(T* object) { // takes over the creator's reference
        RefPtr p;
        p.m_object = object;
        return p;
    }
    RefPtr(const RefPtr& other) : RefPtr(other.m_object) {}
    RefPtr(RefPtr&& other) : m_object(other.m_object) { other.m_object = nullptr; }
    template <typename U>
    RefPtr(const RefPtr<U>& other) : RefPtr(other.ptr()) {}
    RefPtr& operator=(const RefPtr& other) {
        RefPtr copy(other);
        swap(copy);
        return *this;
    }
    RefPtr& operator=(RefPtr&& other) {
        RefPtr moved(move(other));
        swap(moved);
        return *this;
    }
    ~RefPtr() { clear(); }

    // Null before the unref: a destructor it runs never sees this pointer
    // still naming the object.
    void clear() {
        T* object = m_object;
        m_object = nullptr;
        if (object) {
            object->unref();
        }
    }
    void swap(RefPtr& other) {
        T* t = m_object;
        m_object = other.m_object;
        other.m_object = t;
    }
    T* ptr() const { return m_object; }
    T* operator->() const { return m_object; }
    T& operator*() const { return *m_object; }
    explicit operator bool() const { return m_object != nullptr; }
    bool operator==(const RefPtr& other) const { return m_object == other.m_object; }

  private:
    T* m_object = nullptr;
};

// new T(args...) adopted into a RefPtr, or ENOMEM.
template <typename T, typename... Args>
[[nodiscard]] ErrorOr<RefPtr<T>> try_make_ref(Args&&... args) {
    T* object = new T(forward<Args>(args)...);
    if (!object) {
        return Error(Errno::NOMEM, "out of memory");
    }
    return RefPtr<T>::adopt(object);
}

} // namespace kite
