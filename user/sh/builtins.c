/* builtins.c: the table of the commands the shell runs itself, with
 * whether each is one of POSIX 2.14's special builtins (whose errors exit
 * a non-interactive shell and whose prefix assignments stay set). */
#include <string.h>

#include "builtins.h"

/* Sorted by name so that `type` and completion list them in order. */
static const struct builtin table[] = {
    {".", builtin_dot, 1},           {":", builtin_colon, 1},
    {"[", builtin_test, 0},          {"alias", builtin_alias, 0},
    {"bg", builtin_bg, 0},           {"break", builtin_break, 1},
    {"cd", builtin_cd, 0},           {"chdir", builtin_cd, 0}, /* dash's other name for cd */
    {"command", builtin_command, 0}, {"continue", builtin_continue, 1},
    {"echo", builtin_echo, 0},       {"eval", builtin_eval, 1},
    {"exec", builtin_exec, 1},       {"exit", builtin_exit, 1},
    {"export", builtin_export, 1},   {"false", builtin_false, 0},
    {"fg", builtin_fg, 0},           {"getopts", builtin_getopts, 0},
    {"hash", builtin_hash, 0},       {"jobs", builtin_jobs, 0},
    {"kill", builtin_kill, 0},       {"local", builtin_local, 1},
    {"printf", builtin_printf, 0},   {"pwd", builtin_pwd, 0},
    {"read", builtin_read, 0},       {"readonly", builtin_readonly, 1},
    {"return", builtin_return, 1},   {"set", builtin_set, 1},
    {"shift", builtin_shift, 1},     {"test", builtin_test, 0},
    {"times", builtin_times, 1},     {"trap", builtin_trap, 1},
    {"true", builtin_colon, 0},      {"type", builtin_type, 0},
    {"ulimit", builtin_ulimit, 0},   {"umask", builtin_umask, 0},
    {"unalias", builtin_unalias, 0}, {"unset", builtin_unset, 1},
    {"wait", builtin_wait, 0},
};

enum { TABLE_SIZE = sizeof table / sizeof table[0] };

/* A linear search: the table is small and looked up once per command. */
const struct builtin* builtin_find(const char* name) {
    for (int i = 0; i < TABLE_SIZE; i++)
        if (strcmp(table[i].name, name) == 0)
            return &table[i];
    return NULL;
}

/* The index-th entry in name order, NULL past the end. */
const struct builtin* builtin_at(int index) {
    if (index < 0 || index >= TABLE_SIZE)
        return NULL;
    return &table[index];
}
