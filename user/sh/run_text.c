/* run_text.c: running text the shell reads (sh -c, eval, ., traps, a
 * script) and $(...), which runs text in a forked subshell. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec_private.h"
#include "parser.h"
#include "shell.h"

/* Command by command, each tree freed before the next is parsed. */
int run_text(const char* text, const char* name, int first_line) {
    struct parser parser;
    parser_init(&parser, text, name, first_line);
    int status = 0; /* an empty text's; $? stays what it was while the text runs */
    for (;;) {
        struct node* command = NULL;
        enum parse_result result = parse_command(&parser, &command);
        if (result == PARSE_END)
            break;
        if (result != PARSE_COMMAND) {
            status = last_status = 2;
            if (!options.interactive || in_subshell)
                shell_exit(2);
            break;
        }
        status = run_node(command);
        tree_free(command);
        if (traps_pending)
            run_pending_traps();
        if (pending_flow != FLOW_NONE || interrupted)
            break;
    }
    return status;
}

unsigned substitutions_run;

char* command_output(const char* text) {
    ++substitutions_run;
    int fds[2];
    if (pipe(fds) < 0)
        return NULL;
    pid_t pid = fork_child();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return NULL;
    }
    if (pid == 0) {
        signals_default_for_job(); /* in the shell's group, but not the shell */
        close(fds[0]);
        if (fds[1] != 1) {
            dup2(fds[1], 1);
            close(fds[1]);
        }
        shell_exit(run_text(text, error_name, current_line));
    }
    close(fds[1]);
    struct strbuf out = {0};
    char buffer[4096];
    for (;;) {
        ssize_t n = read(fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        /* A NUL cannot be in a C string: dropped, as dash does, rather
         * than ending the output there. */
        const char *p = buffer, *end = buffer + n;
        while (p < end) {
            const char* nul = memchr(p, '\0', (size_t)(end - p));
            const char* stop = nul ? nul : end;
            sb_addn(&out, p, (size_t)(stop - p));
            p = nul ? nul + 1 : end;
        }
    }
    close(fds[0]);
    last_status = wait_status(pid);
    return sb_take(&out);
}
