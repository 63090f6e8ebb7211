/* rlimit.h: getrlimit and setrlimit with Linux's resource numbers. glibc
 * declares them in <sys/resource.h>; newlib does not, and Kite's C-library
 * port provides the calls, so they are declared here for it. */
#ifndef KITE_SH_RLIMIT_H
#define KITE_SH_RLIMIT_H

#include <sys/resource.h>

#ifndef RLIMIT_CPU
#include <stdint.h>

#define RLIMIT_CPU 0
#define RLIMIT_FSIZE 1
#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_RSS 5
#define RLIMIT_NPROC 6
#define RLIMIT_NOFILE 7
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS 9
#define RLIMIT_LOCKS 10
#define RLIMIT_RTPRIO 14

typedef uint64_t rlim_t;
#define RLIM_INFINITY (~(rlim_t)0)

struct rlimit {
    rlim_t rlim_cur; /* the soft limit, which the hard one bounds */
    rlim_t rlim_max;
};

int getrlimit(int resource, struct rlimit* limit);
int setrlimit(int resource, const struct rlimit* limit);
#endif

#endif
