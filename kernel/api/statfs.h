/* statfs.h: struct statfs of statfs(2) and fstatfs(2), in Linux x86-64's
 * layout, and the file-system magic numbers Linux gives in f_type. */
#ifndef KITE_API_STATFS_H
#define KITE_API_STATFS_H

#ifdef __cplusplus
namespace kite::abi {
#endif

#define ABI_TMPFS_MAGIC 0x01021994
#define ABI_RAMFS_MAGIC 0x858458f6
#define ABI_PROC_SUPER_MAGIC 0x9fa0
#define ABI_EXT2_SUPER_MAGIC 0xef53
#define ABI_ST_RDONLY 1
#define ABI_ST_NOSUID 2
#define ABI_ST_NODEV 4
#define ABI_ST_NOEXEC 8
#define ABI_ST_NOATIME 1024
#define ABI_ST_RELATIME 4096

struct abi_statfs {
    long f_type;
    long f_bsize;
    unsigned long f_blocks;
    unsigned long f_bfree;
    unsigned long f_bavail;
    unsigned long f_files;
    unsigned long f_ffree;
    int f_fsid[2];
    long f_namelen;
    long f_frsize;
    long f_flags;
    long f_spare[4];
};
#ifdef __cplusplus
static_assert(sizeof(abi_statfs) == 120);
static_assert(__builtin_offsetof(abi_statfs, f_fsid) == 56);
static_assert(__builtin_offsetof(abi_statfs, f_namelen) == 64);
static_assert(__builtin_offsetof(abi_statfs, f_flags) == 80);
using StatFs = abi_statfs;
} // namespace kite::abi
#endif

#endif
