// namespace_lock.h: the one lock over the shape of the file-system tree:
// every memory directory's entry list, every vnode's parent link and name
// count, and the mount links. One lock for all file systems, not one each:
// a rename or link names two directories at once, and ".." and getcwd walk
// from a mounted root onto the directory below it (another file system),
// so any finer split would need two locks of one rank held together. Kite
// runs on one CPU, so the only cost is that a holder who is preempted makes
// the next namespace operation wait; no holder sleeps or touches user
// memory (paths are copied in before, listings copied out after).
//
// The invariant it keeps: a vnode named by a directory entry stays alive
// while the entry exists, and a non-null parent link points at a directory
// that holds an entry for the vnode, or, for a removed directory, at the
// one it was removed from, which it holds alive (for ".."; it has no path
// any more). Entries change only under the lock, so
// under it the whole parent chain of a live vnode is alive and may be
// walked through raw pointers; outside it a parent link must not be
// followed (take a RefPtr under the lock instead).
#pragma once

#include "lib/error.h"
#include "lib/ref_ptr.h"
#include "sync/mutex.h"

namespace kite {
class OpenFile;
}

namespace kite::vfs {

[[nodiscard]] Mutex& namespace_lock();

// Under the lock: keeps a reference to an open file until the outermost
// guard has let the lock go. An open file found under the lock (procfs's
// /proc/PID/fd lookup) may lose its last other reference meanwhile, and
// its end takes locks ranked below this one (epoll's); ELOOP if a single
// walk has kept too many.
[[nodiscard]] ErrorOr<void> keep_until_unlocked(RefPtr<OpenFile> file);
// The outermost guard's part: how many are kept (under the lock), and the
// unlock that drops them after letting the lock go.
extern usize kept_file_count;
void unlock_and_drop_kept_files();

// Holds the namespace lock for its scope. It may be nested: an inner guard
// on a thread that already holds the lock takes nothing, so a whole
// operation (look a name up, check it, replace it) can run under one outer
// guard while each directory method still guards itself for callers that
// hold nothing (the boot-time test runner lists /test that way).
class [[nodiscard]] NamespaceGuard : NonCopyable {
  public:
    NamespaceGuard() : m_taken(!namespace_lock().is_held()) {
        if (m_taken) {
            namespace_lock().lock();
        }
    }
    ~NamespaceGuard() {
        if (m_taken) {
            if (kept_file_count == 0) {
                namespace_lock().unlock();
            } else {
                unlock_and_drop_kept_files();
            }
        }
    }

  private:
    bool m_taken;
};

} // namespace kite::vfs
