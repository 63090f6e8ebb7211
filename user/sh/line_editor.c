/* line_editor.c: reads one command line from the terminal with history
 * recall. While a line is typed the terminal is in non-canonical mode
 * without echo (ISIG stays on, so Ctrl-C still interrupts the read); the
 * shell echoes and edits itself and restores the terminal before running
 * anything. Keys: printable characters, Backspace, Ctrl-U (erase line),
 * Up/Down (ESC [ A / ESC [ B: older/newer history), Enter, Ctrl-D on an
 * empty line (end of input). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "sh.h"

static void redraw(const char* prompt_text, const char* line) {
    /* Carriage return, prompt, line, erase to the end of the screen line. */
    printf("\r%s%s\033[K", prompt_text, line);
    fflush(stdout);
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

    size_t length = 0;
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
            result = length ? (int)length : 0;
            break;
        }
        if (c == '\n' || c == '\r') {
            printf("\n");
            line[length++] = '\n'; /* as a canonical read: an empty line is not the end */
            line[length] = '\0';
            result = (int)length;
            break;
        }
        if (c == 4) { /* Ctrl-D */
            if (length == 0)
                break;
            continue;
        }
        if (c == 0x7f || c == 8) {
            if (length > 0) {
                line[--length] = '\0';
                printf("\b \b");
            }
        } else if (c == 0x15) { /* Ctrl-U */
            length = 0;
            line[0] = '\0';
            redraw(prompt_text, line);
        } else if (c == 0x1b) {
            char sequence[2];
            if (read(0, &sequence[0], 1) != 1 || read(0, &sequence[1], 1) != 1)
                continue;
            if (sequence[0] != '[' || (sequence[1] != 'A' && sequence[1] != 'B'))
                continue;
            int wanted = recall + (sequence[1] == 'A' ? 1 : -1);
            const char* entry = wanted > 0 ? history_entry(wanted) : "";
            if (wanted < 0 || !entry)
                continue;
            recall = wanted;
            snprintf(line, size - 1, "%s", entry); /* room for the newline Enter adds */
            length = strlen(line);
            redraw(prompt_text, line);
        } else if ((unsigned char)c >= ' ' && length + 2 < size) {
            line[length++] = c;
            line[length] = '\0';
            putchar(c);
        }
        fflush(stdout);
    }
    tcsetattr(0, TCSANOW, &saved);
    return result;
}
