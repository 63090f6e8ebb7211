/* pattern.c: shell pattern matching (POSIX.1-2017 2.13.1) for case,
 * ${x%pattern} and pathname expansion. */
#include <ctype.h>
#include <string.h>

#include "expand.h"

/* Whether c belongs to the class named by name[0..length). */
static int in_class(const char* name, size_t length, unsigned char c) {
    static const struct {
        const char* name;
        int (*test)(int);
    } classes[] = {
        {"alnum", isalnum}, {"alpha", isalpha}, {"blank", isblank}, {"cntrl", iscntrl},
        {"digit", isdigit}, {"graph", isgraph}, {"lower", islower}, {"print", isprint},
        {"punct", ispunct}, {"space", isspace}, {"upper", isupper}, {"xdigit", isxdigit},
    };
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; ++i)
        if (strlen(classes[i].name) == length && memcmp(classes[i].name, name, length) == 0)
            return classes[i].test(c) != 0;
    return 0;
}

/* Matches c against the bracket expression starting after '['. Returns the
 * position after its ']' with *matched set, or NULL when the bracket is not
 * closed (then '[' is an ordinary character). */
static const char* match_bracket(const char* p, unsigned char c, int* matched) {
    int negate = 0, found = 0;
    if (*p == '!') /* only '!' negates (POSIX 2.13.1); dash takes '^' literally */
        negate = 1, ++p;
    const char* start = p;
    while (*p && (*p != ']' || p == start)) {
        if (p[0] == '[' && p[1] == ':') {
            const char* end = strstr(p + 2, ":]");
            if (end) {
                if (in_class(p + 2, (size_t)(end - p - 2), c))
                    found = 1;
                p = end + 2;
                continue;
            }
        }
        unsigned char low = (unsigned char)*p;
        if (low == '\\' && p[1])
            low = (unsigned char)*++p;
        ++p;
        unsigned char high = low;
        if (p[0] == '-' && p[1] && p[1] != ']') {
            high = (unsigned char)p[1];
            p += 2;
            if (high == '\\' && *p)
                high = (unsigned char)*p++;
        }
        if (low <= c && c <= high)
            found = 1;
    }
    if (*p != ']')
        return NULL;
    *matched = found != negate;
    return p + 1;
}

int pattern_match(const char* pattern, const char* string) {
    const char* p = pattern;
    const char* s = string;
    /* The last '*' seen and the string position it was tried at: on a
     * mismatch, that star takes one more character (classic backtracking,
     * enough since a later star only ever needs the earliest match). */
    const char* star_p = NULL;
    const char* star_s = NULL;
    for (;;) {
        if (*p == '*') {
            while (*p == '*')
                ++p;
            star_p = p;
            star_s = s;
            continue;
        }
        if (*s == '\0' && *p == '\0')
            return 1;
        if (*s != '\0') {
            int matched = 0;
            const char* next = NULL;
            if (*p == '?') {
                matched = 1;
                next = p + 1;
            } else if (*p == '[' && (next = match_bracket(p + 1, (unsigned char)*s, &matched))) {
            } else if (*p == '\\' && p[1]) {
                matched = p[1] == *s;
                next = p + 2;
            } else if (*p) {
                matched = *p == *s;
                next = p + 1;
            }
            if (matched) {
                p = next;
                ++s;
                continue;
            }
        }
        if (!star_p || *star_s == '\0')
            return 0;
        p = star_p;
        s = ++star_s;
    }
}
