/* time.h: newlib's, plus the POSIX clock calls the port implements but
 * newlib declares only when the target defines _POSIX_TIMERS. */
#ifndef KITE_PORT_TIME_H
#define KITE_PORT_TIME_H
#include_next <time.h>

#ifdef __cplusplus
extern "C" {
#endif
#ifndef _POSIX_TIMERS
int nanosleep(const struct timespec* wanted, struct timespec* remaining);
int clock_gettime(clockid_t clock, struct timespec* time);
#endif
#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC ((clockid_t)4) /* newlib's value; the port maps it to Linux's 1 */
#endif
/* newlib's values where it defines them, and Linux's too. */
#ifndef CLOCK_PROCESS_CPUTIME_ID
#define CLOCK_PROCESS_CPUTIME_ID ((clockid_t)2)
#endif
#ifndef CLOCK_THREAD_CPUTIME_ID
#define CLOCK_THREAD_CPUTIME_ID ((clockid_t)3)
#endif
#ifdef __cplusplus
}
#endif
#endif
