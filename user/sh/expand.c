/* expand.c: word expansion (see expand.h). A raw word is walked once, left
 * to right; what it expands to is collected as characters each carrying a
 * flag: quoted (literal for splitting and globbing), split (came from an
 * unquoted expansion, so IFS characters in it separate fields), or neither
 * (literal unquoted text, still special to pathname expansion). A MARK entry
 * holds no character: it records that quotes were there, so "" still gives
 * a field. "$@" ends the field being built (a "break"), giving the pieces
 * that splitting and globbing (expand_fields.c) then take one at a time.
 * Parameters and ${...} are expand_param.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expand.h"
#include "expand_private.h"
#include "parser.h"
#include "shell.h"
#include "vars.h"

void add(struct expander* e, char c, int flag) {
    sb_addc(&e->current.text, c);
    sb_addc(&e->current.flags, (char)flag);
}

/* A whole value at once: a variable's value may be long ("$x$i" in a loop). */
void add_text(struct expander* e, const char* text, int flag) {
    size_t length = strlen(text);
    sb_addn(&e->current.text, text, length);
    sb_addrep(&e->current.flags, (char)flag, length);
}

void end_piece(struct expander* e) {
    e->done = xrealloc(e->done, (size_t)(e->done_count + 1) * sizeof *e->done);
    e->done[e->done_count++] = e->current;
    e->current = (struct piece){{0}, {0}};
}

static void free_pieces(struct expander* e) {
    for (int i = 0; i < e->done_count; ++i) {
        sb_free(&e->done[i].text);
        sb_free(&e->done[i].flags);
    }
    free(e->done);
    sb_free(&e->current.text);
    sb_free(&e->current.flags);
}

int is_name_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
int is_name_char(char c) {
    return is_name_start(c) || (c >= '0' && c <= '9');
}

/* How deep walk and find_close may recurse. The parser bounds the nesting
 * of the words it reads (lexer.h's MAX_NESTING, 1000), and a level of it
 * takes at most a few recursions here; a here-document's body is not
 * parsed, so without this a deep one would exhaust the stack. */
enum { MAX_EXPAND_DEPTH = 4000 };
static int depth;

static const char* find_close(const char* p, char close, int in_double);

/* The closing character of the $-form "${", "$((" or "$(" at p; NULL when
 * it does not close. A $(...) ends where the parser ends it, so that a
 * case pattern's ), a comment or a here-document in it is read alike when
 * the word is parsed and when it is expanded. */
static const char* dollar_close(const char* p, int in_double) {
    if (p[1] == '{')
        return find_close(p + 2, '}', in_double);
    if (p[2] == '(')
        return find_close(p + 2, ')', in_double);
    return substitution_end(p + 2);
}

/* The end of a construct opened before p: the position of its closing
 * character (close: '}' or ')'), skipping quotes and nested $-forms; NULL
 * when unclosed. Single quotes count only outside double quotes. */
static const char* find_close_text(const char* p, char close, int in_double) {
    int depth = 0;
    while (*p) {
        char c = *p;
        if (c == '\\' && p[1]) {
            p += 2;
            continue;
        }
        if (c == '\'' && !in_double) {
            const char* end = strchr(p + 1, '\'');
            if (!end)
                return NULL;
            p = end + 1;
            continue;
        }
        if (c == '"') {
            ++p;
            while (*p && *p != '"') {
                if (*p == '\\' && p[1])
                    ++p;
                else if (*p == '$' && (p[1] == '{' || p[1] == '(')) {
                    const char* end = dollar_close(p, 1);
                    if (!end)
                        return NULL;
                    p = end;
                }
                ++p;
            }
            if (!*p)
                return NULL;
            ++p;
            continue;
        }
        if (c == '`') {
            ++p;
            while (*p && *p != '`') {
                if (*p == '\\' && p[1])
                    ++p;
                ++p;
            }
            if (!*p)
                return NULL;
            ++p;
            continue;
        }
        if (c == '$' && (p[1] == '{' || p[1] == '(')) {
            const char* end = dollar_close(p, 0);
            if (!end)
                return NULL;
            p = end + 1;
            continue;
        }
        if (close == ')' && c == '(')
            ++depth;
        else if (c == close) {
            if (depth == 0)
                return p;
            --depth;
        }
        ++p;
    }
    return NULL;
}

static const char* find_close(const char* p, char close, int in_double) {
    if (depth >= MAX_EXPAND_DEPTH)
        return NULL;
    depth++;
    const char* end = find_close_text(p, close, in_double);
    depth--;
    return end;
}

/* $(...) and `...`: the output with its trailing newlines removed. */
static void command_substitution(struct expander* e, const char* text, int quoted) {
    char* output = command_output(text);
    if (!output)
        return;
    size_t length = strlen(output);
    while (length > 0 && output[length - 1] == '\n')
        output[--length] = '\0';
    add_value(e, output, quoted);
    free(output);
}

/* `...`: a backslash quotes only $ ` \ (and " inside double quotes). */
static const char* backquote(struct expander* e, const char* p, int quoted) {
    struct strbuf text = {0};
    sb_adds(&text, "");
    while (*p && *p != '`') {
        if (*p == '\\' && p[1] && (strchr("$`\\", p[1]) || (quoted && p[1] == '"')))
            ++p;
        sb_addc(&text, *p++);
    }
    command_substitution(e, text.data, quoted);
    sb_free(&text);
    return *p ? p + 1 : p;
}

/* A $-form starting at p (the '$'); returns the position after it. */
static const char* dollar(struct expander* e, const char* p, const char* end, int quoted) {
    const char* q = p + 1;
    if (q < end && *q == '{') {
        const char* close = find_close(q + 1, '}', quoted);
        if (!close || close >= end) {
            bad_substitution(e);
            return end;
        }
        expand_braced(e, q + 1, close, quoted);
        return close + 1;
    }
    if (q < end && *q == '(') {
        if (q + 1 < end && q[1] == '(') {
            const char* inner = find_close(q + 2, ')', 0);
            if (inner && inner + 1 < end && inner[1] == ')') {
                char* expression = expand_alone(q + 2, (size_t)(inner - q - 2), MODE_STRING);
                long value;
                if (!expression || arith_eval(expression, &value) != 0) {
                    e->failed = 1;
                } else {
                    char number[24];
                    snprintf(number, sizeof number, "%ld", value);
                    add_value(e, number, quoted);
                }
                free(expression);
                return inner + 2;
            }
        }
        const char* close = substitution_end(q + 1);
        if (!close || close >= end) {
            bad_substitution(e);
            return end;
        }
        char* text = xstrndup(q + 1, (size_t)(close - q - 1));
        command_substitution(e, text, quoted);
        free(text);
        return close + 1;
    }
    char name[2] = {q < end ? *q : '\0', '\0'};
    if (q < end && is_name_start(*q)) {
        const char* start = q;
        while (q < end && is_name_char(*q))
            ++q;
        char* long_name = xstrndup(start, (size_t)(q - start));
        expand_braced(e, long_name, long_name + strlen(long_name), quoted);
        free(long_name);
        return q;
    }
    if (q < end && (strchr("@*#?-$!", *q) || (*q >= '0' && *q <= '9'))) {
        expand_braced(e, name, name + 1, quoted);
        return q + 1;
    }
    add(e, '$', quoted ? QUOTED : PLAIN);
    return q;
}

/* ~user's home directory, read from /etc/passwd (newlib has no
 * getpwnam): the sixth field of the user's line; NULL if none. The result
 * is malloc'd and also left in *owned. */
static const char* home_of_user(const char* user, char** owned) {
    FILE* file = fopen("/etc/passwd", "r");
    if (!file)
        return NULL;
    char line[1024];
    size_t length = strlen(user);
    while (fgets(line, sizeof line, file)) {
        if (strncmp(line, user, length) != 0 || line[length] != ':')
            continue;
        char* field = line;
        for (int i = 0; i < 5 && field; ++i) {
            field = strchr(field, ':');
            if (field)
                ++field;
        }
        if (!field)
            break;
        field[strcspn(field, ":\n")] = '\0';
        *owned = xstrdup(field);
        break;
    }
    fclose(file);
    return *owned;
}

/* ~ or ~user at p, ending at end: replaced unless any of it is quoted. */
static const char* tilde(struct expander* e, const char* p, const char* end) {
    const char* q = p + 1;
    while (q < end && *q != '/' && !(e->mode == MODE_ASSIGN && *q == ':')) {
        if (strchr("\\'\"$`", *q))
            return NULL;
        ++q;
    }
    char* user = xstrndup(p + 1, (size_t)(q - p - 1));
    const char* home = NULL;
    char* found = NULL;
    if (!*user) {
        home = var_get("HOME");
    } else {
        home = home_of_user(user, &found);
    }
    free(user);
    if (!home)
        return NULL;
    add_text(e, home, QUOTED);
    free(found);
    return q;
}

/* Walks [p, end): the word itself, or a ${x:-word} word (in_brace: its
 * unquoted literal text is split like an expansion's result). */
static void walk_text(struct expander* e, const char* p, const char* end, int quoted,
                      int in_brace) {
    int plain = in_brace ? SPLIT : PLAIN;
    int at_start = !in_brace;
    while (p < end && !e->failed) {
        char c = *p;
        if (at_start && c == '~' && !quoted && e->mode != MODE_HEREDOC) {
            const char* after = tilde(e, p, end);
            at_start = 0;
            if (after) {
                p = after;
                continue;
            }
        }
        at_start = e->mode == MODE_ASSIGN && !quoted && c == ':';
        if (e->mode == MODE_HEREDOC) {
            if (c == '\\' && p + 1 < end && strchr("$`\\\n", p[1])) {
                if (p[1] != '\n')
                    add(e, p[1], QUOTED);
                p += 2;
            } else if (c == '$') {
                p = dollar(e, p, end, 1);
            } else if (c == '`') {
                p = backquote(e, p + 1, 1);
            } else {
                add(e, c, QUOTED);
                ++p;
            }
            continue;
        }
        if (c == '\\') {
            if (p + 1 >= end) {
                add(e, '\\', quoted ? QUOTED : plain);
                ++p;
            } else if (quoted && !strchr("$`\"\\\n", p[1]) && !(in_brace && p[1] == '}')) {
                add(e, '\\', QUOTED);
                ++p;
            } else {
                if (p[1] != '\n')
                    add(e, p[1], QUOTED);
                p += 2;
            }
        } else if (c == '\'' && !quoted) {
            const char* close = memchr(p + 1, '\'', (size_t)(end - p - 1));
            if (!close)
                close = end;
            add(e, 0, MARK);
            for (const char* s = p + 1; s < close; ++s)
                add(e, *s, QUOTED);
            p = close < end ? close + 1 : end;
        } else if (c == '"') {
            if (quoted) { /* a nested "..." inside "${x:-"..."}" */
                ++p;
                continue;
            }
            const char* close = p + 1;
            while (close < end && *close != '"') {
                if (*close == '\\' && close + 1 < end)
                    ++close;
                else if (*close == '$' && close + 1 < end && (close[1] == '{' || close[1] == '(')) {
                    const char* inner = dollar_close(close, 1);
                    if (inner && inner < end)
                        close = inner;
                } else if (*close == '`') {
                    const char* inner = memchr(close + 1, '`', (size_t)(end - close - 1));
                    if (inner)
                        close = inner;
                }
                ++close;
            }
            /* "$@" with no parameters leaves no field, so the quotes only
             * mark one when the quoted text holds no $@. */
            int has_at = 0;
            for (const char* s = p + 1; s + 1 < close; ++s) {
                if (s[0] == '\\') {
                    ++s;
                } else if (s[0] == '$' && s[1] == '@') {
                    has_at = 1;
                } else if (s[0] == '$' && s[1] == '{') {
                    if (s + 3 < close && s[2] == '@' && s[3] == '}')
                        has_at = 1;
                    const char* inner = find_close(s + 2, '}', 1);
                    if (!inner || inner >= close)
                        break;
                    s = inner;
                }
            }
            walk(e, p + 1, close, 1, 0);
            if (!has_at)
                add(e, 0, MARK);
            p = close < end ? close + 1 : end;
        } else if (c == '$') {
            p = dollar(e, p, end, quoted);
        } else if (c == '`') {
            p = backquote(e, p + 1, quoted);
        } else {
            add(e, c, quoted ? QUOTED : plain);
            ++p;
        }
    }
}

void walk(struct expander* e, const char* p, const char* end, int quoted, int in_brace) {
    if (depth >= MAX_EXPAND_DEPTH) {
        bad_substitution(e);
        return;
    }
    depth++;
    walk_text(e, p, end, quoted, in_brace);
    depth--;
}

/* Walks word in mode e->mode; returns -1 after an error. */
static int run(struct expander* e, const char* word, size_t length) {
    walk(e, word, word + length, e->mode == MODE_HEREDOC, 0);
    return e->failed ? -1 : 0;
}

/* All pieces joined (for the modes that make one string). */
static char* flatten(struct expander* e) {
    struct strbuf out = {0};
    sb_adds(&out, "");
    for (int i = 0; i <= e->done_count; ++i) {
        struct piece* piece = i < e->done_count ? &e->done[i] : &e->current;
        if (i > 0)
            sb_addc(&out, ' ');
        const char* text = piece->text.data;
        const char* flags = piece->flags.data;
        size_t length = piece->text.length;
        for (size_t j = 0; j < length;) {
            /* A run of characters that go out as they are, copied at once. */
            size_t end = j;
            while (end < length && !(flags[end] & MARK) &&
                   !(e->mode == MODE_PATTERN && ((flags[end] & QUOTED) || text[end] == '\\')))
                ++end;
            sb_addn(&out, text + j, end - j);
            if (end == length)
                break;
            if (!(flags[end] & MARK)) { /* a pattern's quoted character: escaped */
                sb_addc(&out, '\\');
                sb_addc(&out, text[end]);
            }
            j = end + 1;
        }
    }
    return sb_take(&out);
}

char* expand_alone(const char* text, size_t length, enum mode mode) {
    struct expander e = {0};
    e.mode = mode;
    char* result = run(&e, text, length) == 0 ? flatten(&e) : NULL;
    free_pieces(&e);
    return result;
}

int expand_words(char* const* words, int count, struct strlist* out) {
    for (int i = 0; i < count; ++i) {
        struct expander e = {0};
        e.mode = MODE_FIELDS;
        if (run(&e, words[i], strlen(words[i])) != 0) {
            free_pieces(&e);
            return -1;
        }
        for (int j = 0; j < e.done_count; ++j)
            split_piece(&e.done[j], out);
        split_piece(&e.current, out);
        free_pieces(&e);
    }
    return 0;
}

char* expand_word(const char* word) {
    return expand_alone(word, strlen(word), MODE_STRING);
}

char* expand_assignment_value(const char* value) {
    return expand_alone(value, strlen(value), MODE_ASSIGN);
}

char* expand_pattern(const char* word) {
    return expand_alone(word, strlen(word), MODE_PATTERN);
}

char* expand_heredoc(const char* body) {
    return expand_alone(body, strlen(body), MODE_HEREDOC);
}
