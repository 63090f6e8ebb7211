/* lexer.h: the shell's tokenizer (POSIX 2.3), private to the parser.
 * Words are returned raw; here-document bodies are read at the newline
 * that ends the line holding their operators. */
#ifndef KITE_SH_LEXER_H
#define KITE_SH_LEXER_H

#include "tree.h"

enum token_kind {
    T_EOF,
    T_NEWLINE,
    T_SEMI,
    T_AMP,
    T_PIPE,
    T_AND,
    T_OR,
    T_DSEMI,
    T_LPAREN,
    T_RPAREN,
    T_REDIRECT,
    T_WORD,
};

struct token {
    enum token_kind kind;
    int line;
    char* text; /* T_WORD: owned raw word */
    enum redirect_kind redirect;
    int fd;    /* T_REDIRECT: -1 when no IO_NUMBER */
    int strip; /* <<- */
    int alias; /* parser_alias.c: 1 + the alias use whose value gave it; 0 */
};

/* How deep compound commands, $(...), ${...} and $((...)) may nest in one
 * another: the parser and scanners recurse once a level, and a stack is
 * finite (dash has no bound and crashes). */
enum { MAX_NESTING = 1000 };

struct lexer {
    const char* text;
    size_t pos;
    int line;
    const char* name;
    int allow_incomplete;
    int quiet;                 /* errors are not reported (only measuring) */
    int failed;                /* an error was found (reported unless incomplete) */
    int incomplete;            /* the text ended inside a construct */
    struct redirect** pending; /* here-documents waiting for their body */
    int* pending_strip;
    int pending_count;
    int depth; /* the nesting being read (lex_enter) */
};

/* Reads the next token; after a failure every token is T_EOF. */
struct token lex_next(struct lexer* lexer);
/* Reports "Syntax error: MESSAGE" once, or marks the text incomplete when
 * at_end and incomplete text is allowed. */
void lex_error(struct lexer* lexer, int line, const char* message, int at_end);
/* Enters one more level of nesting: 0, or -1 after reporting it too deep
 * (then lexer->depth is unchanged). Each 0 is matched by depth--. */
int lex_enter(struct lexer* lexer, int line);
/* Queues a here-document whose body the next newline reads. */
void lex_add_heredoc(struct lexer* lexer, struct redirect* redirect, int strip);
/* parser.c: parses the list of a $(...) whose "$(" was just read, leaving
 * the lexer after its ")". Returns 0 or -1. */
int parse_substitution(struct lexer* lexer);

#endif
