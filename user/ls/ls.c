/* ls: lists directories (sorted by name); -a shows dot files, -l the
 * long form (type and permissions, links, size, name, and where a symbolic
 * link points). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "listing.h"

static int all, long_form;

static void mode_text(mode_t mode, char* out) {
    out[0] = S_ISDIR(mode)    ? 'd'
             : S_ISLNK(mode)  ? 'l'
             : S_ISCHR(mode)  ? 'c'
             : S_ISFIFO(mode) ? 'p'
                              : '-';
    const char* letters = "rwxrwxrwx";
    for (int i = 0; i < 9; ++i)
        out[1 + i] = (mode & (0400 >> i)) ? letters[i] : '-';
    out[10] = '\0';
}

static void show(const char* path, const char* name) {
    if (!long_form) {
        printf("%s\n", name);
        return;
    }
    struct stat info;
    if (lstat(path, &info) < 0) {
        fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
        return;
    }
    char mode[11];
    mode_text(info.st_mode, mode);
    printf("%s %2lu %8ld %s", mode, (unsigned long)info.st_nlink, (long)info.st_size, name);
    char target[4096];
    ssize_t length = S_ISLNK(info.st_mode) ? readlink(path, target, sizeof(target) - 1) : -1;
    if (length >= 0)
        printf(" -> %.*s", (int)length, target);
    printf("\n");
}

static int list(const char* path, int header) {
    struct stat info;
    if (stat(path, &info) < 0) {
        fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (!S_ISDIR(info.st_mode)) {
        show(path, path);
        return 0;
    }
    size_t count = 0;
    char** names = list_directory(path, all ? LIST_ALL : LIST_VISIBLE, 1, &count);
    if (!names) {
        fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
        return 1;
    }
    int status = 0;
    if (header)
        printf("%s:\n", path);
    for (size_t i = 0; i < count; ++i) {
        char full[4096];
        if (snprintf(full, sizeof(full), "%s/%s", path, names[i]) >= (int)sizeof(full)) {
            fprintf(stderr, "ls: %s/%s: %s\n", path, names[i], strerror(ENAMETOOLONG));
            status = 1;
        } else {
            show(full, names[i]);
        }
    }
    free_listing(names, count);
    return status;
}

int main(int argc, char** argv) {
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; ++i) {
        for (const char* o = argv[i] + 1; *o; ++o) {
            if (*o == 'a')
                all = 1;
            else if (*o == 'l')
                long_form = 1;
            else {
                fprintf(stderr, "ls: unknown option -%c\nusage: ls [-al] [path...]\n", *o);
                return 2;
            }
        }
    }
    if (i == argc)
        return list(".", 0);
    /* As other ls: the files named come first, together; then each
     * directory's listing, with a header if more than one path was named. */
    int status = 0, printed = 0;
    const int many = argc - i > 1;
    /* A named symbolic link: with -l the link itself (a dangling one too),
     * else what it points to. */
    for (int k = i; k < argc; ++k) {
        struct stat info;
        if ((long_form ? lstat(argv[k], &info) : stat(argv[k], &info)) < 0) {
            fprintf(stderr, "ls: %s: %s\n", argv[k], strerror(errno));
            status = 1;
        } else if (!S_ISDIR(info.st_mode)) {
            show(argv[k], argv[k]);
            printed = 1;
        }
    }
    for (int k = i; k < argc; ++k) {
        struct stat info;
        if ((long_form ? lstat(argv[k], &info) : stat(argv[k], &info)) == 0 &&
            S_ISDIR(info.st_mode)) {
            if (printed)
                printf("\n");
            status |= list(argv[k], many);
            printed = 1;
        }
    }
    return status;
}
