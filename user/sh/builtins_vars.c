/* builtins_vars.c: builtins that change variables and parameters. Done so
 * far: export readonly unset local shift (getopts and read have files of
 * their own; set is in builtin_set.c). Their errors go through
 * shell_fatal_error: all are special builtins (local too, as in dash). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "shell.h"
#include "vars.h"

/* Writes value in single quotes as dash does, ' as '"'"'. */
static void print_quoted(const char* value) {
    putchar('\'');
    for (const char* p = value; *p; p++) {
        if (*p == '\'')
            fputs("'\"'\"'", stdout);
        else
            putchar(*p);
    }
    putchar('\'');
}

struct listing {
    const char* word; /* "export" or "readonly" */
    int flag;
};

/* One line of export -p / readonly -p for a variable with that flag. */
static void print_declaration(const char* name, const char* value, int flags, void* context) {
    const struct listing* listing = context;
    if (!(flags & listing->flag))
        return;
    printf("%s %s", listing->word, name);
    if (value) {
        putchar('=');
        print_quoted(value);
    }
    putchar('\n');
}

/* A name is a letter or _ then letters, digits and _ (POSIX 3.235). */
static int valid_name(const char* text, size_t length) {
    if (length == 0 || isdigit((unsigned char)text[0]))
        return 0;
    for (size_t i = 0; i < length; i++)
        if (!isalnum((unsigned char)text[i]) && text[i] != '_')
            return 0;
    return 1;
}

/* Whether the variable (its name's first length bytes) is read-only,
 * reported with the builtin's name as dash words it. */
static int read_only(const char* builtin, const char* name, size_t length) {
    char* variable = xstrndup(name, length);
    int flags = var_flags(variable);
    int refused = flags >= 0 && (flags & VAR_READONLY);
    if (refused)
        sh_error("%s: %s: is read only", builtin, variable);
    free(variable);
    return refused;
}

/* export and readonly: NAME=value sets and flags, NAME only flags (keeping
 * the value), no operands or -p lists. */
/* The options before the operands (letters of allowed, -- ends them), as
 * flags of bits 1 << (letter - 'a'); the first operand's index, or -1
 * after reporting an unknown one (a special builtin's error). */
static int parse_options(int argc, char** argv, const char* allowed, int* seen) {
    int i = 1;
    *seen = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0)
            return i + 1;
        for (const char* p = argv[i] + 1; *p; p++) {
            if (!strchr(allowed, *p) || *p < 'a' || *p > 'z') {
                sh_error("%s: Illegal option -%c", argv[0], *p);
                shell_fatal_error(2);
                return -1;
            }
            *seen |= 1 << (*p - 'a');
        }
    }
    return i;
}

static int declare(int argc, char** argv, const char* word, int flag) {
    int options_seen;
    int first = parse_options(argc, argv, "p", &options_seen);
    if (first < 0)
        return 2;
    if (first >= argc || options_seen) { /* -p lists, operands or not, as dash */
        struct listing listing = {word, flag};
        var_each(print_declaration, &listing);
        return 0;
    }
    for (int i = first; i < argc; i++) {
        const char* equals = strchr(argv[i], '=');
        size_t length = equals ? (size_t)(equals - argv[i]) : strlen(argv[i]);
        if (!valid_name(argv[i], length)) {
            sh_error("%s: %.*s: bad variable name", word, (int)length, argv[i]);
            shell_fatal_error(2);
            return 2;
        }
        if (equals && read_only(word, argv[i], length)) {
            shell_fatal_error(2);
            return 2;
        }
        /* NAME alone: the flag only (value NULL keeps the value), which a
         * read-only variable takes too: readonly x=1; export x. */
        int status = equals ? var_assign(argv[i], flag) : var_set(argv[i], NULL, flag);
        if (status < 0) {
            shell_fatal_error(2);
            return 2;
        }
    }
    return 0;
}

int builtin_export(int argc, char** argv) {
    return declare(argc, argv, "export", VAR_EXPORT);
}

int builtin_readonly(int argc, char** argv) {
    return declare(argc, argv, "readonly", VAR_READONLY);
}

/* unset [-f|-v] NAME...: -v (the default) variables, -f functions. */
int builtin_unset(int argc, char** argv) {
    int options_seen;
    int first = parse_options(argc, argv, "fv", &options_seen);
    if (first < 0)
        return 2;
    int functions = (options_seen & (1 << ('f' - 'a'))) != 0;
    for (int i = first; i < argc; i++) {
        if (functions) {
            function_unset(argv[i]);
            continue;
        }
        if (!valid_name(argv[i], strlen(argv[i]))) {
            sh_error("unset: %s: bad variable name", argv[i]);
            shell_fatal_error(2);
            return 2;
        }
        if (read_only("unset", argv[i], strlen(argv[i])) || var_unset(argv[i]) < 0) {
            shell_fatal_error(2);
            return 2;
        }
    }
    return 0;
}

int builtin_local(int argc, char** argv) {
    if (var_scope_depth() == 0) {
        sh_error("local: not in a function");
        shell_fatal_error(2);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        const char* equals = strchr(argv[i], '=');
        size_t length = equals ? (size_t)(equals - argv[i]) : strlen(argv[i]);
        /* local - (the options, which dash restores) is left to var_local. */
        if (strcmp(argv[i], "-") != 0 && !valid_name(argv[i], length)) {
            sh_error("local: %.*s: bad variable name", (int)length, argv[i]);
            shell_fatal_error(2);
            return 2;
        }
        if ((equals && read_only("local", argv[i], length)) || var_local(argv[i]) < 0) {
            shell_fatal_error(2);
            return 2;
        }
    }
    return 0;
}

/* shift [n]: n defaults to 1; a bad count is "Illegal number" as in dash. */
int builtin_shift(int argc, char** argv) {
    long count = 1;
    if (argc > 1) {
        char* end;
        errno = 0;
        count = strtol(argv[1], &end, 10);
        if (*end || end == argv[1] || count < 0 || errno == ERANGE || count > INT_MAX) {
            sh_error("shift: Illegal number: %s", argv[1]);
            shell_fatal_error(2);
            return 2;
        }
    }
    if (params_shift((int)count) < 0) {
        shell_fatal_error(2);
        return 2;
    }
    return 0;
}
