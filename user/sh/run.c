/* run.c: runs parsed lines. Every pipeline that is not a lone builtin runs
 * in its own process group; a foreground group gets the console (so Ctrl-C
 * reaches it and not the shell) and the shell takes the console back when
 * the group finishes or stops. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sh.h"

int last_status;
int interactive;
volatile int interrupted;
char** positional;
int positional_count;

/* Applies a command's redirections in this process; on failure prints
 * "sh: path: reason" and returns -1. */
static int apply_redirections(const struct command* command) {
    for (int i = 0; i < command->redirection_count; ++i) {
        const struct redirection* r = &command->redirections[i];
        if (r->kind == REDIRECT_DUP) {
            if (dup2(r->from_fd, r->fd) < 0) {
                fprintf(stderr, "sh: %d: %s\n", r->from_fd, strerror(errno));
                return -1;
            }
            continue;
        }
        int flags = r->kind == REDIRECT_IN       ? O_RDONLY
                    : r->kind == REDIRECT_APPEND ? O_WRONLY | O_CREAT | O_APPEND
                                                 : O_WRONLY | O_CREAT | O_TRUNC;
        int fd = open(r->path, flags, 0644);
        if (fd < 0) {
            fprintf(stderr, "sh: %s: %s\n", r->path, strerror(errno));
            return -1;
        }
        if (fd != r->fd) {
            dup2(fd, r->fd);
            close(fd);
        }
    }
    return 0;
}

/* In a child: back to the default signal actions the shell changed. */
static void reset_signals(void) {
    signal(SIGINT, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
    signal(SIGTSTP, SIG_DFL);
    signal(SIGTTIN, SIG_DFL);
    signal(SIGTTOU, SIG_DFL);
}

/* Sets the first count words' NAME=value assignments (all variables are
 * in the environment). */
static void assign(char** words, int count) {
    for (int i = 0; i < count; ++i) {
        char* equals = strchr(words[i], '=');
        *equals = '\0';
        setenv(words[i], equals + 1, 1);
        *equals = '=';
    }
}

/* In a child: runs a command (a builtin or a program) and never returns.
 * Assignments before the command's name are for the command only. */
static void exec_command(struct command* command) {
    if (apply_redirections(command) < 0)
        _exit(1);
    assign(command->words, command->assignments);
    char** words = command->words + command->assignments;
    if (!words[0])
        _exit(0);
    int status;
    fflush(stdout);
    if (run_builtin(words, &status)) {
        fflush(stdout);
        _exit(status);
    }
    const char* path = find_program(words[0]);
    if (!path) {
        fprintf(stderr, "sh: %s: command not found\n", words[0]);
        _exit(127);
    }
    extern char** environ;
    execve(path, words, environ);
    int error = errno;
    fprintf(stderr, "sh: %s: cannot execute: %s\n", words[0], strerror(error));
    _exit(error == ENOENT ? 127 : 126);
}

/* Whether assignments before this builtin stay (POSIX's special builtins)
 * or are for the builtin alone. */
static int is_special_builtin(const char* name) {
    static const char* const special[] = {":",      "break", "continue", "exit",
                                          "export", "set",   "shift",    "unset"};
    for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); ++i)
        if (strcmp(name, special[i]) == 0)
            return 1;
    return 0;
}

/* A command of assignments only, or assignments and a builtin, in the shell. */
static int run_here(struct command* command) {
    char** words = command->words + command->assignments;
    const int count = command->assignments;
    if (!words[0] || is_special_builtin(words[0])) {
        assign(command->words, count);
        int status = 0;
        if (words[0])
            run_builtin(words, &status);
        return status;
    }
    /* For a regular builtin the assignments hold while it runs. */
    char** saved = calloc((size_t)count, sizeof(char*));
    if (!saved) {
        fprintf(stderr, "sh: out of memory\n");
        return 1;
    }
    for (int i = 0; i < count; ++i) {
        char* equals = strchr(command->words[i], '=');
        *equals = '\0';
        const char* old = getenv(command->words[i]);
        saved[i] = old ? strdup(old) : NULL;
        *equals = '=';
    }
    assign(command->words, count);
    int status = 1;
    run_builtin(words, &status);
    for (int i = count - 1; i >= 0; --i) {
        char* equals = strchr(command->words[i], '=');
        *equals = '\0';
        if (saved[i])
            setenv(command->words[i], saved[i], 1);
        else
            unsetenv(command->words[i]);
        *equals = '=';
        free(saved[i]);
    }
    free(saved);
    return status;
}

/* Runs a builtin (or assignments) in the shell itself, its redirections
 * undone afterwards. */
/* The descriptors 0-9 that a command's redirections change, kept aside
 * (at 10 and above, close-on-exec) so that they can be put back. */
enum { NOT_SAVED = -2 };
struct saved_fds {
    int fd[10]; /* a copy of each; -1 if it was closed, NOT_SAVED if untouched */
};

static void save_fds(const struct command* command, struct saved_fds* saved) {
    for (int fd = 0; fd < 10; ++fd)
        saved->fd[fd] = NOT_SAVED;
    for (int i = 0; i < command->redirection_count; ++i) {
        int fd = command->redirections[i].fd;
        if (saved->fd[fd] == NOT_SAVED) {
            saved->fd[fd] = fcntl(fd, F_DUPFD, 10);
            if (saved->fd[fd] >= 0)
                fcntl(saved->fd[fd], F_SETFD, FD_CLOEXEC);
        }
    }
    fflush(stdout);
}

static void restore_fds(const struct saved_fds* saved) {
    fflush(stdout);
    fflush(stderr);
    for (int fd = 0; fd < 10; ++fd) {
        if (saved->fd[fd] >= 0) {
            dup2(saved->fd[fd], fd);
            close(saved->fd[fd]);
        } else if (saved->fd[fd] == -1) {
            close(fd);
        }
    }
}

static int run_builtin_here(struct command* command) {
    struct saved_fds saved;
    save_fds(command, &saved);
    int status = 1;
    if (apply_redirections(command) == 0)
        status = run_here(command);
    restore_fds(&saved);
    return status;
}

static int run_pipeline(struct pipeline* pipeline) {
    struct command* first = &pipeline->commands[0];
    /* Assignments alone set variables of the shell (and its environment);
     * a lone builtin runs in the shell too. */
    if (pipeline->command_count == 1 && !pipeline->background && first->word_count > 0 &&
        (first->assignments == first->word_count || is_builtin(first->words[first->assignments])))
        return run_builtin_here(first);

    struct job job = {.text = pipeline->text};
    int input = -1; /* the read end of the previous pipe */
    for (int i = 0; i < pipeline->command_count; ++i) {
        int fds[2] = {-1, -1};
        if (i + 1 < pipeline->command_count && pipe(fds) < 0) {
            fprintf(stderr, "sh: pipe: %s\n", strerror(errno));
            break;
        }
        fflush(stdout);
        pid_t pid = fork();
        if (pid < 0) {
            fprintf(stderr, "sh: fork: %s\n", strerror(errno));
            if (fds[0] >= 0) {
                close(fds[0]);
                close(fds[1]);
            }
            break;
        }
        if (pid == 0) {
            /* Job control only when interactive: a script's commands stay
             * in the script's group, where the terminal's signals reach them. */
            if (interactive) {
                setpgid(0, job.group);
                if (!pipeline->background)
                    tcsetpgrp(0, job.group ? job.group : getpid());
            }
            reset_signals();
            if (input >= 0) {
                dup2(input, 0);
                close(input);
            }
            if (fds[1] >= 0) {
                dup2(fds[1], 1);
                close(fds[1]);
                close(fds[0]);
            }
            exec_command(&pipeline->commands[i]);
        }
        if (!job.group)
            job.group = pid;
        if (interactive)
            setpgid(pid, job.group); /* both sides, so neither order of running races */
        job.pids[job.count++] = pid;
        if (input >= 0)
            close(input);
        if (fds[1] >= 0)
            close(fds[1]);
        input = fds[0];
    }
    if (input >= 0)
        close(input);
    if (job.count == 0)
        return 1;
    job_start(&job, pipeline->background);
    return pipeline->background ? 0 : last_status;
}

static int skipped(enum connector connector) {
    return (connector == RUN_IF_OK && last_status != 0) ||
           (connector == RUN_IF_FAILED && last_status == 0);
}

/* A compound command at the parser's position, with the redirections that
 * may follow its fi or done ("done < file"); moves the parser past it and
 * the separator after it. What follows is checked before anything runs.
 * -1 after a syntax error. */
static int run_compound_with_redirections(struct parser* parser) {
    const char* end = compound_end(parser->position);
    if (!end)
        return -1;
    const char* p = end;
    while (*p == ' ' || *p == '\t')
        ++p;
    const int redirected =
        *p == '<' || *p == '>' || (isdigit((unsigned char)p[0]) && (p[1] == '<' || p[1] == '>'));
    struct pipeline tail;
    memset(&tail, 0, sizeof(tail));
    struct parser after = {end, RUN_ALWAYS, 0};
    if (redirected) {
        /* Only redirections, then ; && || or the end. */
        const int parsed = parse_next(&after, &tail);
        if (parsed <= 0 || tail.command_count != 1 || tail.commands[0].word_count != 0 ||
            tail.background) {
            if (parsed > 0) {
                fprintf(stderr, "sh: syntax error: only redirections, then ; && or ||, "
                                "may follow fi or done\n");
                last_status = 2;
            }
            free_pipeline(&tail);
            return -1;
        }
    } else if (!(after.position = after_compound(end, &after.next))) {
        return -1;
    }
    int result = 0;
    if (!skipped(parser->next)) {
        struct saved_fds saved;
        save_fds(&tail.commands[0], &saved);
        if (apply_redirections(&tail.commands[0]) == 0)
            result = run_compound(parser->position);
        else
            last_status = 1;
        restore_fds(&saved);
    }
    free_pipeline(&tail);
    parser->position = after.position;
    parser->next = after.next;
    return result;
}

int run_line(const char* line) {
    char* text = separate_lines(line);
    if (!text) {
        fprintf(stderr, "sh: out of memory\n");
        last_status = 2;
        return -1;
    }
    struct parser parser = {text, RUN_ALWAYS, 0};
    struct pipeline pipeline;
    int result = 0;
    while (!interrupted && !break_levels && !continue_levels) {
        const char* reserved = misplaced_reserved_word(parser.position);
        if (reserved) {
            fprintf(stderr, "sh: syntax error: %s outside if, while, until or for\n", reserved);
            last_status = 2;
            result = -1;
            break;
        }
        if (starts_compound(parser.position)) {
            if (run_compound_with_redirections(&parser) < 0) {
                result = -1;
                break;
            }
            continue;
        }
        const int parsed = parse_next(&parser, &pipeline);
        if (parsed > 0 && !skipped(pipeline.connector))
            last_status = run_pipeline(&pipeline);
        free_pipeline(&pipeline);
        if (parsed < 0)
            result = -1;
        if (parsed <= 0)
            break;
    }
    free(text);
    return result;
}

int run_script(const char* path) {
    FILE* script = fopen(path, "r");
    if (!script) {
        fprintf(stderr, "sh: %s: %s\n", path, strerror(errno));
        return 127;
    }
    /* Lines are run one by one, except that an unfinished if, while, until
     * or for takes the following lines with it. A syntax error ends the
     * script (status 2), as in other shells. */
    char chunk[1024];
    char* text = NULL;
    size_t length = 0;
    int failed = 0;
    while (!failed && fgets(chunk, sizeof(chunk), script)) {
        const size_t more = strlen(chunk);
        char* grown = realloc(text, length + more + 1);
        if (!grown) {
            fprintf(stderr, "sh: out of memory\n");
            break;
        }
        text = grown;
        memcpy(text + length, chunk, more + 1);
        length += more;
        if ((more > 0 && chunk[more - 1] != '\n' && !feof(script)) || compound_is_open(text))
            continue; /* the rest of a long line, or of the command */
        failed = run_line(text) < 0;
        length = 0;
    }
    if (!failed && length > 0) /* the end came inside a compound command: its error */
        failed = run_line(text) < 0;
    free(text);
    fclose(script);
    return failed ? 2 : last_status;
}
