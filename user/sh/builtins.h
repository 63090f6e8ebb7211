/* builtins.h: commands the shell runs itself. Each takes argc/argv as a
 * program's main does and returns its exit status; they write through
 * stdio (the executor flushes stdout and stderr after each). Errors are
 * reported with sh_error ("sh: 1: cd: can't cd to /x") as dash words them.
 *
 * POSIX 2.14's special builtins (break : continue . eval exec exit export
 * readonly return set shift times trap unset) differ from the others: an
 * error in one exits a non-interactive shell, and assignments before one
 * stay set after it. */
#ifndef KITE_SH_BUILTINS_H
#define KITE_SH_BUILTINS_H

#include <stddef.h>

typedef int (*builtin_function)(int argc, char** argv);

struct builtin {
    const char* name;
    builtin_function run;
    int special;
};

/* builtins.c: the table. NULL if name is not a builtin. */
const struct builtin* builtin_find(const char* name);
/* For completion and `type`: the index-th builtin, NULL past the last. */
const struct builtin* builtin_at(int index);

/* Where each is implemented:
 *   builtins_control.c (with the executor): break continue return exit eval
 *       exec . trap wait command type hash jobs fg bg
 *   builtins_vars.c:  export readonly unset local set shift
 *   builtins_io.c:    echo
 *   builtin_printf.c, builtin_read.c, builtin_getopts.c: one each
 *   test.c:           test [
 *   builtins_misc.c:  : true false alias unalias times
 *   builtins_cd.c:    cd pwd
 *   builtins_process.c: kill umask
 *   builtins_ulimit.c: ulimit */
int builtin_break(int argc, char** argv);
int builtin_continue(int argc, char** argv);
int builtin_return(int argc, char** argv);
int builtin_exit(int argc, char** argv);
int builtin_eval(int argc, char** argv);
int builtin_exec(int argc, char** argv);
int builtin_dot(int argc, char** argv);
int builtin_trap(int argc, char** argv);
int builtin_wait(int argc, char** argv);
int builtin_command(int argc, char** argv);
int builtin_type(int argc, char** argv);
int builtin_hash(int argc, char** argv);
int builtin_jobs(int argc, char** argv);
int builtin_fg(int argc, char** argv);
int builtin_bg(int argc, char** argv);

int builtin_export(int argc, char** argv);
int builtin_readonly(int argc, char** argv);
int builtin_unset(int argc, char** argv);
int builtin_local(int argc, char** argv);
int builtin_set(int argc, char** argv);
int builtin_shift(int argc, char** argv);
int builtin_getopts(int argc, char** argv);
int builtin_read(int argc, char** argv);

int builtin_echo(int argc, char** argv);
int builtin_printf(int argc, char** argv);
int builtin_test(int argc, char** argv);

int builtin_colon(int argc, char** argv); /* : and true */
int builtin_false(int argc, char** argv);
int builtin_cd(int argc, char** argv);
int builtin_pwd(int argc, char** argv);
int builtin_umask(int argc, char** argv);
int builtin_kill(int argc, char** argv);
int builtin_alias(int argc, char** argv);
int builtin_unalias(int argc, char** argv);
int builtin_times(int argc, char** argv);
int builtin_ulimit(int argc, char** argv);

/* builtins_cd.c: takes the logical current directory from $PWD when it
 * names the current directory (else getcwd) and sets PWD; main calls it
 * once at start, after vars_init. */
void cwd_init(void);

/* builtins_misc.c: the alias table, which the parser consults. */
const char* alias_lookup(const char* name); /* NULL if no such alias */

/* signals.c: signal names as users type them (INT, SIGINT, int) and Linux's
 * numbers for them (kill -10, trap 2, 128+n statuses), whatever numbers
 * the C library uses inside (newlib's differ: its SIGUSR1 is 30). */
int signal_from_text(
    const char* text);                 /* the C library's number; -1 if unknown; "0"/EXIT gives 0 */
const char* signal_name(int c_signal); /* "INT" (without SIG); NULL if none */
int signal_to_linux(int c_signal);     /* the number users see */
int signal_count(void);                /* signals are 1 .. signal_count()-1 (C numbers) */

/* history.c */
void history_add(const char* line);
const char* history_entry(int n); /* 1: the most recent line; NULL past the oldest */

/* line_editor.c: reads a line with echo, editing, history and completion.
 * Returns its length (with the newline), 0 at end of input, -1 if
 * interrupted, -2 if fd 0 is not a terminal. */
int edit_line(const char* prompt_text, char* line, size_t size);

#endif
