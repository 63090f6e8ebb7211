/* tmpfs_race_append: two processes write records to one tmpfs file at the
 * same time, first each through its own O_APPEND descriptor, then both
 * through one shared description (inherited over fork) without O_APPEND.
 * Either way no record may land on another: finding the end (or the
 * shared offset) and writing there must be one step. The checks: the file
 * holds exactly every record, each intact. */
#include "race.h"

#define PATH "/tmp/tmpfs_race_append"
#define O_WRONLY 1
#define O_APPEND 02000
#define RECORD 2000 /* bytes; large enough that a copy gets preempted */
#define RECORDS 400 /* per writer */

static unsigned char record[RECORD];
static unsigned char back[RECORD];

static void fill(int writer, int n) {
    for (int i = 0; i < RECORD; ++i) {
        record[i] = (unsigned char)(i == 0 ? writer : i == 1 ? n & 0xff : i == 2 ? n >> 8 : i + n);
    }
}

/* Writes this writer's records through fd (a fresh open if fd < 0). */
static int write_records(long fd, int writer) {
    if (fd < 0) {
        fd = sys3(SYS_open, (long)PATH, O_WRONLY | O_APPEND, 0);
    }
    for (int n = 0; n < RECORDS; ++n) {
        fill(writer, n);
        if (fd < 0 || sys3(SYS_write, fd, (long)record, RECORD) != RECORD) {
            return 0;
        }
    }
    return 1;
}

/* The number of records that are not intact or not each writer's once. */
static long bad_records(void) {
    static unsigned char seen[2][RECORDS];
    memset(seen, 0, sizeof(seen));
    long fd = sys3(SYS_open, (long)PATH, O_RDONLY, 0);
    long bad = 0;
    long count = 0;
    while (sys3(SYS_read, fd, (long)back, RECORD) == RECORD) {
        const int writer = back[0];
        const int n = back[1] | back[2] << 8;
        ++count;
        if (writer > 1 || n >= RECORDS || seen[writer][n]) {
            ++bad;
            continue;
        }
        seen[writer][n] = 1;
        fill(writer, n);
        for (int i = 0; i < RECORD; ++i) {
            if (back[i] != record[i]) {
                ++bad;
                break;
            }
        }
    }
    sys1(SYS_close, fd);
    return bad + (count != 2 * RECORDS);
}

/* Both writers at once: through their own descriptors (shared < 0) or
 * through one. */
static void race(long shared) {
    long child = sys0(SYS_fork);
    if (child == 0) {
        sys1(SYS_exit, write_records(shared, 1) ? 0 : 2);
    }
    CHECK(child > 0);
    CHECK(write_records(shared, 0));
    CHECK_EQ(race_wait(child), 0);
    CHECK_EQ(bad_records(), 0);
}

int main(int argc, char** argv, char** envp) {
    (void)argc, (void)argv, (void)envp;
    long fd = sys3(SYS_open, (long)PATH, O_WRONLY | O_CREAT, 0644);
    CHECK(fd >= 0);
    sys1(SYS_close, fd);
    race(-1);
    CHECK_EQ(sys1(SYS_unlink, (long)PATH), 0);
    fd = sys3(SYS_open, (long)PATH, O_WRONLY | O_CREAT, 0644);
    CHECK(fd >= 0);
    race(fd);
    sys1(SYS_close, fd);
    CHECK_EQ(sys1(SYS_unlink, (long)PATH), 0);
    return check_done("tmpfs_race_append");
}
