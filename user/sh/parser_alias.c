/* parser_alias.c: alias substitution (POSIX 2.3.1) for the parser. An
 * alias is expanded as tokens: its value is lexed on its own and its
 * tokens are read before the rest of the input. (So a value that leaves a
 * quote open does not continue into the text after it, as it would in
 * dash.) */
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "parse_private.h"

/* Inserts count tokens at queue position at (not before next_queued),
 * first dropping the tokens already read so the queue starts at 0 (the
 * positions the caller holds move down by the old next_queued). Growth
 * is geometric: a long line of aliases ending in blanks stays linear. */
static void queue_insert(struct parse* p, int at, const struct token* tokens, int count) {
    int remaining = p->queue_length - p->next_queued;
    int head = at - p->next_queued;
    if (p->next_queued > 0)
        memmove(p->queue, p->queue + p->next_queued, (size_t)remaining * sizeof *p->queue);
    p->next_queued = 0;
    p->queue_length = remaining;
    if (remaining + count > p->queue_capacity) {
        p->queue_capacity = 2 * (remaining + count) + 8;
        p->queue = xrealloc(p->queue, (size_t)p->queue_capacity * sizeof *p->queue);
    }
    memmove(p->queue + head + count, p->queue + head,
            (size_t)(remaining - head) * sizeof *p->queue);
    if (count > 0)
        memcpy(p->queue + head, tokens, (size_t)count * sizeof *tokens);
    p->queue_length = remaining + count;
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

/* Whether the chain of uses from use (1 + index, 0 for the input) holds
 * target (a use) or, when value is given, a use of that value; *length
 * gets the chain's length. */
static int in_chain(struct parse* p, int use, int target, const char* value, int* length) {
    *length = 0;
    for (; use; use = p->uses[use - 1].parent, ++*length)
        if (use == target || (value && p->uses[use - 1].value == value))
            return 1;
    return 0;
}

/* Replaces the word at queue position i by its alias's tokens, if it is an
 * alias not in use for it: their first word is a command word again, and
 * when the value ends in a blank the word after them is checked too (and so
 * on, a loop, not a recursion). Returns the position after the last token
 * it looked at. */
static int expand_at(struct parse* p, int i) {
    for (;;) {
        struct token* t = &p->queue[i];
        int length;
        if (t->kind != T_WORD || strpbrk(t->text, "'\"\\$`"))
            return i + 1;
        const char* value = alias_lookup(t->text);
        if (!value || in_chain(p, t->alias, 0, value, &length) || length >= ALIAS_DEPTH)
            return i + 1;
        struct token* tokens;
        int count = lex_alias(p, value, t->line, &tokens);
        if (count < 0)
            return i + 1;
        p->uses = xrealloc(p->uses, (size_t)(p->use_count + 1) * sizeof *p->uses);
        p->uses[p->use_count].value = value;
        p->uses[p->use_count].parent = t->alias;
        int use = ++p->use_count;
        for (int k = 0; k < count; k++)
            tokens[k].alias = use;
        free(t->text);
        p->queue_length--;
        memmove(p->queue + i, p->queue + i + 1, (size_t)(p->queue_length - i) * sizeof *p->queue);
        int base = p->next_queued; /* queue_insert re-bases the queue at 0 */
        queue_insert(p, i, tokens, count);
        free(tokens);
        i -= base;
        size_t size = strlen(value);
        int blank = size && (value[size - 1] == ' ' || value[size - 1] == '\t');
        int inner = count > 0 ? expand_at(p, i) : i;
        /* The value's tokens (and what they became) end where the tokens
         * from this use do. */
        int end = i;
        while (end < p->queue_length && in_chain(p, p->queue[end].alias, use, NULL, &length))
            end++;
        if (inner > end)
            return inner; /* the word after the value was looked at already */
        /* An empty value leaves the command word still to come. */
        if ((!blank && count > 0) || p->lexer->failed)
            return end;
        if (end == p->queue_length) {
            struct token next_token = lex_next(p->lexer);
            queue_insert(p, end, &next_token, 1);
        }
        i = end;
    }
}

/* Called where a command name may be read. */
void expand_alias(struct parse* p) {
    if (!p->expand_aliases)
        return;
    struct token* t = parse_peek(p);
    if (!p->from_queue)
        p->use_count = 0; /* no token of an earlier use is left */
    if (t->kind != T_WORD)
        return;
    struct token word = *t;
    p->have = 0;
    queue_insert(p, p->next_queued, &word, 1);
    expand_at(p, 0);
}
