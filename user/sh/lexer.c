/* lexer.c: splits the shell's text into tokens (POSIX 2.3) and finds the
 * end of each word through its quotes and $-forms (2.2, 2.6), keeping the
 * word's text raw. Here-document bodies are read here too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"

void lex_error(struct lexer* lexer, int line, const char* message, int at_end) {
    if (lexer->failed)
        return;
    lexer->failed = 1;
    if (at_end && lexer->allow_incomplete) {
        lexer->incomplete = 1;
        return;
    }
    if (!lexer->quiet)
        fprintf(stderr, "%s: %d: Syntax error: %s\n", lexer->name, line, message);
}

int lex_enter(struct lexer* lexer, int line) {
    if (lexer->depth >= MAX_NESTING) {
        lex_error(lexer, line, "nested too deeply", 0);
        return -1;
    }
    lexer->depth++;
    return 0;
}

void lex_add_heredoc(struct lexer* lexer, struct redirect* redirect, int strip) {
    int n = lexer->pending_count + 1;
    lexer->pending = xrealloc(lexer->pending, n * sizeof *lexer->pending);
    lexer->pending_strip = xrealloc(lexer->pending_strip, n * sizeof(int));
    lexer->pending[n - 1] = redirect;
    lexer->pending_strip[n - 1] = strip;
    lexer->pending_count = n;
}

static char peekc(struct lexer* lexer, size_t ahead) {
    size_t i;
    for (i = 0; i <= ahead; i++)
        if (!lexer->text[lexer->pos + i])
            return 0;
    return lexer->text[lexer->pos + ahead];
}

/* Takes one character into the word (when out is given), counting lines. */
static void take(struct lexer* lexer, struct strbuf* out) {
    char c = lexer->text[lexer->pos++];
    if (c == '\n')
        lexer->line++;
    if (out)
        sb_addc(out, c);
}

/* Drops every backslash-newline at the position: a line continuation is
 * removed before tokens are recognised (2.2.1). */
static void skip_continuations(struct lexer* lexer) {
    int skipped = 0;
    while (peekc(lexer, 0) == '\\' && peekc(lexer, 1) == '\n') {
        lexer->pos += 2;
        lexer->line++;
        skipped = 1;
    }
    /* A typed line ending in a backslash continues on the next one. */
    if (skipped && !peekc(lexer, 0) && lexer->allow_incomplete)
        lex_error(lexer, lexer->line, "continued line", 1);
}

static int scan_dollar(struct lexer* lexer, struct strbuf* out, int line);
static int scan_backquote(struct lexer* lexer, struct strbuf* out, int line);

/* A "..." string, the opening quote already taken. */
static int scan_double(struct lexer* lexer, struct strbuf* out, int line) {
    for (;;) {
        char c = peekc(lexer, 0);
        if (!c) {
            lex_error(lexer, line, "Unterminated quoted string", 1);
            return -1;
        }
        if (c == '"') {
            take(lexer, out);
            return 0;
        }
        if (c == '\\' && peekc(lexer, 1) == '\n') {
            skip_continuations(lexer);
        } else if (c == '\\') {
            take(lexer, out);
            if (peekc(lexer, 0))
                take(lexer, out);
        } else if (c == '$') {
            if (scan_dollar(lexer, out, line))
                return -1;
        } else if (c == '`') {
            if (scan_backquote(lexer, out, line))
                return -1;
        } else {
            take(lexer, out);
        }
    }
}

/* A `...` substitution from its opening quote. */
static int scan_backquote(struct lexer* lexer, struct strbuf* out, int line) {
    take(lexer, out);
    for (;;) {
        char c = peekc(lexer, 0);
        if (!c) {
            lex_error(lexer, line, "EOF in backquote substitution", 1);
            return -1;
        }
        take(lexer, out);
        if (c == '`')
            return 0;
        if (c == '\\' && peekc(lexer, 0))
            take(lexer, out);
    }
}

/* ${...}, after "${": nested braces, quotes and $-forms are skipped. */
static int scan_brace(struct lexer* lexer, struct strbuf* out, int line) {
    for (;;) {
        char c = peekc(lexer, 0);
        if (!c) {
            lex_error(lexer, line, "Missing '}'", 1);
            return -1;
        }
        if (c == '}') {
            take(lexer, out);
            return 0;
        }
        if (c == '\\' && peekc(lexer, 1) == '\n') {
            skip_continuations(lexer);
        } else if (c == '\\') {
            take(lexer, out);
            if (peekc(lexer, 0))
                take(lexer, out);
        } else if (c == '\'') {
            take(lexer, out);
            while (peekc(lexer, 0) && peekc(lexer, 0) != '\'')
                take(lexer, out);
            if (!peekc(lexer, 0)) {
                lex_error(lexer, line, "Unterminated quoted string", 1);
                return -1;
            }
            take(lexer, out);
        } else if (c == '"') {
            take(lexer, out);
            if (scan_double(lexer, out, line))
                return -1;
        } else if (c == '$') {
            if (scan_dollar(lexer, out, line))
                return -1;
        } else if (c == '`') {
            if (scan_backquote(lexer, out, line))
                return -1;
        } else {
            take(lexer, out);
        }
    }
}

/* $((...)), after "$((": parentheses are matched until the closing "))". */
static int scan_arith(struct lexer* lexer, struct strbuf* out, int line) {
    int depth = 0;
    for (;;) {
        char c = peekc(lexer, 0);
        if (!c) {
            lex_error(lexer, line, "Missing '))'", 1);
            return -1;
        }
        if (c == ')' && depth == 0 && peekc(lexer, 1) == ')') {
            take(lexer, out);
            take(lexer, out);
            return 0;
        }
        if (c == '(')
            depth++;
        else if (c == ')' && depth > 0)
            depth--;
        if (c == '$') {
            if (scan_dollar(lexer, out, line))
                return -1;
        } else if (c == '`') {
            if (scan_backquote(lexer, out, line))
                return -1;
        } else if (c == '"') {
            take(lexer, out);
            if (scan_double(lexer, out, line))
                return -1;
        } else {
            take(lexer, out);
        }
    }
}

/* A $-form at the position; a lone $ is just a character. */
static int scan_dollar_form(struct lexer* lexer, struct strbuf* out, int line) {
    char next = peekc(lexer, 1);
    if (next == '{') {
        take(lexer, out);
        take(lexer, out);
        return scan_brace(lexer, out, line);
    }
    if (next == '(' && peekc(lexer, 2) == '(') {
        take(lexer, out);
        take(lexer, out);
        take(lexer, out);
        return scan_arith(lexer, out, line);
    }
    if (next == '(') {
        size_t start = lexer->pos;
        lexer->pos += 2;
        if (parse_substitution(lexer))
            return -1;
        sb_addn(out, lexer->text + start, lexer->pos - start);
        return 0;
    }
    take(lexer, out);
    return 0;
}

/* Every recursion of the scanners (and of $(...) into the parser) passes
 * here, so the nesting is bounded here. */
static int scan_dollar(struct lexer* lexer, struct strbuf* out, int line) {
    if (lex_enter(lexer, line))
        return -1;
    int status = scan_dollar_form(lexer, out, line);
    lexer->depth--;
    return status;
}

static int is_meta(char c) {
    return !c || strchr(" \t\n;&|<>()", c) != NULL;
}

/* Reads a word at the position (not at a metacharacter). */
static char* scan_word(struct lexer* lexer, int line) {
    struct strbuf out = {0};
    for (;;) {
        skip_continuations(lexer);
        char c = peekc(lexer, 0);
        int status = 0;
        if (is_meta(c))
            break;
        if (c == '\\') {
            take(lexer, &out);
            if (peekc(lexer, 0))
                take(lexer, &out);
        } else if (c == '\'') {
            take(lexer, &out);
            while (peekc(lexer, 0) && peekc(lexer, 0) != '\'')
                take(lexer, &out);
            if (!peekc(lexer, 0)) {
                lex_error(lexer, line, "Unterminated quoted string", 1);
                status = -1;
            } else {
                take(lexer, &out);
            }
        } else if (c == '"') {
            take(lexer, &out);
            status = scan_double(lexer, &out, line);
        } else if (c == '$') {
            status = scan_dollar(lexer, &out, line);
        } else if (c == '`') {
            status = scan_backquote(lexer, &out, line);
        } else {
            take(lexer, &out);
        }
        if (status) {
            sb_free(&out);
            return NULL;
        }
    }
    return sb_take(&out);
}

/* The delimiter with its quotes removed; *quoted tells whether any were. */
static char* unquote_delimiter(const char* word, int* quoted) {
    struct strbuf out = {0};
    *quoted = 0;
    for (; *word; word++) {
        if (*word == '\'' || *word == '"' || *word == '\\') {
            *quoted = 1;
            if (*word == '\\' && word[1])
                sb_addc(&out, *++word);
            continue;
        }
        sb_addc(&out, *word);
    }
    return sb_take(&out);
}

/* Reads the bodies of the queued here-documents, in order, from the line
 * after the one that held them. */
static void read_heredocs(struct lexer* lexer) {
    int i;
    for (i = 0; i < lexer->pending_count && !lexer->failed; i++) {
        struct redirect* r = lexer->pending[i];
        int strip = lexer->pending_strip[i];
        char* delim = unquote_delimiter(r->target, &r->heredoc_quoted);
        struct strbuf body = {0};
        size_t dlen = strlen(delim);
        int line = lexer->line;
        for (;;) {
            const char* p = lexer->text + lexer->pos;
            if (!*p) {
                if (lexer->allow_incomplete)
                    lex_error(lexer, line, "here-document", 1);
                break;
            }
            while (strip && *p == '\t')
                p++;
            const char* end = strchr(p, '\n');
            size_t len = end ? (size_t)(end - p) : strlen(p);
            size_t next = (size_t)(p - lexer->text) + len + (end ? 1 : 0);
            lexer->pos = next;
            if (end)
                lexer->line++;
            if (len == dlen && !strncmp(p, delim, dlen))
                break;
            sb_addn(&body, p, len);
            sb_addc(&body, '\n');
        }
        free(r->heredoc);
        r->heredoc = sb_take(&body);
        free(delim);
    }
    lexer->pending_count = 0;
}

/* Operators (2.3 rule 2-3), longest first. */
static int scan_operator(struct lexer* lexer, struct token* token) {
    static const struct {
        const char* text;
        enum token_kind kind;
        int redirect;
    } ops[] = {
        {"&&", T_AND, 0},
        {"||", T_OR, 0},
        {";;", T_DSEMI, 0},
        {"<<-", T_REDIRECT, REDIRECT_HEREDOC + 100},
        {"<<", T_REDIRECT, REDIRECT_HEREDOC},
        {"<>", T_REDIRECT, REDIRECT_READ_WRITE},
        {"<&", T_REDIRECT, REDIRECT_DUP_IN},
        {">>", T_REDIRECT, REDIRECT_APPEND},
        {">|", T_REDIRECT, REDIRECT_CLOBBER},
        {">&", T_REDIRECT, REDIRECT_DUP_OUT},
        {"<", T_REDIRECT, REDIRECT_IN},
        {">", T_REDIRECT, REDIRECT_OUT},
        {";", T_SEMI, 0},
        {"&", T_AMP, 0},
        {"|", T_PIPE, 0},
        {"(", T_LPAREN, 0},
        {")", T_RPAREN, 0},
    };
    size_t i;
    for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        /* A line continuation may stand between an operator's characters
         * (it is removed before tokens are recognised, 2.2.1). */
        size_t at = lexer->pos, k;
        int lines = 0;
        for (k = 0; ops[i].text[k]; k++) {
            while (k > 0 && lexer->text[at] == '\\' && lexer->text[at + 1] == '\n') {
                at += 2;
                lines++;
            }
            if (lexer->text[at] != ops[i].text[k])
                break;
            at++;
        }
        if (ops[i].text[k])
            continue;
        lexer->pos = at;
        lexer->line += lines;
        token->kind = ops[i].kind;
        token->strip = ops[i].redirect >= 100;
        token->redirect = (enum redirect_kind)(ops[i].redirect % 100);
        return 1;
    }
    return 0;
}

struct token lex_next(struct lexer* lexer) {
    struct token token = {T_EOF, lexer->line, NULL, REDIRECT_IN, -1, 0, 0};
    if (lexer->failed)
        return token;
    for (;;) {
        skip_continuations(lexer);
        char c = peekc(lexer, 0);
        if (c == ' ' || c == '\t') {
            lexer->pos++;
        } else if (c == '#') {
            while (peekc(lexer, 0) && peekc(lexer, 0) != '\n')
                lexer->pos++;
        } else {
            break;
        }
    }
    token.line = lexer->line;
    char c = peekc(lexer, 0);
    if (!c) {
        if (lexer->pending_count) {
            read_heredocs(lexer);
            lexer->pending_count = 0;
        }
        if (lexer->failed)
            token.kind = T_EOF;
        return token;
    }
    if (c == '\n') {
        take(lexer, NULL);
        token.kind = T_NEWLINE;
        read_heredocs(lexer);
        return token;
    }
    size_t start = lexer->pos;
    while (lexer->text[lexer->pos] >= '0' && lexer->text[lexer->pos] <= '9')
        lexer->pos++;
    if (lexer->pos > start && lexer->pos - start < 10 &&
        (lexer->text[lexer->pos] == '<' || lexer->text[lexer->pos] == '>')) {
        int fd = 0;
        size_t i;
        for (i = start; i < lexer->pos; i++)
            fd = fd * 10 + (lexer->text[i] - '0');
        scan_operator(lexer, &token);
        token.fd = fd;
        return token;
    }
    lexer->pos = start;
    if (scan_operator(lexer, &token))
        return token;
    token.text = scan_word(lexer, token.line);
    token.kind = token.text ? T_WORD : T_EOF;
    return token;
}
