/* sys/stat.h: newlib's, plus lstat, which it declares only for a few targets. */
#ifndef KITE_PORT_SYS_STAT_H
#define KITE_PORT_SYS_STAT_H
#include_next <sys/stat.h>

#ifdef __cplusplus
extern "C" {
#endif
int lstat(const char* __restrict path, struct stat* __restrict result);
#ifdef __cplusplus
}
#endif
#endif
