/* builtins_ulimit.c: ulimit, the process's resource limits through
 * getrlimit and setrlimit, shown and read in dash's units. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "builtins.h"
#include "shell.h"
#include <sys/resource.h>

struct limit_kind {
    char option;
    int resource;
    const char* label; /* for ulimit -a */
    rlim_t unit;       /* bytes (or seconds, or items) per unit shown */
};

/* In dash's order and with its labels; blocks are 512 bytes. */
static const struct limit_kind kinds[] = {
    {'t', RLIMIT_CPU, "time(seconds)", 1},
    {'f', RLIMIT_FSIZE, "file(blocks)", 512},
    {'d', RLIMIT_DATA, "data(kbytes)", 1024},
    {'s', RLIMIT_STACK, "stack(kbytes)", 1024},
    {'c', RLIMIT_CORE, "coredump(blocks)", 512},
    {'m', RLIMIT_RSS, "memory(kbytes)", 1024},
    {'l', RLIMIT_MEMLOCK, "locked memory(kbytes)", 1024},
    {'p', RLIMIT_NPROC, "process", 1},
    {'n', RLIMIT_NOFILE, "nofiles", 1},
    {'v', RLIMIT_AS, "vmemory(kbytes)", 1024},
    {'w', RLIMIT_LOCKS, "locks", 1},
    {'r', RLIMIT_RTPRIO, "rtprio", 1},
};
enum { KIND_COUNT = sizeof kinds / sizeof kinds[0] };

enum { SOFT = 1, HARD = 2 };

/* A limit the system does not keep (getrlimit fails, as it may on a small
 * kernel) limits nothing, so it is shown and kept as unlimited. */
static struct rlimit current(const struct limit_kind* kind) {
    struct rlimit limit;
    if (getrlimit(kind->resource, &limit) < 0)
        limit.rlim_cur = limit.rlim_max = RLIM_INFINITY;
    return limit;
}

static void show(const struct limit_kind* kind, int which, int labelled) {
    struct rlimit limit = current(kind);
    rlim_t value = which & SOFT ? limit.rlim_cur : limit.rlim_max;
    if (labelled)
        printf("%-20s ", kind->label);
    if (value == RLIM_INFINITY)
        printf("unlimited\n");
    else
        printf("%llu\n", (unsigned long long)(value / kind->unit));
}

/* "unlimited" or decimal digits (none: 0, as dash reads them) times the
 * unit; 0 if the text is not a number or the limit would overflow. */
static int parse_limit(const char* text, rlim_t unit, rlim_t* value) {
    if (strcmp(text, "unlimited") == 0) {
        *value = RLIM_INFINITY;
        return 1;
    }
    rlim_t n = 0;
    for (const char* p = text; *p; p++) {
        if (*p < '0' || *p > '9' || n > (RLIM_INFINITY - 9) / 10)
            return 0;
        n = n * 10 + (rlim_t)(*p - '0');
    }
    if (n > (RLIM_INFINITY - 1) / unit)
        return 0;
    *value = n * unit;
    return 1;
}

/* ulimit [-H|-S] [-a | -t -f -d -s -c -m -l -p -n -v -w -r] [limit]:
 * shows (the soft limit unless -H) or sets (both unless -H or -S; the
 * last of -H and -S counts) one limit, -f by default; -a shows all. */
int builtin_ulimit(int argc, char** argv) {
    (void)argc;
    int which = SOFT | HARD, all = 0, i = 1;
    const struct limit_kind* kind = &kinds[1];
    for (; argv[i] && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        for (const char* p = argv[i] + 1; *p; p++) {
            if (*p == 'H' || *p == 'S') {
                which = *p == 'H' ? HARD : SOFT;
                continue;
            }
            if (*p == 'a') {
                all = 1;
                continue;
            }
            int k = 0;
            while (k < KIND_COUNT && kinds[k].option != *p)
                k++;
            if (k == KIND_COUNT) {
                sh_error("ulimit: Illegal option -%c", *p);
                return 2;
            }
            kind = &kinds[k];
        }
    }
    if (argv[i] && (all || argv[i + 1])) {
        sh_error("ulimit: too many arguments");
        return 2;
    }
    if (all) {
        for (int k = 0; k < KIND_COUNT; k++)
            show(&kinds[k], which, 1);
        return 0;
    }
    if (!argv[i]) {
        show(kind, which, 0);
        return 0;
    }
    rlim_t value;
    if (!parse_limit(argv[i], kind->unit, &value)) {
        sh_error("ulimit: bad number");
        return 2;
    }
    struct rlimit limit = current(kind);
    if (which & HARD)
        limit.rlim_max = value;
    if (which & SOFT)
        limit.rlim_cur = value;
    if (setrlimit(kind->resource, &limit) < 0) {
        sh_error("ulimit: error setting limit (%s)", strerror(errno));
        return 2;
    }
    return 0;
}
