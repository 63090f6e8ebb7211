/* mv: renames a file or directory, or moves files into a directory. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "destination.h"

int main(int argc, char** argv) {
    if (argc < 3 || argv[1][0] == '-') {
        fprintf(stderr, "usage: mv source target   mv source... directory\n");
        return 2;
    }
    const char* target = argv[argc - 1];
    int into_directory = is_directory(target);
    if (argc > 3 && !into_directory) {
        fprintf(stderr, "mv: %s: not a directory\n", target);
        return 1;
    }
    int status = 0;
    for (int i = 1; i < argc - 1; ++i) {
        char path[4096];
        if (destination_path(path, sizeof(path), argv[i], target, into_directory) < 0) {
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
