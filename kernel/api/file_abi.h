/* file_abi.h: the structures of the newer file calls, in Linux x86-64's
 * layout: statx(2)'s struct statx, openat2(2)'s struct open_how and
 * utime(2)'s struct utimbuf. Plain C and C++, as api/types.h. */
#ifndef KITE_API_FILE_ABI_H
#define KITE_API_FILE_ABI_H

#ifdef __cplusplus
#define ABI_ASSERT(condition) static_assert(condition, #condition)
namespace kite::abi {
#else
#define ABI_ASSERT(condition) _Static_assert(condition, #condition)
#endif

struct abi_statx_timestamp {
    long long sec;
    unsigned int nsec;
    int reserved;
};
ABI_ASSERT(sizeof(struct abi_statx_timestamp) == 16);

struct abi_statx {
    unsigned int mask;
    unsigned int blksize;
    unsigned long long attributes;
    unsigned int nlink;
    unsigned int uid;
    unsigned int gid;
    unsigned short mode;
    unsigned short spare0;
    unsigned long long ino;
    unsigned long long size;
    unsigned long long blocks;
    unsigned long long attributes_mask;
    struct abi_statx_timestamp atime, btime, ctime, mtime;
    unsigned int rdev_major, rdev_minor;
    unsigned int dev_major, dev_minor;
    unsigned long long mnt_id;
    unsigned int dio_mem_align, dio_offset_align;
    unsigned long long spare3[12];
};
ABI_ASSERT(sizeof(struct abi_statx) == 256);
ABI_ASSERT(__builtin_offsetof(struct abi_statx, mode) == 28);
ABI_ASSERT(__builtin_offsetof(struct abi_statx, ino) == 32);
ABI_ASSERT(__builtin_offsetof(struct abi_statx, atime) == 64);
ABI_ASSERT(__builtin_offsetof(struct abi_statx, rdev_major) == 128);
ABI_ASSERT(__builtin_offsetof(struct abi_statx, mnt_id) == 144);

/* statx's mask bits (STATX_*) and its flags' sync-type field. */
#define ABI_STATX_TYPE 0x1u
#define ABI_STATX_MODE 0x2u
#define ABI_STATX_NLINK 0x4u
#define ABI_STATX_UID 0x8u
#define ABI_STATX_GID 0x10u
#define ABI_STATX_ATIME 0x20u
#define ABI_STATX_MTIME 0x40u
#define ABI_STATX_CTIME 0x80u
#define ABI_STATX_INO 0x100u
#define ABI_STATX_SIZE 0x200u
#define ABI_STATX_BLOCKS 0x400u
#define ABI_STATX_BASIC_STATS 0x7ffu
#define ABI_STATX_MNT_ID 0x1000u
#define ABI_STATX_RESERVED 0x80000000u
#define ABI_AT_STATX_SYNC_TYPE 0x6000

struct abi_open_how {
    unsigned long long flags;
    unsigned long long mode;
    unsigned long long resolve;
};
ABI_ASSERT(sizeof(struct abi_open_how) == 24);

struct abi_utimbuf {
    long actime;
    long modtime;
};
ABI_ASSERT(sizeof(struct abi_utimbuf) == 16);

/* utimensat's special tv_nsec values. */
#define ABI_UTIME_NOW ((1l << 30) - 1l)
#define ABI_UTIME_OMIT ((1l << 30) - 2l)

#ifdef __cplusplus
using Statx = abi_statx;
using StatxTimestamp = abi_statx_timestamp;
using OpenHow = abi_open_how;
using Utimbuf = abi_utimbuf;
} // namespace kite::abi
#endif

#undef ABI_ASSERT

#endif
