/* builtins.c: commands the shell runs itself, and the PATH search. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sh.h"

enum { HISTORY_SIZE = 100 };
static char* history[HISTORY_SIZE];
static int history_count; /* lines ever added */

void history_add(const char* line) {
    char** slot = &history[history_count % HISTORY_SIZE];
    free(*slot);
    *slot = strdup(line);
    ++history_count;
}

const char* history_entry(int n) {
    if (n < 1 || n > history_count || n > HISTORY_SIZE)
        return NULL;
    return history[(history_count - n) % HISTORY_SIZE];
}

const char* find_program(const char* name) {
    static char candidate[PATH_MAX];
    struct stat info;
    if (strchr(name, '/')) {
        if (stat(name, &info) < 0)
            return NULL;
        return name;
    }
    const char* path = getenv("PATH");
    if (!path)
        path = "/bin:/usr/bin";
    while (*path) {
        size_t length = strcspn(path, ":");
        int n = snprintf(candidate, sizeof(candidate), "%.*s%s%s", (int)length, path,
                         length ? "/" : "", name);
        if (n > 0 && (size_t)n < sizeof(candidate) && stat(candidate, &info) == 0 &&
            S_ISREG(info.st_mode))
            return candidate;
        path += length + (path[length] == ':');
    }
    errno = ENOENT;
    return NULL;
}

static int builtin_cd(char** words) {
    const char* target = words[1] ? words[1] : getenv("HOME");
    if (!target)
        target = "/";
    if (chdir(target) < 0) {
        fprintf(stderr, "cd: %s: %s\n", target, strerror(errno));
        return 1;
    }
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof(cwd)))
        setenv("PWD", cwd, 1);
    return 0;
}

static int builtin_pwd(char** words) {
    (void)words;
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof(cwd))) {
        fprintf(stderr, "pwd: %s\n", strerror(errno));
        return 1;
    }
    printf("%s\n", cwd);
    return 0;
}

static int builtin_exit(char** words) {
    fflush(stdout);
    exit(words[1] ? atoi(words[1]) : last_status);
}

static int valid_name(const char* name, size_t length) {
    if (length == 0 || (name[0] >= '0' && name[0] <= '9'))
        return 0;
    for (size_t i = 0; i < length; ++i)
        if (!(name[i] == '_' || (name[i] >= 'a' && name[i] <= 'z') ||
              (name[i] >= 'A' && name[i] <= 'Z') || (name[i] >= '0' && name[i] <= '9')))
            return 0;
    return 1;
}

/* export NAME=value, export NAME (keeps the value), set NAME=value: all
 * variables are environment variables in this shell. */
static int builtin_export(char** words) {
    extern char** environ;
    if (!words[1]) {
        for (char** e = environ; *e; ++e)
            printf("export %s\n", *e);
        return 0;
    }
    int status = 0;
    for (int i = 1; words[i]; ++i) {
        const char* equals = strchr(words[i], '=');
        size_t length = equals ? (size_t)(equals - words[i]) : strlen(words[i]);
        if (!valid_name(words[i], length)) {
            fprintf(stderr, "%s: %s: not a valid name\n", words[0], words[i]);
            status = 1;
            continue;
        }
        if (equals) {
            char name[128];
            snprintf(name, sizeof(name), "%.*s", (int)length, words[i]);
            setenv(name, equals + 1, 1);
        }
    }
    return status;
}

static int builtin_unset(char** words) {
    for (int i = 1; words[i]; ++i)
        unsetenv(words[i]);
    return 0;
}

static int builtin_echo(char** words) {
    int newline = 1, i = 1;
    if (words[1] && strcmp(words[1], "-n") == 0)
        newline = 0, i = 2;
    for (int first = i; words[i]; ++i)
        printf("%s%s", i > first ? " " : "", words[i]);
    if (newline)
        printf("\n");
    return 0;
}

static int builtin_type(char** words) {
    int status = 0;
    for (int i = 1; words[i]; ++i) {
        if (is_builtin(words[i])) {
            printf("%s is a shell builtin\n", words[i]);
        } else {
            const char* path = find_program(words[i]);
            if (path) {
                printf("%s is %s\n", words[i], path);
            } else {
                printf("%s: not found\n", words[i]);
                status = 1;
            }
        }
    }
    return status;
}

static int builtin_history(char** words) {
    (void)words;
    int first = history_count > HISTORY_SIZE ? history_count - HISTORY_SIZE : 0;
    for (int i = first; i < history_count; ++i)
        printf("%5d  %s\n", i + 1, history[i % HISTORY_SIZE]);
    return 0;
}

/* shift [n]: $n+1 becomes $1; $0 stays. The old $n's slot holds $0. */
static int builtin_shift(char** words) {
    char* end = NULL;
    long n = words[1] ? strtol(words[1], &end, 10) : 1;
    if ((end && *end) || n < 0 || n > positional_count - 1) {
        fprintf(stderr, "shift: %s: shift count out of range\n", words[1] ? words[1] : "1");
        return 1;
    }
    char* zero = positional[0];
    positional += n;
    positional[0] = zero;
    positional_count -= (int)n;
    return 0;
}

/* break [n], continue [n]: leave n loops, or go on with the n-th. */
static int loop_control(char** words, int* levels) {
    char* end = NULL;
    long n = words[1] ? strtol(words[1], &end, 10) : 1;
    if ((end && *end) || n < 1) {
        fprintf(stderr, "%s: %s: not a positive number\n", words[0], words[1]);
        return 1;
    }
    if (loop_depth == 0) {
        fprintf(stderr, "%s: only meaningful in a loop\n", words[0]);
        return 0;
    }
    *levels = n < loop_depth ? (int)n : loop_depth;
    return 0;
}

static int builtin_break(char** words) {
    return loop_control(words, &break_levels);
}

static int builtin_continue(char** words) {
    return loop_control(words, &continue_levels);
}

/* read [-r] NAME...: one line of standard input, read a byte at a time so
 * that nothing after it is taken from a shared input; its blank-separated
 * fields go to the names, the last name taking the rest. Backslashes are
 * kept as they are (as with -r). Status 1 at the end of input (a last
 * line without a newline is still read). */
static int builtin_read(char** words) {
    int first = 1;
    if (words[first] && strcmp(words[first], "-r") == 0)
        ++first;
    if (!words[first]) {
        fprintf(stderr, "read: usage: read [-r] name...\n");
        return 2;
    }
    char line[4096];
    size_t length = 0;
    int got_newline = 0;
    while (length + 1 < sizeof(line)) {
        char c;
        const int n = read(0, &c, 1);
        if (n < 0 && errno == EINTR)
            return 1;
        if (n <= 0)
            break;
        if (c == '\n') {
            got_newline = 1;
            break;
        }
        line[length++] = c;
    }
    line[length] = '\0';
    char* p = line;
    for (int i = first; words[i]; ++i) {
        while (*p == ' ' || *p == '\t')
            ++p;
        char* value = p;
        if (words[i + 1]) { /* not the last name: one field */
            while (*p && *p != ' ' && *p != '\t')
                ++p;
            if (*p)
                *p++ = '\0';
        } else { /* the last name: the rest, without trailing blanks */
            char* end = value + strlen(value);
            while (end > value && (end[-1] == ' ' || end[-1] == '\t'))
                --end;
            *end = '\0';
        }
        setenv(words[i], value, 1);
    }
    return got_newline ? 0 : 1; /* a last line without a newline: set, but the end */
}

static int builtin_true(char** words) {
    (void)words;
    return 0;
}

static int builtin_help(char** words);

struct builtin {
    const char* name;
    int (*run)(char** words);
    const char* help;
};
static const struct builtin builtins[] = {
    {"cd", builtin_cd, "cd [dir]        change directory (default $HOME)"},
    {"pwd", builtin_pwd, "pwd             print the current directory"},
    {"exit", builtin_exit, "exit [status]   leave the shell"},
    {"export", builtin_export, "export [N=v]    set or list environment variables"},
    {"set", builtin_export, "set [N=v]       the same as export"},
    {"unset", builtin_unset, "unset NAME      remove a variable"},
    {"echo", builtin_echo, "echo [-n] args  print arguments"},
    {"type", builtin_type, "type name       say what a command name runs"},
    {"history", builtin_history, "history         list the lines typed"},
    {"shift", builtin_shift, "shift [n]       drop the first n arguments ($1 ...)"},
    {"test", builtin_test, "test EXPR       -e -f -d -s -x -z -n = != -eq -lt ... (also [ EXPR ])"},
    {"[", builtin_test, "[ EXPR ]        the same as test"},
    {":", builtin_true, ":               do nothing, successfully"},
    {"read", builtin_read, "read [-r] name  read a line of input into variables"},
    {"break", builtin_break, "break [n]       leave the innermost (n-th) loop"},
    {"continue", builtin_continue, "continue [n]    go on with the next pass of the (n-th) loop"},
    {"jobs", builtin_jobs, "jobs            list background and stopped jobs"},
    {"fg", builtin_fg, "fg [%n]         continue a job in the foreground"},
    {"bg", builtin_bg, "bg [%n]         continue a stopped job in the background"},
    {"help", builtin_help, "help            this list"},
};
enum { BUILTIN_COUNT = sizeof(builtins) / sizeof(builtins[0]) };

static int builtin_help(char** words) {
    (void)words;
    printf("Kite shell. Builtins:\n");
    for (int i = 0; i < BUILTIN_COUNT; ++i)
        printf("  %s\n", builtins[i].help);
    printf("Programs are looked up in $PATH (ls /bin). Syntax: quotes, $VAR, $1 $# $@, ;,\n"
           "&&, ||, pipes, < > >> 2> 2>&1, & for background, * ? [...] patterns,\n"
           "if/then/elif/else/fi, while/until/for ... do ... done.\n");
    return 0;
}

int is_builtin(const char* name) {
    for (int i = 0; i < BUILTIN_COUNT; ++i)
        if (strcmp(name, builtins[i].name) == 0)
            return 1;
    return 0;
}

int run_builtin(char** words, int* status) {
    for (int i = 0; i < BUILTIN_COUNT; ++i) {
        if (strcmp(words[0], builtins[i].name) == 0) {
            *status = builtins[i].run(words);
            return 1;
        }
    }
    return 0;
}
