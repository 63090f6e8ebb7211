/* dirent.c: opendir/readdir over getdents64. A DIR holds one buffer of
 * raw Linux dirent64 records (struct abi_dirent64) and hands them out one struct dirent at a time.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linux.h"

DIR* fdopendir(int fd) {
    DIR* dir = malloc(sizeof(DIR));
    if (!dir)
        return NULL;
    dir->fd = fd;
    dir->position = 0;
    dir->length = 0;
    return dir;
}

DIR* opendir(const char* path) {
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    DIR* dir = fdopendir(fd);
    if (!dir)
        close(fd);
    return dir;
}

struct dirent* readdir(DIR* dir) {
    if (dir->position >= dir->length) {
        long got =
            port_result(linux_syscall(SYS_getdents64, dir->fd, dir->buffer, sizeof(dir->buffer)));
        if (got <= 0)
            return NULL; /* 0: end of directory, errno untouched; -1: errno set */
        dir->length = (int)got;
        dir->position = 0;
    }
    const struct abi_dirent64* raw = (const void*)(dir->buffer + dir->position);
    dir->position += raw->reclen;
    dir->entry.d_ino = (ino_t)raw->ino;
    dir->entry.d_type = raw->type;
    strncpy(dir->entry.d_name, (const char*)raw + ABI_DIRENT64_NAME_OFFSET, MAXNAMLEN);
    dir->entry.d_name[MAXNAMLEN] = '\0';
    return &dir->entry;
}

void rewinddir(DIR* dir) {
    lseek(dir->fd, 0, SEEK_SET);
    dir->position = dir->length = 0;
}

int dirfd(DIR* dir) {
    return dir->fd;
}

int closedir(DIR* dir) {
    int status = close(dir->fd);
    free(dir);
    return status;
}
