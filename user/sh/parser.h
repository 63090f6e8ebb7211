/* parser.h: the lexer and parser (POSIX.1-2017 "Shell Command Language",
 * section 2.10's grammar), one of each for everything the shell reads:
 * the interactive line, scripts, sh -c, eval, ., and $(...).
 *
 * The parser works on a text held in memory and returns one complete
 * command at a time: a list ended by an unquoted newline at the top level
 * (or the end of the text), with the here-documents of that line read.
 * The executor runs it and frees it before the next one is parsed, so a
 * long script takes the memory of its largest command, not of all of it.
 *
 * Errors are reported here, in dash's words and format, to stderr:
 *     NAME: LINE: Syntax error: "fi" unexpected
 *     NAME: LINE: Syntax error: end of file unexpected (expecting "done")
 *     NAME: LINE: Syntax error: Unterminated quoted string
 * (NAME is the parser's name: "sh" or the script's path; LINE counts from
 * the first line given to parser_init.) */
#ifndef KITE_SH_PARSER_H
#define KITE_SH_PARSER_H

#include <stddef.h>

#include "tree.h"

enum parse_result {
    PARSE_COMMAND,    /* *command is set (never NULL) */
    PARSE_END,        /* nothing but blanks, comments and newlines remained */
    PARSE_ERROR,      /* a syntax error, reported */
    PARSE_INCOMPLETE, /* only with allow_incomplete: the text ends inside a
                       * command (open quote, if without fi, | or && at the
                       * end, a backslash-newline, a here-document not yet
                       * ended); nothing reported, nothing consumed */
};

struct parser {
    const char* text; /* not owned; must outlive the parser and its trees */
    size_t position;  /* where the next command starts */
    int line;         /* the line at position */
    const char* name; /* for messages */
    int allow_incomplete;
    /* An interactive shell's aliases are looked up while parsing (POSIX
     * 2.3.1); scripts too. Used only through alias_lookup (builtins.h). */
    int expand_aliases;
};

void parser_init(struct parser* parser, const char* text, const char* name, int first_line);
enum parse_result parse_command(struct parser* parser, struct node** command);

/* Checks a whole text for syntax errors without keeping any tree (the
 * shell checks a script before it runs any of it). Returns 0, or -1 after
 * reporting the first error. */
int parse_check(const char* text, const char* name, int first_line);

/* The ")" ending the $(...) whose "$(" is just before text, found by the
 * same lexer and parser that read the word holding it (so a ) in a case
 * pattern, a comment or a here-document inside does not end it); NULL when
 * it does not end (nothing is reported). For the expansion of $(...). */
const char* substitution_end(const char* text);

/* Whether name is a valid NAME (letters, digits, _; not starting with a
 * digit): length characters of it. */
int is_name(const char* name, size_t length);

#endif
