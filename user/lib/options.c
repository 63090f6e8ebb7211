/* options.c: see options.h. */
#include "options.h"

#include <stdlib.h>
#include <string.h>

int line_count_option(int argc, char** argv, int* next, long limit, long* count) {
    if (*next >= argc || strcmp(argv[*next], "-n") != 0)
        return 0;
    if (*next + 1 >= argc)
        return -1;
    char* end = NULL;
    const long value = strtol(argv[*next + 1], &end, 10);
    if (!*argv[*next + 1] || *end || value < 0 || value > limit)
        return -1;
    *count = value;
    *next += 2;
    return 0;
}
