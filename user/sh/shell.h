/* shell.h: the shell's state that every part reads, and the executor's
 * entry points. One shell process has one of each; a subshell (fork)
 * inherits them. */
#ifndef KITE_SH_SHELL_H
#define KITE_SH_SHELL_H

#include <sys/types.h>

#include "tree.h"

/* set -e -u -x -f -n -v -C, and the ones the shell sets itself. */
struct shell_options {
    int errexit, nounset, xtrace, noglob, noexec, verbose, noclobber;
    int allexport;   /* -a: every variable assigned is exported */
    int interactive; /* -i: reads commands from a terminal */
    int monitor;     /* -m: job control (on in an interactive shell) */
};
extern struct shell_options options;

extern int last_status;        /* $? */
extern pid_t shell_pid;        /* $$: the shell's pid, also in its subshells */
extern pid_t last_background;  /* $!: 0 until a background job started */
extern char* arg0;             /* $0 */
extern const char* error_name; /* the NAME in "NAME: LINE: message": arg0 of a script, else "sh" */
extern int current_line;       /* LINE in messages: the command running or being parsed */

/* The flag set -X and +X change (e u x f n v C m); NULL for another letter. */
int* option_flag(char letter);
/* $-: the letters of the options that are on (malloc'd). */
char* option_letters(void);

/* Reports "NAME: LINE: message" on stderr, as dash does. */
void sh_error(const char* format, ...) __attribute__((format(printf, 1, 2)));

/* exec.c ------------------------------------------------------------------ */
/* Runs a tree and returns its status (also left in last_status). */
int run_node(struct node* node);
/* Parses and runs a text command by command (sh -c, eval, ., traps):
 * returns the last status; a syntax error gives 2. */
int run_text(const char* text, const char* name, int first_line);
/* $(...): runs text in a subshell and returns its standard output
 * (malloc'd, trailing newlines kept: expansion removes them); sets
 * last_status to the subshell's status. NULL if it could not be started. */
char* command_output(const char* text);
extern unsigned substitutions_run; /* how many $(...) have run: a command's status may be theirs */
/* Leaves the shell: runs the EXIT trap (once), flushes stdio, exits. */
void shell_exit(int status) __attribute__((noreturn));
/* An error that exits a non-interactive shell with status (POSIX 2.8.1:
 * special builtin errors, expansion errors, redirection errors of special
 * builtins, a prefix assignment onto a read-only variable); an
 * interactive shell abandons the command instead. Not while `command`
 * runs a builtin (command set -o bogus): there, as in dash, the error is
 * the command's status only. The one mechanism for all of them: a special
 * builtin reports its usage error and calls this before returning. */
void shell_fatal_error(int status);

/* break/continue/return: set by those builtins, obeyed by the executor,
 * which stops running commands while one is pending. */
enum flow { FLOW_NONE, FLOW_BREAK, FLOW_CONTINUE, FLOW_RETURN };
extern enum flow pending_flow;
/* Ctrl-C in an interactive shell (its SIGINT, or a foreground job killed
 * by it): the executor stops running commands until the next prompt. */
extern volatile int interrupted;
extern int pending_levels; /* break/continue: loops still to leave */
extern int loop_depth;     /* loops running in the current function (or at the top) */
extern int function_depth; /* function calls and . files running (return is valid) */

/* Functions, by name: the executor keeps a tree_copy of each body. */
struct node* function_lookup(const char* name);
int function_unset(const char* name); /* 0 if there was one */

/* The program a name runs through PATH (or the name itself with a /),
 * in a static buffer; NULL with errno set (ENOENT, EACCES). */
const char* find_program(const char* name);

/* trap.c: signals the shell caught and has not yet run the trap for are
 * run by run_pending_traps between commands. */
extern volatile int traps_pending;
void run_pending_traps(void);
void traps_init(void);            /* an interactive shell's own handlers */
void traps_reset_for_child(void); /* in a subshell or a program: caught signals back to default */
int trap_exit_set(void);

#endif
