/* line_editor.c: reads one command line from the terminal. While a line
 * is typed the terminal is in non-canonical mode without echo (ISIG stays
 * on, so Ctrl-C still interrupts the read); the editor echoes and redraws
 * itself, and restores the terminal before anything runs.
 * Keys: printable characters insert at the cursor; Backspace and Delete;
 * Left/Right, Home/End and Ctrl-A/Ctrl-E move; Ctrl-W erases the word
 * before the cursor, Ctrl-K to the end, Ctrl-U the whole line; Up/Down
 * recall history; Tab completes (completion.c); Enter; Ctrl-D on an empty
 * line is the end of input. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "builtins.h"
#include "completion.h"

/* The line being edited. Invariant: cursor <= length < size - 1 (room for
 * the newline Enter adds and the NUL). */
struct edit {
    const char* prompt;
    char* line;
    size_t size, length, cursor;
};

/* Draws the prompt and the whole line, then puts the cursor back where it is. */
static void redraw(const struct edit* edit) {
    printf("\r%s%s\033[K", edit->prompt, edit->line);
    if (edit->length > edit->cursor)
        printf("\033[%zuD", edit->length - edit->cursor);
}

static void insert(struct edit* edit, const char* text, size_t count) {
    if (edit->length + count + 2 > edit->size)
        count = edit->size - 2 - edit->length;
    memmove(edit->line + edit->cursor + count, edit->line + edit->cursor,
            edit->length - edit->cursor + 1);
    memcpy(edit->line + edit->cursor, text, count);
    edit->length += count;
    edit->cursor += count;
}

/* Removes the count characters before the cursor. */
static void erase_before(struct edit* edit, size_t count) {
    memmove(edit->line + edit->cursor - count, edit->line + edit->cursor,
            edit->length - edit->cursor + 1);
    edit->cursor -= count;
    edit->length -= count;
}

static int is_separator(char c) {
    return c == ' ' || c == '\t' || c == ';' || c == '|' || c == '&' || c == '(';
}

/* Tab: completes the word before the cursor to the candidates' common
 * prefix; when that adds nothing and there are several, lists them. */
static void complete(struct edit* edit) {
    size_t start = edit->cursor;
    while (start > 0 && !is_separator(edit->line[start - 1]))
        --start;
    size_t before = start;
    while (before > 0 && (edit->line[before - 1] == ' ' || edit->line[before - 1] == '\t'))
        --before;
    int command_position = before == 0 || strchr(";|&(", edit->line[before - 1]) != NULL;
    const char* word = edit->line + start;
    size_t length = edit->cursor - start;
    struct strlist candidates = {0};
    complete_word(word, length, command_position, &candidates);
    if (candidates.count == 0) {
        sl_free(&candidates);
        return;
    }
    /* What is typed of the last path component is replaced by the candidates'. */
    size_t typed = length;
    for (size_t i = 0; i < length; ++i)
        if (word[i] == '/')
            typed = length - i - 1;
    size_t common = strlen(candidates.items[0]);
    for (int i = 1; i < candidates.count; ++i) {
        size_t same = 0;
        while (same < common && candidates.items[i][same] == candidates.items[0][same])
            ++same;
        common = same;
    }
    if (common > typed) {
        insert(edit, candidates.items[0] + typed, common - typed);
        size_t end = strlen(candidates.items[0]);
        if (candidates.count == 1 && candidates.items[0][end - 1] != '/')
            insert(edit, " ", 1);
    } else if (candidates.count > 1) {
        printf("\n");
        for (int i = 0; i < candidates.count; ++i)
            printf("%s%s", i ? "  " : "", candidates.items[i]);
        printf("\n");
    }
    sl_free(&candidates);
    redraw(edit);
}

/* An escape sequence: arrows, Home, End, Delete (ESC [ x, ESC O x, ESC [ n ~).
 * *recall is how far back in history the line comes from. */
static void escape(struct edit* edit, int* recall) {
    char kind, key;
    if (read(0, &kind, 1) != 1 || (kind != '[' && kind != 'O') || read(0, &key, 1) != 1)
        return;
    if (key >= '0' && key <= '9') {
        char tilde;
        if (read(0, &tilde, 1) != 1 || tilde != '~')
            return;
        key = key == '1' || key == '7'   ? 'H'
              : key == '4' || key == '8' ? 'F'
              : key == '3'               ? '3'
                                         : 0;
    }
    if (key == 'A' || key == 'B') {
        int wanted = *recall + (key == 'A' ? 1 : -1);
        const char* entry = wanted > 0 ? history_entry(wanted) : "";
        if (wanted < 0 || !entry)
            return;
        *recall = wanted;
        snprintf(edit->line, edit->size - 1, "%s", entry);
        edit->length = edit->cursor = strlen(edit->line);
    } else if (key == 'C' && edit->cursor < edit->length) {
        ++edit->cursor;
    } else if (key == 'D' && edit->cursor > 0) {
        --edit->cursor;
    } else if (key == 'H') {
        edit->cursor = 0;
    } else if (key == 'F') {
        edit->cursor = edit->length;
    } else if (key == '3' && edit->cursor < edit->length) {
        ++edit->cursor;
        erase_before(edit, 1);
    }
    redraw(edit);
}

int edit_line(const char* prompt_text, char* line, size_t size) {
    struct termios saved, raw;
    if (tcgetattr(0, &saved) < 0)
        return -2; /* not a terminal: the caller reads plainly */
    raw = saved;
    raw.c_lflag &= ~(ICANON | ECHO);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    tcsetattr(0, TCSANOW, &raw);

    struct edit edit = {prompt_text, line, size, 0, 0};
    int recall = 0; /* how many entries back in history; 0 is the line being typed */
    int result = 0;
    line[0] = '\0';
    printf("%s", prompt_text);
    fflush(stdout);
    for (;;) {
        char c;
        int n = read(0, &c, 1);
        if (n < 0 && errno == EINTR) {
            result = -1;
            break;
        }
        if (n <= 0) {
            result = (int)edit.length;
            break;
        }
        if (c == '\n' || c == '\r') {
            edit.cursor = edit.length;
            redraw(&edit);
            printf("\n");
            line[edit.length++] = '\n'; /* as a canonical read: an empty line is not the end */
            line[edit.length] = '\0';
            result = (int)edit.length;
            break;
        }
        if (c == 4 && edit.length == 0) /* Ctrl-D */
            break;
        if ((c == 0x7f || c == 8) && edit.cursor > 0) {
            erase_before(&edit, 1);
            redraw(&edit);
        } else if (c == 0x15) { /* Ctrl-U */
            edit.length = edit.cursor = 0;
            line[0] = '\0';
            redraw(&edit);
        } else if (c == 0x0b) { /* Ctrl-K */
            edit.length = edit.cursor;
            line[edit.length] = '\0';
            redraw(&edit);
        } else if (c == 0x17) { /* Ctrl-W: the blanks, then the word, before the cursor */
            size_t start = edit.cursor;
            while (start > 0 && line[start - 1] == ' ')
                --start;
            while (start > 0 && line[start - 1] != ' ')
                --start;
            erase_before(&edit, edit.cursor - start);
            redraw(&edit);
        } else if (c == 0x01) { /* Ctrl-A */
            edit.cursor = 0;
            redraw(&edit);
        } else if (c == 0x05) { /* Ctrl-E */
            edit.cursor = edit.length;
            redraw(&edit);
        } else if (c == '\t') {
            complete(&edit);
        } else if (c == 0x1b) {
            escape(&edit, &recall);
        } else if ((unsigned char)c >= ' ') {
            int at_end = edit.cursor == edit.length;
            insert(&edit, &c, 1);
            if (at_end)
                putchar(c);
            else
                redraw(&edit);
        }
        fflush(stdout);
    }
    tcsetattr(0, TCSANOW, &saved);
    return result;
}
