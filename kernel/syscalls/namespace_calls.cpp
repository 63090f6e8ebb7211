// namespace_calls.cpp: the names of files and the current directory:
// getcwd, chdir, fchdir, mkdir, mknod, unlink, rmdir, rename, link,
// symlink and their *at forms. The rules for a path's last name are in fs/name_rules.h.
#include "fs/device_node.h"
#include "fs/name_rules.h"
#include "fs/namespace_lock.h"
#include "fs/pipe.h"
#include "lib/kbuffer.h"
#include "syscalls/file_arguments.h"
#include "syscalls/syscall.h"
#include "syscalls/user_path.h"

namespace kite {

namespace {

constexpr u64 AT_REMOVEDIR = 0x200;

} // namespace

SyscallResult sys_getcwd(const SyscallArguments& args) {
    const KBuffer path = TRY(KBuffer::try_create(max_path_length + 1));
    const usize length =
        TRY(vfs::absolute_path(Process::current()->cwd(), path.chars(), max_path_length + 1));
    if (length > args.a1) {
        return Error(Errno::RANGE, "buffer too small");
    }
    TRY(copy_to_user({args.a0}, path.data(), length));
    return static_cast<i64>(length);
}

SyscallResult sys_chdir(const SyscallArguments& args) {
    const UserPath path = TRY(UserPath::copy(args.a0));
    RefPtr<Vnode> directory = TRY(vfs::resolve(path.view(), Process::current()->cwd()));
    if (!directory->is_directory()) {
        return Error(Errno::NOTDIR, "not a directory");
    }
    Process::current()->set_cwd(move(directory));
    return 0;
}

SyscallResult sys_fchdir(const SyscallArguments& args) {
    RefPtr<Vnode> directory = TRY(file_for(args.a0))->vnode();
    if (!directory->is_directory()) {
        return Error(Errno::NOTDIR, "not a directory");
    }
    Process::current()->set_cwd(move(directory));
    return 0;
}

SyscallResult sys_mkdirat(const SyscallArguments& args) {
    // As Linux, a new directory keeps only the permission and sticky bits.
    const u32 mode = creation_mode(static_cast<u32>(args.a2) & 01777);
    const UserPath path = TRY(UserPath::copy(args.a1));
    const RefPtr<Vnode> base = TRY(base_directory(static_cast<i64>(args.a0), path.view()));
    const vfs::NamespaceGuard tree;
    const vfs::NameTarget target =
        TRY(vfs::resolve_for(vfs::NameUse::MakeDirectory, path.view(), base));
    TRY(target.directory->create(target.name, VnodeType::Directory, mode));
    return 0;
}

SyscallResult sys_mkdir(const SyscallArguments& args) {
    return sys_mkdirat({cwd_argument, args.a0, args.a1, 0, 0, 0, args.frame});
}

SyscallResult sys_unlinkat(const SyscallArguments& args) {
    if (args.a2 & ~AT_REMOVEDIR) {
        return Error(Errno::INVAL, "unknown flags");
    }
    const UserPath path = TRY(UserPath::copy(args.a1));
    const RefPtr<Vnode> base = TRY(base_directory(static_cast<i64>(args.a0), path.view()));
    const auto use =
        (args.a2 & AT_REMOVEDIR) ? vfs::NameUse::RemoveDirectory : vfs::NameUse::Unlink;
    const vfs::NamespaceGuard tree; // what was checked is what is removed
    const vfs::NameTarget target = TRY(vfs::resolve_for(use, path.view(), base));
    TRY(target.directory->remove(target.name));
    return 0;
}

SyscallResult sys_unlink(const SyscallArguments& args) {
    return sys_unlinkat({cwd_argument, args.a0, 0, 0, 0, 0, args.frame});
}

SyscallResult sys_rmdir(const SyscallArguments& args) {
    return sys_unlinkat({cwd_argument, args.a0, AT_REMOVEDIR, 0, 0, 0, args.frame});
}

SyscallResult sys_renameat2(const SyscallArguments& args) {
    if (args.a4 != 0) {
        return Error(Errno::INVAL, "no renameat2 flags are supported");
    }
    const UserPath old_path = TRY(UserPath::copy(args.a1));
    const UserPath new_path = TRY(UserPath::copy(args.a3));
    const RefPtr<Vnode> old_base = TRY(base_directory(static_cast<i64>(args.a0), old_path.view()));
    const RefPtr<Vnode> new_base = TRY(base_directory(static_cast<i64>(args.a2), new_path.view()));
    const vfs::NamespaceGuard tree;
    const vfs::RenameTarget target =
        TRY(vfs::resolve_for_rename(old_path.view(), old_base, new_path.view(), new_base));
    TRY(target.from->rename(target.old_name, *target.to, target.new_name));
    return 0;
}

SyscallResult sys_renameat(const SyscallArguments& args) {
    return sys_renameat2({args.a0, args.a1, args.a2, args.a3, 0, 0, args.frame});
}

SyscallResult sys_rename(const SyscallArguments& args) {
    return sys_renameat2({cwd_argument, args.a0, cwd_argument, args.a1, 0, 0, args.frame});
}

SyscallResult sys_linkat(const SyscallArguments& args) {
    constexpr u64 AT_SYMLINK_FOLLOW = 0x400;
    if (args.a4 & ~AT_SYMLINK_FOLLOW) {
        return Error(Errno::INVAL, "unknown flags");
    }
    const UserPath old_path = TRY(UserPath::copy(args.a1));
    const UserPath new_path = TRY(UserPath::copy(args.a3));
    const RefPtr<Vnode> old_base = TRY(base_directory(static_cast<i64>(args.a0), old_path.view()));
    const RefPtr<Vnode> new_base = TRY(base_directory(static_cast<i64>(args.a2), new_path.view()));
    const auto follow = (args.a4 & AT_SYMLINK_FOLLOW) ? vfs::Follow::Yes : vfs::Follow::No;
    const vfs::NamespaceGuard tree;
    const RefPtr<Vnode> file = TRY(vfs::resolve(old_path.view(), old_base, follow));
    // An existing new name is EEXIST before the old file's EPERM or EXDEV.
    const vfs::NameTarget target =
        TRY(vfs::resolve_for(vfs::NameUse::MakeLink, new_path.view(), new_base));
    TRY(target.directory->link(target.name, file));
    return 0;
}

SyscallResult sys_link(const SyscallArguments& args) {
    return sys_linkat({cwd_argument, args.a0, cwd_argument, args.a1, 0, 0, args.frame});
}

SyscallResult sys_symlinkat(const SyscallArguments& args) {
    const UserPath target = TRY(UserPath::copy(args.a0)); // stored as given, need not exist
    const UserPath path = TRY(UserPath::copy(args.a2));
    const RefPtr<Vnode> base = TRY(base_directory(static_cast<i64>(args.a1), path.view()));
    const vfs::NamespaceGuard tree;
    const vfs::NameTarget entry = TRY(vfs::resolve_for(vfs::NameUse::MakeLink, path.view(), base));
    TRY(entry.directory->symlink(entry.name, target.view()));
    return 0;
}

SyscallResult sys_symlink(const SyscallArguments& args) {
    return sys_symlinkat({args.a0, cwd_argument, args.a1, 0, 0, 0, args.frame});
}

namespace {

// The node mknod makes for a mode's type, or the errno of Linux's
// may_mknod (a directory: EPERM; no known type: EINVAL).
ErrorOr<RefPtr<Vnode>> make_node(u32 type, u32 permissions, u32 device) {
    switch (type) {
    case abi::S_IFIFO:
        return create_fifo(permissions);
    case abi::S_IFCHR:
        return create_device_node(VnodeType::CharDevice, permissions, device);
    case abi::S_IFBLK:
        return create_device_node(VnodeType::BlockDevice, permissions, device);
    case abi::S_IFDIR:
        return Error(Errno::PERM, "mknod cannot make directories");
    default:
        return Error(Errno::INVAL, "unknown file type");
    }
}

} // namespace

// mknodat(dirfd, path, mode, dev): a regular file, FIFO or device node.
SyscallResult sys_mknodat(const SyscallArguments& args) {
    constexpr u32 S_IFMT = 0170000;
    const u32 raw_mode = static_cast<u32>(args.a2);
    const u32 type = raw_mode & S_IFMT;
    if (type == abi::S_IFDIR) {
        return Error(Errno::PERM, "mknod cannot make directories");
    }
    const bool regular = type == 0 || type == abi::S_IFREG;
    if (!regular && type != abi::S_IFIFO && type != abi::S_IFCHR && type != abi::S_IFBLK) {
        return Error(Errno::INVAL, "unknown file type");
    }
    const u32 permissions = creation_mode(raw_mode & 07777);
    const UserPath path = TRY(UserPath::copy(args.a1));
    const RefPtr<Vnode> base = TRY(base_directory(static_cast<i64>(args.a0), path.view()));
    const vfs::NamespaceGuard tree;
    const vfs::NameTarget entry = TRY(vfs::resolve_for(vfs::NameUse::MakeLink, path.view(), base));
    if (regular) {
        TRY(entry.directory->create(entry.name, VnodeType::Regular, permissions));
        return 0;
    }
    const RefPtr<Vnode> node = TRY(make_node(type, permissions, static_cast<u32>(args.a3)));
    TRY(entry.directory->add_node(entry.name, node));
    return 0;
}

SyscallResult sys_mknod(const SyscallArguments& args) {
    return sys_mknodat({cwd_argument, args.a0, args.a1, args.a2, 0, 0, args.frame});
}

} // namespace kite
