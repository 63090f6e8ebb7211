/* destination.c: see destination.h. */
#include "destination.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int is_directory(const char* target) {
    struct stat info;
    return stat(target, &info) == 0 && S_ISDIR(info.st_mode);
}

int destination_path(char* out, size_t size, const char* source, const char* target,
                     int into_directory) {
    const char* base = strrchr(source, '/');
    const int n = into_directory ? snprintf(out, size, "%s/%s", target, base ? base + 1 : source)
                                 : snprintf(out, size, "%s", target);
    if (n < 0 || (size_t)n >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}
