/* ln: makes links: ln [-s] target name, or ln [-s] target... directory
 * (each link named after its target's last component). -s makes symbolic
 * links, whose target is stored as given; without it, hard links. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char** argv) {
    int symbolic = 0, i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; ++i) {
        if (strcmp(argv[i], "-s") == 0) {
            symbolic = 1;
        } else {
            fprintf(stderr, "ln: unknown option %s\nusage: ln [-s] target name\n", argv[i]);
            return 2;
        }
    }
    if (argc - i < 2) {
        fprintf(stderr, "usage: ln [-s] target name   ln [-s] target... directory\n");
        return 2;
    }
    const char* last = argv[argc - 1];
    struct stat info;
    const int into_directory = stat(last, &info) == 0 && S_ISDIR(info.st_mode);
    if (argc - i > 2 && !into_directory) {
        fprintf(stderr, "ln: %s: not a directory\n", last);
        return 1;
    }
    int status = 0;
    for (; i < argc - 1; ++i) {
        char name[4096];
        const char* base = strrchr(argv[i], '/');
        if (snprintf(name, sizeof(name), "%s%s%s", last, into_directory ? "/" : "",
                     into_directory ? (base ? base + 1 : argv[i]) : "") >= (int)sizeof(name)) {
            fprintf(stderr, "ln: %s: %s\n", argv[i], strerror(ENAMETOOLONG));
            status = 1;
            continue;
        }
        if ((symbolic ? symlink(argv[i], name) : link(argv[i], name)) < 0) {
            fprintf(stderr, "ln: %s -> %s: %s\n", name, argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
