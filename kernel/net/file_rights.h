// file_rights.h: the open files one SCM_RIGHTS message carries (at most
// SCM_MAX_FD). They are held from sendmsg until the receiver's recvmsg
// installs them as descriptors, or until the message is thrown away; so
// closing a descriptor that is in flight does not close the file.
//
// Dropping a file may close it, and closing a socket takes the sockets
// lock: a FileRights is never destroyed with that lock held.
#pragma once

#include "api/socket.h"
#include "fs/open_file.h"
#include "lib/kbuffer.h"
#include "lib/placement_new.h"

namespace kite {

class FileRights {
  public:
    FileRights() = default;
    [[nodiscard]] static ErrorOr<FileRights> create(usize count) {
        FileRights rights;
        rights.m_storage = TRY(KBuffer::try_create(count * sizeof(RefPtr<OpenFile>)));
        for (usize i = 0; i < count; ++i) {
            new (&rights.files()[i]) RefPtr<OpenFile>();
        }
        rights.m_count = count;
        return rights;
    }
    FileRights(FileRights&& other) : m_storage(move(other.m_storage)), m_count(other.m_count) {
        other.m_count = 0;
    }
    FileRights& operator=(FileRights&& other) {
        if (this != &other) {
            clear();
            m_storage = move(other.m_storage);
            m_count = other.m_count;
            other.m_count = 0;
        }
        return *this;
    }
    FileRights(const FileRights&) = delete;
    FileRights& operator=(const FileRights&) = delete;
    ~FileRights() { clear(); }

    [[nodiscard]] usize count() const { return m_count; }
    [[nodiscard]] bool is_empty() const { return m_count == 0; }
    [[nodiscard]] RefPtr<OpenFile>& operator[](usize i) const { return files()[i]; }
    // Another reference to each file (MSG_PEEK gives the receiver its own).
    [[nodiscard]] ErrorOr<FileRights> copy() const {
        FileRights rights = TRY(create(m_count));
        for (usize i = 0; i < m_count; ++i) {
            rights[i] = files()[i];
        }
        return rights;
    }
    void clear() {
        for (usize i = 0; i < m_count; ++i) {
            files()[i].~RefPtr<OpenFile>();
        }
        m_count = 0;
        m_storage = KBuffer();
    }

  private:
    [[nodiscard]] RefPtr<OpenFile>* files() const {
        return reinterpret_cast<RefPtr<OpenFile>*>(m_storage.data());
    }
    KBuffer m_storage;
    usize m_count = 0;
};

} // namespace kite
