/* cp: copies a file to a file, or files into a directory. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "destination.h"

static int copy(const char* from, const char* to) {
    int in = open(from, O_RDONLY);
    if (in < 0) {
        fprintf(stderr, "cp: %s: %s\n", from, strerror(errno));
        return 1;
    }
    struct stat info;
    if (fstat(in, &info) < 0)
        info.st_mode = 0644;
    if (S_ISDIR(info.st_mode)) {
        fprintf(stderr, "cp: %s: is a directory (not copied)\n", from);
        close(in);
        return 1;
    }
    /* The permissions come along (a copied program stays executable). */
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, info.st_mode & 0777);
    if (out < 0) {
        fprintf(stderr, "cp: %s: %s\n", to, strerror(errno));
        close(in);
        return 1;
    }
    char buffer[8192];
    int n, status = 0;
    while (status == 0 && (n = read(in, buffer, sizeof(buffer))) > 0) {
        for (int done = 0; done < n;) {
            int written = write(out, buffer + done, (size_t)(n - done));
            if (written < 0) {
                fprintf(stderr, "cp: %s: %s\n", to, strerror(errno));
                status = 1;
                break;
            }
            done += written;
        }
    }
    if (status == 0 && n < 0) {
        fprintf(stderr, "cp: %s: %s\n", from, strerror(errno));
        status = 1;
    }
    close(in);
    if (close(out) < 0)
        status = 1;
    return status;
}

int main(int argc, char** argv) {
    if (argc < 3 || argv[1][0] == '-') {
        fprintf(stderr, "usage: cp source target   cp source... directory\n");
        return 2;
    }
    const char* target = argv[argc - 1];
    int into_directory = is_directory(target);
    if (argc > 3 && !into_directory) {
        fprintf(stderr, "cp: %s: not a directory\n", target);
        return 1;
    }
    int status = 0;
    for (int i = 1; i < argc - 1; ++i) {
        char path[4096];
        if (destination_path(path, sizeof(path), argv[i], target, into_directory) < 0) {
            fprintf(stderr, "cp: %s: %s\n", argv[i], strerror(ENAMETOOLONG));
            status = 1;
            continue;
        }
        status |= copy(argv[i], path);
    }
    return status;
}
