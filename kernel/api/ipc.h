/* ipc.h: System V IPC's structures and constants, in Linux x86-64's layout
 * (struct ipc64_perm, shmid64_ds, semid64_ds, msqid64_ds, sembuf, and the
 * IPC_INFO answers). Plain C and C++ like api/types.h: the kernel sees them
 * in kite::abi, the test programs as struct abi_*. */
#ifndef KITE_API_IPC_H
#define KITE_API_IPC_H

#ifdef __cplusplus
#define IPC_ASSERT(condition) static_assert(condition, #condition)
namespace kite::abi {
#else
#define IPC_ASSERT(condition) _Static_assert(condition, #condition)
#endif

#define ABI_IPC_PRIVATE 0
#define ABI_IPC_CREAT 01000
#define ABI_IPC_EXCL 02000
#define ABI_IPC_NOWAIT 04000
#define ABI_IPC_RMID 0
#define ABI_IPC_SET 1
#define ABI_IPC_STAT 2
#define ABI_IPC_INFO 3

#define ABI_SHM_RDONLY 010000
#define ABI_SHM_RND 020000
#define ABI_SHM_REMAP 040000
#define ABI_SHM_EXEC 0100000
#define ABI_SHM_DEST 01000 /* in shm_perm.mode: removed, alive until the last detach */
#define ABI_SHM_LOCK 11
#define ABI_SHM_UNLOCK 12
#define ABI_SHM_STAT 13
#define ABI_SHM_INFO 14
#define ABI_SHMLBA 4096

#define ABI_GETPID 11
#define ABI_GETVAL 12
#define ABI_GETALL 13
#define ABI_GETNCNT 14
#define ABI_GETZCNT 15
#define ABI_SETVAL 16
#define ABI_SETALL 17
#define ABI_SEM_STAT 18
#define ABI_SEM_INFO 19
#define ABI_SEM_UNDO 0x1000
#define ABI_SEMVMX 32767 /* the largest semaphore value */
#define ABI_SEMMSL 32000 /* semaphores in one set */
#define ABI_SEMOPM 500   /* operations in one semop */

#define ABI_MSG_NOERROR 010000
#define ABI_MSG_EXCEPT 020000
#define ABI_MSG_COPY 040000
#define ABI_MSG_STAT 11
#define ABI_MSG_INFO 12
#define ABI_MSGMAX 8192  /* the largest message */
#define ABI_MSGMNB 16384 /* a new queue's msg_qbytes */

struct abi_ipc64_perm {
    int key;
    unsigned int uid;
    unsigned int gid;
    unsigned int cuid;
    unsigned int cgid;
    unsigned int mode;
    unsigned short seq;
    unsigned short pad2;
    unsigned long unused1;
    unsigned long unused2;
};
IPC_ASSERT(sizeof(struct abi_ipc64_perm) == 48);
IPC_ASSERT(__builtin_offsetof(struct abi_ipc64_perm, mode) == 20);
IPC_ASSERT(__builtin_offsetof(struct abi_ipc64_perm, seq) == 24);
IPC_ASSERT(__builtin_offsetof(struct abi_ipc64_perm, unused1) == 32);

struct abi_shmid64_ds {
    struct abi_ipc64_perm shm_perm;
    unsigned long shm_segsz;
    long shm_atime;
    long shm_dtime;
    long shm_ctime;
    int shm_cpid;
    int shm_lpid;
    unsigned long shm_nattch;
    unsigned long unused4;
    unsigned long unused5;
};
IPC_ASSERT(sizeof(struct abi_shmid64_ds) == 112);
IPC_ASSERT(__builtin_offsetof(struct abi_shmid64_ds, shm_segsz) == 48);
IPC_ASSERT(__builtin_offsetof(struct abi_shmid64_ds, shm_cpid) == 80);
IPC_ASSERT(__builtin_offsetof(struct abi_shmid64_ds, shm_nattch) == 88);

/* shmctl(IPC_INFO): struct shminfo64. */
struct abi_shminfo64 {
    unsigned long shmmax;
    unsigned long shmmin;
    unsigned long shmmni;
    unsigned long shmseg;
    unsigned long shmall;
    unsigned long unused[4];
};
IPC_ASSERT(sizeof(struct abi_shminfo64) == 72);

struct abi_semid64_ds {
    struct abi_ipc64_perm sem_perm;
    long sem_otime;
    unsigned long unused1;
    long sem_ctime;
    unsigned long unused2;
    unsigned long sem_nsems;
    unsigned long unused3;
    unsigned long unused4;
};
IPC_ASSERT(sizeof(struct abi_semid64_ds) == 104);
IPC_ASSERT(__builtin_offsetof(struct abi_semid64_ds, sem_otime) == 48);
IPC_ASSERT(__builtin_offsetof(struct abi_semid64_ds, sem_ctime) == 64);
IPC_ASSERT(__builtin_offsetof(struct abi_semid64_ds, sem_nsems) == 80);

/* semctl(IPC_INFO): struct seminfo. */
struct abi_seminfo {
    int semmap, semmni, semmns, semmnu, semmsl, semopm, semume, semusz, semvmx, semaem;
};
IPC_ASSERT(sizeof(struct abi_seminfo) == 40);

struct abi_sembuf {
    unsigned short sem_num;
    short sem_op;
    short sem_flg;
};
IPC_ASSERT(sizeof(struct abi_sembuf) == 6);

struct abi_msqid64_ds {
    struct abi_ipc64_perm msg_perm;
    long msg_stime;
    long msg_rtime;
    long msg_ctime;
    unsigned long msg_cbytes;
    unsigned long msg_qnum;
    unsigned long msg_qbytes;
    int msg_lspid;
    int msg_lrpid;
    unsigned long unused4;
    unsigned long unused5;
};
IPC_ASSERT(sizeof(struct abi_msqid64_ds) == 120);
IPC_ASSERT(__builtin_offsetof(struct abi_msqid64_ds, msg_cbytes) == 72);
IPC_ASSERT(__builtin_offsetof(struct abi_msqid64_ds, msg_qbytes) == 88);
IPC_ASSERT(__builtin_offsetof(struct abi_msqid64_ds, msg_lspid) == 96);

/* msgctl(IPC_INFO): struct msginfo. */
struct abi_msginfo {
    int msgpool, msgmap, msgmax, msgmnb, msgmni, msgssz, msgtql;
    unsigned short msgseg;
};
IPC_ASSERT(sizeof(struct abi_msginfo) == 32);

#ifdef __cplusplus
using Ipc64Perm = abi_ipc64_perm;
using ShmidDs = abi_shmid64_ds;
using ShmInfo = abi_shminfo64;
using SemidDs = abi_semid64_ds;
using SemInfo = abi_seminfo;
using SemBuf = abi_sembuf;
using MsqidDs = abi_msqid64_ds;
using MsgInfo = abi_msginfo;
} // namespace kite::abi
#endif

#undef IPC_ASSERT

#endif
