/* builtins_io.c: echo as dash has it (-n first, backslash escapes always
 * interpreted). printf has its own file, builtin_printf.c. */
#include <stdio.h>
#include <string.h>

#include "builtins.h"

/* Writes text with dash's echo escapes; returns 1 at \c (stop all output). */
static int echo_escaped(const char* text) {
    for (const char* p = text; *p; p++) {
        if (*p != '\\' || !p[1]) {
            putchar(*p);
            continue;
        }
        p++;
        const char* known = "abfnrtv\\";
        const char* values = "\a\b\f\n\r\t\v\\";
        const char* found = strchr(known, *p);
        if (*p == 'c')
            return 1;
        if (found) {
            putchar(values[found - known]);
        } else if (*p >= '0' && *p <= '7') {
            /* \0nnn or \nnn: up to three octal digits after an optional 0. */
            int limit = *p == '0' ? 4 : 3, value = 0;
            for (int i = 0; i < limit && *p >= '0' && *p <= '7'; i++, p++)
                value = value * 8 + (*p - '0');
            p--;
            putchar(value & 0xff);
        } else {
            putchar('\\');
            putchar(*p);
        }
    }
    return 0;
}

int builtin_echo(int argc, char** argv) {
    int first = 1, newline = 1;
    if (argc > 1 && strcmp(argv[1], "-n") == 0)
        first = 2, newline = 0;
    for (int i = first; i < argc; i++) {
        if (i > first)
            putchar(' ');
        if (echo_escaped(argv[i]))
            return 0;
    }
    if (newline)
        putchar('\n');
    return 0;
}
