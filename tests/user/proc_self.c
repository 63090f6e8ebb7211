/* proc_self: what a program finds out about itself the Linux way, as
 * busybox and static glibc do: /proc/self names the caller's pid,
 * /proc/self/exe is the program (busybox re-executes itself through it to
 * run an applet), and /proc/PID/exe another process's; prctl's
 * PR_SET_NAME/PR_GET_NAME (busybox names each applet so), PR_GET_DUMPABLE
 * and an unknown option; getpgrp. */
#include "check.h"

#define O_RDONLY 0
#define AT_FDCWD (-100)
#define PR_GET_DUMPABLE 3
#define PR_SET_NAME 15
#define PR_GET_NAME 16

struct stat_buffer {
    unsigned long dev, ino, nlink;
    unsigned int mode, uid, gid, pad0;
    unsigned long rdev;
    long size, blksize, blocks, times[6], unused[3];
};

static long read_link(const char* path, char* out, long capacity) {
    long n = sys3(SYS_readlink, (long)path, (long)out, capacity - 1);
    out[n > 0 ? n : 0] = '\0';
    return n;
}

static void self_links(const char* program) {
    char text[4096];
    char pid[24];
    decimal(sys0(SYS_getpid), pid);
    CHECK_EQ(read_link("/proc/self", text, sizeof(text)), (long)rt_strlen(pid));
    CHECK(text_equal(text, pid));
    /* The program's canonical path: the file this process runs. */
    long n = read_link("/proc/self/exe", text, sizeof(text));
    CHECK(n > 0 && text[0] == '/');
    if (on_kite()) {
        CHECK(text_equal(text, program)); /* /test/proc_self: no symlink in the way */
    }
    struct stat_buffer exe, file;
    CHECK_EQ(sys2(SYS_stat, (long)"/proc/self/exe", (long)&exe), 0);
    CHECK_EQ(sys2(SYS_stat, (long)program, (long)&file), 0);
    CHECK_EQ(exe.ino, file.ino);
    CHECK_EQ(exe.dev, file.dev);
    CHECK_EQ(exe.size, file.size);
    /* lstat sees the link itself. */
    CHECK_EQ(sys2(SYS_lstat, (long)"/proc/self/exe", (long)&exe), 0);
    CHECK_EQ(exe.mode & 0170000, 0120000);
    /* The same through the pid, and opening it reads the program. */
    char path[64] = "/proc/";
    decimal(sys0(SYS_getpid), path + 6);
    unsigned long at = rt_strlen(path);
    memcpy(path + at, "/exe", 5);
    char again[4096];
    CHECK_EQ(read_link(path, again, sizeof(again)), n);
    CHECK(text_equal(again, text));
    long fd = sys2(SYS_open, (long)"/proc/self/exe", O_RDONLY);
    CHECK(fd >= 0);
    char magic[4] = {0};
    CHECK_EQ(sys3(SYS_read, fd, (long)magic, 4), 4);
    CHECK(magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F');
    sys1(SYS_close, fd);
    /* No such process, and no such entry. */
    CHECK_ERRNO(sys3(SYS_readlink, (long)"/proc/999999999/exe", (long)text, sizeof(text)), ENOENT);
    CHECK_ERRNO(sys3(SYS_readlink, (long)"/proc/self/nonexistent", (long)text, sizeof(text)),
                ENOENT);
}

/* A forked child has the same program; its /proc/PID/exe is seen from the
 * parent until it is reaped, and not after. */
static void child_links(void) {
    int fds[2];
    CHECK_EQ(sys1(SYS_pipe, (long)fds), 0);
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        char byte;
        sys1(SYS_close, fds[1]);
        sys3(SYS_read, fds[0], (long)&byte, 1); /* until the parent has looked */
        sys1(SYS_exit, 0);
    }
    sys1(SYS_close, fds[0]);
    char path[64] = "/proc/";
    decimal(pid, path + 6);
    unsigned long at = rt_strlen(path);
    memcpy(path + at, "/exe", 5);
    char mine[4096], theirs[4096];
    CHECK(read_link("/proc/self/exe", mine, sizeof(mine)) > 0);
    CHECK(read_link(path, theirs, sizeof(theirs)) > 0);
    CHECK(text_equal(mine, theirs));
    sys1(SYS_close, fds[1]);
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
    CHECK_EQ(status, 0);
    CHECK_ERRNO(sys3(SYS_readlink, (long)path, (long)theirs, sizeof(theirs)), ENOENT);
}

static void names(void) {
    char name[32];
    memset(name, 'x', sizeof(name));
    CHECK_EQ(sys2(SYS_prctl, PR_SET_NAME, (long)"renamed"), 0);
    CHECK_EQ(sys2(SYS_prctl, PR_GET_NAME, (long)name), 0);
    CHECK(text_equal(name, "renamed"));
    CHECK_EQ(name[16], 'x'); /* 16 bytes written, no more */
    /* Longer names are cut to 15 bytes. */
    CHECK_EQ(sys2(SYS_prctl, PR_SET_NAME, (long)"abcdefghijklmnopqrstuvwxyz"), 0);
    CHECK_EQ(sys2(SYS_prctl, PR_GET_NAME, (long)name), 0);
    CHECK(text_equal(name, "abcdefghijklmno"));
    CHECK_ERRNO(sys2(SYS_prctl, PR_SET_NAME, UNMAPPED_ADDRESS), EFAULT);
    CHECK_ERRNO(sys2(SYS_prctl, PR_GET_NAME, UNMAPPED_ADDRESS), EFAULT);
    CHECK_EQ(sys2(SYS_prctl, PR_GET_NAME, (long)name), 0);
    CHECK(text_equal(name, "abcdefghijklmno")); /* a failed set changed nothing */
    CHECK_EQ(sys1(SYS_prctl, PR_GET_DUMPABLE), 1);
    CHECK_ERRNO(sys1(SYS_prctl, 12345), EINVAL);
    /* getpgrp is getpgid(0). */
    CHECK_EQ(sys0(SYS_getpgrp), sys1(SYS_getpgid, 0));
}

int main(int argc, char** argv, char** envp) {
    (void)envp;
    const char* program = argc > 0 ? argv[0] : "/test/proc_self";
    self_links(program);
    child_links();
    names();
    return check_done("proc_self");
}
