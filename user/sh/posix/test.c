/* test.c: the test builtin, also spelled [ ... ] (ported from the old shell;
 * POSIX's -a, -o, parentheses and the rest of the unary operators are still
 * to come). Expressions of one to three
 * words, each possibly after !:
 *   STRING            true if not empty
 *   -z S, -n S        empty, not empty
 *   -e -f -d -s -x F  exists, regular file, directory, not empty,
 *                     executable by someone (Kite has no users)
 *   S1 = S2, S1 != S2
 *   N1 -eq -ne -lt -le -gt -ge N2   integers
 * Status 0 for true, 1 for false, 2 for an expression it cannot read (no
 * -a, -o or parentheses). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "builtins.h"

static int integer(const char* text, long* value) {
    char* end;
    errno = 0;
    *value = strtol(text, &end, 10);
    return *text && !*end && errno == 0;
}

static int bad(const char* name, const char* what, const char* word) {
    fprintf(stderr, "%s: %s%s%s\n", name, what, word ? ": " : "", word ? word : "");
    return 2;
}

static int unary(const char* name, const char* op, const char* operand) {
    if (!strcmp(op, "-z"))
        return operand[0] != '\0';
    if (!strcmp(op, "-n"))
        return operand[0] == '\0';
    struct stat info;
    const int exists = stat(operand, &info) == 0;
    if (!strcmp(op, "-e"))
        return !exists;
    if (!strcmp(op, "-f"))
        return !(exists && S_ISREG(info.st_mode));
    if (!strcmp(op, "-d"))
        return !(exists && S_ISDIR(info.st_mode));
    if (!strcmp(op, "-s"))
        return !(exists && info.st_size > 0);
    if (!strcmp(op, "-x"))
        return !(exists && (info.st_mode & 0111));
    return bad(name, "unknown operator", op);
}

static int binary(const char* name, const char* left, const char* op, const char* right) {
    if (!strcmp(op, "="))
        return strcmp(left, right) != 0;
    if (!strcmp(op, "!="))
        return strcmp(left, right) == 0;
    static const char* const comparisons[] = {"-eq", "-ne", "-lt", "-le", "-gt", "-ge"};
    for (int i = 0; i < 6; ++i) {
        if (strcmp(op, comparisons[i]) != 0)
            continue;
        long a, b;
        if (!integer(left, &a))
            return bad(name, "not an integer", left);
        if (!integer(right, &b))
            return bad(name, "not an integer", right);
        const int results[] = {a == b, a != b, a<b, a <= b, a> b, a >= b};
        return !results[i];
    }
    return bad(name, "unknown operator", op);
}

static int is_binary(const char* op) {
    static const char* const ops[] = {"=", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge"};
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); ++i)
        if (!strcmp(op, ops[i]))
            return 1;
    return 0;
}

static int evaluate(const char* name, char** words, int count) {
    if (count == 3 && is_binary(words[1])) /* POSIX: before a leading ! */
        return binary(name, words[0], words[1], words[2]);
    if (count > 0 && !strcmp(words[0], "!")) {
        const int status = evaluate(name, words + 1, count - 1);
        return status == 2 ? 2 : !status;
    }
    switch (count) {
    case 0:
        return 1;
    case 1:
        return words[0][0] == '\0';
    case 2:
        return unary(name, words[0], words[1]);
    case 3:
        return binary(name, words[0], words[1], words[2]);
    default:
        return bad(name, "too many arguments", NULL);
    }
}

int builtin_test(int argc, char** words) {
    (void)argc;
    int count = 0;
    while (words[count])
        ++count;
    if (!strcmp(words[0], "[")) {
        if (count < 2 || strcmp(words[count - 1], "]") != 0)
            return bad("[", "missing ]", NULL);
        --count;
    }
    return evaluate(words[0], words + 1, count - 1);
}
