/* parse_private.h: the parser's state, shared by parser.c (the grammar)
 * and parser_alias.c (alias substitution); not part of parser.h. */
#ifndef KITE_SH_PARSE_PRIVATE_H
#define KITE_SH_PARSE_PRIVATE_H

#include "lexer.h"

enum { ALIAS_DEPTH = 16 };

struct parse {
    struct lexer* lexer;
    struct token lookahead;
    int have; /* lookahead holds the next token */
    int expand_aliases;
    /* Tokens of expanded aliases, read before the lexer's (queue[next_queued]
     * up to queue_length); each owns its text until taken. */
    struct token* queue;
    int queue_length, next_queued, queue_capacity;
    /* Each alias substituted while this command is read: its value and the
     * use that gave the word it replaced (1 + index, 0 for the input). A
     * token's chain of uses names the aliases whose text it comes from;
     * none of them is expanded again for it, so an alias naming itself
     * (alias ls='ls -F', alias e='echo; e') stops (POSIX 2.3.1), as dash
     * keeps an alias in use until its text is read. */
    struct alias_use {
        const char* value;
        int parent;
    } * uses;
    int use_count;
    int from_queue; /* the lookahead came from the queue */
};

/* parser.c: the next token (the lookahead), read if need be. */
struct token* parse_peek(struct parse* p);
/* parser_alias.c: where a command name may be read, replaces an alias by
 * its value's tokens (POSIX 2.3.1). */
void expand_alias(struct parse* p);

#endif
