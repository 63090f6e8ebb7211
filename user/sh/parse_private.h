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
    int queue_length, next_queued;
    /* The aliases expanded for the command word being read, so that an
     * alias naming itself (alias ls='ls -F') stops (POSIX 2.3.1). */
    const char* expanding[ALIAS_DEPTH];
    int expanding_count;
    int from_queue; /* the lookahead came from the queue */
};

/* parser.c: the next token (the lookahead), read if need be. */
struct token* parse_peek(struct parse* p);
/* parser_alias.c: where a command name may be read, replaces an alias by
 * its value's tokens (POSIX 2.3.1). */
void expand_alias(struct parse* p);

#endif
