/* ioctls: the requests programs make, on a pipe, /dev/null, a regular file
 * and a directory (FIONREAD, FIONBIO, FIOCLEX, FIONCLEX, ENOTTY for terminal
 * requests, EBADF and EFAULT), then on the terminal when standard input is
 * one (on Kite it is the console): the window size and SIGWINCH, TIOCGSID,
 * TIOCGPGRP, and the controlling terminal rules of TIOCSCTTY and TIOCNOTTY
 * across setsid. */
#include "check.h"
#include "signal_action.h"

#define O_RDONLY 0
#define O_RDWR 2
#define O_CREAT 0100
#define O_TRUNC 01000
#define O_NONBLOCK 04000
#define O_DIRECTORY 0200000
#define F_GETFD 1
#define F_GETFL 3
#define TCGETS 0x5401
#define TIOCSCTTY 0x540E
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD 0x541B
#define FIONBIO 0x5421
#define TIOCNOTTY 0x5422
#define TIOCGSID 0x5429
#define FIONCLEX 0x5450
#define FIOCLEX 0x5451
#define SIGHUP 1
#define SIGWINCH 28

struct winsize {
    unsigned short rows, columns, x_pixels, y_pixels;
};

static long wait_child(long pid) {
    int status = -1;
    return sys4(SYS_wait4, pid, (long)&status, 0, 0) == pid ? status : -1;
}

/* What every descriptor takes, whatever it is. */
static void common(long fd) {
    CHECK_EQ(sys3(SYS_ioctl, fd, FIOCLEX, 0), 0);
    CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFD), 1);
    CHECK_EQ(sys3(SYS_ioctl, fd, FIONCLEX, 0), 0);
    CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFD), 0);
    int on = 1;
    CHECK_EQ(sys3(SYS_ioctl, fd, FIONBIO, (long)&on), 0);
    CHECK(sys2(SYS_fcntl, fd, F_GETFL) & O_NONBLOCK);
    on = 0;
    CHECK_EQ(sys3(SYS_ioctl, fd, FIONBIO, (long)&on), 0);
    CHECK(!(sys2(SYS_fcntl, fd, F_GETFL) & O_NONBLOCK));
    CHECK_ERRNO(sys3(SYS_ioctl, fd, FIONBIO, UNMAPPED_ADDRESS), EFAULT);
    struct winsize w;
    CHECK_ERRNO(sys3(SYS_ioctl, fd, TIOCGWINSZ, (long)&w), ENOTTY);
    char termios[60];
    CHECK_ERRNO(sys3(SYS_ioctl, fd, TCGETS, (long)termios), ENOTTY);
    CHECK_ERRNO(sys3(SYS_ioctl, fd, 0x12345678, 0), ENOTTY);
    int group;
    CHECK_ERRNO(sys3(SYS_ioctl, fd, TIOCGPGRP, (long)&group), ENOTTY);
    CHECK_ERRNO(sys3(SYS_ioctl, fd, TIOCSCTTY, 0), ENOTTY);
}

static void on_files(void) {
    CHECK_ERRNO(sys3(SYS_ioctl, 999, FIONREAD, 0), EBADF);
    CHECK_ERRNO(sys3(SYS_ioctl, -1, FIOCLEX, 0), EBADF);
    int fds[2];
    CHECK_EQ(sys1(SYS_pipe, (long)fds), 0);
    common(fds[0]);
    common(fds[1]);
    int count = -1;
    CHECK_EQ(sys3(SYS_ioctl, fds[0], FIONREAD, (long)&count), 0);
    CHECK_EQ(count, 0);
    CHECK_EQ(sys3(SYS_write, fds[1], (long)"hello", 5), 5);
    CHECK_EQ(sys3(SYS_ioctl, fds[0], FIONREAD, (long)&count), 0);
    CHECK_EQ(count, 5);
    count = -1;
    CHECK_EQ(sys3(SYS_ioctl, fds[1], FIONREAD, (long)&count), 0); /* either end */
    CHECK_EQ(count, 5);
    CHECK_ERRNO(sys3(SYS_ioctl, fds[0], FIONREAD, UNMAPPED_ADDRESS), EFAULT);
    /* FIONBIO is the open file's O_NONBLOCK: an empty pipe says EAGAIN. */
    char buffer[8];
    CHECK_EQ(sys3(SYS_read, fds[0], (long)buffer, sizeof(buffer)), 5);
    int on = 1;
    CHECK_EQ(sys3(SYS_ioctl, fds[0], FIONBIO, (long)&on), 0);
    CHECK_ERRNO(sys3(SYS_read, fds[0], (long)buffer, 1), EAGAIN);
    sys1(SYS_close, fds[0]);
    sys1(SYS_close, fds[1]);

    long null = sys3(SYS_open, (long)"/dev/null", O_RDWR, 0);
    CHECK(null >= 0);
    common(null);
    CHECK_ERRNO(sys3(SYS_ioctl, null, FIONREAD, (long)&count), ENOTTY);
    sys1(SYS_close, null);

    const char* path = "/tmp/kite-ioctls-test";
    long file = sys3(SYS_open, (long)path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(file >= 0);
    static char data[100];
    CHECK_EQ(sys3(SYS_write, file, (long)data, sizeof(data)), 100);
    common(file);
    CHECK_EQ(sys3(SYS_lseek, file, 30, 0), 30);
    CHECK_EQ(sys3(SYS_ioctl, file, FIONREAD, (long)&count), 0);
    CHECK_EQ(count, 70); /* the bytes left */
    CHECK_EQ(sys3(SYS_lseek, file, 150, 0), 150);
    CHECK_EQ(sys3(SYS_ioctl, file, FIONREAD, (long)&count), 0);
    CHECK_EQ(count, -50); /* past the end: negative, as Linux */
    CHECK_ERRNO(sys3(SYS_ioctl, file, FIONREAD, KERNEL_ADDRESS), EFAULT);
    sys1(SYS_close, file);
    sys1(SYS_unlink, (long)path);

    long directory = sys3(SYS_open, (long)"/tmp", O_RDONLY | O_DIRECTORY, 0);
    CHECK(directory >= 0);
    CHECK_ERRNO(sys3(SYS_ioctl, directory, FIONREAD, (long)&count), ENOTTY);
    CHECK_EQ(sys3(SYS_ioctl, directory, FIOCLEX, 0), 0);
    sys1(SYS_close, directory);
}

static volatile int winches;
static void on_winch(int signal) {
    (void)signal;
    ++winches;
}

static void window_size(void) {
    struct action a = {(void*)on_winch, SA_RESTORER, (void*)restore_rt, 0};
    CHECK_EQ(sys4(SYS_rt_sigaction, SIGWINCH, (long)&a, 0, 8), 0);
    struct winsize before, now;
    CHECK_EQ(sys3(SYS_ioctl, 0, TIOCGWINSZ, (long)&before), 0);
    struct winsize other = {before.rows + 5, before.columns + 7, 0, 0};
    CHECK_EQ(sys3(SYS_ioctl, 0, TIOCSWINSZ, (long)&other), 0);
    CHECK_EQ(winches, 1); /* this process is in the foreground group */
    CHECK_EQ(sys3(SYS_ioctl, 0, TIOCGWINSZ, (long)&now), 0);
    CHECK_EQ(now.rows, other.rows);
    CHECK_EQ(now.columns, other.columns);
    CHECK_EQ(sys3(SYS_ioctl, 0, TIOCSWINSZ, (long)&other), 0);
    CHECK_EQ(winches, 1); /* no change, no signal */
    CHECK_EQ(sys3(SYS_ioctl, 0, TIOCSWINSZ, (long)&before), 0);
    CHECK_EQ(winches, 2);
    CHECK_ERRNO(sys3(SYS_ioctl, 0, TIOCSWINSZ, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(sys3(SYS_ioctl, 0, TIOCGWINSZ, UNMAPPED_ADDRESS), EFAULT);
}

static void controlling_terminal(void) {
    int value = -1;
    const long pid = sys0(SYS_getpid);
    const long sid = sys1(SYS_getsid, 0);
    CHECK_EQ(sys3(SYS_ioctl, 0, TIOCGSID, (long)&value), 0);
    CHECK_EQ(value, sid);
    CHECK_EQ(sys3(SYS_ioctl, 0, TIOCGPGRP, (long)&value), 0);
    CHECK_EQ(value, sys0(SYS_getpgrp));
    int count = -1;
    CHECK_EQ(sys3(SYS_ioctl, 0, FIONREAD, (long)&count), 0);
    CHECK(count >= 0);
    if (sid != pid) {
        rt_print("SKIP: TIOCSCTTY and TIOCNOTTY: this process does not lead its session\n");
        return;
    }
    CHECK_EQ(sys3(SYS_ioctl, 0, TIOCSCTTY, 0), 0); /* already its own */
    long child = sys0(SYS_fork);
    if (child == 0) {
        check_failures = 0;
        int v = -1;
        CHECK_ERRNO(sys3(SYS_ioctl, 0, TIOCSCTTY, 0), EPERM); /* not a session leader */
        CHECK_EQ(sys3(SYS_ioctl, 0, TIOCGSID, (long)&v), 0);  /* but in the session */
        CHECK_EQ(v, sid);
        CHECK_EQ(sys0(SYS_setsid), sys0(SYS_getpid));
        /* A new session has no controlling terminal. */
        CHECK_ERRNO(sys3(SYS_ioctl, 0, TIOCGSID, (long)&v), ENOTTY);
        CHECK_ERRNO(sys3(SYS_ioctl, 0, TIOCNOTTY, 0), ENOTTY);
        /* The parent's session holds it: taking it needs root's 1. */
        CHECK_ERRNO(sys3(SYS_ioctl, 0, TIOCSCTTY, 0), EPERM);
        CHECK_EQ(sys3(SYS_ioctl, 0, TIOCSCTTY, 1), 0);
        CHECK_EQ(sys3(SYS_ioctl, 0, TIOCGSID, (long)&v), 0);
        CHECK_EQ(v, sys0(SYS_getpid));
        CHECK_EQ(sys3(SYS_ioctl, 0, TIOCGPGRP, (long)&v), 0);
        CHECK_EQ(v, sys0(SYS_getpid)); /* its group is the foreground now */
        /* Giving it up hangs up the foreground group: this one. */
        struct action ignore = {(void*)1 /* SIG_IGN */, SA_RESTORER, (void*)restore_rt, 0};
        CHECK_EQ(sys4(SYS_rt_sigaction, SIGHUP, (long)&ignore, 0, 8), 0);
        CHECK_EQ(sys3(SYS_ioctl, 0, TIOCNOTTY, 0), 0);
        CHECK_ERRNO(sys3(SYS_ioctl, 0, TIOCGSID, (long)&v), ENOTTY);
        sys1(SYS_exit, check_failures > 0);
    }
    CHECK_EQ(wait_child(child), 0);
    /* The child took the terminal, then let go of it: nobody has it. */
    CHECK_ERRNO(sys3(SYS_ioctl, 0, TIOCGSID, (long)&value), ENOTTY);
    CHECK_EQ(sys3(SYS_ioctl, 0, TIOCSCTTY, 0), 0);
    CHECK_EQ(sys3(SYS_ioctl, 0, TIOCGSID, (long)&value), 0);
    CHECK_EQ(value, sid);
    CHECK_EQ(sys3(SYS_ioctl, 0, TIOCGPGRP, (long)&value), 0);
    CHECK_EQ(value, sys0(SYS_getpgrp));
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    on_files();
    char termios[60];
    if (sys3(SYS_ioctl, 0, TCGETS, (long)termios) == 0) {
        window_size();
        controlling_terminal();
    } else {
        rt_print("SKIP: terminal ioctls: standard input is not a terminal\n");
    }
    return check_done("ioctls");
}
