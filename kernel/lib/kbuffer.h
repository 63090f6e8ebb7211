// kbuffer.h: KBuffer, the single owner of a block of kernel heap bytes (a
// path, a text made for one read, a program's arguments). Made through
// try_create, which turns a failed allocation into ENOMEM; freed when its
// owner goes. Move-only, so no block is freed twice or forgotten.
#pragma once

#include "lib/error.h"
#include "lib/utility.h"
#include "mm/kmalloc.h"

namespace kite {

class KBuffer {
  public:
    KBuffer() = default;
    [[nodiscard]] static ErrorOr<KBuffer> try_create(usize size, bool zeroed = false) {
        void* data = zeroed ? kzalloc(size) : kmalloc(size);
        if (!data && size != 0) {
            return Error(Errno::NOMEM, "out of memory");
        }
        return KBuffer(static_cast<u8*>(data), size);
    }
    // A copy of size bytes from data.
    [[nodiscard]] static ErrorOr<KBuffer> try_copy(const void* data, usize size) {
        KBuffer buffer = TRY(try_create(size));
        __builtin_memcpy(buffer.m_data, data, size);
        return buffer;
    }

    KBuffer(KBuffer&& other) : m_data(other.m_data), m_size(other.m_size) {
        other.m_data = nullptr;
        other.m_size = 0;
    }
    KBuffer& operator=(KBuffer&& other) {
        if (this != &other) {
            kfree(m_data);
            m_data = other.m_data;
            m_size = other.m_size;
            other.m_data = nullptr;
            other.m_size = 0;
        }
        return *this;
    }
    KBuffer(const KBuffer&) = delete;
    KBuffer& operator=(const KBuffer&) = delete;
    ~KBuffer() { kfree(m_data); }

    [[nodiscard]] u8* data() const { return m_data; }
    [[nodiscard]] char* chars() const { return reinterpret_cast<char*>(m_data); }
    [[nodiscard]] usize size() const { return m_size; }

  private:
    KBuffer(u8* data, usize size) : m_data(data), m_size(size) {}
    u8* m_data = nullptr;
    usize m_size = 0;
};

} // namespace kite
