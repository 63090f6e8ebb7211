/* env: prints the environment, or runs a command with NAME=value settings
 * added: env [-i] [NAME=value...] [command [args...]]. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char** environ;

int main(int argc, char** argv) {
    int i = 1;
    if (i < argc && strcmp(argv[i], "-i") == 0) {
        static char* empty[] = {NULL};
        environ = empty;
        ++i;
    } else if (i < argc && argv[i][0] == '-') {
        fprintf(stderr, "usage: env [-i] [NAME=value...] [command [args...]]\n");
        return 2;
    }
    for (; i < argc && strchr(argv[i], '='); ++i) {
        char* equals = strchr(argv[i], '=');
        *equals = '\0';
        setenv(argv[i], equals + 1, 1);
        *equals = '=';
    }
    if (i == argc) {
        for (char** e = environ; *e; ++e)
            printf("%s\n", *e);
        return 0;
    }
    execvp(argv[i], argv + i);
    int error = errno;
    fprintf(stderr, "env: %s: %s\n", argv[i], strerror(error));
    return error == ENOENT ? 127 : 126;
}
