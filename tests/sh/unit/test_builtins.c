/* test_builtins.c: host test of the builtins not in the executor. Build:
 * gcc -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined -Iuser/sh \
 *   tests/sh/unit/test_builtins.c user/sh/posix/builtins_misc.c user/sh/posix/builtins_io.c \
 *   user/sh/posix/signals.c \
 *   user/sh/posix/util.c -o /tmp/test_builtins && /tmp/test_builtins */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "posix/builtins.h"
#include "posix/shell.h"

void sh_error(const char* format, ...) {
    va_list list;
    va_start(list, format);
    fputs("sh: 1: ", stderr);
    vfprintf(stderr, format, list);
    fputc('\n', stderr);
    va_end(list);
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
    if (!failures)
        printf("ok\n");
    return failures != 0;
}
