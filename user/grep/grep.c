/* grep: prints lines that match a pattern. Patterns are simple regular
 * expressions: c (a character), . (any), c* (zero or more), ^ and $
 * (anchors), \c (c literally); -F takes the pattern as a fixed string.
 * Options: -v (non-matching lines), -c (count), -n (line numbers),
 * -i (ignore case). Exit status: 0 if a line was selected, 1 if none, 2 on error. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int invert, count_only, numbers, ignore_case, fixed;

static int same(char p, char c) {
    return ignore_case ? tolower((unsigned char)p) == tolower((unsigned char)c) : p == c;
}

/* One pattern element at p: its length (1, or 2 for \c) and whether it matches c. */
static int element_length(const char* p) {
    return p[0] == '\\' && p[1] ? 2 : 1;
}
static int element_matches(const char* p, char c) {
    if (c == '\0')
        return 0;
    if (p[0] == '\\' && p[1])
        return same(p[1], c);
    return p[0] == '.' || same(p[0], c);
}

/* Does pattern p match a prefix of text t (to the end if p ends in $)? */
static int match_here(const char* p, const char* t) {
    for (;;) {
        if (*p == '\0')
            return 1;
        if (p[0] == '$' && p[1] == '\0')
            return *t == '\0';
        int length = element_length(p);
        if (p[length] == '*') {
            /* Longest run first, then shorter ones. */
            const char* end = t;
            while (element_matches(p, *end))
                ++end;
            for (; end >= t; --end)
                if (match_here(p + length + 1, end))
                    return 1;
            return 0;
        }
        if (!element_matches(p, *t))
            return 0;
        p += length;
        ++t;
    }
}

static int matches(const char* pattern, const char* line) {
    if (fixed) {
        size_t n = strlen(pattern);
        for (const char* t = line; *t; ++t) {
            size_t k = 0;
            while (k < n && same(pattern[k], t[k]))
                ++k;
            if (k == n)
                return 1;
        }
        return n == 0;
    }
    if (pattern[0] == '^')
        return match_here(pattern + 1, line);
    for (const char* t = line;; ++t) {
        if (match_here(pattern, t))
            return 1;
        if (*t == '\0')
            return 0;
    }
}

static long search(const char* pattern, FILE* in, const char* name) {
    char line[4096];
    long selected = 0, number = 0;
    while (fgets(line, sizeof(line), in)) {
        ++number;
        size_t length = strlen(line);
        if (length && line[length - 1] == '\n')
            line[length - 1] = '\0';
        if (matches(pattern, line) == invert)
            continue;
        ++selected;
        if (count_only)
            continue;
        if (name)
            printf("%s:", name);
        if (numbers)
            printf("%ld:", number);
        printf("%s\n", line);
    }
    if (count_only)
        name ? printf("%s:%ld\n", name, selected) : printf("%ld\n", selected);
    return selected;
}

int main(int argc, char** argv) {
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; ++i) {
        for (const char* o = argv[i] + 1; *o; ++o) {
            switch (*o) {
            case 'v':
                invert = 1;
                break;
            case 'c':
                count_only = 1;
                break;
            case 'n':
                numbers = 1;
                break;
            case 'i':
                ignore_case = 1;
                break;
            case 'F':
                fixed = 1;
                break;
            default:
                fprintf(stderr,
                        "grep: unknown option -%c\nusage: grep [-vcniF] pattern [file...]\n", *o);
                return 2;
            }
        }
    }
    if (i == argc) {
        fprintf(stderr, "usage: grep [-vcniF] pattern [file...]\n");
        return 2;
    }
    const char* pattern = argv[i++];
    long selected = 0;
    int status = 0;
    if (i == argc)
        selected = search(pattern, stdin, NULL);
    for (int first = i; i < argc; ++i) {
        FILE* in = fopen(argv[i], "r");
        if (!in) {
            fprintf(stderr, "grep: %s: %s\n", argv[i], strerror(errno));
            status = 2;
            continue;
        }
        selected += search(pattern, in, argc - first > 1 ? argv[i] : NULL);
        fclose(in);
    }
    return status ? status : selected ? 0 : 1;
}
