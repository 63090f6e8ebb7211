/* cat: copies files (or standard input, or "-") to standard output. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int copy(int fd, const char* name) {
    char buffer[4096];
    int n;
    while ((n = read(fd, buffer, sizeof(buffer))) > 0) {
        for (int done = 0; done < n;) {
            int written = write(1, buffer + done, (size_t)(n - done));
            if (written < 0) {
                fprintf(stderr, "cat: write error: %s\n", strerror(errno));
                return 1;
            }
            done += written;
        }
    }
    if (n < 0) {
        fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char** argv) {
    if (argc < 2)
        return copy(0, "standard input");
    int status = 0;
    for (int i = 1; i < argc; ++i) {
        if (strcmp(argv[i], "-") == 0) {
            status |= copy(0, "standard input");
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "cat: unknown option %s\nusage: cat [file...]\n", argv[i]);
            return 2;
        }
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        status |= copy(fd, argv[i]);
        close(fd);
    }
    return status;
}
