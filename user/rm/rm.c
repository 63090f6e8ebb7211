/* rm: removes files; -r removes directories and their contents; -f
 * ignores missing files. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "listing.h"

static int recursive, force;

static int remove_path(const char* path);

/* Removes every entry of the directory at path. The names are read first
 * and removed after: removing while reading would shift the listing. */
static int empty_directory(const char* path) {
    size_t count = 0;
    char** names = list_directory(path, LIST_ALMOST_ALL, 0, &count);
    if (!names) {
        fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
        return 1;
    }
    int status = 0;
    for (size_t i = 0; i < count; ++i) {
        char* child = malloc(strlen(path) + strlen(names[i]) + 2);
        if (child) {
            sprintf(child, "%s/%s", path, names[i]);
            status |= remove_path(child);
        } else {
            fprintf(stderr, "rm: %s/%s: %s\n", path, names[i], strerror(ENOMEM));
            status = 1;
        }
        free(child);
    }
    free_listing(names, count);
    return status;
}

static int remove_path(const char* path) {
    struct stat info;
    if (lstat(path, &info) < 0) {
        if (force && errno == ENOENT)
            return 0;
        fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (S_ISDIR(info.st_mode)) {
        if (!recursive) {
            fprintf(stderr, "rm: %s: is a directory (use -r)\n", path);
            return 1;
        }
        if (empty_directory(path) != 0)
            return 1; /* what could not go keeps the directory: rmdir would only repeat it */
        if (rmdir(path) < 0) {
            fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
            return 1;
        }
        return 0;
    }
    if (unlink(path) < 0) {
        fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char** argv) {
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; ++i) {
        for (const char* o = argv[i] + 1; *o; ++o) {
            if (*o == 'r' || *o == 'R')
                recursive = 1;
            else if (*o == 'f')
                force = 1;
            else {
                fprintf(stderr, "rm: unknown option -%c\nusage: rm [-rf] path...\n", *o);
                return 2;
            }
        }
    }
    if (i == argc && !force) {
        fprintf(stderr, "usage: rm [-rf] path...\n");
        return 2;
    }
    int status = 0;
    for (; i < argc; ++i)
        status |= remove_path(argv[i]);
    return status;
}
