/* vars.h: shell variables (apart from the environment, which is made from
 * the exported ones when a program is executed), positional parameters,
 * and function-local scopes as dash has them. */
#ifndef KITE_SH_VARS_H
#define KITE_SH_VARS_H

#include <stddef.h>

enum {
    VAR_EXPORT = 1,   /* goes into the environment of programs */
    VAR_READONLY = 2, /* var_set and var_unset fail on it */
};

/* Imports environ (all exported) and sets the shell's own variables
 * (IFS, PS1, PS2, PS4, OPTIND=1, PPID; PATH if missing). */
void vars_init(char** environ);

const char* var_get(const char* name); /* NULL if unset */
/* Sets a variable (value NULL: declared without a value, as `export x`
 * does for an unset x) and adds flags to it. Returns 0, or -1 after
 * reporting "sh: LINE: NAME: is read only". */
int var_set(const char* name, const char* value, int flags);
/* var_set for a "NAME=value" string, value taken as is (already expanded). */
int var_assign(const char* assignment, int flags);
int var_unset(const char* name); /* -1 after reporting, for a read-only one */
int var_flags(const char* name); /* its VAR_ flags; -1 if no such variable */

/* Calls visit for every variable, sorted by name (for set, export -p,
 * readonly -p); value NULL for a declared-only one. */
void var_each(void (*visit)(const char* name, const char* value, int flags, void* context),
              void* context);

/* The environment for execve: "NAME=value" of every exported variable
 * with a value. Owned by the caller: free with free_environment. */
char** var_environment(void);
void free_environment(char** environment);

/* Function scopes. var_push_scope starts one (a function call, or the
 * temporary assignments of `NAME=value builtin`/`NAME=value function`);
 * var_local makes a variable local to the innermost scope (its old value
 * and flags are restored by var_pop_scope; `local x` keeps x's value,
 * `local x=v` sets it). var_local outside any function scope fails. */
void var_push_scope(void);
void var_pop_scope(void);
int var_local(const char* name_or_assignment);
int var_scope_depth(void);

/* Positional parameters $1 ... $N. params_set copies argv; params_save
 * takes the current ones away (a function call) and params_restore puts
 * them back (frees what the function had). $0 is separate (shell.h). */
/* getopts' place between calls: the next word's index (OPTIND) and, inside
 * a word of grouped letters (-ab), the next letter's offset (0: none). As
 * in dash it goes with the positional parameters: params_set (set --, a
 * function call) starts it at 1 and params_restore brings back the
 * caller's; assigning OPTIND sets optind_set, and getopts then starts from
 * OPTIND's value. */
struct getopts_place {
    int index;
    size_t offset;
    int optind_set;
};
struct params {
    char** items; /* NULL-terminated */
    int count;
    struct getopts_place place;
};
void params_set(char* const* items, int count);
const struct params* params_get(void);
struct params params_save(void);
void params_restore(struct params saved);
/* shift n: -1 (reported "sh: LINE: shift: can't shift that many") if n > $#. */
int params_shift(int n);
struct getopts_place* getopts_place(void); /* the current parameters' */

#endif
