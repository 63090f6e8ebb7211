/* sh.h: the shell's shared types. A line is parsed into a list of
 * pipelines joined by ; && || (and ended by & for background); each
 * pipeline is commands joined by |; each command is words plus
 * redirections. Words are fully expanded by the parser ($VAR, quotes,
 * pathname patterns). */
#ifndef KITE_SH_H
#define KITE_SH_H

#include <stddef.h>
#include <sys/types.h>

enum { MAX_REDIRECTIONS = 8, MAX_COMMANDS = 16 };

enum redirection_kind { REDIRECT_IN, REDIRECT_OUT, REDIRECT_APPEND, REDIRECT_DUP };
struct redirection {
    int fd; /* the descriptor redirected: 0, 1 or 2 */
    enum redirection_kind kind;
    char* path;  /* the file (not for REDIRECT_DUP) */
    int from_fd; /* REDIRECT_DUP: fd becomes a copy of from_fd */
};

struct command {
    char** words; /* NULL-terminated argv, as long as it needs to be */
    int word_count, word_capacity;
    int assignments; /* how many words, from the first, are NAME=value */
    struct redirection redirections[MAX_REDIRECTIONS];
    int redirection_count;
};

enum connector { RUN_ALWAYS, RUN_IF_OK, RUN_IF_FAILED }; /* how a pipeline joins the one before */
struct pipeline {
    struct command commands[MAX_COMMANDS];
    int command_count;
    enum connector connector;
    int background;
    char* text; /* the source text, for `jobs` */
};

/* parse.c: parses and expands the next pipeline of a line. Returns 1 and
 * fills *pipeline, 0 at the end of the line, or -1 after printing a syntax
 * error. Expansion happens here, so a pipeline is parsed only when it is
 * about to run. free_pipeline frees what parse_next allocated. */
struct parser {
    const char* position;
    enum connector next; /* how the next pipeline joins the one just parsed */
    int word_list;       /* for's word list: may expand to no words at all */
};
int parse_next(struct parser* parser, struct pipeline* pipeline);
void free_pipeline(struct pipeline* pipeline);

/* glob.c: adds the sorted paths matching pattern (quoted characters
 * escaped with '\\') through add; returns how many (0: the caller keeps the
 * word as it was). */
int glob_expand(const char* pattern, void (*add)(void* context, char* word), void* context);

/* compound.c: if, while, until, for. starts_compound: whether text begins
 * with one. compound_end: the position after its closing fi or done (NULL
 * after printing a syntax error). run_compound runs it; -1 after a syntax
 * error. after_compound takes the ; && or || that may follow and says how
 * the next pipeline joins. misplaced_reserved_word: then, else, fi, do ...
 * at the start of text (where no compound command is open), or NULL.
 * compound_is_open: whether text ends inside an unfinished compound command
 * or after a backslash (read another line). separate_lines: a copy of text
 * with its newlines turned into ; where they end a command, continued lines
 * joined and comments dropped, for the parser, which sees only one line. */
int starts_compound(const char* text);
const char* compound_end(const char* text);
int run_compound(const char* text);
const char* after_compound(const char* text, enum connector* next);
const char* misplaced_reserved_word(const char* text);
int compound_is_open(const char* text);
/* Loops running now, and the loops a break or continue still has to leave
 * (run_line stops while either is set; builtins.c sets them). */
extern int loop_depth, break_levels, continue_levels;
char* separate_lines(const char* text);

/* run.c */
/* Runs a command line; -1 after a syntax error in it (reported). */
int run_line(const char* text);
int run_script(const char* path);
extern int last_status; /* $? */
/* $0, $1 ...: the script's (or sh -c's) name and arguments; shift moves them. */
extern char** positional;
extern int positional_count;
extern int interactive;
/* Ctrl-C: set by the shell's SIGINT handler or by a foreground job that
 * SIGINT ended; loops and the rest of the line stop. Cleared at the prompt. */
extern volatile int interrupted;

/* builtins.c: runs a builtin and returns 1 with *status set, or 0 if
 * words[0] is not a builtin. */
int is_builtin(const char* name);
int builtin_test(char** words); /* test.c: test and [ */
int run_builtin(char** words, int* status);
void history_add(const char* line);
/* The n-th most recent history line (1: the last one), or NULL. */
const char* history_entry(int n);

/* line_editor.c: reads a line with echo, editing and Up/Down history.
 * Returns its length (with the newline), 0 at end of input, -1 if
 * interrupted, -2 if fd 0 is not a terminal. */
int edit_line(const char* prompt_text, char* line, size_t size);
/* Finds a program through PATH; returns a static path or NULL (errno set). */
const char* find_program(const char* name);

/* jobs.c */
struct job {
    pid_t group;              /* the process group (interactive shells) */
    pid_t pids[MAX_COMMANDS]; /* 0 once that process has exited */
    int count;                /* processes started; 0: a free table slot */
    int status;               /* the last command's wait status */
    int stopped;
    char* text;
};
/* Waits for a started pipeline (leaving last_status set), or puts it in
 * the job table if it runs in the background. */
void job_start(struct job* job, int background);
void jobs_reap(void); /* notes finished and stopped background jobs */
int builtin_jobs(char** words);
int builtin_fg(char** words);
int builtin_bg(char** words);

#endif
