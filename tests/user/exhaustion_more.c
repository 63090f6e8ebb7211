/* exhaustion_more: more of what a process can run out of, each exhausted
 * from user space with its errno checked, a witness process answering
 * while it is full, then released; on Kite the kernel heap is back exactly
 * afterwards (and the harness's leak check after the run counts frames).
 *  - Descriptors (both): RLIMIT_NOFILE lowered to 64, opens then fail with
 *    EMFILE at exactly the limit, whatever kind of descriptor is asked for.
 *  - A pipe's buffer (both): non-blocking writes fill exactly 64 KiB, then
 *    EAGAIN; a read makes room.
 *  - A Unix stream socket's buffer (both): non-blocking writes until
 *    EAGAIN (the amount is the send buffer's, sk_wmem accounting); once
 *    the peer has read it all, writes go again.
 *  - File locks (both): 20 000 separate fcntl locks on one file (every
 *    other byte), seen by another process, all gone with one unlock.
 *  - Futex waiters (Kite only: on the build machine this would fill its
 *    task table): threads wait on one futex word until clone fails with
 *    EAGAIN at kernel.threads-max; one FUTEX_WAKE wakes every one.
 *  - The kernel heap, with a file in flight (Kite only: the build
 *    machine's memory is not to be filled): a datagram carries a pipe's
 *    only read end; datagrams on other socket pairs fill the heap until
 *    sends and new pairs fail with ENOMEM at every size; then the
 *    receiver holding the file is closed, the pipe has no reader, and
 *    everything is back. (It found a socketpair that failed half-way
 *    leaving its first socket behind. The close's queue is let go without
 *    allocating now; this fill does not reach the old allocation's
 *    failure, so that fix is not shown by it.) */
#include "exhaustion.h"
#include "thread_lib.h"

enum {
    O_RDONLY_ = 0,
    O_RDWR_ = 2,
    O_CREAT_ = 0100,
    O_NONBLOCK_ = 04000,
    F_SETLK_ = 6,
    F_GETLK_ = 5
};

struct rlimit {
    unsigned long soft, hard;
};

static void check_descriptors(void) {
    struct witness w = start_witness();
    struct rlimit old, small = {64, 0};
    CHECK_EQ(sys2(SYS_getrlimit, 7 /* RLIMIT_NOFILE */, (long)&old), 0);
    small.hard = old.hard;
    CHECK_EQ(sys2(SYS_setrlimit, 7, (long)&small), 0);
    long made = 0, error = 0;
    long fds[64];
    for (;;) {
        const long fd = sys2(SYS_open, (long)"/dev/null", O_RDONLY_);
        if (fd < 0) {
            error = fd;
            break;
        }
        fds[made++] = fd;
        if (made == 64) {
            break;
        }
    }
    CHECK_EQ(error, -EMFILE);
    CHECK(made > 0 && made < 64);
    CHECK_EQ(fds[made - 1], 63); /* every descriptor below the limit taken */
    int pair[2];
    CHECK_ERRNO(sys2(SYS_pipe2, (long)pair, 0), EMFILE);
    CHECK_ERRNO(sys2(SYS_eventfd2, 0, 0), EMFILE);
    CHECK_ERRNO(sys3(SYS_socket, 1 /* AF_UNIX */, 1, 0), EMFILE);
    CHECK_ERRNO(sys1(SYS_epoll_create1, 0), EMFILE);
    CHECK(witness_answers(&w, 1));
    for (long i = 0; i < made; ++i) {
        CHECK_EQ(sys1(SYS_close, fds[i]), 0);
    }
    CHECK_EQ(sys2(SYS_setrlimit, 7, (long)&old), 0);
    CHECK(witness_answers(&w, 2));
    stop_witness(&w);
    rt_print("exhaustion_more: ");
    rt_print_number(made);
    rt_print(" descriptors more under RLIMIT_NOFILE 64, then EMFILE\n");
}

/* Writes `chunk`-byte pieces until EAGAIN: how many bytes went. */
static long fill(long fd, long chunk) {
    static char bytes[4096];
    long total = 0;
    for (;;) {
        const long n = sys3(SYS_write, fd, (long)bytes, chunk);
        if (n < 0) {
            CHECK_EQ(n, -EAGAIN);
            return total;
        }
        total += n;
    }
}

static long drain(long fd) {
    static char bytes[4096];
    long total = 0, n;
    while ((n = sys3(SYS_read, fd, (long)bytes, sizeof(bytes))) > 0) {
        total += n;
    }
    CHECK_EQ(n, -EAGAIN);
    return total;
}

static void check_pipe_buffer(void) {
    struct witness w = start_witness();
    int pipe_fds[2];
    CHECK_EQ(sys2(SYS_pipe2, (long)pipe_fds, O_NONBLOCK_), 0);
    CHECK_EQ(fill(pipe_fds[1], 4096),
             64 * 1024); /* whole pages: Linux merges no atomic write across two */
    CHECK(witness_answers(&w, 3));
    CHECK_EQ(drain(pipe_fds[0]), 64 * 1024);
    CHECK_EQ(sys3(SYS_write, pipe_fds[1], (long)"x", 1), 1);
    sys1(SYS_close, pipe_fds[0]);
    sys1(SYS_close, pipe_fds[1]);

    int socket_fds[2];
    CHECK_EQ(sys4(SYS_socketpair, 1 /* AF_UNIX */, 1 | O_NONBLOCK_ /* SOCK_STREAM */, 0,
                  (long)socket_fds),
             0);
    const long sent = fill(socket_fds[0], 4096);
    CHECK(sent > 0);
    CHECK(witness_answers(&w, 4));
    CHECK_EQ(drain(socket_fds[1]), sent);
    CHECK_EQ(sys3(SYS_write, socket_fds[0], (long)"x", 1), 1);
    sys1(SYS_close, socket_fds[0]);
    sys1(SYS_close, socket_fds[1]);
    stop_witness(&w);
    rt_print("exhaustion_more: a pipe holds 65536 bytes, a Unix stream socket ");
    rt_print_number(sent);
    rt_print(", then EAGAIN\n");
}

struct flock {
    short type, whence;
    long start, len;
    int pid;
    int pad;
};

enum { LOCKS = 20000 };

static void check_file_locks(void) {
    const long fd = sys4(SYS_open, (long)"/tmp/exhaustion_locks", O_RDWR_ | O_CREAT_, 0600, 0);
    CHECK(fd >= 0);
    long made = 0;
    for (; made < LOCKS; ++made) {
        struct flock lock = {1 /* F_WRLCK */, 0, made * 2, 1, 0, 0};
        const long got = sys3(SYS_fcntl, fd, F_SETLK_, (long)&lock);
        if (got < 0) {
            CHECK_EQ(got, -ENOLCK);
            break;
        }
    }
    CHECK_EQ(made, LOCKS);
    /* Another process sees them: a lock on each, a gap between. */
    const long parent = sys0(SYS_getpid);
    const long child = sys0(SYS_fork);
    if (child == 0) {
        int good = 1;
        for (long at = 0; at < 2 * LOCKS; at += 997) {
            struct flock probe = {1, 0, at, 1, 0, 0};
            good &= sys3(SYS_fcntl, fd, F_GETLK_, (long)&probe) == 0;
            good &= at % 2 == 0 ? probe.type == 1 && probe.pid == parent && probe.start == at
                                : probe.type == 2 /* F_UNLCK */;
        }
        sys1(SYS_exit_group, good ? 0 : 1);
    }
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, child, (long)&status, 0, 0), child);
    CHECK_EQ(status, 0);
    struct flock all = {2 /* F_UNLCK */, 0, 0, 0, 0, 0};
    CHECK_EQ(sys3(SYS_fcntl, fd, F_SETLK_, (long)&all), 0);
    struct flock probe = {1, 0, 0, 0, 0, 0};
    CHECK_EQ(sys3(SYS_fcntl, fd, F_GETLK_, (long)&probe), 0);
    CHECK_EQ(probe.type, 2);
    sys1(SYS_close, fd);
    CHECK_EQ(sys1(SYS_unlink, (long)"/tmp/exhaustion_locks"), 0);
    rt_print("exhaustion_more: 20000 file locks on one file, gone with one unlock\n");
}

enum { WAITERS = 4096 };
static struct test_thread waiters[WAITERS];
static volatile int futex_word;

static int wait_on_word(void* unused) {
    (void)unused;
    while (atomic_load(&futex_word) == 0) {
        futex(&futex_word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, 0, 0, 0);
    }
    return 7;
}

static void check_futex_waiters(void) {
    const long max = read_number("/proc/sys/kernel/threads-max");
    CHECK(max > 20 && max < WAITERS);
    struct witness w = start_witness();
    long made = 0, error = 0;
    for (; made < WAITERS; ++made) {
        const long tid = thread_start(&waiters[made], wait_on_word, 0);
        if (tid < 0) {
            error = tid;
            break;
        }
    }
    CHECK_EQ(error, -EAGAIN);
    CHECK(made > max / 2 && made < max);
    wait_for_waiters(&futex_word, made);
    CHECK(witness_answers(&w, 5));
    atomic_add(&futex_word, 1);
    CHECK_EQ(futex(&futex_word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 0x7fffffff, 0, 0, 0), made);
    long joined = 0;
    for (long i = 0; i < made; ++i) {
        joined += thread_join(&waiters[i]) == 7;
    }
    CHECK_EQ(joined, made);
    CHECK(witness_answers(&w, 6));
    stop_witness(&w);
    rt_print("exhaustion_more: ");
    rt_print_number(made);
    rt_print(" futex waiters (threads-max ");
    rt_print_number(max);
    rt_print("), then EAGAIN; one wake for all\n");
}

enum { PAIRS = 480, AF_UNIX_ = 1, SOCK_DGRAM_ = 2, MSG_DONTWAIT_ = 0x40 };

struct iovec_ {
    void* base;
    unsigned long length;
};
struct msghdr_ {
    void* name;
    unsigned name_length;
    struct iovec_* iov;
    unsigned long iov_length;
    void* control;
    unsigned long control_length;
    int flags;
};

static long send_with_fd(long socket, int fd) {
    char byte = 'r';
    struct iovec_ iov = {&byte, 1};
    union {
        unsigned long align;
        char bytes[24];
    } control;
    const unsigned long length = 20; /* the header (16) and one descriptor */
    memcpy(control.bytes, &length, 8);
    const int level_type[2] = {1 /* SOL_SOCKET */, 1 /* SCM_RIGHTS */};
    memcpy(control.bytes + 8, level_type, 8);
    memcpy(control.bytes + 16, &fd, 4);
    struct msghdr_ msg = {0, 0, &iov, 1, &control, 24, 0};
    return sys3(SYS_sendmsg, socket, (long)&msg, 0);
}

static int pairs[PAIRS][2];
static char payload[64 * 1024];

/* RLIMIT_NOFILE's soft limit raised to the hard one; the old limit in
 * old, to be set back. */
static void raise_open_files(struct rlimit* old) {
    CHECK_EQ(sys2(SYS_getrlimit, 7 /* RLIMIT_NOFILE */, (long)old), 0);
    struct rlimit more = {old->hard, old->hard};
    CHECK_EQ(sys2(SYS_setrlimit, 7, (long)&more), 0);
}

static void check_rights_under_full_heap(void) {
    struct rlimit old;
    raise_open_files(&old);
    struct witness w = start_witness();
    int carrier[2], pipe_fds[2];
    CHECK_EQ(sys4(SYS_socketpair, AF_UNIX_, SOCK_DGRAM_, 0, (long)carrier), 0);
    CHECK_EQ(sys2(SYS_pipe2, (long)pipe_fds, 0), 0);
    CHECK_EQ(send_with_fd(carrier[0], pipe_fds[0]), 1);
    sys1(SYS_close, pipe_fds[0]); /* the message holds the only read end */
    /* Datagrams, the largest first and then ever smaller ones, each size
     * on fresh pairs (a pair takes only its send buffer's worth) until
     * the heap refuses it: a send or a new pair gets ENOMEM. */
    static const long sizes[] = {60000, 16000, 4000, 1000, 200, 1};
    long pair = 0, sent = 0, refused_sizes = 0;
    for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]) && pair < PAIRS; ++k) {
        for (int refused = 0; !refused && pair < PAIRS;) {
            const long made = sys4(SYS_socketpair, AF_UNIX_, SOCK_DGRAM_, 0, (long)pairs[pair]);
            if (made != 0) {
                CHECK_EQ(made, -ENOMEM);
                refused = 1;
                break;
            }
            ++pair;
            for (;;) {
                const long n = sys6(SYS_sendto, pairs[pair - 1][0], (long)payload, sizes[k],
                                    MSG_DONTWAIT_, 0, 0);
                refused = n == -ENOMEM;
                if (n < 0) { /* else EAGAIN: this pair is full */
                    break;
                }
                ++sent;
            }
        }
        refused_sizes += pair < PAIRS;
    }
    /* The heap was full at every size, down to a 1-byte datagram. */
    CHECK_EQ(refused_sizes, (long)(sizeof(sizes) / sizeof(sizes[0])));
    CHECK(witness_answers(&w, 7));
    sys1(SYS_close, carrier[1]); /* its queue, with the pipe's reader, goes */
    sys1(SYS_close, carrier[0]);
    const unsigned long pipe_bit = 1UL << (13 - 1); /* SIGPIPE: EPIPE instead */
    sys4(SYS_rt_sigprocmask, 0 /* SIG_BLOCK */, (long)&pipe_bit, 0, 8);
    CHECK_ERRNO(sys3(SYS_write, pipe_fds[1], (long)"x", 1), EPIPE);
    const long no_wait[2] = {0, 0};
    long info[16];
    CHECK_EQ(sys4(SYS_rt_sigtimedwait, (long)&pipe_bit, (long)info, (long)no_wait, 8), 13);
    sys4(SYS_rt_sigprocmask, 1 /* SIG_UNBLOCK */, (long)&pipe_bit, 0, 8);
    for (long i = 0; i < pair; ++i) {
        sys1(SYS_close, pairs[i][0]);
        sys1(SYS_close, pairs[i][1]);
    }
    sys1(SYS_close, pipe_fds[1]);
    CHECK(witness_answers(&w, 8));
    stop_witness(&w);
    CHECK_EQ(sys2(SYS_setrlimit, 7, (long)&old), 0);
    rt_print("exhaustion_more: ");
    rt_print_number(sent);
    rt_print(" datagrams on ");
    rt_print_number(pair);
    rt_print(" socket pairs filled the heap (ENOMEM at every size); a file in flight let go\n");
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    char before[256], after[256];
    if (on_kite()) {
        /* The descriptor table the full-heap case grows stays grown until
         * exit: grown first, it is in both figures. */
        struct rlimit old;
        raise_open_files(&old);
        CHECK_EQ(sys2(SYS_dup2, 0, 2 * PAIRS + 64), 2 * PAIRS + 64);
        sys1(SYS_close, 2 * PAIRS + 64);
        CHECK_EQ(sys2(SYS_setrlimit, 7, (long)&old), 0);
    }
    memory_line(before, sizeof(before));
    check_descriptors();
    check_pipe_buffer();
    check_file_locks();
    if (on_kite()) {
        check_futex_waiters();
        check_rights_under_full_heap();
    } else {
        rt_print("exhaustion_more: futex waiters and the full heap SKIPPED (Kite only)\n");
    }
    memory_line(after, sizeof(after));
    if (on_kite() && rt_strcmp(heap_figures(before), heap_figures(after)) != 0) {
        CHECK(!"the kernel heap is back where it was");
        rt_print(before);
        rt_print(after);
    }
    return check_done("exhaustion_more");
}
