/* expand_fields.c: the last steps of expanding a word into fields: field
 * splitting of the unquoted results of expansions at IFS (POSIX 2.6.5),
 * then pathname expansion of each field with an unquoted pattern character
 * (2.6.6), or quote removal (2.6.7). */
#include <stdlib.h>
#include <string.h>

#include "expand.h"
#include "expand_private.h"
#include "shell.h"
#include "vars.h"

static int is_ifs_space(char c) {
    return c == ' ' || c == '\t' || c == '\n';
}

/* Whether the '[' at i opens a bracket expression: an unquoted ']' follows
 * in the same pathname component (one right after "[" or "[!" is part of
 * the set). Otherwise '[' is an ordinary character, and a word like the
 * command `[` needs no directory read. */
static int bracket_closes(const char* text, const char* flags, size_t i, size_t length) {
    size_t k = i + 1;
    if (k < length && text[k] == '!' && !(flags[k] & QUOTED))
        k++;
    if (k < length && text[k] == ']')
        k++;
    for (; k < length && text[k] != '/'; k++)
        if (text[k] == ']' && !(flags[k] & (QUOTED | MARK)))
            return 1;
    return 0;
}

/* A piece's characters as a pattern: quoted ones (and backslashes)
 * escaped; whether anything unquoted is special to globbing. */
static char* as_pattern(const char* text, const char* flags, size_t length, int* magic) {
    struct strbuf out = {0};
    sb_adds(&out, "");
    *magic = 0;
    for (size_t i = 0; i < length; ++i) {
        if (flags[i] & MARK)
            continue;
        char c = text[i];
        if ((flags[i] & QUOTED) || c == '\\')
            sb_addc(&out, '\\');
        else if (c == '*' || c == '?' || (c == '[' && bracket_closes(text, flags, i, length)))
            *magic = 1;
        sb_addc(&out, c);
    }
    return sb_take(&out);
}

static char* as_plain(const char* text, const char* flags, size_t length) {
    struct strbuf out = {0};
    sb_adds(&out, "");
    for (size_t i = 0; i < length; ++i)
        if (!(flags[i] & MARK))
            sb_addc(&out, text[i]);
    return sb_take(&out);
}

/* One field: pathname expansion, or the field with its quotes removed. */
static void emit_field(const char* text, const char* flags, size_t length, struct strlist* out) {
    int magic = 0;
    if (!options.noglob) {
        char* pattern = as_pattern(text, flags, length, &magic);
        int found = magic ? glob_expand(pattern, out) : 0;
        free(pattern);
        if (found > 0)
            return;
    }
    sl_add(out, as_plain(text, flags, length));
}

/* Field splitting (POSIX 2.6.5) of one piece: IFS white space around a
 * delimiter is part of it; each other IFS character ends a field, even an
 * empty one; leading and trailing IFS white space make no field. */
void split_piece(struct piece* piece, struct strlist* out) {
    const char* ifs = var_get("IFS");
    if (!ifs)
        ifs = " \t\n";
    const char* text = piece->text.data ? piece->text.data : "";
    const char* flags = piece->flags.data ? piece->flags.data : "";
    size_t length = piece->text.length;
    size_t start = 0, i = 0;
    int have = 0; /* the field from start has something (a MARK counts) */
    while (i < length) {
        int separator = (flags[i] & SPLIT) && text[i] && strchr(ifs, text[i]);
        if (!separator) {
            if (!have)
                start = i;
            have = 1;
            ++i;
            continue;
        }
        int white = is_ifs_space(text[i]);
        if (have)
            emit_field(text + start, flags + start, i - start, out);
        /* Take the rest of the delimiter: white space, at most one
         * non-white IFS character, white space. */
        int hard = !white;
        ++i;
        while (i < length && (flags[i] & SPLIT) && text[i] && strchr(ifs, text[i])) {
            if (!is_ifs_space(text[i])) {
                if (hard)
                    break;
                hard = 1;
            }
            ++i;
        }
        if (hard && !have)
            emit_field("", "", 0, out);
        have = 0;
    }
    if (have)
        emit_field(text + start, flags + start, length - start, out);
}
