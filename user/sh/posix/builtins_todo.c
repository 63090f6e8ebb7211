/* builtins_todo.c: the builtins of builtins.h the new shell does not have
 * in full yet. cd and set do the common part; the others say they are
 * missing and fail, so a script that needs them stops visibly instead of
 * doing the wrong thing. Each moves to its proper file when written. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtins.h"
#include "shell.h"
#include "vars.h"

static int missing(char** argv) {
    sh_error("%s: not yet in this shell", argv[0]);
    return 2;
}

int builtin_kill(int argc, char** argv) {
    (void)argc;
    return missing(argv);
}
int builtin_ulimit(int argc, char** argv) {
    (void)argc;
    return missing(argv);
}
int builtin_umask(int argc, char** argv) {
    (void)argc;
    return missing(argv);
}

/* cd [dir]: HOME by default, - for OLDPWD; sets PWD and OLDPWD. (No CDPATH
 * or -L/-P yet.) */
int builtin_cd(int argc, char** argv) {
    (void)argc;
    const char* target = argv[1] ? argv[1] : var_get("HOME");
    int print = 0;
    if (target && strcmp(target, "-") == 0) {
        target = var_get("OLDPWD");
        print = 1;
    }
    if (!target || !*target)
        target = "/";
    char old[PATH_MAX];
    if (!getcwd(old, sizeof old))
        old[0] = '\0';
    if (chdir(target) < 0) {
        sh_error("cd: can't cd to %s", target);
        return 2;
    }
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd)) {
        var_set("OLDPWD", old, 0);
        var_set("PWD", cwd, 0);
        if (print)
            printf("%s\n", cwd);
    }
    return 0;
}

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

/* set [-+eufxnvCm] [--] [arguments]: options, then the positional
 * parameters when arguments (or --) are given; alone, lists variables. */
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
