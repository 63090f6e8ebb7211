// name_rules.h: Linux's rules for the last name of a path that a call
// creates, removes or renames, in one place and in Linux's order of
// errors: what a path of only slashes ("/"), "." and "..", a trailing slash
// and an existing or missing entry mean to each call. Callers get the
// entry to work on or the errno to return, never a marker to reinterpret.
//
// Callers that go on to change the entry hold a vfs::NamespaceGuard across
// both steps, so that what was checked is still true when they act.
#pragma once

#include "fs/vfs.h"

namespace kite::vfs {

enum class NameUse : u8 {
    CreateFile,      // open with O_CREAT
    MakeDirectory,   // mkdir
    MakeLink,        // the new name of link or symlink
    Unlink,          // unlink
    RemoveDirectory, // rmdir, unlinkat with AT_REMOVEDIR
};

struct NameTarget {
    RefPtr<Vnode> directory; // the directory the entry is (or will be) in
    StringView name;         // an ordinary name, unless existing is set
    // What the name names now: for CreateFile the file open would reach
    // (symlinks followed; null if there is none yet), for Unlink and
    // RemoveDirectory the entry to remove; null for the creating uses,
    // which fail if the name exists.
    RefPtr<Vnode> existing;
};

// The entry path names, for use; errors as Linux gives them, e.g. mkdir
// "/" or "." is EEXIST, unlink "." EISDIR, rmdir "." EINVAL and ".."
// ENOTEMPTY, open("a/", O_CREAT) EISDIR, link to "new/" ENOENT.
[[nodiscard]] ErrorOr<NameTarget> resolve_for(NameUse use, StringView path,
                                              const RefPtr<Vnode>& base);

struct RenameTarget {
    RefPtr<Vnode> from; // holds old_name
    StringView old_name;
    RefPtr<Vnode> to; // will hold new_name
    StringView new_name;
};

// Both paths of a rename: EBUSY when either has no last name (before any
// other error of either) or when either is "." or ".."; ENOTDIR when a
// trailing slash on either asks for a directory and the entry moved is not
// one. What is replaced, and EXDEV, are the rename's own business.
[[nodiscard]] ErrorOr<RenameTarget> resolve_for_rename(StringView old_path,
                                                       const RefPtr<Vnode>& old_base,
                                                       StringView new_path,
                                                       const RefPtr<Vnode>& new_base);

} // namespace kite::vfs
