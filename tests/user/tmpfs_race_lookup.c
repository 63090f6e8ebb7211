/* tmpfs_race_lookup: one process looks names up in, and lists, a tmpfs
 * directory of many entries while another removes all of them and makes
 * them again, over and over. A lookup or listing standing on an entry that is being
 * freed reads freed memory (with kite.heap_debug=1, poison: a panic). The
 * checks: every lookup gives found or ENOENT, every listed name is one of
 * the directory's, and all entries are there at the end. */
#include "race.h"

#define DIR "/tmp/tmpfs_race_lookup"
#define ENTRIES 200
#define BUDGET_MS 2000
#define MAX_PASSES 100000

struct stat_buffer {
    unsigned long words[18];
};

static void entry_path(char* out, int n) {
    const char* prefix = DIR "/f";
    int at = 0;
    while (prefix[at]) {
        out[at] = prefix[at];
        ++at;
    }
    race_name(out + at, "", n);
}

static int make_entry(int n) {
    char path[64];
    entry_path(path, n);
    long fd = sys3(SYS_open, (long)path, O_RDWR | O_CREAT, 0644);
    if (fd < 0) {
        return 0;
    }
    sys1(SYS_close, fd);
    return 1;
}

/* The second process: removes every entry, then makes them all again,
 * round and round (so that freed entries stay freed for a while). */
static void churn(long start) {
    char path[64];
    for (long pass = 0; pass < MAX_PASSES && race_within(start, BUDGET_MS); ++pass) {
        for (int n = 0; n < ENTRIES; ++n) {
            entry_path(path, n);
            if (sys1(SYS_unlink, (long)path) != 0) {
                sys1(SYS_exit, 2);
            }
        }
        for (int n = 0; n < ENTRIES; ++n) {
            if (!make_entry(n)) {
                sys1(SYS_exit, 3);
            }
        }
    }
    sys1(SYS_exit, 0);
}

/* A name the directory may hold: ".", "..", or f000..f199. */
static int known_name(const char* name) {
    if (text_equal(name, ".") || text_equal(name, "..")) {
        return 1;
    }
    return name[0] == 'f' && name[1] >= '0' && name[1] <= '1' && name[2] >= '0' && name[2] <= '9' &&
           name[3] >= '0' && name[3] <= '9' && name[4] == '\0';
}

/* Lists the directory; the number of names that are not its own. */
static long list_strangers(void) {
    static char buffer[4096];
    long fd = sys3(SYS_open, (long)DIR, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) {
        return 1;
    }
    long strangers = 0;
    long n;
    while ((n = sys3(SYS_getdents64, fd, (long)buffer, sizeof(buffer))) > 0) {
        for (long at = 0; at < n;) {
            strangers += !known_name(buffer + at + 19);
            at += *(unsigned short*)(buffer + at + 16);
        }
    }
    sys1(SYS_close, fd);
    return strangers + (n < 0);
}

int main(int argc, char** argv, char** envp) {
    (void)argc, (void)argv, (void)envp;
    CHECK_EQ(sys2(SYS_mkdir, (long)DIR, 0755), 0);
    for (int n = 0; n < ENTRIES; ++n) {
        CHECK(make_entry(n));
    }
    const long start = race_now_ns();
    long child = sys0(SYS_fork);
    if (child == 0) {
        churn(start);
    }
    CHECK(child > 0);
    struct stat_buffer st;
    char path[64];
    long bad_answers = 0;
    long strangers = 0;
    int status = 0;
    for (long pass = 0; pass < MAX_PASSES; ++pass) {
        /* A missing name walks the whole list; a present one part of it. */
        bad_answers += sys2(SYS_stat, (long)DIR "/missing", (long)&st) != -ENOENT;
        entry_path(path, (int)(pass * 7 % ENTRIES));
        const long found = sys2(SYS_stat, (long)path, (long)&st);
        bad_answers += found != 0 && found != -ENOENT;
        if (pass % 16 == 0) {
            strangers += list_strangers();
        }
        if (sys4(SYS_wait4, child, (long)&status, WNOHANG, 0) == child) {
            child = 0;
            break;
        }
    }
    CHECK_EQ(child == 0 ? status : race_wait(child), 0);
    CHECK_EQ(bad_answers, 0);
    CHECK_EQ(strangers, 0);
    for (int n = 0; n < ENTRIES; ++n) {
        entry_path(path, n);
        CHECK_EQ(sys1(SYS_unlink, (long)path), 0);
    }
    CHECK_EQ(sys1(SYS_rmdir, (long)DIR), 0);
    return check_done("tmpfs_race_lookup");
}
