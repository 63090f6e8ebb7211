/* compound.c: if, while, until and for.
 *   if LIST; then LIST; [elif LIST; then LIST;]... [else LIST;] fi
 *   while LIST; do LIST; done          until LIST; do LIST; done
 *   for NAME [in WORD...]; do LIST; done     (without "in": "$@")
 * A compound command is found in the text by a scan that knows quoting and
 * sees reserved words only where a command starts; its parts are kept as
 * text and run through run_line each time they run, so $VAR and patterns
 * are expanded afresh on every pass. A loop stops when Ctrl-C interrupts
 * it, or at break; continue starts its next pass (both take a count of
 * loops, as in sh). Not supported: a compound command inside a pipeline, or followed by
 * |, & or a redirection (a syntax error, found before anything runs). */
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

static int is_blank(char c) {
    return c != '\n' && isspace((unsigned char)c);
}

/* The token at p (after blanks and comments). Separators: ; & | && || and
 * newline; < and > end a word but are no separators. Every token but the
 * end moves past at least one character. */
static const char* next_token(const char* p, struct token* token) {
    while (is_blank(*p))
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

/* Reserved words that only continue or close a compound command. */
static int continues_compound(const struct token* token) {
    return is_word(token, "then") || is_word(token, "elif") || is_word(token, "else") ||
           is_word(token, "fi") || is_word(token, "do") || is_word(token, "done");
}

/* Reserved words after which a list (a command) starts. */
static int starts_list(const struct token* token) {
    return is_word(token, "if") || is_word(token, "then") || is_word(token, "elif") ||
           is_word(token, "else") || is_word(token, "while") || is_word(token, "until") ||
           is_word(token, "do");
}

/* A reserved word of the compound being scanned, at its own level. */
struct mark {
    const char* start; /* the word */
    const char* after; /* just past it */
};

enum { MAX_MARKS = 256, MAX_DEPTH = 64 };

/* Scans a compound command whose opening word ends at p. Fills marks with
 * the reserved words at its own level (then elif else fi, or do done) up
 * to and including the closing one; returns how many, 0 if the text ends
 * first (the command goes on in the next line), -1 on a syntax error. */
static int scan(const char* p, const struct token* opener, struct mark* marks) {
    char closers[MAX_DEPTH]; /* what closes each open level: 'f'i or 'd'one */
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
            if (depth + 1 == MAX_DEPTH)
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
        } else if (continues_compound(&token)) {
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
    /* A line ending in a backslash goes on in the next one. */
    size_t length = strlen(text);
    if (length > 0 && text[length - 1] == '\n')
        --length;
    size_t backslashes = 0;
    while (backslashes < length && text[length - 1 - backslashes] == '\\')
        ++backslashes;
    if (backslashes % 2 == 1)
        return 1;
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

/* Whether a command may start at the end of text: after nothing, a
 * separator, or a reserved word that begins a list. */
static int command_may_start_after(const char* text) {
    struct token token;
    int at_command_start = 1;
    for (const char* p = text;;) {
        p = next_token(p, &token);
        if (token.kind == TOKEN_END)
            return at_command_start;
        if (token.kind == TOKEN_SEPARATOR)
            at_command_start = 1;
        else
            at_command_start = at_command_start && starts_list(&token);
    }
}

char* separate_lines(const char* text) {
    char* out = malloc(strlen(text) + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    int word_start = 1; /* nothing but blanks or separators just before */
    for (const char* p = text; *p;) {
        if (*p == '\\' && p[1] == '\n') { /* a line continued */
            p += 2;
        } else if (*p == '\\' && p[1]) {
            out[n++] = *p++;
            out[n++] = *p++;
            word_start = 0;
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
            word_start = 0;
        } else if (*p == '#' && word_start) {
            while (*p && *p != '\n') /* a comment, to the end of its line */
                ++p;
        } else if (*p == '\n') {
            out[n] = '\0';
            /* Where a command may start, a newline is only a blank;
             * elsewhere it ends the command. */
            const char separator = command_may_start_after(out) ? ' ' : ';';
            out[n++] = separator;
            ++p;
            word_start = 1;
        } else {
            word_start = isspace((unsigned char)*p) || strchr(";&|", *p);
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
    return out;
}

const char* misplaced_reserved_word(const char* text) {
    struct token token;
    next_token(text, &token);
    static const char* const words[] = {"then", "elif", "else", "fi", "do", "done"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); ++i)
        if (is_word(&token, words[i]))
            return words[i];
    return NULL;
}

int loop_depth;
int break_levels;
int continue_levels;

/* After a loop's part has run: LOOP_ENDS because of break (or a continue
 * meant for an outer loop), LOOP_NEXT_PASS for a continue meant for this
 * one (used up here), LOOP_GOES_ON otherwise. */
enum { LOOP_GOES_ON, LOOP_ENDS, LOOP_NEXT_PASS };
static int loop_control_after_part(void) {
    if (break_levels > 0) {
        --break_levels;
        return LOOP_ENDS;
    }
    if (continue_levels > 0)
        return --continue_levels > 0 ? LOOP_ENDS : LOOP_NEXT_PASS;
    return LOOP_GOES_ON;
}

static int run_part(const char* start, const char* end);

/* Runs a loop's body (between marks[0], do, and marks[1], done) once,
 * keeping its status: 1 if the loop goes on, 0 if it ends here (break),
 * -1 after a syntax error. */
static int run_body(const struct mark* marks, int* status) {
    if (run_part(marks[0].after, marks[1].start) < 0)
        return -1;
    *status = last_status;
    return loop_control_after_part() != LOOP_ENDS;
}

/* Runs [start, end) as a command list; -1 after a syntax error in it. */
static int run_part(const char* start, const char* end) {
    char* text = strndup(start, (size_t)(end - start));
    if (!text) {
        fprintf(stderr, "sh: out of memory\n");
        last_status = 2;
        return -1;
    }
    const int result = run_line(text);
    free(text);
    return result;
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

static int mark_is(const struct mark* mark, const char* word) {
    size_t length = strlen(word);
    return mark->after - mark->start == (long)length && strncmp(mark->start, word, length) == 0;
}

/* then (elif then)* [else] fi, with a condition before each then. */
static int check_if(const char* after_if, const struct mark* marks, int count) {
    const char* condition = after_if;
    int i = 0;
    for (;;) {
        if (i >= count || !mark_is(&marks[i], "then"))
            return syntax_error("if without then");
        if (is_empty(condition, marks[i].start))
            return syntax_error("empty condition");
        if (++i >= count)
            return syntax_error("if without fi");
        if (mark_is(&marks[i], "elif")) {
            condition = marks[i++].after;
            continue;
        }
        if (mark_is(&marks[i], "else"))
            ++i;
        if (i == count - 1 && mark_is(&marks[i], "fi"))
            return 0;
        return syntax_error("if without fi, or else not last");
    }
}

static int run_if(const char* after_if, const struct mark* marks, int count) {
    if (check_if(after_if, marks, count) < 0)
        return -1;
    const char* condition = after_if;
    for (int i = 0;; i += 2) { /* marks[i] is a then */
        if (run_part(condition, marks[i].start) < 0)
            return -1;
        if (last_status == 0)
            return run_part(marks[i].after, marks[i + 1].start);
        if (interrupted)
            return 0;
        if (mark_is(&marks[i + 1], "elif")) {
            condition = marks[i + 1].after;
            continue;
        }
        if (mark_is(&marks[i + 1], "else"))
            return run_part(marks[i + 1].after, marks[i + 2].start);
        last_status = 0; /* no branch taken */
        return 0;
    }
}

static int run_loop(int until, const char* after_keyword, const struct mark* marks, int count) {
    if (count != 2 || !mark_is(&marks[0], "do") || !mark_is(&marks[1], "done"))
        return syntax_error(until ? "until without do or done" : "while without do or done");
    if (is_empty(after_keyword, marks[0].start))
        return syntax_error("empty condition");
    int status = 0, result = 0;
    ++loop_depth;
    while (!interrupted) {
        if (run_part(after_keyword, marks[0].start) < 0) {
            result = -1;
            break;
        }
        const int control = loop_control_after_part();
        if (control == LOOP_ENDS)
            break;
        if (control == LOOP_NEXT_PASS)
            continue; /* continue in the condition: test it again */
        if ((last_status == 0) == until || interrupted)
            break;
        const int goes_on = run_body(marks, &status);
        if (goes_on <= 0) {
            result = goes_on;
            break;
        }
    }
    --loop_depth;
    last_status = status;
    return result;
}

/* The words a for loop runs over: after "in", expanded as a command's
 * words are (quotes, $, patterns); without "in", a copy of the arguments
 * (the body may shift them). Returned as a NULL-terminated array the
 * caller frees with free_words; NULL after a syntax error. */
static void free_words(char** words) {
    for (char** w = words; w && *w; ++w)
        free(*w);
    free(words);
}

static char** for_words(const char* p, const char* do_start) {
    struct token in;
    const char* after_in = next_token(p, &in);
    while (in.kind == TOKEN_SEPARATOR && *in.start != '&' && *in.start != '|')
        after_in = next_token(after_in, &in); /* "for i", a newline, "in ..." */
    if (in.kind == TOKEN_WORD && !is_word(&in, "in") && in.start != do_start) {
        syntax_error("for NAME must be followed by in, ; or a newline");
        return NULL;
    }
    if (!is_word(&in, "in")) {
        if (!is_empty(p, do_start)) {
            syntax_error("for NAME must be followed by in, ; or a newline");
            return NULL;
        }
        char** words = calloc((size_t)positional_count, sizeof(char*));
        for (int i = 1; words && i < positional_count; ++i)
            if (!(words[i - 1] = strdup(positional[i])))
                return free_words(words), NULL;
        if (!words)
            fprintf(stderr, "sh: out of memory\n");
        return words;
    }
    const char* words_end = after_in;
    struct token token;
    for (const char* q = after_in;;) {
        const char* next = next_token(q, &token);
        if (token.kind != TOKEN_WORD)
            break;
        words_end = q = next;
    }
    if (token.kind != TOKEN_SEPARATOR || !is_empty(words_end, do_start) || *token.start == '&' ||
        *token.start == '|') {
        syntax_error("for NAME in WORDS must be followed by ; or a newline, then do");
        return NULL;
    }
    char* text = strndup(after_in, (size_t)(words_end - after_in));
    if (!text) {
        fprintf(stderr, "sh: out of memory\n");
        return NULL;
    }
    struct parser parser = {text, RUN_ALWAYS, 1};
    struct pipeline list;
    const int parsed = is_empty(after_in, words_end) ? 0 : parse_next(&parser, &list);
    free(text);
    if (parsed < 0) {
        free_pipeline(&list);
        return NULL;
    }
    if (parsed == 0 || list.command_count != 1 || list.commands[0].redirection_count != 0) {
        if (parsed > 0)
            free_pipeline(&list);
        if (parsed > 0) {
            syntax_error("for NAME in takes words only");
            return NULL;
        }
        return calloc(1, sizeof(char*));
    }
    char** words = list.commands[0].words; /* taken over from the pipeline */
    list.commands[0].words = NULL;
    list.commands[0].word_count = 0;
    free_pipeline(&list);
    return words;
}

static int run_for(const char* after_for, const struct mark* marks, int count) {
    if (count != 2 || !mark_is(&marks[0], "do") || !mark_is(&marks[1], "done"))
        return syntax_error("for without do or done");
    struct token name;
    const char* p = next_token(after_for, &name);
    int valid = name.kind == TOKEN_WORD && name.length > 0 && name.length < 64 &&
                !isdigit((unsigned char)name.start[0]);
    for (size_t i = 0; valid && i < name.length; ++i)
        valid = isalnum((unsigned char)name.start[i]) || name.start[i] == '_';
    if (!valid)
        return syntax_error("for needs a variable name");
    char variable[64];
    memcpy(variable, name.start, name.length);
    variable[name.length] = '\0';
    char** words = for_words(p, marks[0].start);
    if (!words)
        return -1;
    int status = 0, result = 0;
    ++loop_depth;
    for (char** w = words; *w && !interrupted; ++w) {
        setenv(variable, *w, 1);
        const int goes_on = run_body(marks, &status);
        if (goes_on <= 0) {
            result = goes_on;
            break;
        }
    }
    --loop_depth;
    free_words(words);
    last_status = status;
    return result;
}

const char* compound_end(const char* text) {
    struct token opener;
    const char* p = next_token(text, &opener);
    struct mark marks[MAX_MARKS];
    const int count = scan(p, &opener, marks);
    if (count <= 0) {
        syntax_error(count == 0 ? "unfinished if, while, until or for"
                                : "fi or done does not match, or nesting too deep");
        return NULL;
    }
    return marks[count - 1].after;
}

int run_compound(const char* text) {
    struct token opener;
    const char* p = next_token(text, &opener);
    struct mark marks[MAX_MARKS];
    const int count = scan(p, &opener, marks);
    if (count <= 0)
        return syntax_error("unfinished if, while, until or for");
    if (is_word(&opener, "if"))
        return run_if(p, marks, count);
    if (is_word(&opener, "for"))
        return run_for(p, marks, count);
    return run_loop(is_word(&opener, "until"), p, marks, count);
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
