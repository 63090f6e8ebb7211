/* parse.c: shell text to pipelines, one at a time, so that $? in a
 * later pipeline sees the status of the one before it. Quoting and expansion
 * happen while a word is read, as in the POSIX shell's token recognition:
 *   'single'  literal;  "double"  with $ and \ ($ \ " ` are escapable);
 *   \c  c literally;  $NAME ${NAME} $? $$ $0..$9 ${10} $# $* $@  expanded
 *   (no field splitting: a value stays one word, except that a word that
 *   is just $@ or "$@" becomes one word per argument);  # at the start of a word: comment;
 *   an unquoted * ? or [ makes the word a pattern for pathname expansion
 *   (glob.c; not in redirections, and not in a variable's value).
 * Operators: | ; & && || < > >> 2> 2>&1 (and n> n>> n< n>&m for n in 0..9). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

struct buffer {
    char* data;
    size_t length, capacity;
};

static void put(struct buffer* b, char c) {
    if (b->length + 1 >= b->capacity) {
        b->capacity = b->capacity ? b->capacity * 2 : 32;
        b->data = realloc(b->data, b->capacity);
        if (!b->data) {
            fprintf(stderr, "sh: out of memory\n");
            exit(2);
        }
    }
    b->data[b->length++] = c;
    b->data[b->length] = '\0';
}

static void put_string(struct buffer* b, const char* s) {
    while (*s)
        put(b, *s++);
}

/* A word as it is read: its text with quotes removed, and the same text
 * as a glob pattern, where quoted characters are escaped with '\\'. */
struct word {
    struct buffer text, pattern;
    int glob; /* an unquoted * ? or [ was seen */
    /* NAME=...: a name of unquoted, literal characters, then an unquoted =
     * (not_assignment is set as soon as that cannot be). */
    int not_assignment, equals_seen;
};

static void put_char(struct word* w, char c, int quoted) {
    if (!w->equals_seen && !w->not_assignment) {
        if (!quoted && c == '=' && w->text.length > 0 && !isdigit((unsigned char)w->text.data[0]))
            w->equals_seen = 1;
        else if (quoted || !(isalnum((unsigned char)c) || c == '_'))
            w->not_assignment = 1;
    }
    put(&w->text, c);
    if (quoted && strchr("*?[]\\!^-", c)) /* ! ^ - matter inside [...] */
        put(&w->pattern, '\\');
    put(&w->pattern, c);
    if (!quoted && strchr("*?[", c))
        w->glob = 1;
}

/* Expands the $ at *p (p points after the $); returns the new position. */
static const char* expand_into(const char* p, struct buffer* out) {
    char name[64];
    size_t n = 0;
    if (*p == '?' || *p == '$' || *p == '#') {
        char number[16];
        snprintf(number, sizeof(number), "%d",
                 *p == '?'   ? last_status
                 : *p == '$' ? (int)getpid()
                             : positional_count - 1);
        put_string(out, number);
        return p + 1;
    }
    if (*p == '*' || *p == '@') { /* the arguments, joined by spaces */
        for (int i = 1; i < positional_count; ++i) {
            if (i > 1)
                put(out, ' ');
            put_string(out, positional[i]);
        }
        return p + 1;
    }
    if (isdigit((unsigned char)*p)) { /* $0 .. $9 */
        int index = *p - '0';
        if (index < positional_count)
            put_string(out, positional[index]);
        return p + 1;
    }
    if (*p == '{') {
        const char* close = strchr(p, '}');
        if (!close || close - p - 1 >= (long)sizeof(name)) {
            put(out, '$');
            return p;
        }
        memcpy(name, p + 1, (size_t)(close - p - 1));
        name[close - p - 1] = '\0';
        if (name[0] && !name[1] && strchr("?$#*@", name[0])) { /* ${#} is $# */
            expand_into(name, out);
            return close + 1;
        }
        p = close + 1;
    } else {
        while ((isalnum((unsigned char)*p) || *p == '_') && n < sizeof(name) - 1)
            name[n++] = *p++;
        name[n] = '\0';
        if (n == 0) { /* a lone $ is literal */
            put(out, '$');
            return p;
        }
    }
    char* end;
    long index = strtol(name, &end, 10);
    if (isdigit((unsigned char)name[0]) && *end == '\0') { /* ${10} */
        if (index < positional_count)
            put_string(out, positional[index]);
        return p;
    }
    const char* value = getenv(name);
    if (value)
        put_string(out, value);
    return p;
}

/* A variable's value is literal text: no pattern characters in it. */
static const char* expand(const char* p, struct word* out) {
    struct buffer value = {0};
    p = expand_into(p, &value);
    for (size_t i = 0; i < value.length; ++i)
        put_char(out, value.data[i], 1);
    free(value.data);
    return p;
}

static int is_operator_start(char c) {
    return c == '|' || c == ';' || c == '&' || c == '<' || c == '>';
}

/* Reads one word at *p into out; returns 0 on success, -1 on an
 * unterminated quote. Sets *any to 1 if the word is non-empty or quoted. */
static int read_word(const char** position, struct word* out, int* any) {
    const char* p = *position;
    while (*p && !isspace((unsigned char)*p) && !is_operator_start(*p)) {
        *any = 1;
        if (*p == '\\') {
            if (p[1])
                put_char(out, p[1], 1), p += 2;
            else
                ++p;
        } else if (*p == '\'') {
            const char* close = strchr(p + 1, '\'');
            if (!close)
                return -1;
            for (++p; p < close; ++p)
                put_char(out, *p, 1);
            ++p;
        } else if (*p == '"') {
            ++p;
            while (*p && *p != '"') {
                if (*p == '\\' && p[1] && strchr("$\\\"`", p[1]))
                    put_char(out, p[1], 1), p += 2;
                else if (*p == '$')
                    p = expand(p + 1, out);
                else
                    put_char(out, *p++, 1);
            }
            if (*p != '"')
                return -1;
            ++p;
        } else if (*p == '$') {
            p = expand(p + 1, out);
        } else {
            put_char(out, *p++, 0);
        }
    }
    *position = p;
    return 0;
}

static int syntax_error(const char* what) {
    fprintf(stderr, "sh: syntax error: %s\n", what);
    last_status = 2;
    return -1;
}

/* Appends a word (NULL: only makes sure argv exists) to the command's
 * NULL-terminated argv. */
static void add_word(void* context, char* word) {
    struct command* command = context;
    if (command->word_count + 2 > command->word_capacity) {
        int capacity = command->word_capacity ? command->word_capacity * 2 : 8;
        char** grown = realloc(command->words, (size_t)capacity * sizeof(char*));
        if (!grown) {
            fprintf(stderr, "sh: out of memory\n");
            exit(2);
        }
        command->words = grown;
        command->word_capacity = capacity;
    }
    if (word)
        command->words[command->word_count++] = word;
    command->words[command->word_count] = NULL;
}

int parse_next(struct parser* parser, struct pipeline* pipeline) {
    memset(pipeline, 0, sizeof(*pipeline));
    const char* p = parser->position;
    while (isspace((unsigned char)*p))
        ++p;
    if (*p == '\0' || *p == '#') {
        if (parser->next != RUN_ALWAYS)
            return syntax_error("a command must follow && or ||");
        return 0;
    }
    struct command* command = &pipeline->commands[0];
    const char* pipeline_start = p;
    const char* pipeline_end = NULL;
    pipeline->command_count = 1;
    /* A command whose only word was "$@" with no arguments runs as ":". */
    int vanished = 0;
    pipeline->connector = parser->next;
    parser->next = RUN_ALWAYS;

    for (;;) {
        while (isspace((unsigned char)*p))
            ++p;
        if (*p == '\0' || *p == '#') {
            pipeline_end = p;
            break;
        }

        /* Redirections: an optional digit, then < > >> >&n */
        int fd = -1;
        if (isdigit((unsigned char)p[0]) && (p[1] == '<' || p[1] == '>'))
            fd = *p++ - '0';
        if (*p == '<' || *p == '>') {
            if (command->redirection_count == MAX_REDIRECTIONS)
                return syntax_error("too many redirections");
            struct redirection* r = &command->redirections[command->redirection_count++];
            r->kind = *p == '<' ? REDIRECT_IN : REDIRECT_OUT;
            r->fd = fd >= 0 ? fd : (*p == '<' ? 0 : 1);
            ++p;
            if (r->kind == REDIRECT_OUT && *p == '>')
                r->kind = REDIRECT_APPEND, ++p;
            if (r->kind == REDIRECT_OUT && *p == '&' && isdigit((unsigned char)p[1])) {
                r->kind = REDIRECT_DUP;
                r->from_fd = p[1] - '0';
                p += 2;
                continue;
            }
            while (*p == ' ' || *p == '\t')
                ++p;
            struct word word = {0};
            int any = 0;
            int read = read_word(&p, &word, &any);
            free(word.pattern.data);
            if (read < 0)
                return free(word.text.data), syntax_error("unterminated quote");
            if (!any)
                return free(word.text.data), syntax_error("a redirection needs a file name");
            r->path = word.text.data ? word.text.data : strdup("");
            continue;
        }

        if (*p == '|' && p[1] != '|') {
            if (command->word_count == 0 && vanished)
                add_word(command, strdup(":"));
            vanished = 0;
            if (command->word_count == 0)
                return syntax_error("empty command before |");
            if (pipeline->command_count == MAX_COMMANDS)
                return syntax_error("pipeline too long");
            command = &pipeline->commands[pipeline->command_count++];
            ++p;
            continue;
        }
        if (*p == ';' || *p == '&' || *p == '|') {
            pipeline_end = p;
            if (p[0] == '&' && p[1] == '&')
                parser->next = RUN_IF_OK, p += 2;
            else if (p[0] == '|' && p[1] == '|')
                parser->next = RUN_IF_FAILED, p += 2;
            else if (*p == '&')
                pipeline->background = 1, ++p;
            else
                ++p;
            break;
        }

        /* "$@" and $@ alone: each argument is a word of its own. */
        size_t at_length = strncmp(p, "\"$@\"", 4) == 0 ? 4 : strncmp(p, "$@", 2) == 0 ? 2 : 0;
        if (at_length && (!p[at_length] || isspace((unsigned char)p[at_length]) ||
                          is_operator_start(p[at_length]))) {
            for (int i = 1; i < positional_count; ++i)
                add_word(command, strdup(positional[i]));
            vanished = vanished || positional_count == 1;
            p += at_length;
            continue;
        }
        struct word word = {0};
        int any = 0;
        int read = read_word(&p, &word, &any);
        /* Assignments lead the command and are not patterns. */
        const int assignment = word.equals_seen && command->word_count == command->assignments;
        if (read == 0 && any && assignment) {
            add_word(command, word.text.data);
            ++command->assignments;
        } else if (read == 0 && any && word.glob &&
                   glob_expand(word.pattern.data, add_word, command) > 0) {
            free(word.text.data);
        } else if (read == 0 && any) {
            add_word(command, word.text.data ? word.text.data : strdup(""));
        } else {
            free(word.text.data);
        }
        free(word.pattern.data);
        if (read < 0)
            return syntax_error("unterminated quote");
    }
    for (int c = 0; c < pipeline->command_count; ++c)
        if (!pipeline->commands[c].words)
            add_word(&pipeline->commands[c], NULL); /* argv is never NULL itself */
    if (command->word_count == 0 && command->redirection_count == 0 && vanished &&
        !parser->word_list)
        add_word(command, strdup(":"));
    if (command->word_count == 0 && command->redirection_count == 0 && !parser->word_list)
        return syntax_error(pipeline->command_count > 1 ? "empty command after |"
                                                        : "empty command");
    while (pipeline_end > pipeline_start && isspace((unsigned char)pipeline_end[-1]))
        --pipeline_end;
    pipeline->text = strndup(pipeline_start, (size_t)(pipeline_end - pipeline_start));
    parser->position = p;
    return 1;
}

void free_pipeline(struct pipeline* pipeline) {
    free(pipeline->text);
    for (int c = 0; c < pipeline->command_count; ++c) {
        struct command* command = &pipeline->commands[c];
        for (int w = 0; w < command->word_count; ++w)
            free(command->words[w]);
        free(command->words);
        for (int r = 0; r < command->redirection_count; ++r)
            free(command->redirections[r].path);
    }
    memset(pipeline, 0, sizeof(*pipeline));
}
