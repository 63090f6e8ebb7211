/* builtin_set.c: set: options by letter or by -o name, the positional
 * parameters after them or after --, and the variables listed without
 * arguments (quoted so that the output can be read back). */
#include <stdio.h>
#include <string.h>

#include "builtins.h"
#include "shell.h"
#include "vars.h"

static void show_variable(const char* name, const char* value, int flags, void* context) {
    (void)flags;
    (void)context;
    if (!value)
        return;
    printf("%s='", name);
    for (const char* c = value; *c; ++c)
        fputs(*c == '\'' ? "'\\''" : (char[]){*c, 0}, stdout);
    printf("'\n");
}

/* The options -o names, in the order dash lists them (of those this
 * shell has). */
static const struct {
    const char* name;
    char letter;
} option_names[] = {
    {"errexit", 'e'}, {"noglob", 'f'},  {"allexport", 'a'}, {"monitor", 'm'}, {"noexec", 'n'},
    {"xtrace", 'x'},  {"verbose", 'v'}, {"noclobber", 'C'}, {"nounset", 'u'},
};
enum { OPTION_NAMES = sizeof option_names / sizeof option_names[0] };

/* set -o / set +o alone: the settings as a table, or as commands. */
static void list_options(int as_commands) {
    if (!as_commands)
        printf("Current option settings\n");
    for (int i = 0; i < OPTION_NAMES; i++) {
        int on = *option_flag(option_names[i].letter);
        if (as_commands)
            printf("set %co %s\n", on ? '-' : '+', option_names[i].name);
        else
            printf("%-16s%s\n", option_names[i].name, on ? "on" : "off");
    }
}

/* -o NAME / +o NAME; 0, or -1 after reporting. */
static int set_named(const char* name, int on) {
    for (int i = 0; i < OPTION_NAMES; i++) {
        if (strcmp(option_names[i].name, name) == 0) {
            *option_flag(option_names[i].letter) = on;
            return 0;
        }
    }
    sh_error("set: Illegal option -o %s", name);
    return -1;
}

/* set [-+aeufxnvCm] [-+o name] [--] [arguments]: options, then the
 * positional parameters when arguments (or --) are given; alone, lists
 * variables. */
int builtin_set(int argc, char** argv) {
    if (argc == 1) {
        var_each(show_variable, NULL);
        return 0;
    }
    int i = 1;
    for (; i < argc && (argv[i][0] == '-' || argv[i][0] == '+') && argv[i][1]; ++i) {
        if (strcmp(argv[i], "--") == 0) {
            ++i;
            params_set(argv + i, argc - i);
            return 0;
        }
        if (strcmp(argv[i] + 1, "o") == 0) {
            if (i + 1 >= argc) {
                list_options(argv[i][0] == '+');
                continue;
            }
            if (set_named(argv[i + 1], argv[i][0] == '-') < 0) {
                shell_fatal_error(2);
                return 2;
            }
            ++i;
            continue;
        }
        for (const char* letter = argv[i] + 1; *letter; ++letter) {
            int* flag = option_flag(*letter);
            if (!flag) {
                sh_error("set: Illegal option %c%c", argv[i][0], *letter);
                shell_fatal_error(2);
                return 2;
            }
            *flag = argv[i][0] == '-';
        }
    }
    if (i < argc)
        params_set(argv + i, argc - i);
    return 0;
}
