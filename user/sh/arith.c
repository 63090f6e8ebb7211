/* arith.c: $((...)) (POSIX.1-2017 2.6.4), a recursive-descent parser that
 * evaluates as it parses. Operands of && || ?: that are not needed are
 * parsed without effects (no assignment, no division error), as in C.
 * Arithmetic wraps like the two's-complement machine it runs on; constants
 * too large saturate (as dash's strtoimax does) and variables too large are
 * an error. Nesting is bounded so that no expression can exhaust the stack. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expand.h"
#include "shell.h"
#include "vars.h"

struct arith {
    const char* text; /* the whole expression, for messages */
    const char* p;    /* the next unread character */
    int failed;
    int depth; /* parentheses, unary operators and assignments open */
};

/* A parenthesis is two levels and costs a dozen small stack frames
 * through the precedence levels: 1000 levels stay far below a megabyte. */
enum { MAX_DEPTH = 1000 };

static void fail(struct arith* a, const char* what) {
    if (!a->failed)
        sh_error("arithmetic expression: %s: \"%s\"", what, a->text);
    a->failed = 1;
}

static void skip_space(struct arith* a) {
    while (*a->p == ' ' || *a->p == '\t' || *a->p == '\n')
        ++a->p;
}

/* Consumes the operator op if it comes next and is not the start of a
 * longer operator (so "<" does not take the "<" of "<<" or "<="). */
static int take(struct arith* a, const char* op) {
    static const char* const longer[] = {"<<=", ">>=", "||", "&&", "==", "!=", "<=", ">=", "<<",
                                         ">>",  "*=",  "/=", "%=", "+=", "-=", "&=", "^=", "|="};
    skip_space(a);
    if (*a->p != op[0]) /* the common case, decided without a string call */
        return 0;
    size_t n = strlen(op);
    if (strncmp(a->p, op, n) != 0)
        return 0;
    for (size_t i = 0; i < sizeof longer / sizeof longer[0]; ++i)
        if (strlen(longer[i]) > n && strncmp(longer[i], op, n) == 0 &&
            strncmp(a->p, longer[i], strlen(longer[i])) == 0)
            return 0;
    a->p += n;
    return 1;
}

static int is_name_start(char c) {
    return isalpha((unsigned char)c) || c == '_';
}

/* A variable's value as a number: unset or empty is 0. */
static long variable_value(struct arith* a, const char* name) {
    const char* value = var_get(name);
    if (!value || !*value)
        return 0;
    char* end;
    errno = 0;
    long number = strtol(value, &end, 0);
    while (*end == ' ' || *end == '\t' || *end == '\n')
        ++end;
    if (*end || errno == ERANGE) {
        if (!a->failed)
            sh_error("Illegal number: %s", value);
        a->failed = 1;
    }
    return number;
}

static void store(struct arith* a, const char* name, long value, int live) {
    if (!live || a->failed)
        return;
    char text[24];
    snprintf(text, sizeof text, "%ld", value);
    if (var_set(name, text, 0) != 0)
        a->failed = 1;
}

static long parse_assign(struct arith* a, int live);

static long parse_primary(struct arith* a, int live) {
    skip_space(a);
    if (a->failed)
        return 0;
    if (isdigit((unsigned char)*a->p)) {
        char* end;
        long number = strtol(a->p, &end, 0); /* LONG_MAX when too large */
        a->p = end;
        return number;
    }
    if (is_name_start(*a->p)) {
        const char* start = a->p;
        while (is_name_start(*a->p) || isdigit((unsigned char)*a->p))
            ++a->p;
        char* name = xstrndup(start, (size_t)(a->p - start));
        long value = live ? variable_value(a, name) : 0;
        free(name);
        return value;
    }
    if (take(a, "(")) {
        long value = parse_assign(a, live);
        if (!take(a, ")"))
            fail(a, "expecting ')'");
        return value;
    }
    fail(a, "expecting primary");
    return 0;
}

static long parse_unary_operand(struct arith* a, int live);

/* Counts one level of nesting; false (and the expression failed) past the bound. */
static int enter(struct arith* a) {
    if (++a->depth > MAX_DEPTH)
        fail(a, "nested too deeply");
    return !a->failed;
}

static long parse_unary(struct arith* a, int live) {
    long value = enter(a) ? parse_unary_operand(a, live) : 0;
    a->depth--;
    return value;
}

static long parse_unary_operand(struct arith* a, int live) {
    if (take(a, "+"))
        return parse_unary(a, live);
    if (take(a, "-"))
        return (long)(0UL - (unsigned long)parse_unary(a, live));
    if (take(a, "!"))
        return !parse_unary(a, live);
    if (take(a, "~"))
        return ~parse_unary(a, live);
    return parse_primary(a, live);
}

/* Applies a binary operator; a division by zero fails only when live. */
static long apply(struct arith* a, const char* op, long x, long y, int live) {
    unsigned long ux = (unsigned long)x, uy = (unsigned long)y;
    switch (op[0]) {
    case '*':
        return (long)(ux * uy);
    case '/':
    case '%':
        if (y == 0) {
            if (live)
                fail(a, "division by zero");
            return 0;
        }
        if (x == LONG_MIN && y == -1)
            return op[0] == '/' ? LONG_MIN : 0;
        return op[0] == '/' ? x / y : x % y;
    case '+':
        return (long)(ux + uy);
    case '-':
        return (long)(ux - uy);
    case '<':
        if (op[1] == '<')
            return (long)(ux << (y & 63));
        return op[1] == '=' ? x <= y : x < y;
    case '>':
        if (op[1] == '>')
            return x >> (y & 63);
        return op[1] == '=' ? x >= y : x > y;
    case '=':
        return x == y;
    case '!':
        return x != y;
    case '&':
        return op[1] == '&' ? (x && y) : (x & y);
    case '^':
        return x ^ y;
    case '|':
        return op[1] == '|' ? (x || y) : (x | y);
    }
    return 0;
}

/* Binary operators by precedence, lowest first; level 0 and 1 (|| &&)
 * short-circuit. */
static const char* const levels[][5] = {
    {"||"},       {"&&"},     {"|"},           {"^"}, {"&"}, {"==", "!="}, {"<=", ">=", "<", ">"},
    {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"},
};
enum { LEVEL_COUNT = sizeof levels / sizeof levels[0] };

static long parse_binary(struct arith* a, int level, int live) {
    if (level == LEVEL_COUNT)
        return parse_unary(a, live);
    long value = parse_binary(a, level + 1, live);
    for (;;) {
        const char* op = NULL;
        for (int i = 0; i < 5 && levels[level][i]; ++i)
            if (take(a, levels[level][i])) {
                op = levels[level][i];
                break;
            }
        if (!op || a->failed)
            return value;
        int right_live = live;
        if (level == 0 && value)
            right_live = 0;
        if (level == 1 && !value)
            right_live = 0;
        long right = parse_binary(a, level + 1, right_live);
        if (level <= 1)
            value = level == 0 ? (value || right) : (value && right);
        else
            value = apply(a, op, value, right, live);
    }
}

static long parse_conditional(struct arith* a, int live) {
    long condition = parse_binary(a, 0, live);
    if (!take(a, "?"))
        return condition;
    long yes = parse_assign(a, live && condition);
    if (!take(a, ":")) {
        fail(a, "expecting ':'");
        return 0;
    }
    long no = parse_conditional(a, live && !condition);
    return condition ? yes : no;
}

static long parse_assignment(struct arith* a, int live);

static long parse_assign(struct arith* a, int live) {
    long value = enter(a) ? parse_assignment(a, live) : 0;
    a->depth--;
    return value;
}

static long parse_assignment(struct arith* a, int live) {
    static const char* const ops[] = {
        "<<=", ">>=", "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "="};
    skip_space(a);
    if (is_name_start(*a->p)) {
        const char* start = a->p;
        const char* end = start;
        while (is_name_start(*end) || isdigit((unsigned char)*end))
            ++end;
        const char* after = end;
        while (*after == ' ' || *after == '\t' || *after == '\n')
            ++after;
        for (size_t i = 0; i < sizeof ops / sizeof ops[0]; ++i) {
            size_t n = strlen(ops[i]);
            if (strncmp(after, ops[i], n) != 0 || (n == 1 && after[1] == '='))
                continue;
            char* name = xstrndup(start, (size_t)(end - start));
            a->p = after + n;
            long right = parse_assign(a, live);
            long value = right;
            if (n > 1) {
                char op[3] = {ops[i][0], n == 3 ? ops[i][1] : '\0', '\0'};
                value = apply(a, op, live ? variable_value(a, name) : 0, right, live);
            }
            store(a, name, value, live);
            free(name);
            return value;
        }
    }
    return parse_conditional(a, live);
}

int arith_eval(const char* expression, long* value) {
    struct arith a = {expression, expression, 0, 0};
    long result = parse_assign(&a, 1);
    skip_space(&a);
    if (!a.failed && *a.p)
        fail(&a, "expecting EOF");
    if (a.failed)
        return -1;
    *value = result;
    return 0;
}
