/* test_expand.c: host test of word expansion, variables, arithmetic,
 * patterns and globbing of the shell (user/sh). Build and run:
 *   gcc -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
 *       -Iuser/sh -o /tmp/test_expand tests/sh/unit/test_expand.c \
 *       user/sh/expand.c user/sh/expand_param.c user/sh/expand_fields.c \
 *       user/sh/arith.c user/sh/pattern.c user/sh/glob.c user/sh/vars.c \
 *       user/sh/parser.c user/sh/parser_alias.c user/sh/lexer.c user/sh/tree.c \
 *       user/sh/util.c && /tmp/test_expand
 * Other parts (command_output, sh_error, the shell.h globals) are stubbed:
 * command_output returns its text upper-cased plus "\n\n". */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "expand.h"
#include "shell.h"
#include "vars.h"

struct shell_options options;
int last_status = 3;
pid_t shell_pid = 4242;
pid_t last_background = 0;
char* arg0 = "sh";
const char* error_name = "sh";
int current_line = 1;

static char last_error[256];

char* option_letters(void) {
    return xstrdup(options.nounset ? "u" : "");
}

void sh_error(const char* format, ...) {
    va_list args;
    va_start(args, format);
    vsnprintf(last_error, sizeof last_error, format, args);
    va_end(args);
}

/* parser.c's alias table (no aliases: a $(...) is only measured). */
const char* alias_lookup(const char* name) {
    (void)name;
    return NULL;
}

char* command_output(const char* text) {
    struct strbuf out = {0};
    for (const char* p = text; *p; ++p)
        sb_addc(&out, (char)toupper((unsigned char)*p));
    sb_adds(&out, "\n\n");
    return sb_take(&out);
}

static int failures;

/* Checks that word expands to the fields in expected, written joined by
 * '|' ("" for none, "<>" standing for an empty field). */
static void check_fields(int line, const char* word, const char* expected) {
    struct strlist out = {0};
    char* words[] = {(char*)word};
    struct strbuf got = {0};
    sb_adds(&got, "");
    if (expand_words(words, 1, &out) != 0) {
        sb_adds(&got, "ERROR:");
        sb_adds(&got, last_error);
    }
    for (int i = 0; i < out.count; ++i) {
        if (i)
            sb_addc(&got, '|');
        sb_adds(&got, *out.items[i] ? out.items[i] : "<>");
    }
    if (strcmp(got.data, expected) != 0) {
        printf("FAIL: line %d: %s gave [%s], expected [%s]\n", line, word, got.data, expected);
        ++failures;
    }
    sb_free(&got);
    sl_free(&out);
}
#define FIELDS(word, expected) check_fields(__LINE__, word, expected)

/* An error is expected: its message. */
static void check_error(int line, const char* word, const char* message) {
    struct strlist out = {0};
    char* words[] = {(char*)word};
    last_error[0] = '\0';
    int result = expand_words(words, 1, &out);
    if (result == 0 || strcmp(last_error, message) != 0) {
        printf("FAIL: line %d: %s: result %d, error [%s], expected [%s]\n", line, word, result,
               last_error, message);
        ++failures;
    }
    sl_free(&out);
}
#define ERROR(word, message) check_error(__LINE__, word, message)

static void check_string(int line, char* got, const char* expected, const char* what) {
    if (!got || strcmp(got, expected) != 0) {
        printf("FAIL: line %d: %s gave [%s], expected [%s]\n", line, what, got ? got : "(null)",
               expected);
        ++failures;
    }
    free(got);
}
#define STRING(call, expected) check_string(__LINE__, call, expected, #call)

static void check_true(int line, int condition, const char* what) {
    if (!condition) {
        printf("FAIL: line %d: %s\n", line, what);
        ++failures;
    }
}
#define TRUE(condition) check_true(__LINE__, condition, #condition)

static long arith(const char* expression) {
    long value = -999;
    if (arith_eval(expression, &value) != 0)
        return -999;
    return value;
}

static void set_params(int count, ...) {
    char* items[10];
    va_list args;
    va_start(args, count);
    for (int i = 0; i < count; ++i)
        items[i] = va_arg(args, char*);
    va_end(args);
    params_set(items, count);
}

static void test_basic(void) {
    var_set("x", "hello", 0);
    var_set("e", "", 0);
    var_set("s", "  a  b  ", 0);
    var_set("f", "file.tar.gz", 0);
    FIELDS("plain", "plain");
    FIELDS("'a b'", "a b");
    FIELDS("\"a b\"", "a b");
    FIELDS("a\\ b", "a b");
    FIELDS("''", "<>");
    FIELDS("\"\"", "<>");
    FIELDS("$e", "");
    FIELDS("\"$e\"", "<>");
    FIELDS("$x", "hello");
    FIELDS("${x}world", "helloworld");
    FIELDS("$s", "a|b");
    FIELDS("\"$s\"", "  a  b  ");
    FIELDS("x$s.y", "x|a|b|.y");
    FIELDS("'$x'", "$x");
    FIELDS("\"\\$x\"", "$x");
    FIELDS("\"a\\b\"", "a\\b");
    FIELDS("$", "$");
    FIELDS("a$", "a$");
    FIELDS("$?", "3");
    FIELDS("$$", "4242");
    FIELDS("$!", "");
    FIELDS("$0", "sh");
    FIELDS("${#x}", "5");
    FIELDS("${#s}", "8");
    FIELDS("$unset", "");
}

static void test_params(void) {
    set_params(0);
    FIELDS("\"$@\"", "");
    FIELDS("$@", "");
    FIELDS("\"$*\"", "<>");
    FIELDS("\"a$@b\"", "ab");
    FIELDS("$#", "0");
    FIELDS("${1-none}", "none");
    FIELDS("\"$@\"\"\"", "<>");
    FIELDS("${@:-none}", "none");
    FIELDS("\"${x:-$@}\"", "hello");
    FIELDS("\"${unset:-$@}\"", "<>");
    FIELDS("\"${*:-empty}\"", "empty");
    set_params(1, "one two");
    FIELDS("\"$@\"", "one two");
    FIELDS("$@", "one|two");
    FIELDS("\"a$@b\"", "aone twob");
    FIELDS("$1", "one|two");
    set_params(3, "a 1", "", "c");
    FIELDS("\"$@\"", "a 1|<>|c");
    FIELDS("$@", "a|1|c");
    FIELDS("$*", "a|1|c");
    FIELDS("\"$*\"", "a 1  c");
    FIELDS("\"x$@y\"", "xa 1|<>|cy");
    FIELDS("\"${@}\"", "a 1|<>|c");
    FIELDS("$#", "3");
    FIELDS("${#}", "3");
    FIELDS("\"$@\"\"\"", "a 1|<>|c");
    FIELDS("${#@}", "6");
    FIELDS("\"${unset:-$@}\"", "a 1|<>|c");
    FIELDS("\"${unset-\"$@\"}\"", "a 1|<>|c");
    var_set("IFS", "", 0);
    FIELDS("$*", "a 1|c");
    var_set("IFS", " \t\n", 0);
    FIELDS("${x+\"$s\"}", "  a  b  ");
    FIELDS("${s:+$s}", "a|b");
    FIELDS("\"a\\\nb\"", "ab");
    var_set("IFS", ":", 0);
    FIELDS("\"$*\"", "a 1::c");
    var_set("IFS", "", 0);
    FIELDS("\"$*\"", "a 1c");
    var_set("IFS", " \t\n", 0);
    STRING(expand_word("$@"), "a 1  c");
    STRING(expand_word("\"$@\""), "a 1  c");
    char* many[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "ten", "eleven"};
    params_set(many, 11);
    FIELDS("$10", "10");
    FIELDS("${10}", "ten");
    FIELDS("${11}", "eleven");
    set_params(0);
}

static void test_splitting(void) {
    var_set("v", " a:b::c: ", 0);
    var_set("IFS", ":", 0);
    FIELDS("$v", " a|b|<>|c| ");
    var_set("IFS", " :", 0);
    FIELDS("$v", "a|b|<>|c");
    var_set("w", ":a", 0);
    FIELDS("$w", "<>|a");
    var_set("w", "a : b", 0);
    FIELDS("$w", "a|b");
    var_set("IFS", "", 0);
    FIELDS("$v", " a:b::c: ");
    var_unset("IFS");
    var_set("w", "a\tb\nc d", 0);
    FIELDS("$w", "a|b|c|d");
    var_set("IFS", " \t\n", 0);
    FIELDS("$(echo a b)", "ECHO|A|B");
    FIELDS("\"$(echo a b)\"", "ECHO A B");
    FIELDS("`echo a`", "ECHO|A");
    FIELDS("\"`echo \\$x`\"", "ECHO $X");
    FIELDS("$(echo \")\")", "ECHO|\")\"");
    /* A $(...) ends where the parser ends it. */
    FIELDS("$(case a in a) b;; esac)", "CASE|A|IN|A)|B;;|ESAC");
    FIELDS("\"$(echo ')')\"", "ECHO ')'");
    FIELDS("$(echo a # )\n)", "ECHO|A|#|)");
}

static void test_braces(void) {
    FIELDS("${unset:-a b}", "a|b");
    FIELDS("\"${unset:-a b}\"", "a b");
    FIELDS("${unset:-'a b'}", "a b");
    FIELDS("\"${unset:-'a b'}\"", "'a b'");
    FIELDS("\"${unset:-\"a b\"}\"", "a b");
    FIELDS("${e:-empty}", "empty");
    FIELDS("${e-empty}", "");
    FIELDS("${x:-no}", "hello");
    FIELDS("${x:+yes}", "yes");
    FIELDS("${e:+yes}", "");
    FIELDS("${e+yes}", "yes");
    FIELDS("${unset+yes}", "");
    FIELDS("${unset:-${alsounset:-z}}", "z");
    FIELDS("${unset:-${x}}", "hello");
    FIELDS("${new:=assigned}", "assigned");
    STRING(xstrdup(var_get("new")), "assigned");
    FIELDS("${e=notused}", "");
    FIELDS("${e:=nowset}", "nowset");
    ERROR("${unset?}", "unset: parameter not set");
    ERROR("${unset:?}", "unset: parameter not set or null");
    ERROR("${unset?my msg}", "unset: my msg");
    ERROR("${x:z}", "Bad substitution");
    ERROR("${}", "Bad substitution");
    ERROR("${1=x}", "1: bad variable name");
    ERROR("${#x:-a}", "Bad substitution");
    ERROR("${x!}", "Bad substitution");
    FIELDS("${#-x}", "0");
    FIELDS("${f%.*}", "file.tar");
    FIELDS("${f%%.*}", "file");
    FIELDS("${f#*.}", "tar.gz");
    FIELDS("${f##*.}", "gz");
    FIELDS("${f%\".*\"}", "file.tar.gz");
    FIELDS("${f%'.gz'}", "file.tar");
    FIELDS("\"${f%.*}\"", "file.tar");
    var_set("star", "*", 0);
    var_set("g", "a*b", 0);
    FIELDS("${g#*\\*}", "b");
    FIELDS("${g#\"$star\"}", "a*b");
    FIELDS("${g#a$star}", "*b");
    FIELDS("${g##a$star}", "");
    FIELDS("${f%.${unset:-gz}}", "file.tar");
    FIELDS("${f%x}", "file.tar.gz");
    FIELDS("${#unset}", "0");
    var_set("t", "abc", 0);
    FIELDS("\"${t#\"a\"}\"", "bc");
    FIELDS("${t%\"c\"}", "ab");
    FIELDS("\"${t:-\\}}\"", "abc");
    FIELDS("\"${unset:-\\}}\"", "}");
    FIELDS("\"${t#\\a}\"", "bc");
    FIELDS("\"${unset:-\"a  b\"}\"", "a  b");
    FIELDS("${unset:-\"c  d\"}", "c  d");
}

static void test_nounset(void) {
    options.nounset = 1;
    ERROR("$unset", "unset: parameter not set");
    ERROR("${unset}", "unset: parameter not set");
    ERROR("$1", "1: parameter not set");
    ERROR("${#unset}", "unset: parameter not set");
    FIELDS("${unset-ok}", "ok");
    FIELDS("$@", "");
    FIELDS("\"$*\"", "<>");
    FIELDS("$-", "u");
    ERROR("$!", "!: parameter not set");
    options.nounset = 0;
}

static void test_tilde(void) {
    var_set("HOME", "/home/me", 0);
    FIELDS("~", "/home/me");
    FIELDS("~/x", "/home/me/x");
    FIELDS("\"~\"", "~");
    FIELDS("\\~", "~");
    FIELDS("a~", "a~");
    FIELDS("~nosuchuserhere/x", "~nosuchuserhere/x");
    FIELDS("~root/x", "/root/x"); /* the host's /etc/passwd */
    STRING(expand_assignment_value("~/a:~/b"), "/home/me/a:/home/me/b");
    STRING(expand_word("~/a:~/b"), "/home/me/a:~/b");
    var_set("HOME", "/h w", 0);
    FIELDS("~", "/h w");
}

static void test_arith(void) {
    FIELDS("$((1+2*3))", "7");
    FIELDS("$(( (1+2)*3 ))", "9");
    TRUE(arith("1+2*3-4/2") == 5);
    TRUE(arith("2+3<<1") == 10);
    TRUE(arith("1<2==1") == 1);
    TRUE(arith("7%3") == 1);
    TRUE(arith("-7/2") == -3);
    TRUE(arith("!0 + ~0") == 0);
    TRUE(arith("1 ? 2 : 3") == 2);
    TRUE(arith("0 ? 2 : 0 ? 3 : 4") == 4);
    TRUE(arith("0x1f + 010") == 39);
    TRUE(arith("1 && 0 || 2") == 1);
    TRUE(arith("6 & 3 | 8 ^ 1") == 11);
    TRUE(arith("1 >= 1 && 2 > 1 && 1 <= 2 && 1 != 2") == 1);
    TRUE(arith("-(-3)") == 3);
    TRUE(arith("9223372036854775807+1") < 0);
    TRUE(arith("1 << 2") == 4);
    TRUE(arith("-9223372036854775807-1 / -1") < 0);
    TRUE(arith("(-9223372036854775807-1) % -1") == 0);
    var_set("n", "5", 0);
    FIELDS("$((n+=2))", "7");
    STRING(xstrdup(var_get("n")), "7");
    FIELDS("$((n*2))", "14");
    FIELDS("$(($n*2))", "14");
    TRUE(arith("m = n = 3") == 3);
    STRING(xstrdup(var_get("m")), "3");
    TRUE(arith("n <<= 2") == 12);
    TRUE(arith("0 && (n = 100)") == 0);
    STRING(xstrdup(var_get("n")), "12");
    TRUE(arith("1 || 1/0") == 1);
    TRUE(arith("0 ? 1/0 : 5") == 5);
    TRUE(arith("nosuch + 1") == 1);
    var_set("empty2", "", 0);
    TRUE(arith("empty2 + 1") == 1);
    ERROR("$((1+))", "arithmetic expression: expecting primary: \"1+\"");
    ERROR("$((1/0))", "arithmetic expression: division by zero: \"1/0\"");
    ERROR("$((1%0))", "arithmetic expression: division by zero: \"1%0\"");
    ERROR("$((1 2))", "arithmetic expression: expecting EOF: \"1 2\"");
    ERROR("$((1?2))", "arithmetic expression: expecting ':': \"1?2\"");
    ERROR("$((08))", "arithmetic expression: expecting EOF: \"08\"");
    ERROR("$((nosuch++))", "arithmetic expression: expecting primary: \"nosuch++\"");
    ERROR("$((x+1))", "Illegal number: hello");
}

static void test_pattern(void) {
    TRUE(pattern_match("*", ""));
    TRUE(pattern_match("*", ".hidden"));
    TRUE(pattern_match("a*b", "axxb"));
    TRUE(!pattern_match("a*b", "axxc"));
    TRUE(pattern_match("a?c", "abc"));
    TRUE(!pattern_match("a?c", "ac"));
    TRUE(pattern_match("[!a-c]x", "dx"));
    TRUE(!pattern_match("[!a-c]x", "bx"));
    TRUE(!pattern_match("[^a-c]", "z")); /* dash: '^' is an ordinary character */
    TRUE(pattern_match("[^a-c]", "^"));
    TRUE(pattern_match("[^a-c]", "b"));
    TRUE(pattern_match("[[:alpha:]]1", "Q1"));
    TRUE(!pattern_match("[[:alpha:]]1", "91"));
    TRUE(pattern_match("[[:digit:][:upper:]]", "7"));
    TRUE(pattern_match("\\*", "*"));
    TRUE(!pattern_match("\\*", "a"));
    TRUE(pattern_match("[]]", "]"));
    TRUE(pattern_match("[a-]", "-"));
    TRUE(pattern_match("[", "["));
    TRUE(pattern_match("a[b", "a[b"));
    TRUE(pattern_match("*.c", "main.c"));
    TRUE(pattern_match("*a*a*a*", "banana"));
    TRUE(!pattern_match("*a*a*a*a*", "banana"));
    TRUE(pattern_match("a/*", "a/b/c"));
}

static void test_glob(void) {
    char directory[] = "/tmp/test_expand.XXXXXX";
    if (!mkdtemp(directory)) {
        printf("FAIL: mkdtemp\n");
        ++failures;
        return;
    }
    const char* files[] = {"b.c", "a.c", ".hidden.c", "c.h", "sub/x.c", "sub/y.h", "a*b"};
    char path[256];
    snprintf(path, sizeof path, "%s/sub", directory);
    mkdir(path, 0700);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; ++i) {
        snprintf(path, sizeof path, "%s/%s", directory, files[i]);
        FILE* file = fopen(path, "w");
        if (file)
            fclose(file);
    }
    char old[512];
    if (!getcwd(old, sizeof old) || chdir(directory) != 0) {
        printf("FAIL: chdir\n");
        ++failures;
        return;
    }
    FIELDS("*.c", "a.c|b.c");
    FIELDS(".*.c", ".hidden.c");
    FIELDS("*", "a*b|a.c|b.c|c.h|sub");
    FIELDS("\"*\".c", "*.c");
    FIELDS("a\\*b", "a*b");
    FIELDS("a[*]b", "a*b");
    FIELDS("*/*.c", "sub/x.c");
    FIELDS("s*/*", "sub/x.c|sub/y.h");
    FIELDS("*/", "sub/");
    FIELDS("nomatch*", "nomatch*");
    FIELDS("[ab].c", "a.c|b.c");
    FIELDS("$star.h", "c.h");
    FIELDS("\"$star\".h", "*.h");
    snprintf(path, sizeof path, "%s/*.h", directory);
    struct strlist out = {0};
    TRUE(glob_expand(path, &out) == 1);
    sl_free(&out);
    options.noglob = 1;
    FIELDS("*.c", "*.c");
    options.noglob = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; ++i)
        unlink(files[i]);
    rmdir("sub");
    if (chdir(old) != 0)
        ++failures;
    rmdir(directory);
}

static void test_strings(void) {
    STRING(expand_word("a  \"$x\"  '$s'"), "a  hello  $s");
    STRING(expand_word("$s"), "  a  b  ");
    STRING(expand_word("*"), "*");
    STRING(expand_pattern("a\"*\"$star'?'"), "a\\**\\?");
    STRING(expand_heredoc("x=$x \"q\" '\\$x' \\n $((1+1))\n"), "x=hello \"q\" '$x' \\n 2\n");
    TRUE(expand_word("${unset?boom}") == NULL);
}

static void test_vars(void) {
    TRUE(var_set("ro", "1", VAR_READONLY) == 0);
    TRUE(var_set("ro", "2", 0) == -1);
    STRING(xstrdup(last_error), "ro: is read only");
    TRUE(var_unset("ro") == -1);
    TRUE(var_assign("ex=1=2", VAR_EXPORT) == 0);
    STRING(xstrdup(var_get("ex")), "1=2");
    TRUE(var_flags("ex") == VAR_EXPORT);
    TRUE(var_flags("nosuch") == -1);
    char** environment = var_environment();
    int found = 0;
    for (char** p = environment; *p; ++p)
        found |= strcmp(*p, "ex=1=2") == 0;
    TRUE(found);
    free_environment(environment);
    TRUE(var_local("x") == -1);
    var_set("lv", "outer", 0);
    var_push_scope();
    TRUE(var_scope_depth() == 1);
    TRUE(var_local("lv=inner") == 0);
    TRUE(var_local("fresh") == 0);
    var_set("fresh", "f", 0);
    STRING(xstrdup(var_get("lv")), "inner");
    var_pop_scope();
    STRING(xstrdup(var_get("lv")), "outer");
    TRUE(var_get("fresh") == NULL);
    set_params(3, "a", "b", "c");
    struct params saved = params_save();
    set_params(1, "f");
    TRUE(params_get()->count == 1);
    params_restore(saved);
    TRUE(params_get()->count == 3);
    TRUE(params_shift(2) == 0);
    STRING(xstrdup(params_get()->items[0]), "c");
    TRUE(params_shift(5) == -1);
    set_params(0);
}

int main(void) {
    char* environment[] = {"HOME=/root", "PATH=/bin", NULL};
    vars_init(environment);
    test_basic();
    test_params();
    test_splitting();
    test_braces();
    test_nounset();
    test_tilde();
    test_arith();
    test_pattern();
    test_glob();
    test_strings();
    test_vars();
    if (failures) {
        printf("%d failures\n", failures);
        return 1;
    }
    printf("ok\n");
    return 0;
}
