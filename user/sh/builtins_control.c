/* builtins_control.c: the builtins that steer the executor: break
 * continue return exit eval exec . wait command type hash. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtins.h"
#include "exec_private.h"
#include "shell.h"
#include "vars.h"

/* A count argument (break 2, exit 3): -1 after reporting a bad one. */
static int number_argument(char** argv, int fallback) {
    if (!argv[1])
        return fallback;
    char* end;
    errno = 0;
    long n = strtol(argv[1], &end, 10);
    /* Past INT_MAX (or long) is as illegal as a letter: exit 4294967297
     * must not exit 1 after a cast. */
    if (*argv[1] == '\0' || *end || n < 0 || errno == ERANGE || n > INT_MAX) {
        sh_error("%s: Illegal number: %s", argv[0], argv[1]);
        return -1;
    }
    return (int)n;
}

/* break and continue: leave (or restart) n enclosing loops. */
static int loop_control(char** argv, enum flow flow) {
    int n = number_argument(argv, 1);
    if (n < 0 || (argv[1] && n == 0)) {
        if (n == 0)
            sh_error("%s: Illegal number: %s", argv[0], argv[1]);
        shell_fatal_error(2);
        return 2;
    }
    if (loop_depth == 0)
        return 0;
    if (n > loop_depth)
        n = loop_depth;
    pending_flow = flow;
    pending_levels = n;
    return 0;
}

int builtin_break(int argc, char** argv) {
    (void)argc;
    return loop_control(argv, FLOW_BREAK);
}

int builtin_continue(int argc, char** argv) {
    (void)argc;
    return loop_control(argv, FLOW_CONTINUE);
}

int builtin_return(int argc, char** argv) {
    (void)argc;
    int n = number_argument(argv, last_status);
    if (n < 0) {
        shell_fatal_error(2);
        return 2;
    }
    if (function_depth > 0)
        pending_flow = FLOW_RETURN;
    last_status = n & 255;
    return n & 255;
}

int builtin_exit(int argc, char** argv) {
    (void)argc;
    int n = number_argument(argv, last_status);
    if (n < 0) {
        shell_fatal_error(2);
        return 2;
    }
    shell_exit(n);
}

int builtin_eval(int argc, char** argv) {
    struct strbuf text = {0};
    for (int i = 1; i < argc; i++) {
        if (i > 1)
            sb_addc(&text, ' ');
        sb_adds(&text, argv[i]);
    }
    char* command = sb_take(&text);
    int status = run_text(command, error_name, current_line);
    free(command);
    return status;
}

/* exec with a command replaces the shell; without one its redirections
 * stay (the executor does not undo a special builtin's... see report). */
int builtin_exec(int argc, char** argv) {
    int first = 1;
    if (first < argc && strcmp(argv[first], "--") == 0)
        first++;
    if (first >= argc)
        return 0;
    const char* path = find_program(argv[first]);
    if (!path) {
        int denied = errno == EACCES;
        sh_error("%s: %s", argv[first], denied ? "Permission denied" : "not found");
        shell_exit(denied ? 126 : 127);
    }
    char** environment = var_environment();
    fflush(NULL);
    traps_reset_for_child();
    execve(path, argv + first, environment);
    free_environment(environment);
    sh_error("%s: %s", argv[first], strerror(errno));
    shell_exit(126);
}

/* . file: read whole, run in this shell; PATH searched without a slash. */
int builtin_dot(int argc, char** argv) {
    if (argc < 2)
        return 0;
    const char* path = argv[1];
    char* found = NULL;
    if (!strchr(path, '/')) {
        const char* p = find_program(path);
        if (!p && access(path, R_OK) == 0)
            p = path;
        if (p)
            found = xstrdup(p);
    } else {
        found = xstrdup(path);
    }
    FILE* file = found ? fopen(found, "r") : NULL;
    free(found);
    if (!file) {
        sh_error(".: cannot open %s: No such file", argv[1]);
        shell_fatal_error(2);
        return 2;
    }
    struct strbuf text = {0};
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, file)) > 0)
        sb_addn(&text, buffer, n);
    fclose(file);
    char* script = sb_take(&text);
    function_depth++;
    int status = run_text(script, error_name, 1);
    function_depth--;
    if (pending_flow == FLOW_RETURN) {
        pending_flow = FLOW_NONE;
        status = last_status;
    }
    free(script);
    return status;
}

/* text in single quotes as the shell reads it back: ' as '"'"'. */
static void print_single_quoted(const char* text) {
    putchar('\'');
    for (const char* p = text; *p; p++) {
        if (*p == '\'')
            fputs("'\"'\"'", stdout);
        else
            putchar(*p);
    }
    putchar('\'');
}

/* The reserved words (POSIX 2.4) dash's type names. */
static int is_keyword(const char* name) {
    static const char* const keywords[] = {"!",    "{",    "}",     "case", "do",  "done",
                                           "elif", "else", "esac",  "fi",   "for", "if",
                                           "in",   "then", "until", "while"};
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (strcmp(keywords[i], name) == 0)
            return 1;
    return 0;
}

/* What a name is, for command -v/-V and type, in the order the shell
 * would look: reserved word, alias, function, builtin, program. Returns 0
 * if found. */
static int describe(const char* name, int verbose) {
    if (is_keyword(name)) {
        if (verbose)
            printf("%s is a shell keyword\n", name);
        else
            printf("%s\n", name);
        return 0;
    }
    const char* alias = alias_lookup(name);
    if (alias) {
        if (verbose) {
            printf("%s is an alias for %s\n", name, alias);
        } else {
            printf("alias %s=", name);
            print_single_quoted(alias);
            putchar('\n');
        }
        return 0;
    }
    if (function_lookup(name)) {
        if (verbose)
            printf("%s is a shell function\n", name);
        else
            printf("%s\n", name);
        return 0;
    }
    const struct builtin* builtin = builtin_find(name);
    if (builtin) {
        if (verbose)
            printf("%s is a %sshell builtin\n", name, builtin->special ? "special " : "");
        else
            printf("%s\n", name);
        return 0;
    }
    const char* path = find_program(name);
    if (path) {
        if (verbose)
            printf("%s is %s\n", name, path);
        else
            printf("%s\n", path);
        return 0;
    }
    if (verbose)
        printf("%s: not found\n", name);
    return 127;
}

int builtin_command(int argc, char** argv) {
    int i = 1, mode = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        for (const char* p = argv[i] + 1; *p; p++) {
            if (*p == 'v' || *p == 'V')
                mode = *p;
        }
    }
    if (i >= argc)
        return 0;
    if (mode) {
        int status = 0;
        for (; i < argc; i++)
            status = describe(argv[i], mode == 'V') ? 127 : status;
        return status;
    }
    return run_argv(argc - i, argv + i, 1);
}

int builtin_type(int argc, char** argv) {
    int status = 0;
    for (int i = 1; i < argc; i++)
        if (describe(argv[i], 1))
            status = 127;
    return status;
}

/* No command hashing: every lookup searches PATH. */
int builtin_hash(int argc, char** argv) {
    (void)argc;
    (void)argv;
    return 0;
}
