/* test.c: the test builtin, also spelled [ ... ], as dash reads it.
 *
 * Grammar (-a binds tighter than -o; both sides are always evaluated):
 *   or:      and { -o and }
 *   and:     not { -a not }
 *   not:     { ! } primary
 *   primary: ( or ) | UNARY word | word BINARY word | word | (nothing: false)
 * An operator word counts as a plain word where the grammar makes it one:
 * a unary operator followed by a single word, or by a binary operator and
 * more, is a word; so is a ( that ends the expression. Before parsing, the
 * rules of POSIX for three and four words are applied (a binary operator
 * in the middle of three; a leading !; ( ... ) around the rest).
 * Status 0 true, 1 false, 2 for an error (reported in dash's words). The
 * operators themselves are in test_ops.c. */
#include <string.h>

#include "shell.h"
#include "test_ops.h"

/* Nesting of ( deeper than this is refused rather than risking the stack. */
enum { MAX_DEPTH = 200 };

enum token { T_END, T_WORD, T_UNARY, T_BINARY, T_NOT, T_AND, T_OR, T_OPEN, T_CLOSE };

struct test {
    const char* name; /* test or [, for messages */
    char** words;
    int count, at; /* at: the word being looked at */
    int depth;
    int failed; /* an error was reported: the result no longer matters */
};

static const char* word(const struct test* t, int i) {
    return i >= 0 && i < t->count ? t->words[i] : NULL;
}

static enum token operator_kind(const char* w) {
    if (!w)
        return T_END;
    if (test_unary_known(w))
        return T_UNARY;
    if (test_binary_known(w))
        return T_BINARY;
    static const struct {
        const char* text;
        enum token kind;
    } others[] = {{"!", T_NOT}, {"-a", T_AND}, {"-o", T_OR}, {"(", T_OPEN}, {")", T_CLOSE}};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        if (strcmp(w, others[i].text) == 0)
            return others[i].kind;
    return T_WORD;
}

/* What word i is in its place (see the comment at the top). */
static enum token token_at(const struct test* t, int i) {
    const char* w = word(t, i);
    enum token kind = operator_kind(w);
    if (kind == T_UNARY &&
        (!word(t, i + 1) || (word(t, i + 2) && operator_kind(word(t, i + 1)) == T_BINARY)))
        return T_WORD;
    if (kind == T_OPEN && !word(t, i + 1))
        return T_WORD;
    return kind;
}

static int fail(struct test* t, const char* what, const char* message) {
    if (!t->failed) {
        if (what && *what)
            sh_error("%s: %s: %s", t->name, what, message);
        else
            sh_error("%s: %s", t->name, message);
    }
    t->failed = 1;
    return 0;
}

static int or_expression(struct test* t, enum token first);

static int primary(struct test* t, enum token kind) {
    if (kind == T_END)
        return 0;
    if (kind == T_OPEN) {
        enum token next = token_at(t, ++t->at);
        if (next == T_CLOSE)
            return 0;
        if (++t->depth > MAX_DEPTH)
            return fail(t, NULL, "expression too deeply nested");
        int result = or_expression(t, next);
        t->depth--;
        if (token_at(t, ++t->at) != T_CLOSE)
            return fail(t, NULL, "closing paren expected");
        return result;
    }
    if (kind == T_UNARY) {
        const char* op = word(t, t->at);
        const char* operand = word(t, ++t->at);
        if (!operand)
            return fail(t, op, "argument expected");
        int result = test_unary(t->name, op, operand);
        if (result < 0)
            t->failed = 1;
        return result > 0;
    }
    if (token_at(t, t->at + 1) == T_BINARY) {
        const char* left = word(t, t->at);
        const char* op = word(t, ++t->at);
        const char* right = word(t, ++t->at);
        if (!right)
            return fail(t, op, "argument expected");
        int result = test_binary(t->name, left, op, right);
        if (result < 0)
            t->failed = 1;
        return result > 0;
    }
    return word(t, t->at)[0] != '\0';
}

static int not_expression(struct test* t, enum token kind) {
    int negated = 0;
    for (; kind == T_NOT; kind = token_at(t, ++t->at))
        negated = !negated;
    return primary(t, kind) ^ negated;
}

/* Both sides of -a and -o are evaluated, so that an error on the right is
 * reported whatever the left gives. */
static int and_expression(struct test* t, enum token first) {
    int result = not_expression(t, first);
    while (token_at(t, t->at + 1) == T_AND) {
        t->at += 2;
        result &= not_expression(t, token_at(t, t->at));
    }
    return result;
}

static int or_expression(struct test* t, enum token first) {
    int result = and_expression(t, first);
    while (token_at(t, t->at + 1) == T_OR) {
        t->at += 2;
        result |= and_expression(t, token_at(t, t->at));
    }
    return result;
}

int builtin_test(int argc, char** argv) {
    struct test t = {argv[0], argv + 1, argc - 1, 0, 0, 0};
    if (strcmp(argv[0], "[") == 0) {
        if (argc < 2 || strcmp(argv[argc - 1], "]") != 0) {
            sh_error("[: missing ]");
            return 2;
        }
        t.count--;
    }
    /* status = false_status ^ truth; a leading ! of POSIX's rules flips it. */
    int false_status = 1;
    for (;;) {
        if (t.count < 1)
            return false_status;
        if (t.count == 3 && operator_kind(t.words[1]) == T_BINARY)
            break;
        if (t.count != 3 && t.count != 4)
            break;
        if (strcmp(t.words[0], "(") == 0 && strcmp(t.words[t.count - 1], ")") == 0) {
            t.words++;
            t.count -= 2;
            break;
        }
        if (strcmp(t.words[0], "!") != 0)
            break;
        false_status = 0;
        t.words++;
        t.count--;
    }
    int truth = t.count == 3 && operator_kind(t.words[1]) == T_BINARY
                    ? primary(&t, T_WORD)
                    : or_expression(&t, token_at(&t, 0));
    if (!t.failed && word(&t, t.at) && word(&t, t.at + 1))
        fail(&t, word(&t, t.at), "unexpected operator");
    return t.failed ? 2 : false_status ^ truth;
}
