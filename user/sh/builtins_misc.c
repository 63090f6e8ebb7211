/* builtins_misc.c: the small builtins that need no other part of the
 * shell (: true false times alias unalias), and the alias table the
 * parser consults. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/times.h>
#include <unistd.h>

#include "builtins.h"
#include "shell.h"
#include "util.h"

int builtin_colon(int argc, char** argv) {
    (void)argc, (void)argv;
    return 0;
}

int builtin_false(int argc, char** argv) {
    (void)argc, (void)argv;
    return 1;
}

/* Prints clock ticks as dash does: "0m0.00s" user then system. */
static void print_time(clock_t ticks, long per_second, char after) {
    double seconds = (double)ticks / (double)per_second;
    int minutes = (int)(seconds / 60);
    printf("%dm%.2fs%c", minutes, seconds - minutes * 60.0, after);
}

int builtin_times(int argc, char** argv) {
    (void)argc, (void)argv;
    struct tms t;
    times(&t);
    long hz = sysconf(_SC_CLK_TCK);
    if (hz <= 0)
        hz = 100;
    print_time(t.tms_utime, hz, ' ');
    print_time(t.tms_stime, hz, '\n');
    print_time(t.tms_cutime, hz, ' ');
    print_time(t.tms_cstime, hz, '\n');
    return 0;
}

/* The aliases: a list of "name=value" strings, in definition order. */
static struct strlist aliases;

static int alias_index(const char* name) {
    size_t length = strlen(name);
    for (int i = 0; i < aliases.count; i++)
        if (strncmp(aliases.items[i], name, length) == 0 && aliases.items[i][length] == '=')
            return i;
    return -1;
}

const char* alias_lookup(const char* name) {
    int i = alias_index(name);
    return i < 0 ? NULL : strchr(aliases.items[i], '=') + 1;
}

/* Prints name='value' with ' written as '"'"' as dash does. */
static void print_alias(const char* entry) {
    const char* equals = strchr(entry, '=');
    printf("%.*s='", (int)(equals - entry), entry);
    for (const char* p = equals + 1; *p; p++) {
        if (*p == '\'')
            fputs("'\"'\"'", stdout);
        else
            putchar(*p);
    }
    fputs("'\n", stdout);
}

int builtin_alias(int argc, char** argv) {
    int status = 0;
    if (argc == 1)
        for (int i = 0; i < aliases.count; i++)
            print_alias(aliases.items[i]);
    for (int a = 1; a < argc; a++) {
        char* equals = strchr(argv[a], '=');
        if (!equals) {
            int i = alias_index(argv[a]);
            if (i < 0) {
                fprintf(stderr, "alias: %s not found\n", argv[a]);
                status = 1;
            } else
                print_alias(aliases.items[i]);
            continue;
        }
        char* name = xstrndup(argv[a], (size_t)(equals - argv[a]));
        int i = alias_index(name);
        free(name);
        if (i >= 0) {
            free(aliases.items[i]);
            aliases.items[i] = xstrdup(argv[a]);
        } else
            sl_add(&aliases, xstrdup(argv[a]));
    }
    return status;
}

/* Removes entry i, keeping the list NULL-terminated. */
static void alias_remove(int i) {
    free(aliases.items[i]);
    memmove(&aliases.items[i], &aliases.items[i + 1], (size_t)(aliases.count - i) * sizeof(char*));
    aliases.count--;
}

int builtin_unalias(int argc, char** argv) {
    if (argc > 1 && strcmp(argv[1], "-a") == 0) {
        while (aliases.count)
            alias_remove(aliases.count - 1);
        return 0;
    }
    int status = 0;
    for (int a = 1; a < argc; a++) {
        int i = alias_index(argv[a]);
        if (i < 0) {
            fprintf(stderr, "unalias: %s not found\n", argv[a]);
            status = 1;
        } else
            alias_remove(i);
    }
    return status;
}
