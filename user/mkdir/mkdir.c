/* mkdir: makes directories; -p makes missing parents and accepts existing ones. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int make(char* path, int parents) {
    if (parents) {
        for (char* slash = *path ? strchr(path + 1, '/') : NULL; slash;
             slash = strchr(slash + 1, '/')) {
            *slash = '\0';
            int failed = mkdir(path, 0755) < 0 && errno != EEXIST;
            *slash = '/';
            if (failed) {
                fprintf(stderr, "mkdir: %s: %s\n", path, strerror(errno));
                return 1;
            }
        }
    }
    if (mkdir(path, 0755) < 0 && !(parents && errno == EEXIST)) {
        fprintf(stderr, "mkdir: %s: %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char** argv) {
    int i = 1, parents = 0;
    if (i < argc && strcmp(argv[i], "-p") == 0)
        parents = 1, ++i;
    if (i == argc || argv[i][0] == '-') {
        fprintf(stderr, "usage: mkdir [-p] directory...\n");
        return 2;
    }
    int status = 0;
    for (; i < argc; ++i)
        status |= make(argv[i], parents);
    return status;
}
