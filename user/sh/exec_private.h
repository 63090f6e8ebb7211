/* exec_private.h: what exec.c, redirect.c, jobs.c, trap.c, main.c and
 * builtins_control.c share beyond shell.h (not part of the common contract). */
#ifndef KITE_SH_EXEC_PRIVATE_H
#define KITE_SH_EXEC_PRIVATE_H

#include <sys/types.h>

#include "tree.h"

/* Descriptors saved while a builtin's redirections are in force: starts
 * zeroed, grows as needed, emptied (and freed) by redirect_restore. */
struct saved_fd {
    int fd;   /* the descriptor redirected */
    int copy; /* its copy (>= 10, close-on-exec), or -1 if it was closed */
};
struct saved_fds {
    struct saved_fd* items;
    int count, capacity;
};
/* Applies redirections in order; saved NULL: permanent (a child, exec).
 * Returns 0, or -1 after reporting (status 2 in dash). */
int redirect_apply(struct redirect* list, struct saved_fds* saved);
void redirect_restore(struct saved_fds* saved);

/* Runs an expanded command; skip_functions for `command name`, under
 * which errors do not exit the shell (shell_fatal_error). */
int run_argv(int argc, char** argv, int skip_functions);
/* Waits for a child, returning its status as $? shows it (128+signal). */
int wait_status(pid_t pid);
int status_from_wait(int raw);

/* functions.c: a function's definition keeps a tree_copy of its body; a
 * body unset or redefined while functions run is freed only when
 * functions_release_retired is called with none running. */
void function_define(const char* name, const struct node* body);
void functions_release_retired(void);

/* exec_simple.c: a simple command; last: nothing runs after it in this
 * child, so a program may replace the shell. */
int run_simple(struct node* node, int last);

/* exec.c: how many builtins `command` runs now: their errors do not exit
 * the shell (POSIX 2.14: command takes away a special builtin's
 * specialness). */
extern int command_builtins_running;

/* exec.c: fork with the child's state made a subshell's (traps, jobs). */
pid_t fork_child(void);

/* jobs.c: each command that runs in a child is a job, started by job_fork
 * (one call per process; 0 in the child, -1 if fork failed) and then
 * either waited for or put in the background, which frees it in time. */
struct job;
struct job*
job_new(const struct node* command); /* command: for its text in messages; may be NULL */
pid_t job_fork(struct job* job, int foreground);
int job_wait_foreground(struct job* job); /* $?; a job that stopped stays in the table */
int job_to_background(struct job* job);   /* $! is its last process; 0, or 2 if none started */
void jobs_notify(void);                   /* interactive: reports jobs done, before a prompt */
void jobs_init(void);                     /* job control (-m): take the terminal */
void jobs_forget(void);                   /* in a child: the table is the parent's */
pid_t job_pid(const char* spec);          /* kill %n: its group (-pgid) or pid; 0 after reporting */

/* trap.c: in a job's child under job control, the keyboard's signals back
 * to their defaults (but those a trap ignores). */
void signals_default_for_job(void);
/* While on, a trapped signal interrupts a blocking system call (EINTR)
 * instead of restarting it: for wait and read, which it must end. */
void traps_interrupt_calls(int on);
/* The signal (the C library's number) of a trap waiting to run; 0 if none. */
int trap_pending_signal(void);

/* trap.c */
void run_exit_trap(void);

/* exec.c: nonzero in a forked child of the shell. */
extern int in_subshell;

#endif
