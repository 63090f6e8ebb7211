/* main.c: sh [-c text [name [args]]] [-eux... options] [script [args]].
 * A script is read whole and checked for syntax errors before any of it
 * runs; an interactive shell reads lines with prompts. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtins.h"
#include "exec_private.h"
#include "expand.h"
#include "parser.h"
#include "shell.h"
#include "vars.h"

extern char** environ;

/* Sets an option by its letter; 0 if it is one (-s, read commands from
 * standard input, is what the shell does without a script anyway). */
static int set_option(char letter, int on) {
    int* flag = letter == 'i' ? &options.interactive : option_flag(letter);
    if (flag)
        *flag = on;
    return flag || letter == 's' ? 0 : -1;
}

static char* read_all(FILE* file) {
    struct strbuf text = {0};
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, file)) > 0)
        sb_addn(&text, buffer, n);
    return sb_take(&text);
}

/* Checks, then runs, a whole text. */
static int run_script(char* text, const char* name) {
    if (parse_check(text, name, 1) < 0)
        return 2;
    return run_text(text, name, 1);
}

/* Reads a line into out with prompt; 0 at end of input. */
static int read_line(const char* prompt, struct strbuf* out) {
    char line[4096];
    int length = isatty(0) ? edit_line(prompt, line, sizeof line) : -2;
    if (length == -1)
        return -1;
    if (length == -2) {
        fputs(prompt, stderr);
        fflush(stderr);
        if (!fgets(line, sizeof line, stdin))
            return 0;
        length = (int)strlen(line);
    }
    if (length > 0)
        sb_addn(out, line, (size_t)length);
    return length;
}

/* A prompt variable after parameter, command and arithmetic expansion
 * (POSIX 2.5.3: PS1 is expanded). */
static char* prompt(const char* name) {
    const char* value = var_get(name);
    char* text = expand_heredoc(value ? value : "");
    return text ? text : xstrdup("");
}

/* Reads a line with the prompt variable name's prompt. */
static int read_prompted(const char* name, struct strbuf* out) {
    char* text = prompt(name);
    int length = read_line(text, out);
    free(text);
    return length;
}

/* The interactive loop: PS1, then PS2 while the command is incomplete.
 * Ctrl-C while a line is typed drops it; while a command runs, it ends the
 * command (the executor stops at `interrupted`), and the loop goes on. */
static void interactive_loop(void) {
    for (;;) {
        jobs_notify();
        interrupted = 0;
        struct strbuf text = {0};
        int length = read_prompted("PS1", &text);
        if (length < 0 || interrupted) {
            fputc('\n', stderr);
            sb_free(&text);
            continue;
        }
        if (length == 0 && text.length == 0) { /* Ctrl-D: end the prompt's line */
            fputc('\n', stderr);
            sb_free(&text);
            break;
        }
        struct node* command = NULL;
        for (;;) {
            if (!text.data)
                break;
            struct parser parser;
            parser_init(&parser, text.data, "sh", 1);
            parser.allow_incomplete = 1;
            parser.expand_aliases = 1;
            enum parse_result result = parse_command(&parser, &command);
            if (result != PARSE_INCOMPLETE)
                break;
            if (read_prompted("PS2", &text) <= 0 || interrupted)
                break;
        }
        if (text.data && text.length > 1) {
            char* line = xstrndup(text.data, text.length - 1);
            history_add(line);
            free(line);
        }
        tree_free(command);
        if (interrupted) {
            fputc('\n', stderr);
        } else if (text.data) {
            char* whole = sb_take(&text);
            run_text(whole, "sh", 1);
            free(whole);
        }
        sb_free(&text);
        if (traps_pending)
            run_pending_traps();
        if (interrupted)
            last_status = 130;
    }
}

int main(int argc, char** argv) {
    shell_pid = getpid();
    arg0 = argv[0] ? argv[0] : "sh";
    vars_init(environ);
    cwd_init();
    int i = 1;
    const char* command_text = NULL;
    int use_c = 0;
    for (; i < argc && (argv[i][0] == '-' || argv[i][0] == '+') && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        int on = argv[i][0] == '-';
        for (const char* p = argv[i] + 1; *p; p++) {
            if (*p == 'c') {
                use_c = 1;
            } else if (set_option(*p, on) < 0) {
                fprintf(stderr, "sh: 0: Illegal option -%c\n", *p);
                return 2;
            }
        }
    }
    int status;
    if (use_c) {
        if (i >= argc) {
            fprintf(stderr, "sh: 0: -c requires an argument\n");
            return 2;
        }
        command_text = argv[i++];
        if (i < argc)
            error_name = arg0 = argv[i++]; /* dash: "name: 1: ..." */
        params_set(argv + i, argc - i);
        char* text = xstrdup(command_text);
        status = run_script(text, error_name);
        free(text);
    } else if (i < argc) {
        arg0 = argv[i];
        error_name = argv[i];
        FILE* file = fopen(argv[i], "r");
        if (!file) {
            fprintf(stderr, "sh: 0: cannot open %s: No such file\n", argv[i]);
            return 2;
        }
        char* text = read_all(file);
        fclose(file);
        params_set(argv + i + 1, argc - i - 1);
        status = run_script(text, argv[i]);
        free(text);
    } else {
        params_set(argv + i, argc - i);
        if (isatty(0) && isatty(2))
            options.interactive = 1;
        if (options.interactive) {
            options.monitor = 1;
            if (!getenv("PS1"))
                var_set("PS1", "$PWD $ ", 0); /* Kite's prompt: the directory */
            traps_init();
            jobs_init();
            interactive_loop();
            status = last_status;
        } else {
            char* text = read_all(stdin);
            status = run_script(text, "sh");
            free(text);
        }
    }
    shell_exit(status);
}
