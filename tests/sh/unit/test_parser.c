/* test_parser.c: host test of the lexer and parser (and tree_print, which
 * writes a tree back as text): what each construct parses to, that one
 * command is returned at a time with its line, that syntax errors are
 * found with dash's words and incomplete text is told apart, and aliases.
 * Built by tests/sh/CMakeLists.txt with the sanitizers (leaks included). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "parser.h"

static int failures;

#define CHECK(condition)                                                                           \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            printf("FAIL: line %d: %s\n", __LINE__, #condition);                                   \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

/* The alias table the parser consults (builtins_misc.c's, here a stub). */
static const char* alias_names[4];
static const char* alias_values[4];
const char* alias_lookup(const char* name) {
    for (int i = 0; i < 4 && alias_names[i]; i++)
        if (strcmp(alias_names[i], name) == 0)
            return alias_values[i];
    return NULL;
}

/* The commands of text, each printed by tree_print, joined by " // ";
 * "ERROR" or "INCOMPLETE" in place of the rest when parsing stops. */
static char* parsed(const char* text, int allow_incomplete) {
    static char out[2048];
    out[0] = '\0';
    struct parser parser;
    parser_init(&parser, text, "test", 1);
    parser.allow_incomplete = allow_incomplete;
    for (;;) {
        struct node* node = NULL;
        enum parse_result result = parse_command(&parser, &node);
        if (result == PARSE_END)
            break;
        if (out[0])
            strcat(out, " // ");
        if (result == PARSE_ERROR || result == PARSE_INCOMPLETE) {
            strcat(out, result == PARSE_ERROR ? "ERROR" : "INCOMPLETE");
            break;
        }
        struct strbuf text_out = {0};
        tree_print(node, &text_out);
        if (text_out.data)
            strncat(out, text_out.data, sizeof out - strlen(out) - 1);
        sb_free(&text_out);
        tree_free(node);
    }
    return out;
}

#define PARSES_TO(text, expected) CHECK(strcmp(parsed(text, 0), expected) == 0)

static void test_constructs(void) {
    PARSES_TO("echo a  'b c'  \"$x\"", "echo a 'b c' \"$x\"");
    PARSES_TO("a=1 b=$(echo x) cmd >out 2>&1 <in", "a=1 b=$(echo x) cmd >out 2>&1 <in");
    PARSES_TO("! a | b | c && d || e", "! a | b | c && d || e");
    PARSES_TO("a; b & c", "a; b & c");
    PARSES_TO("(a; b) >f; { c; d & }", "(a; b) >f; { c; d & }");
    PARSES_TO("if a; then b; elif c; then d; else e; fi",
              "if a; then b; elif c; then d; else e; fi");
    PARSES_TO("while a\ndo b\ndone <in", "while a; do b; done <in");
    PARSES_TO("until a; do :; done", "until a; do :; done");
    PARSES_TO("for i in 1 \"2 3\"; do echo $i; done", "for i in 1 \"2 3\"; do echo $i; done");
    PARSES_TO("for i do :; done", "for i do :; done");
    PARSES_TO("case $x in a|b) one;; (c) ;; *) two; esac",
              "case $x in a|b) one;; c);; *) two;; esac");
    PARSES_TO("f() { echo; } 3<in", "f() { echo; } 3<in");
    PARSES_TO("echo $((1 + (2 * 3))) `echo a` ${x:-$(echo })}",
              "echo $((1 + (2 * 3))) `echo a` ${x:-$(echo })}");
    PARSES_TO("cat <<E; echo after\nbody $x\nE\n", "cat <<E; echo after");
    PARSES_TO("if true; then echo x; fi # comment", "if true; then echo x; fi");
    /* Reserved words only where a command starts. */
    PARSES_TO("echo if then fi", "echo if then fi");
    PARSES_TO("a\n\nb\n", "a // b");
    PARSES_TO("a \\\nb", "a b");
}

static void test_lines_and_errors(void) {
    struct parser parser;
    parser_init(&parser, "a\n\n  b\nif x\nthen y\nfi\n", "t", 1);
    int lines[3] = {0};
    for (int i = 0; i < 3; i++) {
        struct node* node = NULL;
        CHECK(parse_command(&parser, &node) == PARSE_COMMAND);
        lines[i] = node ? node->line : -1;
        tree_free(node);
    }
    CHECK(lines[0] == 1 && lines[1] == 3 && lines[2] == 4);
    struct node* none = NULL;
    CHECK(parse_command(&parser, &none) == PARSE_END);

    PARSES_TO("if true; then echo x; done", "ERROR");
    PARSES_TO("fi", "ERROR");
    PARSES_TO("a | | b", "ERROR");
    PARSES_TO("(a", "ERROR");
    PARSES_TO("echo 'open", "ERROR");
    PARSES_TO("case x in a) ;; ", "ERROR");
    PARSES_TO("f() echo", "ERROR");
    PARSES_TO("1f() { :; }", "ERROR");
    PARSES_TO(";;", "ERROR");
    /* The whole text is checked before any of it runs. */
    CHECK(parse_check("echo a\necho b\n", "t", 1) == 0);
    CHECK(parse_check("echo a\nfi\n", "t", 1) == -1);

    /* Incomplete text is not an error when the caller can read more. */
    CHECK(strcmp(parsed("if true; then", 1), "INCOMPLETE") == 0);
    CHECK(strcmp(parsed("echo 'a", 1), "INCOMPLETE") == 0);
    CHECK(strcmp(parsed("a &&", 1), "INCOMPLETE") == 0);
    CHECK(strcmp(parsed("cat <<E\nline\n", 1), "INCOMPLETE") == 0);
    CHECK(strcmp(parsed("echo a \\\n", 1), "INCOMPLETE") == 0); /* a typed continuation line */
    CHECK(strcmp(parsed("fi", 1), "ERROR") == 0);
}

static void test_aliases(void) {
    alias_names[0] = "ll", alias_values[0] = "ls -l";
    alias_names[1] = "say", alias_values[1] = "echo ";
    alias_names[2] = "w", alias_values[2] = "world";
    alias_names[3] = "loop", alias_values[3] = "loop again";
    PARSES_TO("ll /tmp", "ls -l /tmp");
    PARSES_TO("say w", "echo world");
    PARSES_TO("echo ll", "echo ll"); /* only a command word */
    PARSES_TO("'ll' x", "'ll' x");   /* a quoted word is no alias */
    PARSES_TO("loop", "loop again"); /* an alias is not expanded inside itself */
    PARSES_TO("a; ll", "a; ls -l");
    /* Still in use after a separator in its own value: no endless loop. */
    alias_values[3] = "echo hi; loop";
    PARSES_TO("loop", "echo hi; loop");
    alias_values[3] = "loop\nloop";
    PARSES_TO("loop", "loop; loop");
    alias_names[0] = NULL;
}

/* Deep nesting and long input parse without trouble (sanitizers watch). */
static void test_large(void) {
    static char text[40000];
    text[0] = '\0';
    for (int i = 0; i < 200; i++)
        strcat(text, "( ");
    strcat(text, "echo deep");
    for (int i = 0; i < 200; i++)
        strcat(text, " )");
    char* result = parsed(text, 0);
    CHECK(strncmp(result, "((((", 4) == 0 && strstr(result, "echo deep") != NULL);
}

/* Text of open, then middle, then close, each repeated n times. */
static char* nested(const char* open, const char* middle, const char* close, int n) {
    struct strbuf text = {0};
    for (int i = 0; i < n; i++)
        sb_adds(&text, open);
    sb_adds(&text, middle);
    for (int i = 0; i < n; i++)
        sb_adds(&text, close);
    return sb_take(&text);
}

/* Nesting deeper than MAX_NESTING (1000) is a syntax error, not a crash
 * (the recursion would exhaust the stack at some depth). */
static void test_nesting_bound(void) {
    static const struct {
        const char *open, *middle, *close;
    } forms[] = {
        {"(", "echo x", ")"},
        {"{ ", "echo x;", " }"},
        {"if true; then ", "echo x;", " fi"},
        {"while false; do ", ":;", " done"},
        {"case a in a) ", ":;;", " esac"},
        {"echo $(", "echo x", ")"},
        {"echo ${x:-", "y", "}"},
        {"echo \"${x:-", "y", "}\""},
        {"echo $((", "1", "))"},
        {"f() { ", ":;", " }"},
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char* deep = nested(forms[i].open, forms[i].middle, forms[i].close, 100000);
        CHECK(strcmp(parsed(deep, 0), "ERROR") == 0);
        CHECK(strcmp(parsed(deep, 1), "ERROR") == 0); /* even when more may come */
        free(deep);
        char* fits = nested(forms[i].open, forms[i].middle, forms[i].close, 900);
        CHECK(strcmp(parsed(fits, 0), "ERROR") != 0);
        free(fits);
    }
    char* elifs = nested("elif false; then :; ", "", "", 100000);
    struct strbuf text = {0};
    sb_adds(&text, "if false; then :; ");
    sb_adds(&text, elifs);
    sb_adds(&text, "fi");
    CHECK(strcmp(parsed(text.data, 0), "ERROR") == 0);
    sb_free(&text);
    free(elifs);
}

int main(void) {
    test_constructs();
    test_lines_and_errors();
    test_aliases();
    test_large();
    test_nesting_bound();
    if (failures)
        printf("%d failures\n", failures);
    else
        printf("ok\n");
    return failures != 0;
}
