/* test_builtins.c: host test of the builtins not in the executor. Build:
 * gcc -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined -Iuser/sh \
 *   tests/sh/unit/test_builtins.c user/sh/builtins_misc.c user/sh/builtins_io.c \
 *   user/sh/builtin_printf.c \
 *   user/sh/builtins_vars.c user/sh/signals.c user/sh/util.c -o
 * /tmp/test_builtins && /tmp/test_builtins */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "shell.h"
#include "vars.h"

void sh_error(const char* format, ...) {
    va_list list;
    va_start(list, format);
    fputs("sh: 1: ", stderr);
    vfprintf(stderr, format, list);
    fputc('\n', stderr);
    va_end(list);
}

void shell_fatal_error(int status) {
    (void)status; /* the executor's: here the builtin's status is checked */
}

/* vars.h stub (sh-expand writes the real one): a tiny table. */
static char* names[16];
static char* values[16];
static int flag_of[16];
static int nvars;
static int find_var(const char* name) {
    for (int i = 0; i < nvars; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}
const char* var_get(const char* name) {
    int i = find_var(name);
    return i < 0 ? NULL : values[i];
}
int var_set(const char* name, const char* value, int flags) {
    int i = find_var(name);
    if (i < 0)
        i = nvars++, names[i] = strdup(name), values[i] = NULL, flag_of[i] = 0;
    if (value && value != values[i]) /* NULL keeps the value, as vars.c */
        free(values[i]), values[i] = strdup(value);
    flag_of[i] |= flags;
    return 0;
}
int var_assign(const char* assignment, int flags) {
    const char* equals = strchr(assignment, '=');
    char* name = strndup(assignment, (size_t)(equals - assignment));
    int status = var_set(name, equals + 1, flags);
    free(name);
    return status;
}
int var_flags(const char* name) {
    int i = find_var(name);
    return i < 0 ? -1 : flag_of[i];
}
int var_unset(const char* name) {
    int i = find_var(name);
    if (i >= 0)
        free(values[i]), values[i] = NULL, flag_of[i] = 0;
    return 0;
}
void var_each(void (*visit)(const char*, const char*, int, void*), void* context) {
    for (int i = 0; i < nvars; i++)
        if (values[i] || flag_of[i])
            visit(names[i], values[i], flag_of[i], context);
}
int var_scope_depth(void) {
    return 0;
}
int var_local(const char* name) {
    return name ? 0 : -1;
}
int params_shift(int n) {
    return n > 0 ? -1 : 0;
}
int function_unset(const char* name) {
    return name ? 1 : 0;
}
static void free_vars(void) {
    for (int i = 0; i < nvars; i++)
        free(names[i]), free(values[i]);
}

static int failures;

/* Runs a builtin with stdout sent to a temporary file; compares the text. */
static void check(int line, builtin_function run, const char* expected, int expected_status,
                  int argc, char** argv) {
    fflush(stdout);
    FILE* file = tmpfile();
    FILE* saved = stdout;
    stdout = file;
    int status = run(argc, argv);
    fflush(file);
    stdout = saved;
    rewind(file);
    char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, file);
    text[n] = 0;
    fclose(file);
    if (strcmp(text, expected) != 0 || status != expected_status) {
        printf("FAIL: line %d: got [%s] status %d\n", line, text, status);
        failures++;
    }
}

#define CHECK(run, expected, status, ...)                                                          \
    do {                                                                                           \
        char* argv[] = {__VA_ARGS__, NULL};                                                        \
        check(__LINE__, run, expected, status, sizeof argv / sizeof *argv - 1, argv);              \
    } while (0)

int main(void) {
    CHECK(builtin_colon, "", 0, ":");
    CHECK(builtin_false, "", 1, "false");
    CHECK(builtin_alias, "", 0, "alias", "a=x y", "b=it's");
    CHECK(builtin_alias, "a='x y'\nb='it'\"'\"'s'\n", 0, "alias");
    CHECK(builtin_alias, "", 1, "alias", "zz");
    CHECK(builtin_unalias, "", 0, "unalias", "a");
    CHECK(builtin_alias, "b='it'\"'\"'s'\n", 0, "alias");
    CHECK(builtin_unalias, "", 0, "unalias", "-a");
    if (alias_lookup("b"))
        printf("FAIL: line %d\n", __LINE__), failures++;
    if (signal_from_text("USR1") != SIGUSR1 || signal_from_text("sigint") != SIGINT ||
        signal_from_text("10") != SIGUSR1 || signal_from_text("EXIT") != 0 ||
        signal_from_text("nope") != -1 || strcmp(signal_name(SIGTERM), "TERM") != 0)
        printf("FAIL: line %d: signals\n", __LINE__), failures++;
    CHECK(builtin_export, "", 0, "export", "x=1", "y");
    CHECK(builtin_readonly, "", 0, "readonly", "z=it's");
    CHECK(builtin_export, "export x='1'\nexport y\n", 0, "export", "-p");
    CHECK(builtin_readonly, "readonly z='it'\"'\"'s'\n", 0, "readonly");
    CHECK(builtin_export, "", 2, "export", "1a");
    CHECK(builtin_unset, "", 0, "unset", "x");
    CHECK(builtin_export, "export y\n", 0, "export");
    CHECK(builtin_local, "", 2, "local", "x");
    CHECK(builtin_shift, "", 2, "shift", "x");
    /* printf: what dash prints (checked with dash -c). */
    CHECK(builtin_printf, "a-42-    b-c  |\n", 0, "printf", "%s-%d-%5s-%-3s|\n", "a", "42", "b",
          "c");
    CHECK(builtin_printf, "[00042][ab][  7][0xff][-0010]\n", 0, "printf",
          "[%05d][%.2s][%*d][%#x][%05d]\n", "42", "abcdef", "3", "7", "255", "-10");
    CHECK(builtin_printf, "k=v\nk2=\n", 0, "printf", "%s=%s\n", "k", "v", "k2");
    CHECK(builtin_printf, "97 34 31 8 18446744073709551615\n", 0, "printf", "%d %d %d %d %u\n",
          "'a", "'\"", "0x1f", "010", "-1");
    CHECK(builtin_printf, "0|12|\n", 1, "printf", "%d|%d|\n", "xyz", "12abc");
    CHECK(builtin_printf, "\\c|x\ty", 0, "printf", "%s|%b|%s", "\\c", "x\\ty\\cz", "no");
    CHECK(builtin_printf, "A\b2 \\q", 0, "printf", "\\101\\0102 \\q");
    CHECK(builtin_printf, "3.14 1.500000e+00\n", 0, "printf", "%.2f %e\n", "3.14159", "1.5");
    CHECK(builtin_printf, "", 2, "printf", "%q", "1");
    CHECK(builtin_printf, "", 2, "printf", "%5");
    CHECK(builtin_printf, "", 2, "printf");
    free_vars();
    if (!failures)
        printf("ok\n");
    return failures != 0;
}
