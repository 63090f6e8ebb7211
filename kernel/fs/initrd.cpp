// initrd.cpp: see initrd.h.
#include "fs/initrd.h"

#include "console/console.h"
#include "fs/memory_fs.h"
#include "fs/ustar.h"

namespace kite::initrd_fs {

namespace {

constexpr u64 initrd_device = 1;

// The directory for path's components before the last, created as needed.
ErrorOr<RefPtr<Vnode>> directory_for(RefPtr<Vnode> root, StringView path, StringView& last) {
    RefPtr<Vnode> dir = root;
    usize start = 0;
    for (;;) {
        usize slash = start;
        while (slash < path.length() && path[slash] != '/') {
            ++slash;
        }
        const StringView name = path.substring(start, slash - start);
        if (slash == path.length()) {
            last = name;
            return dir;
        }
        if (!name.is_empty() && name != ".") {
            auto existing = dir->lookup(name);
            if (existing.is_error()) {
                auto made = TRY(try_make_ref<MemoryDirectory>(false, 0755));
                made->set_device(initrd_device);
                TRY(static_cast<MemoryDirectory*>(dir.ptr())->add(name, made));
                dir = made;
            } else if (!existing.value()->is_directory()) {
                return Error(Errno::NOTDIR, "a path component is not a directory");
            } else {
                dir = existing.release_value();
            }
        }
        start = slash + 1;
    }
}

} // namespace

ErrorOr<RefPtr<Vnode>> mount(StringView archive) {
    auto root = TRY(try_make_ref<MemoryDirectory>(false, 0755));
    root->set_device(initrd_device);
    UstarReader reader(archive);
    UstarEntry entry;
    usize files = 0;
    usize skipped = 0;
    while (reader.next(entry)) {
        if (StringView(entry.path).is_empty()) {
            continue; // "./" itself
        }
        StringView name;
        auto dir = directory_for(RefPtr<Vnode>(root), entry.path, name);
        if (dir.is_error() || name.is_empty()) {
            ++skipped;
            continue;
        }
        auto* parent = static_cast<MemoryDirectory*>(dir.value().ptr());
        RefPtr<Vnode> node;
        switch (entry.type) {
        case UstarType::Directory:
            if (!parent->lookup(name).is_error()) {
                continue; // already implied by an earlier path
            }
            node = TRY(try_make_ref<MemoryDirectory>(false, entry.mode));
            break;
        case UstarType::Regular:
            node = TRY(try_make_ref<MemoryFile>(entry.data, entry.mode));
            ++files;
            break;
        case UstarType::Symlink:
            node = TRY(MemorySymlink::create(entry.link_target));
            break;
        case UstarType::Other:
            ++skipped;
            continue;
        }
        node->set_device(initrd_device);
        const i64 mtime_ns = entry.mtime * 1'000'000'000;
        node->set_times({mtime_ns, mtime_ns, mtime_ns});
        if (parent->add(name, node).is_error()) {
            ++skipped;
        }
    }
    // The kernel mounts /tmp, /dev and /proc; a minimal archive may lack them.
    const StringView mount_points[] = {"tmp", "dev", "proc"};
    for (StringView mount_point : mount_points) {
        if (root->lookup(mount_point).is_error()) {
            auto made = TRY(try_make_ref<MemoryDirectory>(false, 0755));
            made->set_device(initrd_device);
            TRY(root->add(mount_point, made));
        }
    }
    kprintln("initrd: {} files", files);
    if (reader.bad_headers() > 0 || skipped > 0) {
        kprintln("initrd: {} corrupt headers and {} unsupported or clashing entries skipped",
                 reader.bad_headers(), skipped);
    }
    return RefPtr<Vnode>(root);
}

} // namespace kite::initrd_fs
