/* ln: makes links: ln [-s] target name, or ln [-s] target... directory
 * (each link named after its target's last component). -s makes symbolic
 * links, whose target is stored as given; without it, hard links. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "destination.h"

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
    const int into_directory = is_directory(last);
    if (argc - i > 2 && !into_directory) {
        fprintf(stderr, "ln: %s: not a directory\n", last);
        return 1;
    }
    int status = 0;
    for (; i < argc - 1; ++i) {
        char name[4096];
        if (destination_path(name, sizeof(name), argv[i], last, into_directory) < 0) {
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
