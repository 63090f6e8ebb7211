/* compound.c: if, while, until and for.
 *   if LIST; then LIST; [elif LIST; then LIST;]... [else LIST;] fi
 *   while LIST; do LIST; done          until LIST; do LIST; done
 *   for NAME [in WORD...]; do LIST; done     (without "in": "$@")
 * A compound command is found in the text by a scan that knows quoting and
 * sees reserved words only where a command starts; its parts are kept as
 * text and run through run_line each time they run, so $VAR and patterns
 * are expanded afresh on every pass. Not supported: a compound command
 * inside a pipeline, or followed by |, & or a redirection. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

enum token_kind { TOKEN_END, TOKEN_WORD, TOKEN_SEPARATOR };

struct token {
    enum token_kind kind;
    const char* start;
    size_t length;
};

/* The token at p (after blanks and comments). Separators: ; & | && || and
 * newline; < and > end a word but are no separators. */
static const char* next_token(const char* p, struct token* token) {
    while (*p == ' ' || *p == '\t')
        ++p;
    if (*p == '#') {
        while (*p && *p != '\n')
            ++p;
    }
    token->start = p;
    if (*p == '\0') {
        token->kind = TOKEN_END;
        token->length = 0;
        return p;
    }
    if (*p == ';' || *p == '\n' || *p == '&' || *p == '|') {
        token->kind = TOKEN_SEPARATOR;
        token->length = (p[0] == '&' || p[0] == '|') && p[1] == p[0] ? 2 : 1;
        return p + token->length;
    }
    token->kind = TOKEN_WORD;
    if (*p == '<' || *p == '>') {
        token->length = 1;
        return p + 1;
    }
    while (*p && !isspace((unsigned char)*p) && !strchr(";&|<>", *p)) {
        if (*p == '\\' && p[1]) {
            p += 2;
        } else if (*p == '\'' || *p == '"') {
            const char quote = *p++;
            while (*p && *p != quote)
                p += *p == '\\' && quote == '"' && p[1] ? 2 : 1;
            if (*p)
                ++p;
        } else {
            ++p;
        }
    }
    token->length = (size_t)(p - token->start);
    return p;
}

static int is_word(const struct token* token, const char* word) {
    return token->kind == TOKEN_WORD && strlen(word) == token->length &&
           strncmp(token->start, word, token->length) == 0;
}

static int opens_compound(const struct token* token) {
    return is_word(token, "if") || is_word(token, "while") || is_word(token, "until") ||
           is_word(token, "for");
}

/* A reserved word of the compound being scanned, at its own level. */
struct mark {
    const char* start; /* the word */
    const char* after; /* just past it */
};

enum { MAX_MARKS = 64 };

/* Scans a compound command whose opening word ends at p. Fills marks with
 * the reserved words at its own level (then elif else fi, or do done) up
 * to and including the closing one; returns how many, 0 if the text ends
 * first (the command goes on in the next line), -1 on a syntax error. */
static int scan(const char* p, const struct token* opener, struct mark* marks) {
    /* What closes each open level: 'f' for fi, 'd' for done. */
    char closers[MAX_MARKS];
    int depth = 0;
    closers[0] = is_word(opener, "if") ? 'f' : 'd';
    int count = 0;
    int at_command_start = !is_word(opener, "for"); /* for NAME: no command */
    struct token token;
    for (;;) {
        p = next_token(p, &token);
        if (token.kind == TOKEN_END)
            return 0;
        if (token.kind == TOKEN_SEPARATOR) {
            at_command_start = 1;
            continue;
        }
        if (!at_command_start)
            continue;
        at_command_start = 1; /* after a reserved word another command may start */
        if (opens_compound(&token)) {
            if (depth + 1 == MAX_MARKS)
                return -1;
            closers[++depth] = is_word(&token, "if") ? 'f' : 'd';
            at_command_start = !is_word(&token, "for");
        } else if (is_word(&token, "fi") || is_word(&token, "done")) {
            if (closers[depth] != token.start[0])
                return -1;        /* fi for a loop, done for an if */
            at_command_start = 0; /* only a separator may follow */
            if (depth-- > 0)
                continue;
            if (count == MAX_MARKS)
                return -1;
            marks[count++] = (struct mark){token.start, p};
            return count;
        } else if (is_word(&token, "then") || is_word(&token, "elif") || is_word(&token, "else") ||
                   is_word(&token, "do")) {
            if (depth == 0) {
                if (count == MAX_MARKS)
                    return -1;
                marks[count++] = (struct mark){token.start, p};
            }
        } else {
            at_command_start = 0;
        }
    }
}

int compound_is_open(const char* text) {
    struct token token;
    const char* p = text;
    int at_command_start = 1;
    for (;;) {
        p = next_token(p, &token);
        if (token.kind == TOKEN_END)
            return 0;
        if (token.kind == TOKEN_SEPARATOR) {
            at_command_start = 1;
            continue;
        }
        if (at_command_start && opens_compound(&token)) {
            struct mark marks[MAX_MARKS];
            int count = scan(p, &token, marks);
            if (count == 0)
                return 1;
            if (count < 0)
                return 0; /* an error: let the parser say so */
            p = marks[count - 1].after;
            at_command_start = 0;
            continue;
        }
        at_command_start = 0;
    }
}

/* Runs [start, end) as a command list. */
static void run_part(const char* start, const char* end) {
    char* text = strndup(start, (size_t)(end - start));
    if (!text) {
        fprintf(stderr, "sh: out of memory\n");
        last_status = 2;
        return;
    }
    run_line(text);
    free(text);
}

/* Whether [start, end) holds nothing but blanks and separators. */
static int is_empty(const char* start, const char* end) {
    for (; start < end; ++start)
        if (!isspace((unsigned char)*start) && *start != ';')
            return 0;
    return 1;
}

static int syntax_error(const char* what) {
    fprintf(stderr, "sh: syntax error: %s\n", what);
    last_status = 2;
    return -1;
}

static const char* mark_is(const struct mark* mark, const char* word) {
    size_t length = strlen(word);
    return strncmp(mark->start, word, length) == 0 && mark->after - mark->start == (long)length
               ? word
               : NULL;
}

static int run_if(const char* after_if, const struct mark* marks, int count) {
    const char* condition = after_if;
    int i = 0;
    for (;;) {
        if (i >= count || !mark_is(&marks[i], "then"))
            return syntax_error("if without then");
        if (is_empty(condition, marks[i].start))
            return syntax_error("empty condition");
        run_part(condition, marks[i].start);
        const int taken = last_status == 0;
        const char* body = marks[i].after;
        ++i;
        if (i >= count || mark_is(&marks[i], "then"))
            return syntax_error("then without fi");
        if (taken) {
            run_part(body, marks[i].start);
            return 0;
        }
        if (mark_is(&marks[i], "elif")) {
            condition = marks[i].after;
            ++i;
            continue;
        }
        if (mark_is(&marks[i], "else")) {
            if (i + 1 >= count || !mark_is(&marks[i + 1], "fi"))
                return syntax_error("else without fi");
            run_part(marks[i].after, marks[i + 1].start);
            return 0;
        }
        if (!mark_is(&marks[i], "fi"))
            return syntax_error("if without fi");
        last_status = 0; /* no branch taken */
        return 0;
    }
}

static int run_loop(int until, const char* after_keyword, const struct mark* marks, int count) {
    if (count != 2 || !mark_is(&marks[0], "do") || !mark_is(&marks[1], "done"))
        return syntax_error(until ? "until without do or done" : "while without do or done");
    if (is_empty(after_keyword, marks[0].start))
        return syntax_error("empty condition");
    int status = 0;
    for (;;) {
        run_part(after_keyword, marks[0].start);
        if ((last_status == 0) == until)
            break;
        run_part(marks[0].after, marks[1].start);
        status = last_status;
    }
    last_status = status;
    return 0;
}

static int run_for(const char* after_for, const struct mark* marks, int count) {
    if (count != 2 || !mark_is(&marks[0], "do") || !mark_is(&marks[1], "done"))
        return syntax_error("for without do or done");
    struct token name;
    const char* p = next_token(after_for, &name);
    if (name.kind != TOKEN_WORD || name.length == 0 || name.length > 63)
        return syntax_error("for needs a variable name");
    char variable[64];
    memcpy(variable, name.start, name.length);
    variable[name.length] = '\0';
    for (const char* c = variable; *c; ++c)
        if (!(isalnum((unsigned char)*c) || *c == '_') || isdigit((unsigned char)variable[0]))
            return syntax_error("for needs a variable name");
    /* The words: what follows "in", expanded as a command's words would be
     * (quotes, $, patterns); without "in", the arguments. */
    struct token in;
    const char* words_start = next_token(p, &in);
    struct pipeline list;
    memset(&list, 0, sizeof(list));
    char** words = positional + 1;
    int word_count = positional_count - 1;
    if (is_word(&in, "in")) {
        const char* words_end = words_start;
        struct token token;
        for (const char* q = words_start;;) {
            const char* next = next_token(q, &token);
            if (token.kind != TOKEN_WORD)
                break;
            words_end = next;
            q = next;
        }
        char* text = strndup(words_start, (size_t)(words_end - words_start));
        struct parser parser = {text ? text : "", RUN_ALWAYS};
        int parsed = text && !is_empty(words_start, words_end) ? parse_next(&parser, &list) : 0;
        free(text);
        if (parsed < 0) {
            free_pipeline(&list);
            return -1;
        }
        words = parsed > 0 ? list.commands[0].words : NULL;
        word_count = parsed > 0 ? list.commands[0].word_count : 0;
    }
    last_status = 0;
    int status = 0;
    for (int i = 0; i < word_count; ++i) {
        setenv(variable, words[i], 1);
        run_part(marks[0].after, marks[1].start);
        status = last_status;
    }
    last_status = status;
    free_pipeline(&list);
    return 0;
}

const char* run_compound(const char* text, int skip) {
    struct token opener;
    const char* p = next_token(text, &opener);
    struct mark marks[MAX_MARKS];
    const int count = scan(p, &opener, marks);
    if (count <= 0) {
        syntax_error(count == 0 ? "unfinished if, while, until or for"
                                : "fi or done does not match, or nesting too deep");
        return NULL;
    }
    if (skip)
        return marks[count - 1].after;
    int result;
    if (is_word(&opener, "if"))
        result = run_if(p, marks, count);
    else if (is_word(&opener, "for"))
        result = run_for(p, marks, count);
    else
        result = run_loop(is_word(&opener, "until"), p, marks, count);
    return result < 0 ? NULL : marks[count - 1].after;
}

int starts_compound(const char* text) {
    struct token token;
    next_token(text, &token);
    return opens_compound(&token);
}

const char* after_compound(const char* p, enum connector* next) {
    struct token token;
    const char* after = next_token(p, &token);
    *next = RUN_ALWAYS;
    if (token.kind == TOKEN_END)
        return token.start;
    if (token.kind == TOKEN_SEPARATOR && token.length == 2) {
        *next = token.start[0] == '&' ? RUN_IF_OK : RUN_IF_FAILED;
        return after;
    }
    if (token.kind == TOKEN_SEPARATOR && token.start[0] == ';')
        return after;
    syntax_error("only ; && or || may follow fi or done");
    return NULL;
}

/* The reserved words after which a newline is only a blank. */
static int continues_after_newline(const char* start, const char* end) {
    static const char* const words[] = {"then", "do", "else", "elif", "if", "while", "until"};
    while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
        --end;
    if (end == start || strchr(";&|\n", end[-1]))
        return 1;
    const char* word = end;
    while (word > start && !isspace((unsigned char)word[-1]) && !strchr(";&|", word[-1]))
        --word;
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); ++i)
        if ((size_t)(end - word) == strlen(words[i]) &&
            strncmp(word, words[i], (size_t)(end - word)) == 0)
            return 1;
    return 0;
}

char* separate_lines(const char* text) {
    char* out = malloc(strlen(text) + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    for (const char* p = text; *p;) {
        if (*p == '\\' && p[1]) {
            out[n++] = *p++;
            out[n++] = *p++;
        } else if (*p == '\'' || *p == '"') {
            const char quote = *p;
            out[n++] = *p++;
            while (*p && *p != quote) {
                if (*p == '\\' && quote == '"' && p[1])
                    out[n++] = *p++;
                out[n++] = *p++;
            }
            if (*p)
                out[n++] = *p++;
        } else if (*p == '#' &&
                   (n == 0 || isspace((unsigned char)out[n - 1]) || strchr(";&|", out[n - 1]))) {
            while (*p && *p != '\n') /* a comment, to the end of its line */
                ++p;
        } else if (*p == '\n') {
            const char separator = continues_after_newline(out, out + n) ? ' ' : ';';
            out[n++] = separator;
            ++p;
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
    return out;
}
