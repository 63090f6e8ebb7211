/* exec.c: the executor. Walks the tree of tree.h, expanding words each
 * time a command runs (a simple command is exec_simple.c's), and keeps the
 * shell's global state of shell.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builtins.h"
#include "exec_private.h"
#include "expand.h"
#include "parser.h"
#include "shell.h"
#include "vars.h"

struct shell_options options;
int last_status;
pid_t shell_pid;
pid_t last_background;
char* arg0 = "sh";
const char* error_name = "sh";
int current_line = 1;
enum flow pending_flow;
int pending_levels;
int loop_depth;
int function_depth;
int in_subshell;

/* Nonzero while running a condition or a non-last part of && ||, or under
 * !: set -e does not apply there. */
static int errexit_suppressed;

/* Exits under set -e after a command that failed where it counts. */
static void check_errexit(int status) {
    if (status != 0 && options.errexit && !errexit_suppressed)
        shell_exit(status);
}

void sh_error(const char* format, ...) {
    va_list args;
    fflush(stdout);
    fprintf(stderr, "%s: %d: ", error_name, current_line);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    fflush(stderr);
}

int* option_flag(char letter) {
    switch (letter) {
    case 'a':
        return &options.allexport;
    case 'e':
        return &options.errexit;
    case 'u':
        return &options.nounset;
    case 'x':
        return &options.xtrace;
    case 'f':
        return &options.noglob;
    case 'n':
        return &options.noexec;
    case 'v':
        return &options.verbose;
    case 'C':
        return &options.noclobber;
    case 'm':
        return &options.monitor;
    default:
        return NULL;
    }
}

/* $- in dash's order of letters. */
char* option_letters(void) {
    struct strbuf out = {0};
    if (options.allexport)
        sb_addc(&out, 'a');
    if (options.errexit)
        sb_addc(&out, 'e');
    if (options.noglob)
        sb_addc(&out, 'f');
    if (options.interactive)
        sb_addc(&out, 'i');
    if (options.monitor)
        sb_addc(&out, 'm');
    if (options.noexec)
        sb_addc(&out, 'n');
    if (options.nounset)
        sb_addc(&out, 'u');
    if (options.verbose)
        sb_addc(&out, 'v');
    if (options.xtrace)
        sb_addc(&out, 'x');
    if (options.noclobber)
        sb_addc(&out, 'C');
    return sb_take(&out);
}

void shell_exit(int status) {
    last_status = status & 255; /* the EXIT trap sees the status the shell exits with */
    run_exit_trap();
    fflush(stdout);
    fflush(stderr);
    exit(status & 255);
}

/* How many builtins `command` is running (in this process): under one, a
 * special builtin's error, and any other that would exit the shell, is
 * that command's failure instead, as dash has it (command set -o bogus;
 * and command eval 'shift 5' give status 2 and go on). */
int command_builtins_running;

void shell_fatal_error(int status) {
    last_status = status;
    if ((!options.interactive || in_subshell) && command_builtins_running == 0)
        shell_exit(status);
}

int status_from_wait(int raw) {
    if (WIFEXITED(raw))
        return WEXITSTATUS(raw);
    if (WIFSIGNALED(raw))
        return 128 + signal_to_linux(WTERMSIG(raw));
    return 0;
}

int wait_status(pid_t pid) {
    int raw;
    while (waitpid(pid, &raw, 0) < 0)
        if (errno != EINTR)
            return 127;
    return status_from_wait(raw);
}

/* A forked child: it must not run the parent's traps or exit handlers,
 * nor think the parent's jobs its own. */
pid_t fork_child(void) {
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        traps_reset_for_child();
        jobs_forget();
        in_subshell = 1;
        command_builtins_running = 0; /* a subshell's errors exit it */
    } else if (pid < 0) {
        sh_error("Cannot fork");
    }
    return pid;
}

/* Set by a forked child just before it runs the one node that is all it
 * has left to do (a pipeline's part, a background command, a subshell's
 * body): a program there is exec'd in place of the child rather than
 * forked and waited for, as dash does, so `sh -c 'x' &` is one process and
 * the program's parent is the shell that started the job. */
static int exec_in_place;

/* POSIX 2.9.3: without job control, an asynchronous list's standard
 * input is /dev/null. */
static void background_input(void) {
    if (options.interactive)
        return;
    int null = open("/dev/null", 0);
    if (null >= 0 && null != 0) {
        dup2(null, 0);
        close(null);
    }
}

/* Two or more commands joined by pipes, each in its own child, all one job
 * (one process group under job control, the first command its leader):
 * waited for, giving the last one's status, or put in the background. */
static int start_pipeline(struct node* node, int background) {
    int count = node->pipeline.count;
    int input = -1, pipe_failed = 0;
    struct job* job = job_new(node);
    for (int i = 0; i < count; i++) {
        int fds[2] = {-1, -1};
        if (i + 1 < count && pipe(fds) < 0) {
            sh_error("Pipe call failed");
            if (input >= 0) /* the previous command's output: nobody reads it now */
                close(input);
            pipe_failed = 1;
            break;
        }
        pid_t pid = job_fork(job, !background);
        if (pid == 0) {
            if (input >= 0) {
                dup2(input, 0);
                close(input);
            } else if (background) {
                background_input();
            }
            if (fds[1] >= 0) {
                close(fds[0]);
                dup2(fds[1], 1);
                close(fds[1]);
            }
            exec_in_place = 1;
            shell_exit(run_node(node->pipeline.commands[i]));
        }
        if (input >= 0)
            close(input);
        if (fds[1] >= 0)
            close(fds[1]);
        input = fds[0];
        if (pid < 0) {
            if (input >= 0)
                close(input);
            break;
        }
    }
    /* The commands started are waited for (or left running) all the same. */
    int status = background ? job_to_background(job) : job_wait_foreground(job);
    if (pipe_failed) { /* as dash: an error that exits a non-interactive shell */
        shell_fatal_error(2);
        return 2;
    }
    return status;
}

static int run_pipeline(struct node* node) {
    int status;
    if (node->pipeline.count == 1) {
        errexit_suppressed++;
        status = run_node(node->pipeline.commands[0]);
        errexit_suppressed--;
    } else {
        status = start_pipeline(node, 0);
    }
    return node->pipeline.negated ? !status : status;
}

/* Starts a command in the background: $! is its (last) pid. A pipeline's
 * commands are the shell's own children, as in the foreground; anything
 * else runs in one forked child (a program there is exec'd in place). */
static int run_background(struct node* command) {
    if (command->kind == NODE_PIPELINE && command->pipeline.count > 1 &&
        !command->pipeline.negated && !command->redirects)
        return start_pipeline(command, 1);
    struct job* job = job_new(command);
    if (job_fork(job, 0) == 0) {
        background_input();
        exec_in_place = 1;
        shell_exit(run_node(command));
    }
    return job_to_background(job);
}

static int run_condition(struct node* condition) {
    errexit_suppressed++;
    int status = run_node(condition);
    errexit_suppressed--;
    return status;
}

/* Whether a loop must stop after its body: break, continue handled here. */
static int loop_should_stop(void) {
    if (pending_flow == FLOW_BREAK) {
        if (--pending_levels <= 0)
            pending_flow = FLOW_NONE;
        return 1;
    }
    if (pending_flow == FLOW_CONTINUE) {
        if (--pending_levels <= 0) {
            pending_flow = FLOW_NONE;
            return 0;
        }
        return 1;
    }
    return pending_flow == FLOW_RETURN;
}

static int run_loop(struct node* node, int until) {
    int status = 0;
    loop_depth++;
    for (;;) {
        int test = run_condition(node->loop.condition);
        if (pending_flow != FLOW_NONE) {
            if (loop_should_stop())
                break;
            continue;
        }
        if ((test == 0) == until || interrupted)
            break;
        status = run_node(node->loop.body);
        if ((pending_flow != FLOW_NONE && loop_should_stop()) || interrupted)
            break;
    }
    loop_depth--;
    return status;
}

static int run_for(struct node* node) {
    struct strlist words = {0};
    if (node->for_.has_in) {
        if (expand_words(node->for_.words, node->for_.word_count, &words) < 0) {
            shell_fatal_error(2);
            return 2;
        }
    } else {
        const struct params* params = params_get();
        for (int i = 0; i < params->count; i++)
            sl_add(&words, xstrdup(params->items[i]));
    }
    int status = 0;
    loop_depth++;
    for (int i = 0; i < words.count; i++) {
        if (var_set(node->for_.name, words.items[i], 0) < 0) {
            status = 2;
            shell_fatal_error(2);
            break;
        }
        status = run_node(node->for_.body);
        if ((pending_flow != FLOW_NONE && loop_should_stop()) || interrupted)
            break;
    }
    loop_depth--;
    sl_free(&words);
    return status;
}

static int run_case(struct node* node) {
    char* subject = expand_word(node->case_.subject);
    if (!subject) {
        shell_fatal_error(2);
        return 2;
    }
    int status = 0;
    for (int i = 0; i < node->case_.count; i++) {
        struct case_item* item = &node->case_.items[i];
        for (int j = 0; j < item->pattern_count; j++) {
            char* pattern = expand_pattern(item->patterns[j]);
            int match = pattern && pattern_match(pattern, subject);
            free(pattern);
            if (match) {
                status = item->body ? run_node(item->body) : 0;
                free(subject);
                return status;
            }
        }
    }
    free(subject);
    return status;
}

static int run_list(struct node* node) {
    int status = 0;
    for (int i = 0; i < node->list.count && pending_flow == FLOW_NONE && !interrupted; i++) {
        if (traps_pending)
            run_pending_traps();
        if (node->list.items[i].background)
            status = last_status = run_background(node->list.items[i].command);
        else
            status = run_node(node->list.items[i].command);
    }
    return status;
}

/* A compound command's own redirections, around its run. */
static int run_compound(struct node* node) {
    switch (node->kind) {
    case NODE_LIST:
        return run_list(node);
    case NODE_PIPELINE:
        return run_pipeline(node);
    case NODE_AND:
    case NODE_OR: {
        int status = run_condition(node->and_or.left);
        if (pending_flow != FLOW_NONE)
            return status;
        if ((status == 0) == (node->kind == NODE_AND))
            status = run_node(node->and_or.right);
        return status;
    }
    case NODE_SUBSHELL: {
        struct job* job = job_new(node);
        if (job_fork(job, 1) == 0) {
            exec_in_place = 1;
            shell_exit(run_node(node->group.body));
        }
        return job_wait_foreground(job);
    }
    case NODE_GROUP:
        return run_node(node->group.body);
    case NODE_IF: {
        int test = run_condition(node->if_.condition);
        if (pending_flow != FLOW_NONE)
            return test;
        if (test == 0)
            return run_node(node->if_.then_part);
        return node->if_.else_part ? run_node(node->if_.else_part) : 0;
    }
    case NODE_WHILE:
        return run_loop(node, 0);
    case NODE_UNTIL:
        return run_loop(node, 1);
    case NODE_FOR:
        return run_for(node);
    case NODE_CASE:
        return run_case(node);
    case NODE_FUNCTION:
        function_define(node->function.name, node->function.body);
        return 0;
    case NODE_SIMPLE:
        break;
    }
    return 0;
}

int run_node(struct node* node) {
    int last = exec_in_place; /* for this node only, not the ones inside it */
    exec_in_place = 0;
    if (!node || options.noexec)
        return last_status;
    if (interrupted) /* Ctrl-C in an interactive shell: back to the prompt */
        return last_status = 130;
    if (traps_pending) { /* a signal's trap runs before the next command */
        run_pending_traps();
        if (pending_flow != FLOW_NONE) /* the trap returned from a function */
            return last_status;
    }
    current_line = node->line;
    int status;
    if (node->kind == NODE_SIMPLE) {
        status = run_simple(node, last);
    } else if (node->kind == NODE_SUBSHELL && last && in_subshell && !node->redirects &&
               !trap_exit_set()) {
        /* A child with nothing after this: it is the subshell already. */
        exec_in_place = 1;
        status = run_node(node->group.body);
    } else if (node->redirects && node->kind != NODE_FUNCTION) {
        struct saved_fds saved = {0};
        if (redirect_apply(node->redirects, &saved) < 0)
            status = 2;
        else
            status = run_compound(node);
        redirect_restore(&saved);
    } else {
        status = run_compound(node);
    }
    last_status = status;
    if (node->kind == NODE_SIMPLE || node->kind == NODE_SUBSHELL ||
        (node->kind == NODE_PIPELINE && !node->pipeline.negated))
        check_errexit(status);
    return status;
}
