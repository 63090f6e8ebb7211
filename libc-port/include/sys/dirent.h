/* sys/dirent.h: directory streams for Kite, over Linux's getdents64.
 * newlib's own copy of this header is an #error for bare targets; the port's
 * include directory comes first, so <dirent.h> finds this one. */
#ifndef KITE_SYS_DIRENT_H
#define KITE_SYS_DIRENT_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MAXNAMLEN 255

/* d_type values (Linux's, which are also the BSD ones). */
#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12

struct dirent {
    ino_t d_ino;
    unsigned char d_type;
    char d_name[MAXNAMLEN + 1];
};

typedef struct kite_dir {
    int fd;
    int position; /* next byte of buffer to decode */
    int length;   /* bytes of buffer that getdents64 filled */
    struct dirent entry;
    char buffer[2048] __attribute__((aligned(8)));
} DIR;

DIR* opendir(const char* path);
DIR* fdopendir(int fd);
struct dirent* readdir(DIR* dir);
int closedir(DIR* dir);
void rewinddir(DIR* dir);
int dirfd(DIR* dir);

#ifdef __cplusplus
}
#endif

#endif
