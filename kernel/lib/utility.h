// utility.h: the few <utility>/<type_traits> pieces the kernel needs. The
// kernel is built without the C++ standard library headers.
#pragma once

namespace kite {

template <typename T>
struct remove_reference {
    using type = T;
};
template <typename T>
struct remove_reference<T&> {
    using type = T;
};
template <typename T>
struct remove_reference<T&&> {
    using type = T;
};
template <typename T>
using remove_reference_t = typename remove_reference<T>::type;

template <typename T>
constexpr remove_reference_t<T>&& move(T&& value) {
    return static_cast<remove_reference_t<T>&&>(value);
}

template <typename T>
constexpr T&& forward(remove_reference_t<T>& value) {
    return static_cast<T&&>(value);
}

template <typename T>
constexpr const T& min(const T& a, const T& b) {
    return b < a ? b : a;
}
template <typename T>
constexpr const T& max(const T& a, const T& b) {
    return a < b ? b : a;
}

template <typename T, unsigned long N>
constexpr unsigned long array_size(const T (&)[N]) {
    return N;
}

// Non-copyable, non-movable: locks, guards, hardware singletons.
class NonCopyable {
  protected:
    constexpr NonCopyable() = default;
    ~NonCopyable() = default;

  public:
    NonCopyable(const NonCopyable&) = delete;
    NonCopyable& operator=(const NonCopyable&) = delete;
};

} // namespace kite
