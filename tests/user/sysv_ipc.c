/* sysv_ipc: System V shared memory, semaphores and message queues against
 * Linux's answers: keys and IPC_PRIVATE, IPC_CREAT|IPC_EXCL, the *_STAT,
 * IPC_SET and IPC_RMID controls, shm_nattch across fork and exit, a removed
 * segment alive until its last detach, SHM_RDONLY, shmat's address rules;
 * semaphore values and their limits, atomic operation lists, IPC_NOWAIT,
 * blocking, EINTR, semtimedop's timeout, SEM_UNDO at exit, EIDRM; message
 * types, MSG_NOERROR and E2BIG, ENOMSG, blocking both ways, msg_qbytes.
 * On Kite, the kernel's frames and heap are the same before and after. */
#include "api/ipc.h"
#include "check.h"
#include "signal_action.h"

#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_PRIVATE 0x02
#define MAP_ANONYMOUS 0x20
#define SIGUSR1 10
#define SIGSEGV 11

struct timespec {
    long seconds, nanoseconds;
};

static long pid_now(void) {
    return sys0(SYS_getpid);
}

static long wait_child(long pid) {
    int status = -1;
    return sys4(SYS_wait4, pid, (long)&status, 0, 0) == pid ? status : -1;
}

static void sleep_ms(long ms) {
    struct timespec t = {0, ms * 1000000L};
    sys2(SYS_nanosleep, (long)&t, 0);
}

static struct abi_shmid64_ds shm_status(long id) {
    struct abi_shmid64_ds ds;
    memset(&ds, 0xff, sizeof(ds));
    CHECK_EQ(sys3(SYS_shmctl, id, ABI_IPC_STAT, (long)&ds), 0);
    return ds;
}

/* A key of this run's own, so that runs on one machine do not meet. */
static long test_key(int which) {
    return 0x4b690000L + (pid_now() & 0xfff) * 16 + which;
}

/* ---- shared memory ---- */

static void shm_keys(void) {
    CHECK_ERRNO(sys3(SYS_shmget, ABI_IPC_PRIVATE, 0, ABI_IPC_CREAT | 0600), EINVAL);
    const long key = test_key(1);
    CHECK_ERRNO(sys3(SYS_shmget, key, 4096, 0600), ENOENT);
    long id = sys3(SYS_shmget, key, 10000, ABI_IPC_CREAT | 0600);
    CHECK(id >= 0);
    CHECK_ERRNO(sys3(SYS_shmget, key, 4096, ABI_IPC_CREAT | ABI_IPC_EXCL | 0600), EEXIST);
    CHECK_EQ(sys3(SYS_shmget, key, 100, 0), id);
    CHECK_EQ(sys3(SYS_shmget, key, 0, 0), id); /* size 0 finds an existing one */
    CHECK_ERRNO(sys3(SYS_shmget, key, 10001, 0), EINVAL);
    struct abi_shmid64_ds ds = shm_status(id);
    CHECK_EQ(ds.shm_perm.key, key);
    CHECK_EQ(ds.shm_perm.mode, 0600);
    CHECK_EQ(ds.shm_segsz, 10000);
    CHECK_EQ(ds.shm_cpid, pid_now());
    CHECK_EQ(ds.shm_lpid, 0);
    CHECK_EQ(ds.shm_nattch, 0);
    CHECK_EQ(ds.shm_atime, 0);
    CHECK(ds.shm_ctime > 0);
    /* IPC_SET changes the permission bits only. */
    ds.shm_perm.mode = 0640 | 0170000;
    CHECK_EQ(sys3(SYS_shmctl, id, ABI_IPC_SET, (long)&ds), 0);
    CHECK_EQ(shm_status(id).shm_perm.mode, 0640);
    CHECK_ERRNO(sys3(SYS_shmctl, id, ABI_IPC_STAT, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(sys3(SYS_shmctl, id, 99, 0), EINVAL);
    CHECK_ERRNO(sys3(SYS_shmctl, -1, ABI_IPC_STAT, (long)&ds), EINVAL);
    CHECK_ERRNO(sys3(SYS_shmctl, id + 1, ABI_IPC_STAT, (long)&ds), EINVAL);
    struct abi_shminfo64 info;
    CHECK(sys3(SYS_shmctl, 0, ABI_IPC_INFO, (long)&info) >= 0);
    CHECK_EQ(info.shmmin, 1);
    CHECK_EQ(sys3(SYS_shmctl, id, ABI_IPC_RMID, 0), 0);
    CHECK_ERRNO(sys3(SYS_shmctl, id, ABI_IPC_STAT, (long)&ds), EINVAL);
    CHECK_ERRNO(sys3(SYS_shmctl, id, ABI_IPC_RMID, 0), EINVAL);
    CHECK_ERRNO(sys3(SYS_shmget, key, 100, 0), ENOENT);
}

static void shm_attach(void) {
    long id = sys3(SYS_shmget, ABI_IPC_PRIVATE, 3 * 4096 + 10, 0600);
    CHECK(id >= 0);
    long at = sys3(SYS_shmat, id, 0, 0);
    CHECK(at > 0 && at % 4096 == 0);
    volatile int* words = (volatile int*)at;
    CHECK_EQ(words[0], 0); /* a new segment is zeros */
    words[0] = 41;
    words[3 * 1024] = 7; /* the last, partial page is whole */
    struct abi_shmid64_ds ds = shm_status(id);
    CHECK_EQ(ds.shm_nattch, 1);
    CHECK_EQ(ds.shm_lpid, pid_now());
    CHECK(ds.shm_atime > 0);

    /* A second attachment: the same pages, two attachments. */
    long second = sys3(SYS_shmat, id, 0, ABI_SHM_RDONLY);
    CHECK(second > 0 && second != at);
    CHECK_EQ(((volatile int*)second)[0], 41);
    CHECK_EQ(shm_status(id).shm_nattch, 2);
    CHECK_EQ(sys1(SYS_shmdt, second), 0);
    CHECK_EQ(shm_status(id).shm_nattch, 1);
    CHECK_ERRNO(sys1(SYS_shmdt, second), EINVAL);
    CHECK_ERRNO(sys1(SYS_shmdt, at + 1), EINVAL);
    CHECK_ERRNO(sys1(SYS_shmdt, at + 4096), EINVAL); /* not where an attachment starts */

    /* fork's child shares the attachment; its exit detaches. */
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        int ok = words[0] == 41 && shm_status(id).shm_nattch == 2;
        words[1] = 42;
        /* Its own attachment, left for exit to release. */
        long own = sys3(SYS_shmat, id, 0, 0);
        ok = ok && own > 0 && ((volatile int*)own)[1] == 42;
        sys1(SYS_exit, ok ? 0 : 1);
    }
    CHECK_EQ(wait_child(pid), 0);
    CHECK_EQ(words[1], 42);
    CHECK_EQ(shm_status(id).shm_nattch, 1);

    /* SHM_RDONLY: a write is SIGSEGV. */
    pid = sys0(SYS_fork);
    if (pid == 0) {
        long ro = sys3(SYS_shmat, id, 0, ABI_SHM_RDONLY);
        if (ro <= 0 || ((volatile int*)ro)[0] != 41) {
            sys1(SYS_exit, 1);
        }
        ((volatile int*)ro)[0] = 1;
        sys1(SYS_exit, 2);
    }
    CHECK_EQ(wait_child(pid), SIGSEGV);
    CHECK_EQ(words[0], 41);
    CHECK_EQ(shm_status(id).shm_nattch, 1);

    /* Address rules: SHMLBA alignment, SHM_RND, no overlap without SHM_REMAP. */
    CHECK_ERRNO(sys3(SYS_shmat, id, at + 100, 0), EINVAL);
    CHECK_ERRNO(sys3(SYS_shmat, id, at, 0), EINVAL); /* taken by the first attachment */
    CHECK_EQ(shm_status(id).shm_nattch, 1);
    CHECK_EQ(sys1(SYS_shmdt, at), 0);
    CHECK_EQ(shm_status(id).shm_nattch, 0);
    CHECK_EQ(sys3(SYS_shmat, id, at + 100, ABI_SHM_RND), at);
    CHECK_EQ(words[0], 41);
    long anonymous =
        sys6(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK_ERRNO(sys3(SYS_shmat, id, anonymous, 0), EINVAL);
    CHECK_ERRNO(sys1(SYS_shmdt, anonymous), EINVAL); /* not a segment */
    CHECK_EQ(sys2(SYS_munmap, anonymous, 4096), 0);
    CHECK_ERRNO(sys3(SYS_shmat, id + 1, 0, 0), EINVAL);

    /* Removed while attached: alive, keyless, SHM_DEST, until the detach. */
    CHECK_EQ(sys3(SYS_shmctl, id, ABI_IPC_RMID, 0), 0);
    struct abi_shmid64_ds removed = shm_status(id);
    CHECK_EQ(removed.shm_nattch, 1);
    CHECK(removed.shm_perm.mode & ABI_SHM_DEST);
    CHECK_EQ(removed.shm_perm.key, 0);
    words[2] = 43;
    CHECK_EQ(words[2], 43);
    pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_exit, words[2] == 43 && shm_status(id).shm_nattch == 2 ? 0 : 1);
    }
    CHECK_EQ(wait_child(pid), 0);
    CHECK_EQ(sys1(SYS_shmdt, at), 0);
    struct abi_shmid64_ds gone;
    CHECK_ERRNO(sys3(SYS_shmctl, id, ABI_IPC_STAT, (long)&gone), EINVAL);
}

/* ---- semaphores ---- */

static long semctl(long id, long number, long command, long argument) {
    return sys4(SYS_semctl, id, number, command, argument);
}

static long semop1(long id, int number, int op, int flags) {
    struct abi_sembuf b = {(unsigned short)number, (short)op, (short)flags};
    return sys3(SYS_semop, id, (long)&b, 1);
}

static long wait_for_count(long id, int number, int command, long want) {
    for (int i = 0; i < 2000; ++i) {
        if (semctl(id, number, command, 0) == want) {
            return want;
        }
        sleep_ms(1);
    }
    return semctl(id, number, command, 0);
}

static volatile int usr1_seen;
static void on_usr1(int signal) {
    (void)signal;
    usr1_seen = 1;
}

static void semaphores(void) {
    CHECK_ERRNO(sys3(SYS_semget, ABI_IPC_PRIVATE, 0, 0600), EINVAL);
    CHECK_ERRNO(sys3(SYS_semget, ABI_IPC_PRIVATE, -1, 0600), EINVAL);
    CHECK_ERRNO(sys3(SYS_semget, ABI_IPC_PRIVATE, ABI_SEMMSL + 1, 0600), EINVAL);
    const long key = test_key(2);
    CHECK_ERRNO(sys3(SYS_semget, key, 2, 0600), ENOENT);
    long id = sys3(SYS_semget, key, 2, ABI_IPC_CREAT | 0600);
    CHECK(id >= 0);
    CHECK_ERRNO(sys3(SYS_semget, key, 2, ABI_IPC_CREAT | ABI_IPC_EXCL), EEXIST);
    CHECK_EQ(sys3(SYS_semget, key, 1, 0), id);
    CHECK_EQ(sys3(SYS_semget, key, 0, 0), id);
    CHECK_ERRNO(sys3(SYS_semget, key, 3, 0), EINVAL);
    struct abi_semid64_ds ds;
    CHECK_EQ(semctl(id, 0, ABI_IPC_STAT, (long)&ds), 0);
    CHECK_EQ(ds.sem_nsems, 2);
    CHECK_EQ(ds.sem_perm.mode, 0600);
    CHECK_EQ(ds.sem_perm.key, key);
    CHECK_EQ(ds.sem_otime, 0);
    ds.sem_perm.mode = 0666;
    CHECK_EQ(semctl(id, 0, ABI_IPC_SET, (long)&ds), 0);
    CHECK_EQ(semctl(id, 0, ABI_IPC_STAT, (long)&ds), 0);
    CHECK_EQ(ds.sem_perm.mode, 0666);
    struct abi_seminfo info;
    CHECK(semctl(0, 0, ABI_IPC_INFO, (long)&info) >= 0);
    CHECK_EQ(info.semvmx, ABI_SEMVMX);

    /* Values and their range. */
    CHECK_EQ(semctl(id, 0, ABI_GETVAL, 0), 0);
    CHECK_EQ(semctl(id, 0, ABI_SETVAL, 5), 0);
    CHECK_EQ(semctl(id, 0, ABI_GETVAL, 0), 5);
    CHECK_EQ(semctl(id, 0, ABI_GETPID, 0), pid_now());
    CHECK_ERRNO(semctl(id, 0, ABI_SETVAL, ABI_SEMVMX + 1), ERANGE);
    CHECK_ERRNO(semctl(id, 0, ABI_SETVAL, -1), ERANGE);
    CHECK_ERRNO(semctl(id, 2, ABI_GETVAL, 0), EINVAL);
    CHECK_ERRNO(semctl(id, -1, ABI_SETVAL, 1), EINVAL);
    CHECK_ERRNO(semctl(id + 1, 0, ABI_GETVAL, 0), EINVAL);
    CHECK_ERRNO(semctl(id, 0, 99, 0), EINVAL);
    unsigned short all[2] = {1, 2};
    CHECK_EQ(semctl(id, 0, ABI_SETALL, (long)all), 0);
    unsigned short got[2] = {9, 9};
    CHECK_EQ(semctl(id, 0, ABI_GETALL, (long)got), 0);
    CHECK_EQ(got[0], 1);
    CHECK_EQ(got[1], 2);
    unsigned short too_big[2] = {1, ABI_SEMVMX + 1};
    CHECK_ERRNO(semctl(id, 0, ABI_SETALL, (long)too_big), ERANGE);
    CHECK_ERRNO(semctl(id, 0, ABI_GETALL, UNMAPPED_ADDRESS), EFAULT);

    /* Operation lists: all or nothing. */
    CHECK_ERRNO(sys3(SYS_semop, id, (long)all, 0), EINVAL);
    static struct abi_sembuf many[ABI_SEMOPM + 1];
    CHECK_ERRNO(sys3(SYS_semop, id, (long)many, ABI_SEMOPM + 1), E2BIG);
    CHECK_ERRNO(sys3(SYS_semop, id, UNMAPPED_ADDRESS, 1), EFAULT);
    CHECK_ERRNO(semop1(id, 2, 1, 0), EFBIG);
    CHECK_ERRNO(semop1(id + 1, 0, 1, 0), EINVAL);
    CHECK_ERRNO(semop1(id, 0, ABI_SEMVMX, 0), ERANGE);
    struct abi_sembuf pair[2] = {{0, 1, 0}, {1, -3, ABI_IPC_NOWAIT}};
    CHECK_ERRNO(sys3(SYS_semop, id, (long)pair, 2), EAGAIN);
    CHECK_EQ(semctl(id, 0, ABI_GETVAL, 0), 1); /* the first was not done either */
    pair[1].sem_op = -2;
    CHECK_EQ(sys3(SYS_semop, id, (long)pair, 2), 0);
    CHECK_EQ(semctl(id, 0, ABI_GETVAL, 0), 2);
    CHECK_EQ(semctl(id, 1, ABI_GETVAL, 0), 0);
    CHECK_ERRNO(semop1(id, 0, 0, ABI_IPC_NOWAIT), EAGAIN); /* wait-for-zero on 2 */
    CHECK_EQ(semop1(id, 1, 0, 0), 0);                      /* zero already */
    CHECK_EQ(semctl(id, 0, ABI_IPC_STAT, (long)&ds), 0);
    CHECK(ds.sem_otime > 0);

    /* semtimedop: a timeout passes (EAGAIN); a bad one is EINVAL. */
    struct abi_sembuf down = {1, -1, 0};
    struct timespec t = {0, 30 * 1000000L};
    CHECK_ERRNO(sys4(SYS_semtimedop, id, (long)&down, 1, (long)&t), EAGAIN);
    struct timespec bad = {0, 1000000000L};
    CHECK_ERRNO(sys4(SYS_semtimedop, id, (long)&down, 1, (long)&bad), EINVAL);
    CHECK_ERRNO(sys4(SYS_semtimedop, id, (long)&down, 1, UNMAPPED_ADDRESS), EFAULT);

    /* Blocking: a child waits for a value to grow (GETNCNT) and for zero
     * (GETZCNT), and goes on when the parent changes it. */
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_exit, semop1(id, 1, -1, 0) == 0 ? 0 : 1);
    }
    CHECK_EQ(wait_for_count(id, 1, ABI_GETNCNT, 1), 1);
    CHECK_EQ(semop1(id, 1, 1, 0), 0);
    CHECK_EQ(wait_child(pid), 0);
    CHECK_EQ(semctl(id, 1, ABI_GETNCNT, 0), 0);
    pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_exit, semop1(id, 0, 0, 0) == 0 ? 0 : 1);
    }
    CHECK_EQ(wait_for_count(id, 0, ABI_GETZCNT, 1), 1);
    CHECK_EQ(semctl(id, 0, ABI_SETVAL, 0), 0);
    CHECK_EQ(wait_child(pid), 0);

    /* A signal ends the wait: EINTR (never restarted). */
    pid = sys0(SYS_fork);
    if (pid == 0) {
        struct action a = {(void*)on_usr1, SA_RESTORER | 0x10000000 /* SA_RESTART */,
                           (void*)restore_rt, 0};
        sys4(SYS_rt_sigaction, SIGUSR1, (long)&a, 0, 8);
        long r = semop1(id, 1, -1, 0);
        sys1(SYS_exit, r == -EINTR && usr1_seen ? 0 : 1);
    }
    CHECK_EQ(wait_for_count(id, 1, ABI_GETNCNT, 1), 1);
    CHECK_EQ(sys2(SYS_kill, pid, SIGUSR1), 0);
    CHECK_EQ(wait_child(pid), 0);
    CHECK_EQ(semctl(id, 1, ABI_GETNCNT, 0), 0);

    /* SEM_UNDO: what a process did is undone at its exit. */
    CHECK_EQ(semctl(id, 0, ABI_SETVAL, 2), 0);
    pid = sys0(SYS_fork);
    if (pid == 0) {
        struct abi_sembuf ops[2] = {{0, -1, ABI_SEM_UNDO}, {1, 3, ABI_SEM_UNDO}};
        long r = sys3(SYS_semop, id, (long)ops, 2);
        r |= semop1(id, 1, 1, 0); /* no undo for this one */
        sys1(SYS_exit, r == 0 && semctl(id, 0, ABI_GETVAL, 0) == 1 ? 0 : 1);
    }
    CHECK_EQ(wait_child(pid), 0);
    CHECK_EQ(semctl(id, 0, ABI_GETVAL, 0), 2);
    CHECK_EQ(semctl(id, 1, ABI_GETVAL, 0), 1);

    /* Removal wakes a sleeper with EIDRM. */
    pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_exit, semop1(id, 1, -5, 0) == -EIDRM ? 0 : 1);
    }
    CHECK_EQ(wait_for_count(id, 1, ABI_GETNCNT, 1), 1);
    CHECK_EQ(semctl(id, 0, ABI_IPC_RMID, 0), 0);
    CHECK_EQ(wait_child(pid), 0);
    CHECK_ERRNO(semctl(id, 0, ABI_GETVAL, 0), EINVAL);
    CHECK_ERRNO(semctl(id, 0, ABI_IPC_RMID, 0), EINVAL);
    CHECK_ERRNO(sys3(SYS_semget, key, 1, 0), ENOENT);
}

/* ---- message queues ---- */

struct message {
    long type;
    char text[64];
};

static long send(long id, long type, const char* text, int flags) {
    struct message m;
    m.type = type;
    long n = (long)rt_strlen(text);
    memcpy(m.text, text, n);
    return sys4(SYS_msgsnd, id, (long)&m, n, flags);
}

/* Receives into m (text NUL-terminated); the byte count or -errno. */
static long receive(long id, struct message* m, long size, long type, int flags) {
    memset(m, 0, sizeof(*m));
    return sys6(SYS_msgrcv, id, (long)m, size, type, flags, 0);
}

static void messages(void) {
    const long key = test_key(3);
    CHECK_ERRNO(sys2(SYS_msgget, key, 0600), ENOENT);
    long id = sys2(SYS_msgget, key, ABI_IPC_CREAT | 0600);
    CHECK(id >= 0);
    CHECK_ERRNO(sys2(SYS_msgget, key, ABI_IPC_CREAT | ABI_IPC_EXCL), EEXIST);
    CHECK_EQ(sys2(SYS_msgget, key, 0), id);

    CHECK_ERRNO(send(id, 0, "x", 0), EINVAL);
    CHECK_ERRNO(send(id, -1, "x", 0), EINVAL);
    static struct {
        long type;
        char text[ABI_MSGMAX + 1];
    } big = {1, {0}};
    CHECK_ERRNO(sys4(SYS_msgsnd, id, (long)&big, ABI_MSGMAX + 1, 0), EINVAL);
    CHECK_ERRNO(sys4(SYS_msgsnd, id, UNMAPPED_ADDRESS, 1, 0), EFAULT);
    CHECK_ERRNO(send(id + 1, 1, "x", 0), EINVAL);
    CHECK_EQ(send(id, 3, "ccc", 0), 0);
    CHECK_EQ(send(id, 1, "a", 0), 0);
    CHECK_EQ(send(id, 2, "bb", 0), 0);
    CHECK_EQ(send(id, 1, "d", 0), 0);
    CHECK_EQ(send(id, 5, "", 0), 0); /* an empty message */
    struct abi_msqid64_ds ds;
    CHECK_EQ(sys3(SYS_msgctl, id, ABI_IPC_STAT, (long)&ds), 0);
    CHECK_EQ(ds.msg_qnum, 5);
    CHECK_EQ(ds.msg_cbytes, 7);
    CHECK_EQ(ds.msg_qbytes, ABI_MSGMNB);
    CHECK_EQ(ds.msg_lspid, pid_now());
    CHECK_EQ(ds.msg_lrpid, 0);
    CHECK_EQ(ds.msg_perm.mode, 0600);

    struct message m;
    CHECK_EQ(receive(id, &m, 64, 2, 0), 2); /* by type */
    CHECK_EQ(m.type, 2);
    CHECK(text_equal(m.text, "bb"));
    CHECK_EQ(receive(id, &m, 64, -2, 0), 1); /* the lowest type up to 2, first come */
    CHECK(text_equal(m.text, "a"));
    CHECK_EQ(receive(id, &m, 64, 1, ABI_MSG_EXCEPT), 3); /* the first not of type 1 */
    CHECK_EQ(m.type, 3);
    CHECK_ERRNO(receive(id, &m, 64, 4, ABI_IPC_NOWAIT), ENOMSG);
    CHECK_EQ(receive(id, &m, 64, 5, 0), 0);
    CHECK_ERRNO(receive(id, &m, -1, 0, 0), EINVAL);
    CHECK_EQ(send(id, 7, "truncate me", 0), 0);
    CHECK_ERRNO(receive(id, &m, 4, 7, 0), E2BIG); /* and it stays queued */
    CHECK_EQ(receive(id, &m, 4, 7, ABI_MSG_NOERROR), 4);
    CHECK(text_equal(m.text, "trun"));
    CHECK_EQ(receive(id, &m, 64, 0, 0), 1); /* first come: "d" */
    CHECK(text_equal(m.text, "d"));
    CHECK_ERRNO(receive(id, &m, 64, 0, ABI_IPC_NOWAIT), ENOMSG);
    CHECK_EQ(sys3(SYS_msgctl, id, ABI_IPC_STAT, (long)&ds), 0);
    CHECK_EQ(ds.msg_qnum, 0);
    CHECK_EQ(ds.msg_cbytes, 0);
    CHECK_EQ(ds.msg_lrpid, pid_now());
    CHECK_ERRNO(sys3(SYS_msgctl, id, 99, (long)&ds), EINVAL);
    struct abi_msginfo info;
    CHECK(sys3(SYS_msgctl, 0, ABI_IPC_INFO, (long)&info) >= 0);
    CHECK_EQ(info.msgmax, ABI_MSGMAX);

    /* A receiver waits for its message. */
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        struct message r;
        long n = receive(id, &r, 64, 9, 0);
        sys1(SYS_exit, n == 5 && text_equal(r.text, "hello") ? 0 : 1);
    }
    sleep_ms(20);
    CHECK_EQ(send(id, 8, "other", 0), 0);
    CHECK_EQ(send(id, 9, "hello", 0), 0);
    CHECK_EQ(wait_child(pid), 0);
    CHECK_EQ(receive(id, &m, 64, 8, 0), 5);

    /* msg_qbytes: a full queue is EAGAIN, or a wait for room. */
    CHECK_EQ(sys3(SYS_msgctl, id, ABI_IPC_STAT, (long)&ds), 0);
    ds.msg_qbytes = 10;
    CHECK_EQ(sys3(SYS_msgctl, id, ABI_IPC_SET, (long)&ds), 0);
    CHECK_EQ(send(id, 1, "12345678", 0), 0);
    CHECK_ERRNO(send(id, 1, "123", ABI_IPC_NOWAIT), EAGAIN);
    pid = sys0(SYS_fork);
    if (pid == 0) {
        sys1(SYS_exit, send(id, 1, "123", 0) == 0 ? 0 : 1);
    }
    sleep_ms(20);
    CHECK_EQ(receive(id, &m, 64, 0, 0), 8);
    CHECK_EQ(wait_child(pid), 0);
    CHECK_EQ(receive(id, &m, 64, 0, 0), 3);

    /* A signal ends a receiver's wait; removal ends one with EIDRM. */
    pid = sys0(SYS_fork);
    if (pid == 0) {
        struct action a = {(void*)on_usr1, SA_RESTORER | 0x10000000, (void*)restore_rt, 0};
        sys4(SYS_rt_sigaction, SIGUSR1, (long)&a, 0, 8);
        struct message r;
        long n = receive(id, &r, 64, 0, 0);
        sys1(SYS_exit, n == -EINTR && usr1_seen ? 0 : 1);
    }
    sleep_ms(20);
    CHECK_EQ(sys2(SYS_kill, pid, SIGUSR1), 0);
    CHECK_EQ(wait_child(pid), 0);
    pid = sys0(SYS_fork);
    if (pid == 0) {
        struct message r;
        sys1(SYS_exit, receive(id, &r, 64, 0, 0) == -EIDRM ? 0 : 1);
    }
    sleep_ms(20);
    CHECK_EQ(sys3(SYS_msgctl, id, ABI_IPC_RMID, 0), 0);
    CHECK_EQ(wait_child(pid), 0);
    CHECK_ERRNO(sys3(SYS_msgctl, id, ABI_IPC_STAT, (long)&ds), EINVAL);
    CHECK_ERRNO(sys2(SYS_msgget, key, 0), ENOENT);
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    char before[128];
    int counted = read_kite_stats(before, sizeof(before));
    shm_keys();
    shm_attach();
    semaphores();
    messages();
    if (counted) {
        check_kite_stats_unchanged(before);
    }
    return check_done("sysv_ipc");
}
