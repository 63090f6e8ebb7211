/* tail: the last lines of a file or of standard input (-n N, default 10).
 * Reads everything, keeping the last N lines in a ring. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

int main(int argc, char** argv) {
    long count = 10;
    int i = 1;
    if (line_count_option(argc, argv, &i, 100000, &count) < 0 || argc - i > 1 ||
        (i < argc && argv[i][0] == '-' && argv[i][1])) {
        fprintf(stderr, "usage: tail [-n lines] [file]\n");
        return 2;
    }
    FILE* in = i < argc ? fopen(argv[i], "r") : stdin;
    if (!in) {
        fprintf(stderr, "tail: %s: %s\n", argv[i], strerror(errno));
        return 1;
    }
    if (count == 0)
        return 0;
    char** ring = calloc((size_t)count, sizeof(char*));
    if (!ring) {
        fprintf(stderr, "tail: %s\n", strerror(ENOMEM));
        return 1;
    }
    long seen = 0;
    int status = 0;
    char line[4096];
    while (fgets(line, sizeof(line), in)) {
        free(ring[seen % count]);
        ring[seen % count] = strdup(line);
        if (!ring[seen % count]) {
            fprintf(stderr, "tail: %s\n", strerror(ENOMEM));
            status = 1;
            break;
        }
        ++seen;
    }
    for (long k = seen > count ? seen - count : 0; k < seen; ++k) {
        if (status == 0)
            fputs(ring[k % count], stdout);
        free(ring[k % count]);
    }
    free(ring);
    return status;
}
