/* exec_private.h: what exec.c, redirect.c, jobs.c, trap.c, main.c and
 * builtins_control.c share beyond shell.h (not part of the common contract). */
#ifndef KITE_SH_EXEC_PRIVATE_H
#define KITE_SH_EXEC_PRIVATE_H

#include <sys/types.h>

#include "tree.h"

/* Descriptors saved while a builtin's redirections are in force. */
struct saved_fds {
    int fd[32];    /* the descriptor redirected */
    int saved[32]; /* its copy (>= 10), or -1 if it was closed */
    int count;
};
/* Applies redirections in order; saved NULL: permanent (a child, exec).
 * Returns 0, or -1 after reporting (status 2 in dash). */
int redirect_apply(struct redirect* list, struct saved_fds* saved);
void redirect_restore(struct saved_fds* saved);

/* Runs an expanded command; skip_functions for `command name`. */
int run_argv(int argc, char** argv, int skip_functions);
/* Waits for a child, returning its status as $? shows it (128+signal). */
int wait_status(pid_t pid);
int status_from_wait(int raw);

/* jobs.c */
void job_add(pid_t pid, const char* text);
int job_wait(pid_t pid, int* status); /* -1 if pid is not a job */
void jobs_wait_all(void);
void jobs_init(void);
/* The pid of a job named as kill names one (%1, %%, %+, %-); 0 after
 * reporting "No such job". */
pid_t job_pid(const char* spec);

/* trap.c */
void run_exit_trap(void);

/* exec.c: nonzero in a forked child of the shell. */
extern int in_subshell;

#endif
