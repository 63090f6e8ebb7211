/* parser_alias.c: alias substitution (POSIX 2.3.1) for the parser. An
 * alias is expanded as tokens: its value is lexed on its own and its
 * tokens are read before the rest of the input. (So a value that leaves a
 * quote open does not continue into the text after it, as it would in
 * dash.) */
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "parse_private.h"

/* Inserts count tokens at queue position at (not before next_queued). */
static void queue_insert(struct parse* p, int at, const struct token* tokens, int count) {
    int remaining = p->queue_length - p->next_queued;
    struct token* queue = xmalloc((size_t)(remaining + count + 1) * sizeof *queue);
    int head = at - p->next_queued;
    for (int k = 0; k < head; k++)
        queue[k] = p->queue[p->next_queued + k];
    for (int k = 0; k < count; k++)
        queue[head + k] = tokens[k];
    for (int k = head; k < remaining; k++)
        queue[count + k] = p->queue[p->next_queued + k];
    free(p->queue);
    p->queue = queue;
    p->queue_length = remaining + count;
    p->next_queued = 0;
}

static int is_separator(enum token_kind kind) {
    return kind == T_NEWLINE || kind == T_SEMI || kind == T_AMP || kind == T_AND || kind == T_OR ||
           kind == T_PIPE || kind == T_LPAREN || kind == T_DSEMI;
}

/* The tokens of an alias's value, in *tokens; -1 after a syntax error in
 * it (reported). A newline inside the value separates commands as `;`
 * would, since the command the parser returns must end at the input's
 * newline. */
static int lex_alias(struct parse* p, const char* value, int line, struct token** tokens) {
    struct lexer sub;
    memset(&sub, 0, sizeof sub);
    sub.text = value;
    sub.line = line;
    sub.name = p->lexer->name;
    int count = 0;
    *tokens = NULL;
    for (;;) {
        struct token t = lex_next(&sub);
        if (t.kind == T_EOF)
            break;
        t.line = line;
        if (t.kind == T_NEWLINE) {
            if (count == 0 || is_separator((*tokens)[count - 1].kind))
                continue;
            t.kind = T_SEMI;
        }
        *tokens = xrealloc(*tokens, (size_t)(count + 1) * sizeof **tokens);
        (*tokens)[count++] = t;
    }
    if (count > 0 && (*tokens)[count - 1].kind == T_SEMI && strchr(value, '\n'))
        count--; /* a trailing newline (turned into ;) ends nothing */
    free(sub.pending);
    free(sub.pending_strip);
    if (sub.failed) {
        for (int i = 0; i < count; i++)
            free((*tokens)[i].text);
        free(*tokens);
        *tokens = NULL;
        p->lexer->failed = 1; /* the error in the value is reported */
        return -1;
    }
    return count;
}

static int being_expanded(struct parse* p, const char* value) {
    for (int i = 0; i < p->expanding_count; i++)
        if (p->expanding[i] == value)
            return 1;
    return 0;
}

/* Replaces the word at queue position i by its alias's tokens, if it is an
 * alias: their first word is a command word again, and when the value ends
 * in a blank the word after them is checked too. */
static void expand_at(struct parse* p, int i) {
    struct token* t = &p->queue[i];
    if (t->kind != T_WORD || strpbrk(t->text, "'\"\\$`") || p->expanding_count == ALIAS_DEPTH)
        return;
    const char* value = alias_lookup(t->text);
    if (!value || being_expanded(p, value))
        return;
    struct token* tokens;
    int count = lex_alias(p, value, t->line, &tokens);
    if (count < 0)
        return;
    free(t->text);
    p->queue_length--;
    memmove(p->queue + i, p->queue + i + 1, (size_t)(p->queue_length - i) * sizeof *p->queue);
    int base = p->next_queued; /* queue_insert re-bases the queue at 0 */
    queue_insert(p, i, tokens, count);
    free(tokens);
    i -= base;
    p->expanding[p->expanding_count++] = value;
    size_t length = strlen(value);
    int blank = length && (value[length - 1] == ' ' || value[length - 1] == '\t');
    if (count > 0) {
        int before = p->queue_length;
        expand_at(p, i);
        count += p->queue_length - before;
    }
    if (blank && !p->lexer->failed) {
        int j = i + count;
        if (j == p->queue_length) {
            struct token next_token = lex_next(p->lexer);
            queue_insert(p, j, &next_token, 1);
        }
        expand_at(p, j);
    }
    p->expanding_count--;
}

/* Called where a command name may be read. */
void expand_alias(struct parse* p) {
    if (!p->expand_aliases)
        return;
    struct token* t = parse_peek(p);
    if (!p->from_queue)
        p->expanding_count = 0;
    if (t->kind != T_WORD)
        return;
    struct token word = *t;
    p->have = 0;
    queue_insert(p, p->next_queued, &word, 1);
    expand_at(p, 0);
}
