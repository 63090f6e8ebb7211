/* builtin_read.c: read [-r] [-p prompt] NAME... as dash has it. A line is
 * read from fd 0 one byte at a time, so that nothing after its newline is
 * taken from the commands that read the rest; then it is split at IFS
 * characters as in field splitting, the last NAME taking what remains. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtins.h"
#include "exec_private.h"
#include "parser.h"
#include "shell.h"
#include "util.h"
#include "vars.h"

/* The line read: its bytes, and for each whether a backslash quoted it
 * (a quoted byte never delimits and is never trimmed). */
struct line {
    struct strbuf text, quoted;
    const char* ifs;
};

static void add_byte(struct line* line, char c, int quoted) {
    sb_addc(&line->text, c);
    sb_addc(&line->quoted, (char)quoted);
}

/* Reads up to a newline (dropped) or the end of input; 1 at the end of
 * input, a read error or a trapped signal, 0 after a newline. NULs are dropped as dash does.
 * Unless raw, a backslash quotes the next byte and backslash-newline
 * joins lines. */
static int read_line(struct line* line, int raw) {
    int escaped = 0;
    for (;;) {
        char c;
        ssize_t got = read(0, &c, 1);
        /* A signal with a trap ends the read, as in dash (the executor
         * runs the trap next); any other interruption does not. */
        if (got < 0 && errno == EINTR && !traps_pending)
            continue;
        if (got <= 0)
            return 1;
        if (c == '\0')
            continue;
        if (escaped) {
            escaped = 0;
            if (c != '\n')
                add_byte(line, c, 1);
        } else if (c == '\\' && !raw) {
            escaped = 1;
        } else if (c == '\n') {
            return 0;
        } else {
            add_byte(line, c, 0);
        }
    }
}

static int is_ifs(const struct line* line, size_t i) {
    char c = line->text.data[i];
    return !line->quoted.data[i] && strchr(line->ifs, c) != NULL;
}

/* IFS white space: space, tab or newline that IFS holds. */
static int is_ifs_space(const struct line* line, size_t i) {
    char c = line->text.data[i];
    return (c == ' ' || c == '\t' || c == '\n') && is_ifs(line, i);
}

static size_t skip_spaces(const struct line* line, size_t i) {
    while (i < line->text.length && is_ifs_space(line, i))
        i++;
    return i;
}

/* Past one delimiter at i: IFS white space, at most one other IFS
 * character, and the white space after it. */
static size_t skip_delimiter(const struct line* line, size_t i) {
    i = skip_spaces(line, i);
    if (i < line->text.length && is_ifs(line, i) && !is_ifs_space(line, i))
        i = skip_spaces(line, i + 1);
    return i;
}

static size_t field_end(const struct line* line, size_t i) {
    while (i < line->text.length && !is_ifs(line, i))
        i++;
    return i;
}

/* What the last name gets from i: the rest less trailing IFS white space.
 * But when only one field is left, it alone (so "a:b:" gives b, while
 * "a:b::" gives b::); and dash counts the remainder after the first field
 * and its delimiter as nothing when it holds only quoted bytes and IFS
 * white space (so x:\: gives x, and x \a \b gives x). */
static size_t rest_end(const struct line* line, size_t i) {
    size_t end = line->text.length;
    while (end > i && is_ifs_space(line, end - 1))
        end--;
    size_t field = field_end(line, i);
    for (size_t j = skip_delimiter(line, field); j < end; j++)
        if (!line->quoted.data[j] && !is_ifs_space(line, j))
            return end;
    return field;
}

static int assign(const char* name, const char* value, size_t length) {
    if (!is_name(name, strlen(name))) {
        sh_error("read: %s: bad variable name", name);
        return -1;
    }
    int flags = var_flags(name);
    if (flags >= 0 && (flags & VAR_READONLY)) {
        sh_error("read: %s: is read only", name);
        return -1;
    }
    char* copy = xstrndup(value, length);
    int result = var_set(name, copy, 0);
    free(copy);
    return result;
}

/* Gives each name its field; names past the fields get "". */
static int split_into(struct line* line, char** names) {
    const char* text = line->text.data ? line->text.data : "";
    size_t i = skip_spaces(line, 0);
    for (; *names; names++) {
        size_t end = names[1] ? field_end(line, i) : rest_end(line, i);
        if (assign(*names, text + i, end - i) < 0)
            return 2;
        i = names[1] ? skip_delimiter(line, end) : end;
    }
    return 0;
}

int builtin_read(int argc, char** argv) {
    int raw = 0, i = 1;
    const char* prompt = NULL;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        for (const char* letter = argv[i] + 1; *letter; letter++) {
            if (*letter == 'r') {
                raw = 1;
            } else if (*letter == 'p') {
                /* The prompt is the rest of this word, or the next word. */
                if (letter[1]) {
                    prompt = letter + 1;
                } else if (i + 1 < argc) {
                    prompt = argv[++i];
                } else {
                    sh_error("read: No arg for -p option");
                    return 2;
                }
                break;
            } else {
                sh_error("read: Illegal option -%c", *letter);
                return 2;
            }
        }
    }
    if (i >= argc) {
        sh_error("read: arg count");
        return 2;
    }
    if (prompt && isatty(0)) {
        fputs(prompt, stderr);
        fflush(stderr);
    }
    struct line line = {{0}, {0}, var_get("IFS")};
    if (!line.ifs)
        line.ifs = " \t\n";
    traps_interrupt_calls(1); /* a trapped signal must end the read(2) */
    int status = read_line(&line, raw);
    traps_interrupt_calls(0);
    int split_status = split_into(&line, argv + i);
    sb_free(&line.text);
    sb_free(&line.quoted);
    return split_status ? split_status : status;
}
