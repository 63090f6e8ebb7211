/* run.c: runs parsed lines. Every pipeline that is not a lone builtin runs
 * in its own process group; a foreground group gets the console (so Ctrl-C
 * reaches it and not the shell) and the shell takes the console back when
 * the group finishes or stops. */
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

/* Applies a command's redirections in this process; on failure prints
 * "sh: path: reason" and returns -1. */
static int apply_redirections(const struct command* command) {
    for (int i = 0; i < command->redirection_count; ++i) {
        const struct redirection* r = &command->redirections[i];
        int fd;
        if (r->kind == REDIRECT_DUP) {
            fd = dup(r->from_fd);
            if (fd < 0) {
                fprintf(stderr, "sh: %d: %s\n", r->from_fd, strerror(errno));
                return -1;
            }
        } else {
            int flags = r->kind == REDIRECT_IN       ? O_RDONLY
                        : r->kind == REDIRECT_APPEND ? O_WRONLY | O_CREAT | O_APPEND
                                                     : O_WRONLY | O_CREAT | O_TRUNC;
            fd = open(r->path, flags, 0644);
            if (fd < 0) {
                fprintf(stderr, "sh: %s: %s\n", r->path, strerror(errno));
                return -1;
            }
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

/* In a child: runs a command (a builtin or a program) and never returns. */
static void exec_command(struct command* command) {
    if (apply_redirections(command) < 0)
        _exit(1);
    if (command->word_count == 0)
        _exit(0);
    int status;
    fflush(stdout);
    if (run_builtin(command->words, &status)) {
        fflush(stdout);
        _exit(status);
    }
    const char* path = find_program(command->words[0]);
    if (!path) {
        fprintf(stderr, "sh: %s: command not found\n", command->words[0]);
        _exit(127);
    }
    extern char** environ;
    execve(path, command->words, environ);
    int error = errno;
    fprintf(stderr, "sh: %s: cannot execute: %s\n", command->words[0], strerror(error));
    _exit(error == ENOENT ? 127 : 126);
}

/* Runs a builtin in the shell itself, its redirections undone afterwards. */
static int run_builtin_here(struct command* command) {
    int saved[3];
    for (int fd = 0; fd < 3; ++fd)
        saved[fd] = dup(fd);
    int status = 1;
    fflush(stdout);
    if (apply_redirections(command) == 0)
        run_builtin(command->words, &status);
    fflush(stdout);
    fflush(stderr);
    for (int fd = 0; fd < 3; ++fd) {
        if (saved[fd] >= 0) {
            dup2(saved[fd], fd);
            close(saved[fd]);
        }
    }
    return status;
}

static int run_pipeline(struct pipeline* pipeline) {
    struct command* first = &pipeline->commands[0];
    if (pipeline->command_count == 1 && !pipeline->background && first->word_count > 0 &&
        is_builtin(first->words[0]))
        return run_builtin_here(first);

    pid_t group = 0;
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
            break;
        }
        if (pid == 0) {
            setpgid(0, group);
            if (interactive && !pipeline->background)
                tcsetpgrp(0, group ? group : getpid());
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
        if (!group)
            group = pid;
        setpgid(pid, group); /* both sides, so neither order of running races */
        if (input >= 0)
            close(input);
        if (fds[1] >= 0)
            close(fds[1]);
        input = fds[0];
    }
    if (input >= 0)
        close(input);
    if (!group)
        return 1;
    if (pipeline->background) {
        job_add(group, pipeline->text, 0);
        return 0;
    }
    job_wait_foreground(group, pipeline->command_count, pipeline->text);
    return last_status;
}

void run_line(const char* text) {
    struct parser parser = {text, RUN_ALWAYS};
    struct pipeline pipeline;
    int parsed;
    while ((parsed = parse_next(&parser, &pipeline)) > 0) {
        int skip = (pipeline.connector == RUN_IF_OK && last_status != 0) ||
                   (pipeline.connector == RUN_IF_FAILED && last_status == 0);
        if (!skip)
            last_status = run_pipeline(&pipeline);
        free_pipeline(&pipeline);
    }
    if (parsed < 0)
        free_pipeline(&pipeline);
}

int run_script(const char* path) {
    FILE* script = fopen(path, "r");
    if (!script) {
        fprintf(stderr, "sh: %s: %s\n", path, strerror(errno));
        return 127;
    }
    char text[1024];
    while (fgets(text, sizeof(text), script)) {
        run_line(text);
    }
    fclose(script);
    return last_status;
}
