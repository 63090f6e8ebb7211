/* parser.c: the shell grammar (POSIX.1-2017 2.10) by recursive descent
 * over lexer.c's tokens, one token of lookahead. Reserved words are words
 * written without quoting, recognised only where a command may start (and
 * in/do/esac where the grammar expects them). Every function returns the
 * node it parsed, or NULL after the error was reported (lex_error), and
 * frees what it had built. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"
#include "parse_private.h"
#include "parser.h"

static struct token* peek(struct parse* p) {
    if (!p->have) {
        p->from_queue = p->next_queued < p->queue_length;
        if (p->from_queue)
            p->lookahead = p->queue[p->next_queued++];
        else
            p->lookahead = lex_next(p->lexer);
        p->have = 1;
    }
    return &p->lookahead;
}

struct token* parse_peek(struct parse* p) {
    return peek(p);
}

/* Consumes the lookahead; the caller owns its text. */
static struct token next(struct parse* p) {
    peek(p);
    p->have = 0;
    return p->lookahead;
}

static void drop(struct parse* p) {
    free(next(p).text);
}

static int is_word(struct parse* p, const char* word) {
    struct token* t = peek(p);
    return t->kind == T_WORD && strcmp(t->text, word) == 0;
}

static const char* const closers[] = {"then", "else", "elif", "fi", "do",
                                      "done", "esac", "}",    NULL};

static int is_closer(struct parse* p) {
    for (int i = 0; closers[i]; ++i)
        if (is_word(p, closers[i]))
            return 1;
    return 0;
}

static const char* token_text(const struct token* t) {
    static const char* const names[] = {"end of file", "newline", ";",  "&", "|",
                                        "&&",          "||",      ";;", "(", ")"};
    if (t->kind == T_WORD)
        return t->text;
    if (t->kind == T_REDIRECT)
        return "redirection";
    return names[t->kind];
}

/* Reports the lookahead as unexpected, in dash's words; expecting may be NULL. */
static void unexpected(struct parse* p, const char* expecting) {
    struct token* t = peek(p);
    char message[160];
    const char* what = token_text(t);
    int quoted = t->kind != T_EOF && t->kind != T_NEWLINE;
    if (expecting)
        snprintf(message, sizeof message, "%s%.80s%s unexpected (expecting \"%s\")",
                 quoted ? "\"" : "", what, quoted ? "\"" : "", expecting);
    else
        snprintf(message, sizeof message, "%s%.80s%s unexpected", quoted ? "\"" : "", what,
                 quoted ? "\"" : "");
    lex_error(p->lexer, t->line, message, t->kind == T_EOF);
}

static int expect(struct parse* p, const char* word) {
    if (!is_word(p, word)) {
        unexpected(p, word);
        return -1;
    }
    drop(p);
    return 0;
}

static void skip_newlines(struct parse* p) {
    while (peek(p)->kind == T_NEWLINE)
        drop(p);
}

static struct node* new_node(enum node_kind kind, int line) {
    struct node* node = xmalloc(sizeof *node);
    memset(node, 0, sizeof *node);
    node->kind = kind;
    node->line = line;
    return node;
}

static void add_word(char*** words, int* count, char* word) {
    *words = xrealloc(*words, (size_t)(*count + 2) * sizeof(char*));
    (*words)[(*count)++] = word;
    (*words)[*count] = NULL;
}

int is_name(const char* name, size_t length) {
    if (length == 0 || (name[0] >= '0' && name[0] <= '9'))
        return 0;
    for (size_t i = 0; i < length; ++i) {
        char c = name[i];
        if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9')))
            return 0;
    }
    return 1;
}

static int is_assignment(const char* word) {
    const char* equals = strchr(word, '=');
    return equals && is_name(word, (size_t)(equals - word));
}

static struct node* parse_list(struct parse* p, int top);
static struct node* parse_and_or(struct parse* p);

/* A redirection operator and its word, appended to *tail. */
static int parse_redirect(struct parse* p, struct redirect*** tail) {
    struct token op = next(p);
    if (peek(p)->kind != T_WORD) {
        unexpected(p, NULL);
        return -1;
    }
    struct redirect* r = xmalloc(sizeof *r);
    memset(r, 0, sizeof *r);
    r->kind = op.redirect;
    r->fd = op.fd >= 0 ? op.fd
            : (op.redirect == REDIRECT_IN || op.redirect == REDIRECT_READ_WRITE ||
               op.redirect == REDIRECT_DUP_IN || op.redirect == REDIRECT_HEREDOC)
                ? 0
                : 1;
    r->target = next(p).text;
    if (r->kind == REDIRECT_HEREDOC)
        lex_add_heredoc(p->lexer, r, op.strip);
    **tail = r;
    *tail = &r->next;
    return 0;
}

/* Redirections written after a compound command. */
static struct node* trailing_redirects(struct parse* p, struct node* node) {
    struct redirect** tail = &node->redirects;
    while (*tail)
        tail = &(*tail)->next;
    while (node && peek(p)->kind == T_REDIRECT)
        if (parse_redirect(p, &tail) < 0) {
            tree_free(node);
            return NULL;
        }
    return node;
}

/* A list that must not be empty, followed by the word closer. */
static struct node* list_until(struct parse* p, const char* closer) {
    struct node* list = parse_list(p, 0);
    if (list && expect(p, closer) < 0) {
        tree_free(list);
        return NULL;
    }
    return list;
}

static struct node* parse_if(struct parse* p, int line) {
    struct node* node = new_node(NODE_IF, line);
    drop(p); /* if or elif */
    if (!(node->if_.condition = list_until(p, "then")) || !(node->if_.then_part = parse_list(p, 0)))
        goto fail;
    if (is_word(p, "elif")) {
        if (lex_enter(p->lexer, peek(p)->line))
            goto fail;
        node->if_.else_part = parse_if(p, peek(p)->line);
        p->lexer->depth--;
        if (!node->if_.else_part)
            goto fail;
        return node; /* the innermost elif consumed the fi */
    }
    if (is_word(p, "else")) {
        drop(p);
        if (!(node->if_.else_part = parse_list(p, 0)))
            goto fail;
    }
    if (expect(p, "fi") < 0)
        goto fail;
    return node;
fail:
    tree_free(node);
    return NULL;
}

static struct node* parse_loop(struct parse* p, enum node_kind kind, int line) {
    struct node* node = new_node(kind, line);
    drop(p);
    if (!(node->loop.condition = list_until(p, "do")) ||
        !(node->loop.body = list_until(p, "done"))) {
        tree_free(node);
        return NULL;
    }
    return node;
}

static struct node* parse_for(struct parse* p, int line) {
    struct node* node = new_node(NODE_FOR, line);
    drop(p);
    struct token* name = peek(p);
    if (name->kind != T_WORD || !is_name(name->text, strlen(name->text))) {
        lex_error(p->lexer, name->line, "Bad for loop variable", name->kind == T_EOF);
        goto fail;
    }
    node->for_.name = next(p).text;
    skip_newlines(p);
    if (is_word(p, "in")) {
        drop(p);
        node->for_.has_in = 1;
        while (peek(p)->kind == T_WORD)
            add_word(&node->for_.words, &node->for_.word_count, next(p).text);
        if (peek(p)->kind != T_SEMI && peek(p)->kind != T_NEWLINE) {
            unexpected(p, "do");
            goto fail;
        }
        drop(p);
    } else if (peek(p)->kind == T_SEMI) {
        drop(p);
    }
    skip_newlines(p);
    if (expect(p, "do") < 0 || !(node->for_.body = list_until(p, "done")))
        goto fail;
    return node;
fail:
    tree_free(node);
    return NULL;
}

static struct node* parse_case(struct parse* p, int line) {
    struct node* node = new_node(NODE_CASE, line);
    drop(p);
    if (peek(p)->kind != T_WORD) {
        unexpected(p, NULL);
        goto fail;
    }
    node->case_.subject = next(p).text;
    skip_newlines(p);
    if (expect(p, "in") < 0)
        goto fail;
    for (;;) {
        skip_newlines(p);
        if (is_word(p, "esac"))
            break;
        node->case_.items =
            xrealloc(node->case_.items, (size_t)(node->case_.count + 1) * sizeof(struct case_item));
        struct case_item* item = &node->case_.items[node->case_.count++];
        memset(item, 0, sizeof *item);
        if (peek(p)->kind == T_LPAREN)
            drop(p);
        for (;;) {
            if (peek(p)->kind != T_WORD) {
                unexpected(p, NULL);
                goto fail;
            }
            add_word(&item->patterns, &item->pattern_count, next(p).text);
            if (peek(p)->kind != T_PIPE)
                break;
            drop(p);
        }
        if (peek(p)->kind != T_RPAREN) {
            unexpected(p, ")");
            goto fail;
        }
        drop(p);
        skip_newlines(p);
        if (peek(p)->kind != T_DSEMI && !is_word(p, "esac") && !(item->body = parse_list(p, 0)))
            goto fail;
        if (peek(p)->kind == T_DSEMI) {
            drop(p);
            continue;
        }
        if (!is_word(p, "esac")) {
            unexpected(p, "esac");
            goto fail;
        }
    }
    drop(p);
    return node;
fail:
    tree_free(node);
    return NULL;
}

static struct node* parse_grouping(struct parse* p, enum node_kind kind, int line) {
    struct node* node = new_node(kind, line);
    drop(p);
    node->group.body = parse_list(p, 0);
    if (!node->group.body)
        goto fail;
    if (kind == NODE_GROUP ? expect(p, "}") < 0 : peek(p)->kind != T_RPAREN) {
        if (kind == NODE_SUBSHELL)
            unexpected(p, ")");
        goto fail;
    }
    if (kind == NODE_SUBSHELL)
        drop(p);
    return node;
fail:
    tree_free(node);
    return NULL;
}

/* A compound command at the lookahead, with its trailing redirections;
 * NULL without a report when the lookahead starts none (*none set). */
static struct node* compound(struct parse* p, int* none) {
    int line = peek(p)->line;
    struct node* node;
    *none = 0;
    if (peek(p)->kind == T_LPAREN)
        node = parse_grouping(p, NODE_SUBSHELL, line);
    else if (is_word(p, "{"))
        node = parse_grouping(p, NODE_GROUP, line);
    else if (is_word(p, "if"))
        node = parse_if(p, line);
    else if (is_word(p, "while"))
        node = parse_loop(p, NODE_WHILE, line);
    else if (is_word(p, "until"))
        node = parse_loop(p, NODE_UNTIL, line);
    else if (is_word(p, "for"))
        node = parse_for(p, line);
    else if (is_word(p, "case"))
        node = parse_case(p, line);
    else {
        *none = 1;
        return NULL;
    }
    return node ? trailing_redirects(p, node) : NULL;
}

/* The grammar recurses through here (and elif, and $(...)): the nesting
 * is bounded so that no input exhausts the stack. */
static struct node* parse_compound(struct parse* p, int* none) {
    if (lex_enter(p->lexer, peek(p)->line)) {
        *none = 0;
        return NULL;
    }
    struct node* node = compound(p, none);
    p->lexer->depth--;
    return node;
}

static struct node* parse_command_node(struct parse* p) {
    expand_alias(p);
    int none;
    struct node* compound = parse_compound(p, &none);
    if (!none)
        return compound;
    struct token* t = peek(p);
    int line = t->line;
    if (t->kind == T_WORD && (is_closer(p) || strcmp(t->text, "in") == 0)) {
        unexpected(p, NULL);
        return NULL;
    }
    struct node* node = new_node(NODE_SIMPLE, line);
    struct redirect** tail = &node->redirects;
    for (;;) {
        t = peek(p);
        if (t->kind == T_REDIRECT) {
            if (parse_redirect(p, &tail) < 0)
                goto fail;
        } else if (t->kind == T_WORD) {
            if (node->simple.word_count == 0 && is_assignment(t->text))
                add_word(&node->simple.assignments, &node->simple.assignment_count, next(p).text);
            else
                add_word(&node->simple.words, &node->simple.word_count, next(p).text);
        } else if (t->kind == T_LPAREN && node->simple.word_count == 1 &&
                   node->simple.assignment_count == 0 && !node->redirects) {
            /* name() compound-command: a function definition. */
            char* name = node->simple.words[0];
            drop(p);
            if (peek(p)->kind != T_RPAREN) {
                unexpected(p, ")");
                goto fail;
            }
            drop(p);
            if (!is_name(name, strlen(name))) {
                lex_error(p->lexer, line, "Bad function name", 0);
                goto fail;
            }
            skip_newlines(p);
            struct node* body = parse_compound(p, &none);
            if (none)
                unexpected(p, NULL);
            if (!body)
                goto fail;
            struct node* function = new_node(NODE_FUNCTION, line);
            function->function.name = xstrdup(name);
            function->function.body = body;
            tree_free(node);
            return function;
        } else {
            break;
        }
    }
    if (node->simple.word_count == 0 && node->simple.assignment_count == 0 && !node->redirects) {
        unexpected(p, NULL);
        goto fail;
    }
    return node;
fail:
    tree_free(node);
    return NULL;
}

static struct node* parse_pipeline(struct parse* p) {
    int line = peek(p)->line;
    int negated = 0;
    if (is_word(p, "!")) {
        drop(p);
        negated = 1;
    }
    struct node* first = parse_command_node(p);
    if (!first)
        return NULL;
    if (peek(p)->kind != T_PIPE && !negated)
        return first;
    struct node* node = new_node(NODE_PIPELINE, line);
    node->pipeline.negated = negated;
    node->pipeline.commands = xmalloc(sizeof(struct node*));
    node->pipeline.commands[node->pipeline.count++] = first;
    while (peek(p)->kind == T_PIPE) {
        drop(p);
        skip_newlines(p);
        struct node* command = parse_command_node(p);
        if (!command) {
            tree_free(node);
            return NULL;
        }
        node->pipeline.commands = xrealloc(
            node->pipeline.commands, (size_t)(node->pipeline.count + 1) * sizeof(struct node*));
        node->pipeline.commands[node->pipeline.count++] = command;
    }
    return node;
}

static struct node* parse_and_or(struct parse* p) {
    struct node* left = parse_pipeline(p);
    while (left && (peek(p)->kind == T_AND || peek(p)->kind == T_OR)) {
        struct node* node = new_node(next(p).kind == T_AND ? NODE_AND : NODE_OR, left->line);
        node->and_or.left = left;
        skip_newlines(p);
        node->and_or.right = parse_pipeline(p);
        if (!node->and_or.right) {
            tree_free(node);
            return NULL;
        }
        left = node;
    }
    return left;
}

/* Commands separated by ; & and (inside compound commands) newlines. A
 * top-level list ends at a newline, which it consumes; any list ends before
 * a closing reserved word, ) or ;;. Never empty. */
static struct node* parse_list(struct parse* p, int top) {
    struct node* node = new_node(NODE_LIST, peek(p)->line);
    for (;;) {
        if (!top)
            skip_newlines(p);
        enum token_kind kind = peek(p)->kind;
        if (kind == T_EOF || kind == T_RPAREN || kind == T_DSEMI || (top && kind == T_NEWLINE) ||
            is_closer(p))
            break;
        struct node* command = parse_and_or(p);
        if (!command)
            goto fail;
        node->list.items =
            xrealloc(node->list.items, (size_t)(node->list.count + 1) * sizeof(struct list_item));
        node->list.items[node->list.count].command = command;
        node->list.items[node->list.count].background = 0;
        ++node->list.count;
        kind = peek(p)->kind;
        if (kind == T_AMP)
            node->list.items[node->list.count - 1].background = 1;
        if (kind == T_SEMI || kind == T_AMP || (!top && kind == T_NEWLINE))
            drop(p);
        else
            break;
    }
    if (node->list.count == 0) {
        unexpected(p, NULL);
        goto fail;
    }
    if (node->list.count == 1 && !node->list.items[0].background) {
        struct node* only = node->list.items[0].command;
        free(node->list.items);
        free(node);
        return only;
    }
    return node;
fail:
    tree_free(node);
    return NULL;
}

/* The here-documents of the line that holds the $(...) are not read at a
 * newline inside it: they wait, set aside, for the newline after it. Those
 * opened inside it and not ended by a newline inside it are dropped (their
 * redirections are freed with the tree; the expansion's own parse of the text
 * gives them an empty body, as dash does). */
int parse_substitution(struct lexer* lexer) {
    struct redirect** outer = lexer->pending;
    int* outer_strip = lexer->pending_strip;
    int outer_count = lexer->pending_count;
    lexer->pending = NULL;
    lexer->pending_strip = NULL;
    lexer->pending_count = 0;
    struct parse p;
    memset(&p, 0, sizeof p);
    p.lexer = lexer; /* no aliases: the text is only measured */
    int status = 0;
    skip_newlines(&p);
    if (peek(&p)->kind != T_RPAREN) {
        struct node* list = parse_list(&p, 0);
        if (!list || peek(&p)->kind != T_RPAREN) {
            if (list)
                unexpected(&p, ")");
            status = -1;
        }
        tree_free(list);
    }
    if (p.have && status)
        free(p.lookahead.text);
    p.have = 0; /* the ) is consumed: the lexer stands after it */
    free(lexer->pending);
    free(lexer->pending_strip);
    lexer->pending = outer;
    lexer->pending_strip = outer_strip;
    lexer->pending_count = outer_count;
    return status;
}

const char* substitution_end(const char* text) {
    struct lexer lexer;
    memset(&lexer, 0, sizeof lexer);
    lexer.text = text;
    lexer.line = 1;
    lexer.name = "sh";
    lexer.quiet = 1;
    int status = parse_substitution(&lexer);
    free(lexer.pending);
    free(lexer.pending_strip);
    if (status || lexer.failed)
        return NULL;
    return text + lexer.pos - 1;
}

void parser_init(struct parser* parser, const char* text, const char* name, int first_line) {
    memset(parser, 0, sizeof *parser);
    parser->text = text;
    parser->name = name;
    parser->line = first_line;
    parser->expand_aliases = 1;
}

enum parse_result parse_command(struct parser* parser, struct node** command) {
    struct lexer lexer;
    memset(&lexer, 0, sizeof lexer);
    lexer.text = parser->text;
    lexer.pos = parser->position;
    lexer.line = parser->line;
    lexer.name = parser->name;
    lexer.allow_incomplete = parser->allow_incomplete;
    struct parse p;
    memset(&p, 0, sizeof p);
    p.lexer = &lexer;
    p.expand_aliases = parser->expand_aliases;
    struct node* node = NULL;
    enum parse_result result = PARSE_END;
    skip_newlines(&p);
    if (peek(&p)->kind != T_EOF) {
        node = parse_list(&p, 1);
        if (node && peek(&p)->kind != T_NEWLINE && peek(&p)->kind != T_EOF)
            unexpected(&p, NULL);
        else if (node && peek(&p)->kind == T_NEWLINE)
            drop(&p); /* its here-documents were read with it */
        result = PARSE_COMMAND;
    }
    if (p.have)
        free(p.lookahead.text);
    for (int i = p.next_queued; i < p.queue_length; i++)
        free(p.queue[i].text);
    free(p.queue);
    free(p.uses);
    free(lexer.pending);
    free(lexer.pending_strip);
    if (lexer.failed) {
        tree_free(node);
        return lexer.incomplete ? PARSE_INCOMPLETE : PARSE_ERROR;
    }
    parser->position = lexer.pos;
    parser->line = lexer.line;
    *command = node;
    return result;
}

int parse_check(const char* text, const char* name, int first_line) {
    struct parser parser;
    parser_init(&parser, text, name, first_line);
    for (;;) {
        struct node* node = NULL;
        enum parse_result result = parse_command(&parser, &node);
        if (result == PARSE_END)
            return 0;
        if (result != PARSE_COMMAND)
            return -1;
        tree_free(node);
    }
}
