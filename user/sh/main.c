/* sh: Kite's shell. Interactive on the console (lines read by
 * line_editor.c, with history), or running a script:
 *   sh [script [arguments]]     sh -c 'command line' [name [arguments]]
 * The arguments are $1, $2 ...; $0 is the script (or name). */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

static void on_interrupt(int signal) {
    (void)signal;
    interrupted = 1; /* stops a loop of builtins; the typed line is dropped */
}

static void make_prompt(char* out, size_t size) {
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof(cwd)))
        strcpy(cwd, "?");
    snprintf(out, size, "%s $ ", cwd);
}

/* Reads one line from fd 0 when it is not a terminal, a byte at a time so
 * that nothing past the line is taken from a shared input; returns its
 * length, 0 at end of input, -1 if interrupted. */
static int read_line(char* text, size_t size) {
    size_t used = 0;
    while (used + 1 < size) {
        int n = read(0, text + used, 1);
        if (n < 0)
            return errno == EINTR ? -1 : 0;
        if (n == 0)
            break;
        used += (size_t)n;
        if (text[used - 1] == '\n')
            break;
    }
    text[used] = '\0';
    return (int)used;
}

int main(int argc, char** argv) {
    if (!getenv("PATH"))
        setenv("PATH", "/bin:/usr/bin", 1);
    positional = argv;
    positional_count = 1;
    if (argc >= 3 && strcmp(argv[1], "-c") == 0) {
        if (argc >= 4) {
            positional = argv + 3;
            positional_count = argc - 3;
        }
        return run_line(argv[2]) < 0 ? 2 : last_status;
    }
    if (argc >= 2) {
        positional = argv + 1;
        positional_count = argc - 1;
        return run_script(argv[1]);
    }

    interactive = isatty(0);
    if (interactive) {
        /* Keyboard signals are for the foreground job, not the shell; Ctrl-C
         * at the prompt only abandons the line being typed. */
        struct sigaction action;
        memset(&action, 0, sizeof(action));
        action.sa_handler = on_interrupt;
        sigaction(SIGINT, &action, NULL); /* no SA_RESTART: read() returns EINTR */
        signal(SIGQUIT, SIG_IGN);
        signal(SIGTSTP, SIG_IGN);
        signal(SIGTTIN, SIG_IGN);
        signal(SIGTTOU, SIG_IGN);
        setpgid(0, 0);
        tcsetpgrp(0, getpgrp());
    }
    /* A command is one line, or several when an if, while, until or for is
     * unfinished at the end of a line (then the prompt is "> "). */
    char text[1024];
    char* command = NULL;
    size_t command_length = 0;
    for (;;) {
        char prompt_text[PATH_MAX + 4];
        interrupted = 0;
        if (command) {
            strcpy(prompt_text, "> ");
        } else {
            jobs_reap();
            make_prompt(prompt_text, sizeof(prompt_text));
        }
        int length = -2;
        if (interactive) {
            length = edit_line(prompt_text, text, sizeof(text));
            if (length == -2) { /* not a terminal after all */
                printf("%s", prompt_text);
                fflush(stdout);
            }
        }
        if (length == -2)
            length = read_line(text, sizeof(text));
        if (length < 0) { /* Ctrl-C: the command being typed is dropped */
            printf("\n");
            free(command);
            command = NULL;
            command_length = 0;
            continue;
        }
        if (length == 0) { /* Ctrl-D at an empty prompt, or the end of input */
            if (command)
                run_line(command); /* reports the unfinished command */
            if (interactive)
                printf("exit\n");
            break;
        }
        if (text[length - 1] == '\n')
            text[--length] = '\0';
        if (length == 0 && !command)
            continue;
        char* grown = realloc(command, command_length + (size_t)length + 2);
        if (!grown) {
            fprintf(stderr, "sh: out of memory\n");
            continue;
        }
        command = grown;
        memcpy(command + command_length, text, (size_t)length);
        command_length += (size_t)length;
        command[command_length++] = '\n';
        command[command_length] = '\0';
        if (compound_is_open(command))
            continue;
        char* one_line = separate_lines(command); /* what history can recall */
        if (one_line) {
            size_t end = strlen(one_line); /* without the ; that ended the last line */
            while (end > 0 && (one_line[end - 1] == ';' || one_line[end - 1] == ' '))
                --end;
            one_line[end] = '\0';
            history_add(one_line);
            free(one_line);
        }
        run_line(command);
        free(command);
        command = NULL;
        command_length = 0;
    }
    free(command);
    return last_status;
}
