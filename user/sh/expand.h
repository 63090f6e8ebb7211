/* expand.h: word expansion (POSIX.1-2017 2.6) of the raw words the parser
 * keeps (tree.h), in POSIX order: tilde, parameter, command substitution
 * and arithmetic (left to right), then field splitting with IFS, pathname
 * expansion (unless set -f), quote removal.
 *
 * Errors (${x?word}, set -u on an unset variable, a bad arithmetic
 * expression, a bad substitution) are reported to stderr in dash's words
 * ("sh: 1: x: parameter not set", "sh: 1: arithmetic expression: expecting
 * primary: \"1+\"") and the call returns failure; the executor then
 * abandons the command (and a non-interactive shell exits with status 2). */
#ifndef KITE_SH_EXPAND_H
#define KITE_SH_EXPAND_H

#include "util.h"

/* A command's words (and for's word list): each raw word gives zero or
 * more fields, appended to out. Returns 0, or -1 after an error. */
int expand_words(char* const* words, int count, struct strlist* out);

/* One word to one string, without field splitting or pathname expansion:
 * assignment values (tilde expanded after = and unquoted :), redirection
 * targets, the case subject. NULL after an error. */
char* expand_word(const char* word);
char* expand_assignment_value(const char* value);

/* A pattern (case items, the word in ${x%word} ${x#word}): expanded, with
 * every character that was quoted preceded by a backslash so that
 * pattern_match takes it literally. NULL after an error. */
char* expand_pattern(const char* word);

/* A here-document's body: parameters, $(...), `...` and $((...))
 * expanded; a backslash quotes only $ ` \ and newline. NULL after an error. */
char* expand_heredoc(const char* body);

/* Whether string matches pattern (* ? [...] [!...] with classes such as
 * [[:digit:]]; \ makes the next character literal). A leading . or a / is
 * no different from other characters here (pathname expansion handles those). */
int pattern_match(const char* pattern, const char* string);

/* $((...)): evaluates an expression of C's integer operators (unary + - ! ~,
 * * / % + - << >> < <= > >= == != & ^ | && || ?:, = *= /= %= += -= <<= >>=
 * &= ^= |=, parentheses), decimal, octal (0N) and hex (0xN) constants and
 * variable names (an unset or empty variable is 0). Values are long (64 bits).
 * Returns 0 with *value set, or -1 after reporting an error (division by
 * zero included). The expression has already been expanded. */
int arith_eval(const char* expression, long* value);

/* glob.c: appends to out the sorted paths matching pattern (quoted
 * characters escaped with \), returning how many; 0 when none match (the
 * caller keeps the word, quote-removed). */
int glob_expand(const char* pattern, struct strlist* out);

#endif
