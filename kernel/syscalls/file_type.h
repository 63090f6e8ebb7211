// file_type.h: a vnode's type as Linux spells it, for stat's st_mode and
// getdents64's d_type: one table, so the two cannot disagree.
#pragma once

#include "api/constants.h"
#include "api/types.h"
#include "fs/vnode.h"

namespace kite {

struct LinuxFileType {
    u32 mode;       // the S_IF* bits of st_mode
    u8 dirent_type; // DT_*
};

constexpr LinuxFileType linux_file_type(VnodeType type) {
    switch (type) {
    case VnodeType::Directory:
        return {abi::S_IFDIR, abi::DT_DIR};
    case VnodeType::Symlink:
        return {abi::S_IFLNK, abi::DT_LNK};
    case VnodeType::CharDevice:
        return {abi::S_IFCHR, abi::DT_CHR};
    case VnodeType::Fifo:
        return {abi::S_IFIFO, abi::DT_FIFO};
    case VnodeType::Socket:
        return {abi::S_IFSOCK, abi::DT_SOCK};
    case VnodeType::Anonymous:
        return {0, 0}; // Linux's anon inodes: no type bits (DT_UNKNOWN)
    case VnodeType::BlockDevice:
        return {abi::S_IFBLK, abi::DT_BLK};
    case VnodeType::Regular:
        break;
    }
    return {abi::S_IFREG, abi::DT_REG};
}

} // namespace kite
