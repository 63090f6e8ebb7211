/* tree_print.c: a tree back to one line of shell text, words as written
 * (raw), for the job table ("[1] Stopped sleep 9 | cat"), tests and
 * debugging. Here-document bodies are left out: only "<<WORD" is shown. */
#include <string.h>

#include "tree.h"

static void print_node(const struct node* node, struct strbuf* out);

/* A word or target: hand-built trees (tests) may leave one NULL. */
static void put(struct strbuf* out, const char* text) {
    if (text)
        sb_adds(out, text);
}

/* Each redirection after a blank, but none before the first when nothing
 * precedes it (a command of redirections only). */
static void print_redirects(const struct redirect* r, struct strbuf* out, int blank) {
    static const char* const operators[] = {"<", ">", ">|", ">>", "<>", "<&", ">&", "<<"};
    static const int default_fd[] = {0, 1, 1, 1, 0, 0, 1, 0};
    for (; r; r = r->next, blank = 1) {
        if (blank)
            sb_addc(out, ' ');
        if (r->fd != default_fd[r->kind]) {
            char digits[12];
            int n = 0, fd = r->fd;
            do
                digits[n++] = (char)('0' + fd % 10);
            while ((fd /= 10) > 0 && n < 11);
            while (n > 0)
                sb_addc(out, digits[--n]);
        }
        sb_adds(out, operators[r->kind]);
        put(out, r->target);
    }
}

static void print_words(char** words, int count, struct strbuf* out, int* first) {
    for (int i = 0; i < count; i++) {
        if (!*first)
            sb_addc(out, ' ');
        put(out, words[i]);
        *first = 0;
    }
}

/* A list as the body of a compound command: "a; b &" and a final ";". */
static void print_body(const struct node* node, struct strbuf* out) {
    sb_addc(out, ' ');
    print_node(node, out);
    if (!(node->kind == NODE_LIST && node->list.items[node->list.count - 1].background))
        sb_addc(out, ';');
}

static void print_node(const struct node* node, struct strbuf* out) {
    int first = 1;
    switch (node->kind) {
    case NODE_SIMPLE:
        print_words(node->simple.assignments, node->simple.assignment_count, out, &first);
        print_words(node->simple.words, node->simple.word_count, out, &first);
        print_redirects(node->redirects, out, !first);
        return;
    case NODE_PIPELINE:
        if (node->pipeline.negated)
            sb_adds(out, "! ");
        for (int i = 0; i < node->pipeline.count; i++) {
            if (i)
                sb_adds(out, " | ");
            print_node(node->pipeline.commands[i], out);
        }
        break;
    case NODE_AND:
    case NODE_OR:
        print_node(node->and_or.left, out);
        sb_adds(out, node->kind == NODE_AND ? " && " : " || ");
        print_node(node->and_or.right, out);
        break;
    case NODE_LIST:
        for (int i = 0; i < node->list.count; i++) {
            if (i)
                sb_adds(out, node->list.items[i - 1].background ? " " : "; ");
            print_node(node->list.items[i].command, out);
            if (node->list.items[i].background)
                sb_adds(out, " &");
        }
        break;
    case NODE_SUBSHELL:
        sb_addc(out, '(');
        print_node(node->group.body, out);
        sb_addc(out, ')');
        break;
    case NODE_GROUP:
        sb_addc(out, '{');
        print_body(node->group.body, out);
        sb_adds(out, " }");
        break;
    case NODE_IF:
        sb_adds(out, "if");
        for (const struct node* part = node;;) {
            print_body(part->if_.condition, out);
            sb_adds(out, " then");
            print_body(part->if_.then_part, out);
            const struct node* rest = part->if_.else_part;
            if (rest && rest->kind == NODE_IF && !rest->redirects) {
                sb_adds(out, " elif");
                part = rest;
                continue;
            }
            if (rest) {
                sb_adds(out, " else");
                print_body(rest, out);
            }
            break;
        }
        sb_adds(out, " fi");
        break;
    case NODE_WHILE:
    case NODE_UNTIL:
        sb_adds(out, node->kind == NODE_WHILE ? "while" : "until");
        print_body(node->loop.condition, out);
        sb_adds(out, " do");
        print_body(node->loop.body, out);
        sb_adds(out, " done");
        break;
    case NODE_FOR:
        sb_adds(out, "for ");
        put(out, node->for_.name);
        if (node->for_.has_in) {
            sb_adds(out, " in");
            for (int i = 0; i < node->for_.word_count; i++) {
                sb_addc(out, ' ');
                put(out, node->for_.words[i]);
            }
            sb_addc(out, ';');
        }
        sb_adds(out, " do");
        print_body(node->for_.body, out);
        sb_adds(out, " done");
        break;
    case NODE_CASE:
        sb_adds(out, "case ");
        put(out, node->case_.subject);
        sb_adds(out, " in");
        for (int i = 0; i < node->case_.count; i++) {
            const struct case_item* item = &node->case_.items[i];
            sb_addc(out, ' ');
            for (int k = 0; k < item->pattern_count; k++) {
                if (k)
                    sb_addc(out, '|');
                put(out, item->patterns[k]);
            }
            sb_addc(out, ')');
            if (item->body) {
                sb_addc(out, ' ');
                print_node(item->body, out);
            }
            sb_adds(out, ";;");
        }
        sb_adds(out, " esac");
        break;
    case NODE_FUNCTION:
        put(out, node->function.name);
        sb_adds(out, "() ");
        print_node(node->function.body, out);
        return; /* the body's redirections are printed with it */
    }
    print_redirects(node->redirects, out, 1);
}

void tree_print(const struct node* node, struct strbuf* out) {
    if (node)
        print_node(node, out);
}
