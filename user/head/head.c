/* head: the first lines of files (-n N, default 10). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

static void head(FILE* in, long count) {
    int c;
    while (count > 0 && (c = getc(in)) != EOF) {
        putchar(c);
        count -= c == '\n';
    }
}

int main(int argc, char** argv) {
    long count = 10;
    int i = 1;
    if (line_count_option(argc, argv, &i, LONG_MAX, &count) < 0 ||
        (i < argc && argv[i][0] == '-' && argv[i][1])) {
        fprintf(stderr, "usage: head [-n lines] [file...]\n");
        return 2;
    }
    if (i == argc) {
        head(stdin, count);
        return 0;
    }
    int status = 0;
    for (int first = i; i < argc; ++i) {
        FILE* in = fopen(argv[i], "r");
        if (!in) {
            fprintf(stderr, "head: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        if (argc - first > 1)
            printf("%s==> %s <==\n", i > first ? "\n" : "", argv[i]);
        head(in, count);
        fclose(in);
    }
    return status;
}
