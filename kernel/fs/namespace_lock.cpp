// namespace_lock.cpp: see namespace_lock.h.
#include "fs/namespace_lock.h"

#include "fs/open_file.h"

namespace kite::vfs {

namespace {
Mutex tree_lock{"vfs namespace", LockRank::VfsNamespace};
// Under tree_lock.
constexpr usize kept_files_capacity = 48;
RefPtr<OpenFile> kept[kept_files_capacity];
} // namespace

usize kept_file_count = 0;

Mutex& namespace_lock() {
    return tree_lock;
}

ErrorOr<void> keep_until_unlocked(RefPtr<OpenFile> file) {
    VERIFY(tree_lock.is_held());
    if (kept_file_count == kept_files_capacity) {
        return Error(Errno::LOOP, "too many descriptors looked up in one walk");
    }
    kept[kept_file_count++] = move(file);
    return {};
}

void unlock_and_drop_kept_files() {
    RefPtr<OpenFile> dropping[kept_files_capacity];
    const usize count = kept_file_count;
    for (usize i = 0; i < count; ++i) {
        dropping[i] = move(kept[i]);
    }
    kept_file_count = 0;
    tree_lock.unlock();
    // dropping goes here, with the lock let go
}

} // namespace kite::vfs
