/* tmpfs_race_data: one process overwrites and reads back the start of a
 * tmpfs file while another grows the same file, which makes the file
 * system move its contents to bigger buffers. Every byte written must be
 * read back, and the grower's bytes must be where it put them: a write or
 * read that went to a buffer the file no longer owns shows as a wrong byte
 * (or as a panic in the kernel's heap checks). */
#include "race.h"

#define PATH "/tmp/tmpfs_race_data"
#define HEAD (64 * 1024) /* the part the first process rewrites */
#define MARK 4096        /* what the grower writes at each offset */
#define GROWTHS 5        /* at 64 KiB, 128 KiB, ... 1 MiB: each past the buffer */
#define ROUNDS 150
#define BUDGET_MS 2500

static unsigned char head[HEAD];
static unsigned char back[HEAD];
static unsigned char mark[MARK];

static unsigned char head_byte(long round, long pass, long i) {
    return (unsigned char)(i * 13 + pass * 7 + round * 3 + 1);
}

static unsigned char mark_byte(long growth, long i) {
    return (unsigned char)(0x80 | ((i + growth * 5) & 0x7f));
}

/* The second process: reopens the file and writes past its end. */
static void grow(void) {
    long fd = sys3(SYS_open, (long)PATH, O_RDWR, 0);
    if (fd < 0) {
        sys1(SYS_exit, 2);
    }
    for (long g = 0; g < GROWTHS; ++g) {
        for (long i = 0; i < MARK; ++i) {
            mark[i] = mark_byte(g, i);
        }
        if (sys3(SYS_lseek, fd, (long)HEAD << g, 0) != (long)HEAD << g ||
            sys3(SYS_write, fd, (long)mark, MARK) != MARK) {
            sys1(SYS_exit, 3);
        }
    }
    sys1(SYS_close, fd);
    sys1(SYS_exit, 0);
}

/* Rewrites and checks the head until the grower is done; the number of
 * wrong bytes seen. */
static long rewrite_head(long fd, long round, long child) {
    long wrong = 0;
    int status = 0;
    for (long pass = 0; pass < 1000; ++pass) {
        for (long i = 0; i < HEAD; ++i) {
            head[i] = head_byte(round, pass, i);
        }
        sys3(SYS_lseek, fd, 0, 0);
        if (sys3(SYS_write, fd, (long)head, HEAD) != HEAD) {
            return HEAD;
        }
        sys3(SYS_lseek, fd, 0, 0);
        if (sys3(SYS_read, fd, (long)back, HEAD) != HEAD) {
            return HEAD;
        }
        for (long i = 0; i < HEAD; ++i) {
            wrong += back[i] != head[i];
        }
        if (sys4(SYS_wait4, child, (long)&status, WNOHANG, 0) == child) {
            return status == 0 ? wrong : wrong + 1;
        }
    }
    return wrong + (race_wait(child) != 0);
}

/* After a round: the grower's marks, and zeros in the holes between. */
static long check_marks(long fd) {
    long wrong = 0;
    for (long g = 0; g < GROWTHS; ++g) {
        sys3(SYS_lseek, fd, (long)HEAD << g, 0);
        if (sys3(SYS_read, fd, (long)mark, MARK) != MARK) {
            return MARK;
        }
        for (long i = 0; i < MARK; ++i) {
            wrong += mark[i] != mark_byte(g, i);
        }
        if (g > 0) {
            sys3(SYS_lseek, fd, ((long)HEAD << g) - MARK, 0);
            sys3(SYS_read, fd, (long)mark, MARK);
            for (long i = 0; i < MARK; ++i) {
                wrong += mark[i] != 0;
            }
        }
    }
    return wrong;
}

int main(int argc, char** argv, char** envp) {
    (void)argc, (void)argv, (void)envp;
    const long start = race_now_ns();
    long rounds = 0;
    for (; rounds < ROUNDS && race_within(start, BUDGET_MS); ++rounds) {
        sys1(SYS_unlink, (long)PATH);
        long fd = sys3(SYS_open, (long)PATH, O_RDWR | O_CREAT, 0644);
        CHECK(fd >= 0);
        long child = sys0(SYS_fork);
        if (child == 0) {
            grow();
        }
        CHECK(child > 0);
        CHECK_EQ(rewrite_head(fd, rounds, child), 0);
        CHECK_EQ(check_marks(fd), 0);
        sys1(SYS_close, fd);
        if (check_failures > 0) {
            break;
        }
    }
    CHECK_EQ(sys1(SYS_unlink, (long)PATH), 0);
    CHECK(rounds > 0);
    return check_done("tmpfs_race_data");
}
