// name_rules.cpp: see name_rules.h.
#include "fs/name_rules.h"

#include "fs/namespace_lock.h"

namespace kite::vfs {

namespace {

// A path with no last name, or "." or "..": nothing any of the uses but
// CreateFile can work on. The errno each gives, as Linux does.
Error special_name_error(NameUse use, LastName::Kind kind) {
    switch (use) {
    case NameUse::CreateFile: // only None reaches here
    case NameUse::Unlink:
        return Error(Errno::ISDIR, "unlink and open make or remove files only");
    case NameUse::MakeDirectory:
    case NameUse::MakeLink:
        return Error(Errno::EXIST, "file exists");
    case NameUse::RemoveDirectory:
        if (kind == LastName::Kind::None) {
            return Error(Errno::BUSY, "cannot remove a root");
        }
        // Removing "." is a bad request; ".." is never empty.
        return kind == LastName::Kind::Dot ? Error(Errno::INVAL, "cannot remove .")
                                           : Error(Errno::NOTEMPTY, "cannot remove ..");
    }
    return Error(Errno::INVAL, "unknown use");
}

ErrorOr<NameTarget> create_file(const LastName& last) {
    // "name/" with O_CREAT is EISDIR whether or not name exists, as Linux.
    if (last.trailing_slash) {
        return Error(Errno::ISDIR, "open creates files, not directories");
    }
    NameTarget target{last.directory, last.name, {}};
    auto existing = resolve(last.name, last.directory, Follow::Yes);
    if (!existing.is_error()) {
        target.existing = existing.release_value();
    } else if (existing.error().code() != Errno::NOENT) {
        return existing.release_error();
    }
    return target;
}

ErrorOr<NameTarget> create_entry(NameUse use, const LastName& last) {
    auto existing = last.directory->lookup(last.name);
    if (!existing.is_error()) {
        return Error(Errno::EXIST, "file exists");
    }
    if (use == NameUse::MakeDirectory) {
        // A trailing slash is allowed: "mkdir a/" makes a.
        if (existing.error().code() != Errno::NOENT) {
            return existing.release_error();
        }
    } else if (last.trailing_slash) {
        // Only a directory could end in "/", and links make none.
        return Error(Errno::NOENT, "a new link's name cannot end in /");
    }
    return NameTarget{last.directory, last.name, {}};
}

ErrorOr<NameTarget> remove_entry(NameUse use, const LastName& last) {
    RefPtr<Vnode> victim = TRY(last.directory->lookup(last.name));
    if (last.trailing_slash && !victim->is_directory()) {
        return Error(Errno::NOTDIR, "not a directory");
    }
    if (victim->is_directory() && use == NameUse::Unlink) {
        return Error(Errno::ISDIR, "is a directory");
    }
    if (!victim->is_directory() && use == NameUse::RemoveDirectory) {
        return Error(Errno::NOTDIR, "not a directory");
    }
    return NameTarget{last.directory, last.name, move(victim)};
}

} // namespace

ErrorOr<NameTarget> resolve_for(NameUse use, StringView path, const RefPtr<Vnode>& base) {
    NamespaceGuard guard;
    const LastName last = TRY(resolve_last(path, base));
    const bool dot = last.kind == LastName::Kind::Dot || last.kind == LastName::Kind::DotDot;
    if (last.kind == LastName::Kind::None || (dot && use != NameUse::CreateFile)) {
        return special_name_error(use, last.kind);
    }
    switch (use) {
    case NameUse::CreateFile:
        return create_file(last); // "." and ".." resolve to directories there
    case NameUse::MakeDirectory:
    case NameUse::MakeLink:
        return create_entry(use, last);
    case NameUse::Unlink:
    case NameUse::RemoveDirectory:
        return remove_entry(use, last);
    }
    return Error(Errno::INVAL, "unknown use");
}

ErrorOr<RenameTarget> resolve_for_rename(StringView old_path, const RefPtr<Vnode>& old_base,
                                         StringView new_path, const RefPtr<Vnode>& new_base) {
    NamespaceGuard guard;
    auto old_last = resolve_last(old_path, old_base);
    auto new_last = resolve_last(new_path, new_base);
    const auto is_root = [](const ErrorOr<LastName>& last) {
        return !last.is_error() && last.value().kind == LastName::Kind::None;
    };
    if (is_root(old_last) || is_root(new_last)) {
        return Error(Errno::BUSY, "cannot rename a root");
    }
    const LastName from = TRY(move(old_last));
    const LastName to = TRY(move(new_last));
    if (from.kind != LastName::Kind::Name || to.kind != LastName::Kind::Name) {
        return Error(Errno::BUSY, "cannot rename . or .."); // as Linux
    }
    // A name ending in "/" on either side means a directory is moved.
    if ((from.trailing_slash || to.trailing_slash) &&
        !TRY(from.directory->lookup(from.name))->is_directory()) {
        return Error(Errno::NOTDIR, "a trailing / names a directory");
    }
    return RenameTarget{from.directory, from.name, to.directory, to.name};
}

} // namespace kite::vfs
