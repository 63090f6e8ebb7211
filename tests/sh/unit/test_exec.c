/* test_exec.c: host test of the new shell's executor with hand-built trees
 * and stubs for the other parts (expansion splits on spaces, echo/true/false
 * and the control builtins are the only builtins, vars are a small table).
 * Build and run, from the repository root:
 *   gcc -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
 *     -Iuser/sh -o /tmp/test_exec tests/sh/unit/test_exec.c \
 *     user/sh/exec.c user/sh/redirect.c user/sh/run_text.c \
 *     user/sh/jobs.c user/sh/trap.c user/sh/builtins_control.c \
 *     user/sh/util.c && /tmp/test_exec
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtins.h"
#include "expand.h"
#include "parser.h"
#include "shell.h"
#include "vars.h"

/* Stub expansion: split on spaces, no quotes. */
int expand_words(char* const* words, int count, struct strlist* out) {
    for (int i = 0; i < count; i++) {
        char* copy = xstrdup(words[i]);
        for (char* t = strtok(copy, " "); t; t = strtok(NULL, " "))
            sl_add(out, xstrdup(t));
        free(copy);
    }
    return 0;
}
char* expand_word(const char* word) {
    return xstrdup(word);
}
char* expand_assignment_value(const char* value) {
    return xstrdup(value);
}
char* expand_pattern(const char* word) {
    return xstrdup(word);
}
char* expand_heredoc(const char* body) {
    return xstrdup(body);
}
int pattern_match(const char* pattern, const char* string) {
    return strcmp(pattern, "*") == 0 || strcmp(pattern, string) == 0;
}

/* Stub variables: a fixed table, scopes ignored. */
static char* names[64];
static char* values[64];
const char* var_get(const char* name) {
    for (int i = 0; i < 64; i++)
        if (names[i] && strcmp(names[i], name) == 0)
            return values[i];
    return NULL;
}
int var_set(const char* name, const char* value, int flags) {
    (void)flags;
    int free_slot = -1;
    for (int i = 0; i < 64; i++) {
        if (names[i] && strcmp(names[i], name) == 0) {
            free(values[i]);
            values[i] = xstrdup(value ? value : "");
            return 0;
        }
        if (!names[i] && free_slot < 0)
            free_slot = i;
    }
    names[free_slot] = xstrdup(name);
    values[free_slot] = xstrdup(value ? value : "");
    return 0;
}
int var_assign(const char* assignment, int flags) {
    char* name = xstrdup(assignment);
    char* equals = strchr(name, '=');
    *equals = '\0';
    int r = var_set(name, equals + 1, flags);
    free(name);
    return r;
}
int var_flags(const char* name) {
    return var_get(name) ? 0 : -1;
}
int var_local(const char* a) {
    return strchr(a, '=') ? var_assign(a, 0) : 0;
}
void var_push_scope(void) {}
void var_pop_scope(void) {}
char** var_environment(void) {
    char** e = xmalloc(sizeof(char*));
    e[0] = NULL;
    return e;
}
void free_environment(char** e) {
    free(e);
}
static struct params current;
void params_set(char* const* items, int count) {
    current.items = xmalloc(sizeof(char*) * (size_t)(count + 1));
    for (int i = 0; i < count; i++)
        current.items[i] = xstrdup(items[i]);
    current.items[count] = NULL;
    current.count = count;
}
const struct params* params_get(void) {
    return &current;
}
struct params params_save(void) {
    struct params saved = current;
    current.items = NULL;
    current.count = 0;
    return saved;
}
void params_restore(struct params saved) {
    for (int i = 0; i < current.count; i++)
        free(current.items[i]);
    free(current.items);
    current = saved;
}

/* Stub builtins. */
static int b_echo(int argc, char** argv) {
    for (int i = 1; i < argc; i++)
        printf("%s%s", argv[i], i + 1 < argc ? " " : "");
    printf("\n");
    return 0;
}
static int b_true(int argc, char** argv) {
    (void)argc, (void)argv;
    return 0;
}
static int b_false(int argc, char** argv) {
    (void)argc, (void)argv;
    return 1;
}
static const struct builtin table[] = {
    {"echo", b_echo, 0},
    {"true", b_true, 0},
    {"false", b_false, 0},
    {"break", builtin_break, 1},
    {"continue", builtin_continue, 1},
    {"return", builtin_return, 1},
    {"exec", builtin_exec, 1},
    {NULL, NULL, 0},
};
const struct builtin* builtin_find(const char* name) {
    for (int i = 0; table[i].name; i++)
        if (strcmp(table[i].name, name) == 0)
            return &table[i];
    return NULL;
}
const char* alias_lookup(const char* name) {
    (void)name;
    return NULL;
}
int signal_from_text(const char* text) {
    return atoi(text);
}
const char* signal_name(int n) {
    (void)n;
    return "SIG";
}
int signal_to_linux(int n) {
    return n;
}
void parser_init(struct parser* p, const char* text, const char* name, int line) {
    p->text = text, p->name = name, p->line = line, p->position = 0;
}
enum parse_result parse_command(struct parser* p, struct node** c) {
    (void)p, (void)c;
    return PARSE_END;
}

/* Tree building. */
static struct node* new_node(enum node_kind kind) {
    struct node* n = calloc(1, sizeof *n);
    n->kind = kind;
    n->line = 1;
    return n;
}
static struct node* cmd(const char* text) {
    struct node* n = new_node(NODE_SIMPLE);
    n->simple.words = xmalloc(sizeof(char*));
    n->simple.words[0] = xstrdup(text);
    n->simple.word_count = 1;
    return n;
}
static struct node* binary(enum node_kind kind, struct node* l, struct node* r) {
    struct node* n = new_node(kind);
    n->and_or.left = l, n->and_or.right = r;
    return n;
}
static struct node* list2(struct node* a, struct node* b) {
    struct node* n = new_node(NODE_LIST);
    n->list.items = calloc(2, sizeof(struct list_item));
    n->list.items[0].command = a, n->list.items[1].command = b;
    n->list.count = 2;
    return n;
}
static struct node* pipeline(struct node* a, struct node* b) {
    struct node* n = new_node(NODE_PIPELINE);
    n->pipeline.commands = xmalloc(2 * sizeof(struct node*));
    n->pipeline.commands[0] = a, n->pipeline.commands[1] = b;
    n->pipeline.count = 2;
    return n;
}
void tree_free(struct node* n) {
    (void)n;
} /* the test leaks its trees */
struct node* tree_copy(const struct node* n) {
    return (struct node*)n;
}
void history_add(const char* l) {
    (void)l;
}
int edit_line(const char* p, char* l, size_t s) {
    (void)p, (void)l, (void)s;
    return -2;
}

static int failures;
/* Runs a tree with stdout in a file, compares output and status. */
static void check(const char* what, struct node* n, const char* out, int status) {
    fflush(stdout);
    int saved = dup(1);
    int fd = open("/tmp/test_exec.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    close(fd);
    int got = run_node(n);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    char buffer[4096] = {0};
    FILE* f = fopen("/tmp/test_exec.out", "r");
    size_t len = fread(buffer, 1, sizeof buffer - 1, f);
    buffer[len] = 0;
    fclose(f);
    int ok = got == status && strcmp(buffer, out) == 0;
    if (!ok)
        failures++;
    printf("%s %s (status %d, output \"%s\")\n", ok ? "ok" : "FAIL", what, got, buffer);
}

int main(void) {
    shell_pid = getpid();
    var_set("PATH", "/bin:/usr/bin", 0);
    check("echo", cmd("echo hi"), "hi\n", 0);
    check("external", cmd("printf %s-x a"), "a-x", 0);
    check("not found", cmd("nosuchcmd_xyz"), "", 127);
    check("and", binary(NODE_AND, cmd("false"), cmd("echo no")), "", 1);
    check("or", binary(NODE_OR, cmd("false"), cmd("echo yes")), "yes\n", 0);
    check("pipeline", pipeline(cmd("echo abc"), cmd("tr a-z A-Z")), "ABC\n", 0);
    check("pipeline status", pipeline(cmd("true"), cmd("false")), "", 1);
    struct node* neg = pipeline(cmd("true"), cmd("false"));
    neg->pipeline.negated = 1;
    check("negated", neg, "", 0);
    struct node* f = new_node(NODE_FOR);
    f->for_.name = "i";
    char* fw[] = {"a b c"};
    f->for_.words = fw, f->for_.word_count = 1, f->for_.has_in = 1;
    f->for_.body = cmd("echo x");
    check("for", f, "x\nx\nx\n", 0);
    f->for_.body = list2(cmd("echo y"), cmd("break"));
    check("for break", f, "y\n", 0);
    f->for_.body = list2(cmd("continue"), cmd("echo never"));
    check("for continue", f, "", 0);
    struct node* c = new_node(NODE_CASE);
    c->case_.subject = "b";
    c->case_.items = calloc(2, sizeof(struct case_item));
    char* p1[] = {"a"};
    char* p2[] = {"x", "b"};
    c->case_.items[0] = (struct case_item){p1, 1, cmd("echo A")};
    c->case_.items[1] = (struct case_item){p2, 2, cmd("echo B")};
    c->case_.count = 2;
    check("case", c, "B\n", 0);
    struct node* r = cmd("echo tofile");
    r->redirects = calloc(1, sizeof(struct redirect));
    r->redirects->kind = REDIRECT_OUT, r->redirects->fd = 1,
    r->redirects->target = "/tmp/test_exec.f";
    check("redirect builtin", r, "", 0);
    check("file content", cmd("cat /tmp/test_exec.f"), "tofile\n", 0);
    /* A descriptor past the limit: dup2 fails, so the command must not run
     * with its output where it was (dash ignores the failure). */
    struct node* far = cmd("echo lost");
    far->redirects = calloc(1, sizeof(struct redirect));
    far->redirects->kind = REDIRECT_OUT, far->redirects->fd = 999999999,
    far->redirects->target = "/tmp/test_exec.f";
    check("redirect past the descriptor limit", far, "", 2);
    struct node* h = cmd("cat");
    h->redirects = calloc(1, sizeof(struct redirect));
    h->redirects->kind = REDIRECT_HEREDOC, h->redirects->heredoc = "line1\nline2\n";
    h->redirects->heredoc_quoted = 1;
    check("heredoc", h, "line1\nline2\n", 0);
    struct node* big = cmd("wc -c");
    big->redirects = calloc(1, sizeof(struct redirect));
    big->redirects->kind = REDIRECT_HEREDOC, big->redirects->heredoc_quoted = 1;
    big->redirects->heredoc = calloc(200001, 1);
    memset(big->redirects->heredoc, 'x', 200000);
    check("big heredoc", big, "200000\n", 0);
    struct node* def = new_node(NODE_FUNCTION);
    def->function.name = "fn";
    def->function.body = list2(cmd("echo in"), binary(NODE_AND, cmd("false"), cmd("echo no")));
    check("define", def, "", 0);
    check("call", cmd("fn"), "in\n", 1);
    struct node* def2 = new_node(NODE_FUNCTION);
    def2->function.name = "fr";
    def2->function.body = list2(cmd("return 3"), cmd("echo never"));
    run_node(def2);
    check("return", cmd("fr"), "", 3);
    struct node* sub = new_node(NODE_SUBSHELL);
    sub->group.body = list2(cmd("echo sub"), cmd("false"));
    check("subshell", sub, "sub\n", 1);
    struct node* w = new_node(NODE_WHILE);
    w->loop.condition = cmd("true");
    w->loop.body = list2(cmd("echo w"), cmd("break"));
    check("while break", w, "w\n", 0);
    struct node* i = new_node(NODE_IF);
    i->if_.condition = cmd("false");
    i->if_.then_part = cmd("echo then");
    i->if_.else_part = cmd("echo else");
    check("if else", i, "else\n", 0);
    struct node* bg = new_node(NODE_LIST);
    bg->list.items = calloc(1, sizeof(struct list_item));
    bg->list.items[0].command = cmd("true"), bg->list.items[0].background = 1;
    bg->list.count = 1;
    check("background", bg, "", 0);
    printf("%s $! set\n", last_background > 0 ? "ok" : "FAIL");
    if (last_background <= 0)
        failures++;
    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures != 0;
}
