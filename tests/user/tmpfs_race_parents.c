/* tmpfs_race_parents: one process asks for its current directory, lists
 * it (with its ".." entry) and steps up through ".." while another moves
 * that directory between two parents and removes the parent it left. The
 * answers must always name one of the two places; a walk up the tree that
 * stands on a parent being freed reads freed memory (with
 * kite.heap_debug=1, poison: a panic). */
#include "race.h"

#define TOP "/tmp/tmpfs_race_parents"
#define FILLERS 300 /* entries before x and y: names are found by a long walk */
#define BUDGET_MS 2000
#define MAX_PASSES 100000

struct stat_buffer {
    unsigned long dev, ino, nlink;
    unsigned int mode, uid, gid, pad0;
    unsigned long words[12];
};

static void filler_path(char* out, int n) {
    const char* prefix = TOP "/f";
    int at = 0;
    while (prefix[at]) {
        out[at] = prefix[at];
        ++at;
    }
    race_name(out + at, "", n);
}

/* The second process: x/d moves to y/d, x goes, y becomes x; repeat. */
static void move_around(long start) {
    for (long pass = 0; pass < MAX_PASSES && race_within(start, BUDGET_MS); ++pass) {
        if (sys2(SYS_mkdir, (long)TOP "/y", 0755) != 0 ||
            sys2(SYS_rename, (long)TOP "/x/d", (long)TOP "/y/d") != 0 ||
            sys1(SYS_rmdir, (long)TOP "/x") != 0 ||
            sys2(SYS_rename, (long)TOP "/y", (long)TOP "/x") != 0) {
            sys1(SYS_exit, 2);
        }
    }
    sys1(SYS_exit, 0);
}

/* Whether the ".." entry of the current directory is there. */
static int lists_parent(void) {
    static char buffer[512];
    long fd = sys3(SYS_open, (long)".", O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) {
        return 0;
    }
    int found = 0;
    long n;
    while ((n = sys3(SYS_getdents64, fd, (long)buffer, sizeof(buffer))) > 0) {
        for (long at = 0; at < n;) {
            found |= text_equal(buffer + at + 19, "..");
            at += *(unsigned short*)(buffer + at + 16);
        }
    }
    sys1(SYS_close, fd);
    return found && n == 0;
}

int main(int argc, char** argv, char** envp) {
    (void)argc, (void)argv, (void)envp;
    char path[64];
    CHECK_EQ(sys2(SYS_mkdir, (long)TOP, 0755), 0);
    for (int n = 0; n < FILLERS; ++n) {
        filler_path(path, n);
        long fd = sys3(SYS_open, (long)path, O_RDWR | O_CREAT, 0644);
        CHECK(fd >= 0);
        sys1(SYS_close, fd);
    }
    CHECK_EQ(sys2(SYS_mkdir, (long)TOP "/x", 0755), 0);
    CHECK_EQ(sys2(SYS_mkdir, (long)TOP "/x/d", 0755), 0);
    CHECK_EQ(sys1(SYS_chdir, (long)TOP "/x/d"), 0);
    struct stat_buffer top;
    CHECK_EQ(sys2(SYS_stat, (long)TOP, (long)&top), 0);
    const long start = race_now_ns();
    long child = sys0(SYS_fork);
    if (child == 0) {
        move_around(start);
    }
    CHECK(child > 0);
    long bad_paths = 0;
    long bad_listings = 0;
    long bad_parents = 0;
    int status = 0;
    for (long pass = 0; pass < MAX_PASSES; ++pass) {
        char cwd[128];
        if (sys2(SYS_getcwd, (long)cwd, sizeof(cwd)) <= 0 ||
            (!text_equal(cwd, TOP "/x/d") && !text_equal(cwd, TOP "/y/d"))) {
            ++bad_paths;
        }
        bad_listings += !lists_parent();
        /* d's grandparent is always TOP, whichever parent d has. */
        struct stat_buffer up;
        if (sys2(SYS_stat, (long)"../..", (long)&up) != 0 || up.ino != top.ino ||
            up.dev != top.dev) {
            ++bad_parents;
        }
        if (sys4(SYS_wait4, child, (long)&status, WNOHANG, 0) == child) {
            child = 0;
            break;
        }
    }
    CHECK_EQ(child == 0 ? status : race_wait(child), 0);
    CHECK_EQ(bad_paths, 0);
    CHECK_EQ(bad_listings, 0);
    CHECK_EQ(bad_parents, 0);
    CHECK_EQ(sys1(SYS_chdir, (long)"/"), 0);
    CHECK_EQ(sys1(SYS_rmdir, (long)TOP "/x/d"), 0);
    CHECK_EQ(sys1(SYS_rmdir, (long)TOP "/x"), 0);
    for (int n = 0; n < FILLERS; ++n) {
        filler_path(path, n);
        CHECK_EQ(sys1(SYS_unlink, (long)path), 0);
    }
    CHECK_EQ(sys1(SYS_rmdir, (long)TOP), 0);
    return check_done("tmpfs_race_parents");
}
