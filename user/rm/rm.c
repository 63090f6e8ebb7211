/* rm: removes files; -r removes directories and their contents; -f
 * ignores missing files. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int recursive, force;

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
        DIR* dir = opendir(path);
        if (!dir) {
            fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
            return 1;
        }
        int status = 0;
        /* Removing entries while reading shifts the rest: restart until empty. */
        for (int removed = 1; removed;) {
            removed = 0;
            rewinddir(dir);
            for (struct dirent* entry; (entry = readdir(dir));) {
                if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, ".."))
                    continue;
                char child[512];
                snprintf(child, sizeof(child), "%s/%s", path, entry->d_name);
                if (remove_path(child) != 0) {
                    status = 1;
                    continue;
                }
                removed = 1;
                break;
            }
        }
        closedir(dir);
        if (rmdir(path) < 0) {
            fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
            return 1;
        }
        return status;
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
