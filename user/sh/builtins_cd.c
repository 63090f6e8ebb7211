/* builtins_cd.c: cd and pwd, and the shell's logical current directory.
 *
 * As in dash, the shell remembers the path it reached the current
 * directory by (through symbolic links, with .. taken lexically) and pwd
 * prints that, not $PWD: assigning PWD changes the variable only. cd -P
 * and pwd -P use the physical directory, as getcwd gives it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtins.h"
#include "shell.h"
#include "util.h"
#include "vars.h"

/* The logical current directory: absolute, without . or .. components;
 * NULL when the shell does not know one (getcwd failed). */
static char* logical;

/* getcwd in a buffer that grows as needed (malloc'd); NULL on failure. */
static char* physical_directory(void) {
    for (size_t size = 256; size <= 1 << 20; size *= 2) {
        char* buffer = xmalloc(size);
        if (getcwd(buffer, size))
            return buffer;
        free(buffer);
        if (errno != ERANGE)
            return NULL;
    }
    return NULL;
}

static int names_current_directory(const char* path) {
    struct stat a, b;
    return path[0] == '/' && stat(path, &a) == 0 && stat(".", &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

/* At start: $PWD if it names the current directory (the path the parent
 * reached it by), else the physical one; PWD is set and exported. */
void cwd_init(void) {
    const char* pwd = var_get("PWD");
    logical = pwd && names_current_directory(pwd) ? xstrdup(pwd) : physical_directory();
    if (logical)
        var_set("PWD", logical, VAR_EXPORT);
}

/* path made absolute (against the logical directory) and lexically
 * clean: no empty, . or .. components (.. removes the one before it,
 * and stays at the root). A leading // is kept, as POSIX lets it mean
 * something else than /. malloc'd. */
static char* lexical_path(const char* path) {
    struct strbuf whole = {0};
    if (path[0] != '/') {
        sb_adds(&whole, logical);
        if (whole.data[whole.length - 1] != '/')
            sb_addc(&whole, '/');
    }
    sb_adds(&whole, path);
    const char* p = whole.data;
    size_t root = p[0] == '/' && p[1] == '/' && p[2] != '/' ? 2 : 1;
    struct strbuf out = {0};
    sb_addn(&out, "//", root);
    while (*p) {
        while (*p == '/')
            p++;
        size_t length = strcspn(p, "/");
        if (length == 2 && p[0] == '.' && p[1] == '.') {
            while (out.length > root && out.data[out.length - 1] != '/')
                out.length--;
            if (out.length > root)
                out.length--; /* the slash before the removed component */
            out.data[out.length] = '\0';
        } else if (length > 0 && !(length == 1 && p[0] == '.')) {
            if (out.length > root)
                sb_addc(&out, '/');
            sb_addn(&out, p, length);
        }
        p += length;
    }
    sb_free(&whole);
    return sb_take(&out);
}

/* Changes to path; on success returns the new logical directory
 * (malloc'd), else NULL with errno set. */
static char* change_to(const char* path, int physical) {
    if (!physical && logical) {
        char* target = lexical_path(path);
        if (chdir(target) == 0)
            return target;
        free(target);
        return NULL;
    }
    if (chdir(*path ? path : ".") < 0)
        return NULL;
    char* now = physical_directory();
    return now ? now : xstrdup(path);
}

/* Tries dir through CDPATH's entries (an empty one: the current
 * directory), then as it is. *found_by_cdpath is set when a non-empty
 * entry led to it, for cd to print the new directory. */
static char* search_cdpath(const char* dir, int physical, int* found_by_cdpath) {
    const char* cdpath = var_get("CDPATH");
    int searched = dir[0] != '/' && !(dir[0] == '.' && (dir[1] == '/' || dir[1] == '\0')) &&
                   !(dir[0] == '.' && dir[1] == '.' && (dir[2] == '/' || dir[2] == '\0'));
    for (const char* entry = cdpath; searched && entry;) {
        size_t length = strcspn(entry, ":");
        struct strbuf path = {0};
        sb_addn(&path, entry, length);
        if (length > 0 && entry[length - 1] != '/')
            sb_addc(&path, '/');
        sb_adds(&path, dir);
        char* result = change_to(path.data, physical);
        sb_free(&path);
        if (result) {
            *found_by_cdpath = length > 0;
            return result;
        }
        entry = entry[length] ? entry + length + 1 : NULL;
    }
    return change_to(dir, physical);
}

/* Options -L and -P (the last counts); 0 for -L, 1 for -P, -1 after
 * reporting another. *index is left at the first operand. */
static int directory_options(const char* name, char** argv, int* index) {
    int physical = 0, i = 1;
    for (; argv[i] && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        for (const char* p = argv[i] + 1; *p; p++) {
            if (*p != 'L' && *p != 'P') {
                sh_error("%s: Illegal option -%c", name, *p);
                return -1;
            }
            physical = *p == 'P';
        }
    }
    *index = i;
    return physical;
}

/* cd [-L|-P] [dir|-]: to dir (default $HOME; - is $OLDPWD, and prints
 * where it went), searching CDPATH for a relative dir; sets OLDPWD and
 * PWD. Operands after the first are ignored, as dash does. */
int builtin_cd(int argc, char** argv) {
    (void)argc;
    int i;
    int physical = directory_options("cd", argv, &i);
    if (physical < 0)
        return 2;
    const char* dir = argv[i];
    int print = 0;
    if (!dir)
        dir = var_get("HOME");
    else if (strcmp(dir, "-") == 0) {
        dir = var_get("OLDPWD");
        print = 1;
    }
    if (!dir)
        dir = "";
    int found_by_cdpath = 0;
    char* now = search_cdpath(dir, physical, &found_by_cdpath);
    if (!now) {
        sh_error("cd: can't cd to %s", dir);
        return 2;
    }
    int status = 0;
    if (logical && var_set("OLDPWD", logical, VAR_EXPORT) < 0)
        status = 2;
    free(logical);
    logical = now;
    if (var_set("PWD", logical, VAR_EXPORT) < 0)
        status = 2;
    if (print || found_by_cdpath)
        printf("%s\n", logical);
    return status;
}

/* pwd [-L|-P]: the logical directory (-L, the default) or the physical. */
int builtin_pwd(int argc, char** argv) {
    (void)argc;
    int i;
    int physical = directory_options("pwd", argv, &i);
    if (physical < 0)
        return 2;
    if (!physical && logical) {
        printf("%s\n", logical);
        return 0;
    }
    char* now = physical_directory();
    if (!now) {
        sh_error("pwd: getcwd() failed: %s", strerror(errno));
        return 2;
    }
    printf("%s\n", now);
    free(now);
    return 0;
}
