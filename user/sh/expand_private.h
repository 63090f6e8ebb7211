/* expand_private.h: what expand.c (the walk over a word), expand_param.c
 * (parameters and ${...}) and expand_fields.c (field splitting and
 * pathname expansion) share; not part of expand.h's contract. */
#ifndef KITE_SH_EXPAND_PRIVATE_H
#define KITE_SH_EXPAND_PRIVATE_H

#include <stddef.h>

#include "util.h"

enum { PLAIN = 0, QUOTED = 1, SPLIT = 2, MARK = 4 };
enum mode { MODE_FIELDS, MODE_STRING, MODE_ASSIGN, MODE_PATTERN, MODE_HEREDOC };

struct piece {
    struct strbuf text;  /* may hold NULs of MARK entries */
    struct strbuf flags; /* one flag byte per text byte */
};

struct expander {
    enum mode mode;
    struct piece current;
    struct piece* done; /* pieces ended by "$@" */
    int done_count;
    int failed;
};

/* expand.c */
void add(struct expander* e, char c, int flag);
void add_text(struct expander* e, const char* text, int flag);
void end_piece(struct expander* e); /* "$@": the field so far becomes a piece */
/* Expands [p, end); quoted: inside double quotes; in_brace: a ${...} word. */
void walk(struct expander* e, const char* p, const char* end, int quoted, int in_brace);
/* Expands text alone in the given mode, returning the flat result (quoted
 * characters escaped in MODE_PATTERN); NULL after an error. */
char* expand_alone(const char* text, size_t length, enum mode mode);
int is_name_start(char c);
int is_name_char(char c);

/* expand_param.c */
void add_value(struct expander* e, const char* value, int quoted); /* quoted, or to be split */
void bad_substitution(struct expander* e);
/* ${...}, and $name / $1 / $? (body is the name then): body up to end. */
void expand_braced(struct expander* e, const char* body, const char* end, int quoted);

/* expand_fields.c: a piece split at IFS into fields, each through
 * pathname expansion, appended to out. */
void split_piece(struct piece* piece, struct strlist* out);

#endif
