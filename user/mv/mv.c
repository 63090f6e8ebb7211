/* mv: renames a file or directory, or moves files into a directory. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int main(int argc, char** argv) {
    if (argc < 3 || argv[1][0] == '-') {
        fprintf(stderr, "usage: mv source target   mv source... directory\n");
        return 2;
    }
    const char* target = argv[argc - 1];
    struct stat info;
    int into_directory = stat(target, &info) == 0 && S_ISDIR(info.st_mode);
    if (argc > 3 && !into_directory) {
        fprintf(stderr, "mv: %s: not a directory\n", target);
        return 1;
    }
    int status = 0;
    for (int i = 1; i < argc - 1; ++i) {
        char path[4096];
        const char* base = strrchr(argv[i], '/');
        if (snprintf(path, sizeof(path), "%s%s%s", target, into_directory ? "/" : "",
                     into_directory ? (base ? base + 1 : argv[i]) : "") >= (int)sizeof(path)) {
            fprintf(stderr, "mv: %s: %s\n", argv[i], strerror(ENAMETOOLONG));
            status = 1;
            continue;
        }
        if (rename(argv[i], path) < 0) {
            fprintf(stderr, "mv: %s -> %s: %s\n", argv[i], path, strerror(errno));
            status = 1;
        }
    }
    return status;
}
