/* unix_sockets: AF_UNIX sockets. 1 MiB over a stream between two
 * processes, a pipe end passed with SCM_RIGHTS and used by the receiver,
 * message boundaries of each type, path and abstract names and their
 * lengths, SO_PEERCRED and the other options, poll, and the errors Linux
 * gives for bad arguments. Leaves the kernel's memory as it found it. */
#include "check.h"

#define AF_UNIX 1
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_SEQPACKET 5
#define SOCK_NONBLOCK 04000
#define SOCK_CLOEXEC 02000000
#define MSG_PEEK 0x2
#define MSG_CTRUNC 0x8
#define MSG_TRUNC 0x20
#define MSG_DONTWAIT 0x40
#define MSG_WAITALL 0x100
#define MSG_NOSIGNAL 0x4000
#define SOL_SOCKET 1
#define SO_TYPE 3
#define SO_ERROR 4
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define SO_PASSCRED 16
#define SO_PEERCRED 17
#define SO_ACCEPTCONN 30
#define SO_DOMAIN 39
#define SO_REUSEADDR 2
#define SCM_RIGHTS 1
#define SCM_CREDENTIALS 2
#define F_GETFD 1
#define F_GETFL 3
#define O_NONBLOCK 04000
#define POLLIN 0x1
#define POLLOUT 0x4
#define POLLHUP 0x10
#define POLLRDHUP 0x2000
#define S_IFMT 0170000
#define S_IFSOCK 0140000

struct sockaddr_un {
    unsigned short family;
    char path[108];
};
struct iovec {
    void* base;
    unsigned long length;
};
struct msghdr {
    void* name;
    unsigned name_length;
    struct iovec* iov;
    unsigned long iov_length;
    void* control;
    unsigned long control_length;
    int flags;
};
struct cmsghdr {
    unsigned long length;
    int level;
    int type;
};
struct ucred {
    int pid;
    unsigned uid;
    unsigned gid;
};
struct pollfd {
    int fd;
    short events;
    short revents;
};

static int bytes_differ(const void* a, const void* b, unsigned long n) {
    for (unsigned long i = 0; i < n; ++i) {
        if (((const unsigned char*)a)[i] != ((const unsigned char*)b)[i]) {
            return 1;
        }
    }
    return 0;
}

static void copy_bytes(void* to, const void* from, unsigned long n) {
    for (unsigned long i = 0; i < n; ++i) {
        ((unsigned char*)to)[i] = ((const unsigned char*)from)[i];
    }
}

static long wait_child(long pid) {
    int status = -1;
    return sys4(SYS_wait4, pid, (long)&status, 0, 0) == pid ? status : -1;
}

static unsigned path_address(struct sockaddr_un* a, const char* path) {
    a->family = AF_UNIX;
    unsigned n = 0;
    for (; path[n]; ++n) {
        a->path[n] = path[n];
    }
    a->path[n] = 0;
    return 2 + n + 1;
}

static long close_fd(long fd) {
    return sys1(SYS_close, fd);
}

static long fstat_mode(long fd) {
    long st[18];
    if (sys2(SYS_fstat, fd, (long)st) != 0) {
        return -1;
    }
    return ((unsigned*)st)[6];
}

static void set_sigpipe(long handler) {
    long action[4] = {handler, 0, 0, 0};
    sys4(SYS_rt_sigaction, 13, (long)action, 0, 8);
}

/* 1 MiB from a child to its parent over a stream socket, every byte
 * checked, then end of file. */
static void megabyte(void) {
    int sv[2];
    CHECK_EQ(sys4(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, (long)sv), 0);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        close_fd(sv[0]);
        static unsigned char block[7000];
        for (long sent = 0; sent < (1 << 20);) {
            long n =
                (1 << 20) - sent < (long)sizeof(block) ? (1 << 20) - sent : (long)sizeof(block);
            for (long i = 0; i < n; ++i) {
                block[i] = (unsigned char)((sent + i) * 13 + 5);
            }
            long at = 0;
            while (at < n) {
                long w = sys3(SYS_write, sv[1], (long)block + at, n - at);
                if (w <= 0) {
                    sys1(SYS_exit, 1);
                }
                at += w;
            }
            sent += n;
        }
        sys1(SYS_exit, 0);
    }
    close_fd(sv[1]);
    static unsigned char buffer[5000];
    long total = 0, n;
    int intact = 1;
    while ((n = sys6(SYS_recvfrom, sv[0], (long)buffer, sizeof(buffer), 0, 0, 0)) > 0) {
        for (long i = 0; i < n; ++i) {
            intact = intact && buffer[i] == (unsigned char)((total + i) * 13 + 5);
        }
        total += n;
    }
    CHECK_EQ(n, 0);
    CHECK_EQ(total, 1 << 20);
    CHECK(intact);
    CHECK_EQ(wait_child(pid), 0);
    close_fd(sv[0]);
}

static long send_fd(long socket, int fd, const char* byte) {
    struct iovec iov = {(void*)byte, 1};
    union {
        struct cmsghdr header;
        char bytes[24];
    } control;
    control.header.length = 16 + 4;
    control.header.level = SOL_SOCKET;
    control.header.type = SCM_RIGHTS;
    copy_bytes(control.bytes + 16, &fd, 4);
    struct msghdr msg = {0, 0, &iov, 1, &control, 24, 0};
    return sys3(SYS_sendmsg, socket, (long)&msg, 0);
}

/* A pipe's write end passed to a child over a listener's connection; the
 * child writes through it and the parent reads that from the pipe. */
static void pass_descriptor(void) {
    static const char* path = "/tmp/unix_sockets_listener";
    sys1(SYS_unlink, (long)path);
    long listener = sys3(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
    CHECK(listener >= 0);
    struct sockaddr_un a;
    unsigned length = path_address(&a, path);
    CHECK_EQ(sys3(SYS_bind, listener, (long)&a, length), 0);
    CHECK_EQ(sys2(SYS_listen, listener, 4), 0);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        close_fd(listener);
        long c = sys3(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
        if (sys3(SYS_connect, c, (long)&a, length) != 0) {
            sys1(SYS_exit, 2);
        }
        char byte = 0;
        int got = -1;
        struct iovec iov = {&byte, 1};
        union {
            struct cmsghdr header;
            char bytes[24];
        } control;
        struct msghdr msg = {0, 0, &iov, 1, &control, 24, 0};
        if (sys3(SYS_recvmsg, c, (long)&msg, 0) != 1 || byte != 'F' || msg.control_length != 24 ||
            control.header.type != SCM_RIGHTS || msg.flags != 0) {
            sys1(SYS_exit, 3);
        }
        copy_bytes(&got, control.bytes + 16, 4);
        if (sys3(SYS_write, got, (long)"through", 7) != 7) {
            sys1(SYS_exit, 4);
        }
        sys1(SYS_exit, 0);
    }
    /* poll on the listener: readable once the child waits to be accepted. */
    struct pollfd p = {(int)listener, POLLIN, 0};
    CHECK_EQ(sys3(SYS_poll, (long)&p, 1, 5000), 1);
    CHECK_EQ(p.revents, POLLIN);
    struct sockaddr_un peer;
    int peer_length = sizeof(peer);
    long conn = sys4(SYS_accept4, listener, (long)&peer, (long)&peer_length, SOCK_CLOEXEC);
    CHECK(conn >= 0);
    CHECK_EQ(peer_length, 2); /* the client is unnamed */
    CHECK_EQ(sys2(SYS_fcntl, conn, F_GETFD), 1);
    /* the accepted socket shows the listener's name */
    struct sockaddr_un name;
    int name_length = sizeof(name);
    CHECK_EQ(sys3(SYS_getsockname, conn, (long)&name, (long)&name_length), 0);
    CHECK_EQ(name_length, (int)length);
    CHECK(text_equal(name.path, path));
    struct ucred cred;
    int cred_length = sizeof(cred);
    CHECK_EQ(
        sys6(SYS_getsockopt, conn, SOL_SOCKET, SO_PEERCRED, (long)&cred, (long)&cred_length, 0), 0);
    CHECK_EQ(cred_length, 12);
    CHECK_EQ(cred.pid, pid);
    int pipe_fds[2];
    CHECK_EQ(sys1(SYS_pipe, (long)pipe_fds), 0);
    CHECK_EQ(send_fd(conn, pipe_fds[1], "F"), 1);
    close_fd(pipe_fds[1]); /* the child's copy is the only writer now */
    char text[16];
    long n = sys3(SYS_read, pipe_fds[0], (long)text, sizeof(text));
    CHECK_EQ(n, 7);
    CHECK(n == 7 && bytes_differ(text, "through", 7) == 0);
    CHECK_EQ(wait_child(pid), 0);
    CHECK_EQ(sys3(SYS_read, pipe_fds[0], (long)text, sizeof(text)), 0);
    close_fd(pipe_fds[0]);
    close_fd(conn);
    close_fd(listener);
    /* the name stays until unlinked; connecting to it is refused */
    long c = sys3(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
    CHECK_ERRNO(sys3(SYS_connect, c, (long)&a, length), ECONNREFUSED);
    CHECK_EQ(sys1(SYS_unlink, (long)path), 0);
    CHECK_ERRNO(sys3(SYS_connect, c, (long)&a, length), ENOENT);
    close_fd(c);
}

/* Rights never received, a short control buffer, a socket sent over
 * itself: nothing is left behind (the leak check at the end). */
static void rights_edges(void) {
    int sv[2];
    CHECK_EQ(sys4(SYS_socketpair, AF_UNIX, SOCK_DGRAM, 0, (long)sv), 0);
    int pipe_fds[2];
    CHECK_EQ(sys1(SYS_pipe, (long)pipe_fds), 0);
    CHECK_EQ(send_fd(sv[0], pipe_fds[0], "a"), 1);
    /* no room for the descriptor: MSG_CTRUNC, and it is closed */
    char byte;
    struct iovec iov = {&byte, 1};
    char small[16];
    struct msghdr msg = {0, 0, &iov, 1, small, sizeof(small), 0};
    CHECK_EQ(sys3(SYS_recvmsg, sv[1], (long)&msg, 0), 1);
    CHECK_EQ(msg.flags, MSG_CTRUNC);
    CHECK_EQ(msg.control_length, 0);
    /* sent and never received */
    CHECK_EQ(send_fd(sv[0], pipe_fds[1], "b"), 1);
    /* bad descriptors in SCM_RIGHTS */
    CHECK_ERRNO(send_fd(sv[0], 999, "c"), EBADF);
    /* a socket sent over itself, then closed: a cycle */
    CHECK_EQ(send_fd(sv[1], sv[1], "d"), 1);
    close_fd(pipe_fds[0]);
    close_fd(pipe_fds[1]);
    close_fd(sv[0]);
    close_fd(sv[1]);
}

/* Sockets in flight inside sockets, 300 deep (Linux allows it): the last
 * close frees the whole chain without a kernel stack frame per level. And
 * accept blocked on a listener returns EINVAL once it is shut down. */
static void deep_rights_and_shutdown(void) {
    int outer[2];
    CHECK_EQ(sys4(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, (long)outer), 0);
    for (int level = 0; level < 300; ++level) {
        int next[2];
        CHECK_EQ(sys4(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, (long)next), 0);
        CHECK_EQ(send_fd(next[0], outer[0], "n"), 1);
        CHECK_EQ(send_fd(next[0], outer[1], "m"), 1);
        close_fd(outer[0]);
        close_fd(outer[1]);
        outer[0] = next[0];
        outer[1] = next[1];
    }
    close_fd(outer[0]);
    close_fd(outer[1]);

    long listener = sys3(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
    unsigned short family = AF_UNIX; /* bind of the family alone: autobind */
    CHECK_EQ(sys3(SYS_bind, listener, (long)&family, sizeof(family)), 0);
    CHECK_EQ(sys2(SYS_listen, listener, 1), 0);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        long pause[2] = {0, 30000000};
        sys2(SYS_nanosleep, (long)pause, 0);
        sys2(SYS_shutdown, listener, 2 /* SHUT_RDWR */);
        sys1(SYS_exit_group, 0);
    }
    CHECK_ERRNO(sys3(SYS_accept, listener, 0, 0), EINVAL);
    CHECK_EQ(wait_child(pid), 0);
    close_fd(listener);
}

/* Kite's heap object count, from /proc/kite/memory; -1 elsewhere. */
static long heap_objects(void) {
    char text[128];
    if (!read_kite_stats(text, sizeof(text))) {
        return -1;
    }
    const char* at = text;
    while (*at && !(at[0] == 'h' && at[1] == 'e' && at[5] == 'o')) { /* "heap_objects" */
        ++at;
    }
    while (*at && (*at < '0' || *at > '9')) {
        ++at;
    }
    long value = 0;
    while (*at >= '0' && *at <= '9') {
        value = value * 10 + (*at++ - '0');
    }
    return value;
}

/* Pairs that hold only each other in flight, their descriptors closed:
 * nothing is destroyed by the closes, yet the kernel must collect them as
 * it goes (Linux runs its collector past 16000 files in flight) rather
 * than keep every one until some socket happens to close. */
static void in_flight_cycles(void) {
    long before = heap_objects();
    for (int round = 0; round < 4000; ++round) {
        int sv[2];
        CHECK_EQ(sys4(SYS_socketpair, AF_UNIX, SOCK_DGRAM, 0, (long)sv), 0);
        CHECK_EQ(send_fd(sv[0], sv[0], "a"), 1);
        CHECK_EQ(send_fd(sv[0], sv[1], "b"), 1);
        close_fd(sv[0]);
        close_fd(sv[1]);
    }
    if (before >= 0) {
        /* Each cycle is a dozen heap objects: 4000 uncollected would be
         * about 50 000; collected every 1024 sends, a few thousand at most. */
        long grown = heap_objects() - before;
        CHECK(grown < 15000);
        if (grown >= 15000) {
            rt_print_number(grown);
            rt_print(" heap objects left by in-flight cycles\n");
        }
    }
    /* Any socket closing collects the rest (the leak check at the end). */
    int sv[2];
    CHECK_EQ(sys4(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, (long)sv), 0);
    close_fd(sv[0]);
    close_fd(sv[1]);
}

/* Message boundaries: a stream runs writes together, datagrams and
 * seqpackets keep them (MSG_TRUNC cuts and reports). */
static void boundaries(void) {
    char buffer[16];
    int sv[2];
    CHECK_EQ(sys4(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, (long)sv), 0);
    /* A stream write of nothing sends nothing: the peer has nothing to read. */
    CHECK_EQ(sys3(SYS_write, sv[0], (long)"", 0), 0);
    struct pollfd empty = {sv[1], POLLIN, 0};
    CHECK_EQ(sys3(SYS_poll, (long)&empty, 1, 0), 0);
    CHECK_EQ(sys3(SYS_write, sv[0], (long)"abc", 3), 3);
    CHECK_EQ(sys3(SYS_write, sv[0], (long)"def", 3), 3);
    CHECK_EQ(sys6(SYS_recvfrom, sv[1], (long)buffer, 4, MSG_PEEK, 0, 0), 4);
    CHECK_EQ(sys6(SYS_recvfrom, sv[1], (long)buffer, 16, 0, 0, 0), 6);
    CHECK(bytes_differ(buffer, "abcdef", 6) == 0);
    CHECK_ERRNO(sys6(SYS_recvfrom, sv[1], (long)buffer, 16, MSG_DONTWAIT, 0, 0), EAGAIN);
    CHECK_EQ(sys2(SYS_shutdown, sv[0], 1), 0); /* SHUT_WR: the peer reads end of file */
    CHECK_EQ(sys3(SYS_read, sv[1], (long)buffer, 16), 0);
    struct sockaddr_un nobody;
    int nobody_length = sizeof(nobody);
    CHECK_EQ(sys6(SYS_recvfrom, sv[1], (long)buffer, 16, 0, (long)&nobody, (long)&nobody_length),
             0);
    CHECK_EQ(nobody_length, 0); /* end of file: no sender */
    struct pollfd p = {sv[1], POLLIN | POLLOUT | POLLRDHUP, 0};
    CHECK_EQ(sys3(SYS_poll, (long)&p, 1, 0), 1);
    CHECK_EQ(p.revents, POLLIN | POLLOUT | POLLRDHUP);
    CHECK_EQ(fstat_mode(sv[0]) & S_IFMT, S_IFSOCK);
    close_fd(sv[0]);
    close_fd(sv[1]);

    for (int type = SOCK_DGRAM; type <= SOCK_SEQPACKET; type += 3) {
        CHECK_EQ(sys4(SYS_socketpair, AF_UNIX, type, 0, (long)sv), 0);
        CHECK_EQ(sys3(SYS_write, sv[0], (long)"abc", 3), 3);
        CHECK_EQ(sys3(SYS_write, sv[0], (long)"defgh", 5), 5);
        CHECK_EQ(sys3(SYS_write, sv[0], (long)"", 0), 0);
        CHECK_EQ(sys6(SYS_recvfrom, sv[1], (long)buffer, 16, 0, 0, 0), 3);
        char two[2];
        struct iovec iov = {two, 2};
        struct msghdr msg = {0, 0, &iov, 1, 0, 0, 0};
        CHECK_EQ(sys3(SYS_recvmsg, sv[1], (long)&msg, MSG_TRUNC), 5); /* the whole length */
        CHECK_EQ(msg.flags, MSG_TRUNC);
        CHECK_EQ(sys6(SYS_recvfrom, sv[1], (long)buffer, 16, 0, 0, 0), 0); /* the empty one */
        CHECK_ERRNO(sys6(SYS_recvfrom, sv[1], (long)buffer, 16, MSG_DONTWAIT, 0, 0), EAGAIN);
        close_fd(sv[0]);
        if (type == SOCK_SEQPACKET) {
            CHECK_EQ(sys3(SYS_read, sv[1], (long)buffer, 16), 0);
        }
        close_fd(sv[1]);
    }
}

/* EPIPE and SIGPIPE once the peer is gone; ECONNRESET when it left
 * unread data behind. */
static void broken_connections(void) {
    int sv[2];
    char buffer[8];
    CHECK_EQ(sys4(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, (long)sv), 0);
    close_fd(sv[1]);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        sys3(SYS_write, sv[0], (long)"x", 1); /* default SIGPIPE: killed */
        sys1(SYS_exit, 0);
    }
    CHECK_EQ(wait_child(pid) & 0x7f, 13);
    /* MSG_NOSIGNAL: EPIPE, no signal (this process would die) */
    CHECK_ERRNO(sys6(SYS_sendto, sv[0], (long)"x", 1, MSG_NOSIGNAL, 0, 0), EPIPE);
    set_sigpipe(1);
    CHECK_ERRNO(sys3(SYS_write, sv[0], (long)"x", 1), EPIPE);
    set_sigpipe(0);
    close_fd(sv[0]);

    CHECK_EQ(sys4(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, (long)sv), 0);
    CHECK_EQ(sys3(SYS_write, sv[1], (long)"abc", 3), 3);
    close_fd(sv[0]); /* with "abc" unread */
    CHECK_ERRNO(sys3(SYS_read, sv[1], (long)buffer, 8), ECONNRESET);
    CHECK_EQ(sys3(SYS_read, sv[1], (long)buffer, 8), 0);
    close_fd(sv[1]);

    CHECK_EQ(sys4(SYS_socketpair, AF_UNIX, SOCK_DGRAM, 0, (long)sv), 0);
    close_fd(sv[1]);
    CHECK_ERRNO(sys3(SYS_write, sv[0], (long)"x", 1), ECONNREFUSED);
    CHECK_ERRNO(sys3(SYS_write, sv[0], (long)"x", 1), ENOTCONN);
    close_fd(sv[0]);

    CHECK_EQ(sys4(SYS_socketpair, AF_UNIX, SOCK_SEQPACKET, 0, (long)sv), 0);
    close_fd(sv[1]);
    CHECK_ERRNO(sys6(SYS_sendto, sv[0], (long)"x", 1, MSG_NOSIGNAL, 0, 0), EPIPE);
    close_fd(sv[0]);
}

/* Names: path names (S_IFSOCK, 0777 less the umask, EADDRINUSE), abstract
 * names, autobind, and the lengths getsockname and getpeername give. */
static void names(void) {
    static const char* path = "/tmp/unix_sockets_dgram";
    sys1(SYS_unlink, (long)path);
    struct sockaddr_un a, b;
    int length;
    long s = sys3(SYS_socket, AF_UNIX, SOCK_DGRAM, 0);
    length = sizeof(b);
    CHECK_EQ(sys3(SYS_getsockname, s, (long)&b, (long)&length), 0);
    CHECK_EQ(length, 2);
    const long old_umask = sys1(SYS_umask, 022);
    unsigned alen = path_address(&a, path);
    CHECK_EQ(sys3(SYS_bind, s, (long)&a, sizeof(a)), 0); /* the full size: cut at the NUL */
    sys1(SYS_umask, old_umask);
    long st[18];
    CHECK_EQ(sys2(SYS_stat, (long)path, (long)st), 0);
    CHECK_EQ(((unsigned*)st)[6], S_IFSOCK | 0755);
    CHECK_ERRNO(sys3(SYS_open, (long)path, 2, 0), ENXIO);
    length = sizeof(b);
    CHECK_EQ(sys3(SYS_getsockname, s, (long)&b, (long)&length), 0);
    CHECK_EQ(length, (int)alen);
    length = 4; /* short: cut, the full length told */
    CHECK_EQ(sys3(SYS_getsockname, s, (long)&b, (long)&length), 0);
    CHECK_EQ(length, (int)alen);
    long t = sys3(SYS_socket, AF_UNIX, SOCK_DGRAM, 0);
    CHECK_ERRNO(sys3(SYS_bind, t, (long)&a, alen), EADDRINUSE);
    CHECK_ERRNO(sys3(SYS_bind, s, (long)&a, alen), EADDRINUSE);
    /* datagrams to the path name, with the sender's name */
    CHECK_EQ(sys6(SYS_sendto, t, (long)"hi", 2, 0, (long)&a, alen), 2);
    char buffer[8];
    length = sizeof(b);
    CHECK_EQ(sys6(SYS_recvfrom, s, (long)buffer, 8, 0, (long)&b, (long)&length), 2);
    CHECK_EQ(length, 0); /* t has no name */
    /* autobind: bind with only the family gives an abstract name of 5 hex digits */
    CHECK_EQ(sys3(SYS_bind, t, (long)&a, 2), 0);
    length = sizeof(b);
    CHECK_EQ(sys3(SYS_getsockname, t, (long)&b, (long)&length), 0);
    CHECK_EQ(length, 8);
    CHECK_EQ(b.path[0], 0);
    CHECK_EQ(sys6(SYS_sendto, t, (long)"yo", 2, 0, (long)&a, alen), 2);
    struct sockaddr_un from;
    length = sizeof(from);
    CHECK_EQ(sys6(SYS_recvfrom, s, (long)buffer, 8, 0, (long)&from, (long)&length), 2);
    CHECK_EQ(length, 8);
    CHECK(bytes_differ(&from, &b, 8) == 0);
    /* connected: getpeername */
    CHECK_EQ(sys3(SYS_connect, t, (long)&a, alen), 0);
    length = sizeof(b);
    CHECK_EQ(sys3(SYS_getpeername, t, (long)&b, (long)&length), 0);
    CHECK_EQ(length, (int)alen);
    close_fd(t);
    close_fd(s);
    CHECK_EQ(sys1(SYS_unlink, (long)path), 0);

    /* abstract names: the given bytes exactly, NULs and all */
    struct sockaddr_un abs = {AF_UNIX, {0, 'k', 'i', 0, 't', 'e'}};
    long listener = sys3(SYS_socket, AF_UNIX, SOCK_SEQPACKET, 0);
    CHECK_EQ(sys3(SYS_bind, listener, (long)&abs, 8), 0);
    long other = sys3(SYS_socket, AF_UNIX, SOCK_SEQPACKET, 0);
    CHECK_ERRNO(sys3(SYS_bind, other, (long)&abs, 8), EADDRINUSE);
    CHECK_EQ(sys3(SYS_bind, other, (long)&abs, 7), 0); /* another name */
    length = sizeof(b);
    CHECK_EQ(sys3(SYS_getsockname, other, (long)&b, (long)&length), 0);
    CHECK_EQ(length, 7);
    CHECK_EQ(sys2(SYS_listen, listener, 1), 0);
    long c = sys3(SYS_socket, AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0);
    CHECK_EQ(sys2(SYS_fcntl, c, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
    CHECK_ERRNO(sys3(SYS_connect, c, (long)&abs, 7), ECONNREFUSED); /* bound, not listening */
    CHECK_EQ(sys3(SYS_connect, c, (long)&abs, 8), 0);
    CHECK_ERRNO(sys3(SYS_connect, c, (long)&abs, 8), EISCONN);
    length = sizeof(b);
    CHECK_EQ(sys3(SYS_getpeername, c, (long)&b, (long)&length), 0);
    CHECK_EQ(length, 8);
    int value = 0, value_length = 4;
    CHECK_EQ(sys6(SYS_getsockopt, listener, SOL_SOCKET, SO_ACCEPTCONN, (long)&value,
                  (long)&value_length, 0),
             0);
    CHECK_EQ(value, 1);
    long conn = sys3(SYS_accept, listener, 0, 0);
    CHECK(conn >= 0);
    close_fd(conn);
    /* no descriptor free: EMFILE before the wait, the client still waiting */
    long c2 = sys3(SYS_socket, AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0);
    CHECK_EQ(sys3(SYS_connect, c2, (long)&abs, 8), 0);
    unsigned long old_limit[2];
    CHECK_EQ(sys4(SYS_prlimit64, 0, 7 /* RLIMIT_NOFILE */, 0, (long)old_limit), 0);
    unsigned long low[2] = {3, old_limit[1]}; /* the soft limit only: it can go back */
    CHECK_EQ(sys4(SYS_prlimit64, 0, 7, (long)low, 0), 0);
    CHECK_ERRNO(sys3(SYS_accept, listener, 0, 0), EMFILE);
    CHECK_EQ(sys4(SYS_prlimit64, 0, 7, (long)old_limit, 0), 0);
    conn = sys3(SYS_accept, listener, 0, 0);
    CHECK(conn >= 0);
    close_fd(conn);
    close_fd(c2);
    close_fd(c);
    close_fd(other);
    close_fd(listener);
}

/* Options: the ones AF_UNIX has, and Linux's answers for the rest. */
static void options(void) {
    long s = sys3(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
    int value, length = 4;
    CHECK_EQ(sys6(SYS_getsockopt, s, SOL_SOCKET, SO_TYPE, (long)&value, (long)&length, 0), 0);
    CHECK_EQ(value, SOCK_STREAM);
    CHECK_EQ(length, 4);
    CHECK_EQ(sys6(SYS_getsockopt, s, SOL_SOCKET, SO_DOMAIN, (long)&value, (long)&length, 0), 0);
    CHECK_EQ(value, AF_UNIX);
    CHECK_EQ(sys6(SYS_getsockopt, s, SOL_SOCKET, SO_ERROR, (long)&value, (long)&length, 0), 0);
    CHECK_EQ(value, 0);
    CHECK_EQ(sys6(SYS_getsockopt, s, SOL_SOCKET, SO_ACCEPTCONN, (long)&value, (long)&length, 0), 0);
    CHECK_EQ(value, 0);
    value = 10000;
    CHECK_EQ(sys6(SYS_setsockopt, s, SOL_SOCKET, SO_SNDBUF, (long)&value, 4, 0), 0);
    CHECK_EQ(sys6(SYS_getsockopt, s, SOL_SOCKET, SO_SNDBUF, (long)&value, (long)&length, 0), 0);
    CHECK_EQ(value, 20000); /* doubled */
    value = 1;
    CHECK_EQ(sys6(SYS_setsockopt, s, SOL_SOCKET, SO_RCVBUF, (long)&value, 4, 0), 0);
    CHECK_EQ(sys6(SYS_getsockopt, s, SOL_SOCKET, SO_RCVBUF, (long)&value, (long)&length, 0), 0);
    CHECK_EQ(value, 2304); /* the minimum */
    value = 1;
    CHECK_EQ(sys6(SYS_setsockopt, s, SOL_SOCKET, SO_REUSEADDR, (long)&value, 4, 0), 0);
    CHECK_EQ(sys6(SYS_getsockopt, s, SOL_SOCKET, SO_REUSEADDR, (long)&value, (long)&length, 0), 0);
    CHECK_EQ(value, 1);
    CHECK_ERRNO(sys6(SYS_setsockopt, s, SOL_SOCKET, SO_SNDBUF, (long)&value, 3, 0), EINVAL);
    CHECK_ERRNO(sys6(SYS_setsockopt, s, SOL_SOCKET, 9999, (long)&value, 4, 0), ENOPROTOOPT);
    CHECK_ERRNO(sys6(SYS_getsockopt, s, SOL_SOCKET, 9999, (long)&value, (long)&length, 0),
                ENOPROTOOPT);
    CHECK_ERRNO(sys6(SYS_getsockopt, s, 6, 1, (long)&value, (long)&length, 0), EOPNOTSUPP);
    length = 2; /* short: cut */
    CHECK_EQ(sys6(SYS_getsockopt, s, SOL_SOCKET, SO_TYPE, (long)&value, (long)&length, 0), 0);
    CHECK_EQ(length, 2);
    length = -1;
    CHECK_ERRNO(sys6(SYS_getsockopt, s, SOL_SOCKET, SO_TYPE, (long)&value, (long)&length, 0),
                EINVAL);
    CHECK_ERRNO(sys6(SYS_getsockopt, s, SOL_SOCKET, SO_TYPE, (long)&value, UNMAPPED_ADDRESS, 0),
                EFAULT);
    struct ucred cred;
    length = sizeof(cred);
    CHECK_EQ(sys6(SYS_getsockopt, s, SOL_SOCKET, SO_PEERCRED, (long)&cred, (long)&length, 0), 0);
    CHECK_EQ(cred.pid, 0); /* unconnected: no peer */
    CHECK_EQ(cred.uid, 0xffffffffu);
    close_fd(s);

    /* SO_PASSCRED: SCM_CREDENTIALS with each message */
    int sv[2];
    CHECK_EQ(sys4(SYS_socketpair, AF_UNIX, SOCK_DGRAM, 0, (long)sv), 0);
    value = 1;
    CHECK_EQ(sys6(SYS_setsockopt, sv[1], SOL_SOCKET, SO_PASSCRED, (long)&value, 4, 0), 0);
    CHECK_EQ(sys3(SYS_write, sv[0], (long)"c", 1), 1);
    char byte;
    struct iovec iov = {&byte, 1};
    union {
        struct cmsghdr header;
        char bytes[64];
    } control;
    struct msghdr msg = {0, 0, &iov, 1, &control, sizeof(control), 0};
    CHECK_EQ(sys3(SYS_recvmsg, sv[1], (long)&msg, 0), 1);
    CHECK_EQ(msg.control_length, 32); /* CMSG_SPACE(12) */
    CHECK_EQ(control.header.level, SOL_SOCKET);
    CHECK_EQ(control.header.type, SCM_CREDENTIALS);
    CHECK_EQ(control.header.length, 28);
    copy_bytes(&cred, control.bytes + 16, sizeof(cred));
    CHECK_EQ(cred.pid, sys0(SYS_getpid));
    CHECK_EQ(cred.uid, sys0(SYS_getuid));
    close_fd(sv[0]);
    close_fd(sv[1]);
}

/* epoll, edge-triggered: each new write to a socket is an event. */
static void epoll_edges(void) {
    int sv[2];
    CHECK_EQ(sys4(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, (long)sv), 0);
    long ep = sys1(SYS_epoll_create1, 0);
    CHECK(ep >= 0);
    struct {
        unsigned events;
        unsigned long data;
    } __attribute__((packed)) event = {POLLIN | (1u << 31) /* EPOLLET */, 7}, out[2];
    CHECK_EQ(sys4(SYS_epoll_ctl, ep, 1 /* EPOLL_CTL_ADD */, sv[1], (long)&event), 0);
    CHECK_EQ(sys4(SYS_epoll_wait, ep, (long)out, 2, 0), 0);
    CHECK_EQ(sys3(SYS_write, sv[0], (long)"a", 1), 1);
    CHECK_EQ(sys4(SYS_epoll_wait, ep, (long)out, 2, 0), 1);
    CHECK_EQ(out[0].events, POLLIN);
    CHECK_EQ(out[0].data, 7);
    CHECK_EQ(sys4(SYS_epoll_wait, ep, (long)out, 2, 0), 0); /* reported once */
    CHECK_EQ(sys3(SYS_write, sv[0], (long)"b", 1), 1);
    CHECK_EQ(sys4(SYS_epoll_wait, ep, (long)out, 2, 0), 1); /* a new write: again */
    close_fd(ep);
    close_fd(sv[0]);
    close_fd(sv[1]);
}

/* Bad arguments: Linux's errno for each. */
static void bad_arguments(void) {
    int sv[2];
    CHECK_ERRNO(sys3(SYS_socket, 99, SOCK_STREAM, 0), EAFNOSUPPORT);
    CHECK_ERRNO(sys3(SYS_socket, -1, SOCK_STREAM, 0), EAFNOSUPPORT);
    if (on_kite()) { /* Kite has no network; Linux makes these */
        CHECK_ERRNO(sys3(SYS_socket, 2 /* AF_INET */, SOCK_STREAM, 0), EAFNOSUPPORT);
        CHECK_ERRNO(sys3(SYS_socket, 10 /* AF_INET6 */, SOCK_STREAM, 0), EAFNOSUPPORT);
    }
    CHECK_ERRNO(sys3(SYS_socket, AF_UNIX, 7, 0), ESOCKTNOSUPPORT);
    CHECK_ERRNO(sys3(SYS_socket, AF_UNIX, 10, 0), ESOCKTNOSUPPORT);
    CHECK_ERRNO(sys3(SYS_socket, AF_UNIX, 11, 0), EINVAL);
    CHECK_ERRNO(sys3(SYS_socket, AF_UNIX, SOCK_STREAM | 0x100, 0), EINVAL);
    CHECK_ERRNO(sys3(SYS_socket, AF_UNIX, SOCK_STREAM, 2), EPROTONOSUPPORT);
    CHECK_ERRNO(sys3(SYS_socket, AF_UNIX, SOCK_STREAM, -1), EPROTONOSUPPORT);
    CHECK_ERRNO(sys4(SYS_socketpair, AF_UNIX, 9, 0, (long)sv), ESOCKTNOSUPPORT);
    CHECK_ERRNO(sys4(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, UNMAPPED_ADDRESS), EFAULT);

    int pipe_fds[2];
    CHECK_EQ(sys1(SYS_pipe, (long)pipe_fds), 0);
    struct sockaddr_un a;
    unsigned alen = path_address(&a, "/tmp/unix_sockets_nothing");
    CHECK_ERRNO(sys6(SYS_sendto, pipe_fds[0], (long)"x", 1, 0, 0, 0), ENOTSOCK);
    CHECK_ERRNO(sys3(SYS_bind, pipe_fds[0], (long)&a, alen), ENOTSOCK);
    CHECK_ERRNO(sys2(SYS_listen, pipe_fds[0], 1), ENOTSOCK);
    CHECK_ERRNO(sys3(SYS_accept, pipe_fds[0], 0, 0), ENOTSOCK);
    CHECK_ERRNO(sys2(SYS_shutdown, pipe_fds[0], 0), ENOTSOCK);
    CHECK_ERRNO(sys6(SYS_sendto, 999, (long)"x", 1, 0, 0, 0), EBADF);
    CHECK_ERRNO(sys3(SYS_connect, -1, (long)&a, alen), EBADF);
    close_fd(pipe_fds[0]);
    close_fd(pipe_fds[1]);

    long s = sys3(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
    char buffer[8];
    CHECK_ERRNO(sys3(SYS_read, s, (long)buffer, 8), EINVAL); /* not connected */
    CHECK_ERRNO(sys3(SYS_write, s, (long)"x", 1), ENOTCONN);
    CHECK_ERRNO(sys2(SYS_listen, s, 1), EINVAL); /* unbound */
    CHECK_ERRNO(sys3(SYS_accept, s, 0, 0), EINVAL);
    CHECK_ERRNO(sys2(SYS_shutdown, s, 5), EINVAL);
    int length = sizeof(a);
    CHECK_ERRNO(sys3(SYS_getpeername, s, (long)&a, (long)&length), ENOTCONN);
    CHECK_ERRNO(sys3(SYS_bind, s, (long)&a, 1), EINVAL);
    CHECK_ERRNO(sys3(SYS_bind, s, (long)&a, 111), EINVAL);
    CHECK_ERRNO(sys3(SYS_bind, s, (long)&a, 200), EINVAL);
    CHECK_ERRNO(sys3(SYS_bind, s, UNMAPPED_ADDRESS, alen), EFAULT);
    CHECK_ERRNO(sys3(SYS_connect, s, UNMAPPED_ADDRESS, alen), EFAULT);
    CHECK_ERRNO(sys3(SYS_connect, s, (long)&a, alen), ENOENT);
    CHECK_ERRNO(sys3(SYS_connect, s, (long)&a, 1), EINVAL);
    struct sockaddr_un regular;
    unsigned rlen = path_address(&regular, "/tmp/unix_sockets_regular");
    long f = sys3(SYS_open, (long)regular.path, 0101 /* O_CREAT|O_WRONLY */, 0600);
    CHECK(f >= 0);
    close_fd(f);
    CHECK_ERRNO(sys3(SYS_connect, s, (long)&regular, rlen), ECONNREFUSED);
    CHECK_ERRNO(sys3(SYS_bind, s, (long)&regular, rlen), EADDRINUSE);
    sys1(SYS_unlink, (long)regular.path);
    a.family = 2;
    CHECK_ERRNO(sys3(SYS_bind, s, (long)&a, alen), EINVAL);
    a.family = AF_UNIX;
    unsigned nlen = path_address(&a, "/nonexistent_dir/x");
    CHECK_ERRNO(sys3(SYS_bind, s, (long)&a, nlen), ENOENT);
    length = sizeof(a);
    CHECK_ERRNO(sys3(SYS_getsockname, s, UNMAPPED_ADDRESS, (long)&length), EFAULT);
    CHECK_ERRNO(sys3(SYS_getsockname, s, (long)&a, UNMAPPED_ADDRESS), EFAULT);
    length = -1;
    CHECK_ERRNO(sys3(SYS_getsockname, s, (long)&a, (long)&length), EINVAL);

    /* connected stream: EISCONN for an address, EFAULT for bad bytes */
    CHECK_EQ(sys4(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, (long)sv), 0);
    CHECK_ERRNO(sys6(SYS_sendto, sv[0], (long)"x", 1, 0, (long)&a, nlen), EISCONN);
    CHECK_ERRNO(sys6(SYS_sendto, s, (long)"x", 1, 0, (long)&a, nlen), EOPNOTSUPP);
    CHECK_ERRNO(sys6(SYS_sendto, sv[0], UNMAPPED_ADDRESS, 10, 0, 0, 0), EFAULT);
    CHECK_ERRNO(sys4(SYS_accept4, s, 0, 0, 0x1), EINVAL);
    /* msghdr: bad iovec counts, control lengths */
    char byte = 'x';
    struct iovec iov = {&byte, 1};
    struct msghdr msg = {0, 0, &iov, 1025, 0, 0, 0};
    CHECK_ERRNO(sys3(SYS_sendmsg, sv[0], (long)&msg, 0), EMSGSIZE);
    CHECK_ERRNO(sys3(SYS_sendmsg, sv[0], UNMAPPED_ADDRESS, 0), EFAULT);
    struct iovec negative = {&byte, (unsigned long)-1};
    msg.iov = &negative;
    msg.iov_length = 1;
    CHECK_ERRNO(sys3(SYS_sendmsg, sv[0], (long)&msg, 0), EINVAL);
    msg.iov = &iov;
    struct cmsghdr bad = {100, SOL_SOCKET, SCM_RIGHTS};
    msg.control = &bad;
    msg.control_length = sizeof(bad);
    CHECK_ERRNO(sys3(SYS_sendmsg, sv[0], (long)&msg, 0), EINVAL);
    msg.control_length = 0x80000000ul;
    CHECK_ERRNO(sys3(SYS_sendmsg, sv[0], (long)&msg, 0), ENOBUFS);
    msg.control = (void*)UNMAPPED_ADDRESS;
    msg.control_length = 64;
    CHECK_ERRNO(sys3(SYS_sendmsg, sv[0], (long)&msg, 0), EFAULT);
    msg.control = 0;
    msg.control_length = 0;
    msg.name_length = 0xffffffffu; /* no msg_name: its length does not matter */
    CHECK_EQ(sys3(SYS_sendmsg, sv[0], (long)&msg, 0), 1);
    CHECK_EQ(sys6(SYS_recvfrom, sv[1], UNMAPPED_ADDRESS, 1, MSG_PEEK, 0, 0), -EFAULT);
    CHECK_EQ(sys6(SYS_recvfrom, sv[1], (long)buffer, 8, MSG_WAITALL | MSG_DONTWAIT, 0, 0), 1);
    close_fd(sv[0]);
    close_fd(sv[1]);
    close_fd(s);
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    /* The first run faults in this program's own buffers (bss, stack):
     * frames that are the process's, not a leak; the figures are taken
     * after it, and the run repeated. */
    megabyte();
    char before[128];
    int have_stats = read_kite_stats(before, sizeof(before));
    megabyte();
    pass_descriptor();
    rights_edges();
    deep_rights_and_shutdown();
    in_flight_cycles();
    boundaries();
    broken_connections();
    names();
    options();
    epoll_edges();
    bad_arguments();
    if (have_stats) {
        check_kite_stats_unchanged(before);
    }
    return check_done("unix_sockets");
}
