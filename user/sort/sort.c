/* sort: sorts lines of files or standard input; -r reverses, -n compares
 * leading numbers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reverse, numeric;

static int compare(const void* a, const void* b) {
    const char* x = *(char* const*)a;
    const char* y = *(char* const*)b;
    int order;
    if (numeric) {
        double dx = strtod(x, NULL), dy = strtod(y, NULL);
        order = dx < dy ? -1 : dx > dy ? 1 : strcmp(x, y);
    } else {
        order = strcmp(x, y);
    }
    return reverse ? -order : order;
}

static char** lines;
static size_t count, capacity;

static int read_lines(FILE* in) {
    char line[4096];
    while (fgets(line, sizeof(line), in)) {
        if (count == capacity) {
            capacity = capacity ? capacity * 2 : 64;
            char** grown = realloc(lines, capacity * sizeof(char*));
            if (!grown) {
                fprintf(stderr, "sort: out of memory\n");
                return 1;
            }
            lines = grown;
        }
        size_t length = strlen(line);
        if (length && line[length - 1] != '\n')
            line[length] = '\n', line[length + 1 < sizeof(line) ? length + 1 : length] = '\0';
        lines[count++] = strdup(line);
    }
    return 0;
}

int main(int argc, char** argv) {
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; ++i) {
        for (const char* o = argv[i] + 1; *o; ++o) {
            if (*o == 'r')
                reverse = 1;
            else if (*o == 'n')
                numeric = 1;
            else {
                fprintf(stderr, "sort: unknown option -%c\nusage: sort [-rn] [file...]\n", *o);
                return 2;
            }
        }
    }
    int status = 0;
    if (i == argc)
        status = read_lines(stdin);
    for (; i < argc; ++i) {
        FILE* in = fopen(argv[i], "r");
        if (!in) {
            fprintf(stderr, "sort: %s: %s\n", argv[i], strerror(errno));
            return 2;
        }
        status |= read_lines(in);
        fclose(in);
    }
    qsort(lines, count, sizeof(char*), compare);
    for (size_t k = 0; k < count; ++k) {
        fputs(lines[k], stdout);
        free(lines[k]);
    }
    free(lines);
    return status;
}
