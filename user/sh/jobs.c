/* jobs.c: the processes the shell starts and waits for. A job is the
 * processes of one pipeline, one command or one background list. With job
 * control (-m: an interactive shell, not in its subshells) each job is a
 * process group of its own, the first process its leader, and a foreground
 * job has the terminal while it runs: Ctrl-C and Ctrl-Z reach it, not the
 * shell. A job that is stopped or runs in the background is kept in the
 * table (%1, %2, ...) until its status has been reported or waited for.
 * A job's status is its last process's, as $? shows it (128 + Linux's
 * signal number after a signal). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builtins.h"
#include "exec_private.h"
#include "shell.h"

struct job {
    pid_t group; /* the first process: the process group under job control */
    pid_t* pids;
    int* raw;     /* each process's last wait status */
    int* running; /* not yet exited or killed */
    int count;
    int stopped;
    int control; /* started under job control (its own group) */
    int number;  /* %number in the table, 0 while not in it */
    char* text;
};

static struct job** table; /* table[n - 1] is %n, or NULL */
static int table_size;
static int terminal = -1; /* the terminal, under job control */
static pid_t shell_group;
volatile int interrupted;

static int job_control(void) {
    return options.monitor && !in_subshell && terminal >= 0;
}

/* An interactive shell takes the terminal: its own process group in the
 * foreground, and a copy of the descriptor (close-on-exec, 10 or above) that
 * stays the terminal whatever fd 0 is redirected to. */
void jobs_init(void) {
    if (!options.monitor)
        return;
    int fd = fcntl(0, F_DUPFD_CLOEXEC, 10);
    if (fd < 0 || !isatty(fd)) {
        if (fd >= 0)
            close(fd);
        options.monitor = 0;
        return;
    }
    terminal = fd;
    setpgid(0, 0);
    shell_group = getpgrp();
    tcsetpgrp(terminal, shell_group);
}

struct job* job_new(const struct node* command) {
    struct job* job = xmalloc(sizeof *job);
    memset(job, 0, sizeof *job);
    struct strbuf text = {0};
    tree_print(command, &text);
    job->text = text.data ? sb_take(&text) : xstrdup("");
    return job;
}

static void job_free(struct job* job) {
    if (job->number)
        table[job->number - 1] = NULL;
    free(job->pids);
    free(job->raw);
    free(job->running);
    free(job->text);
    free(job);
}

/* A fork's child forgets the parent's jobs: they are not its children. */
void jobs_forget(void) {
    for (int i = 0; i < table_size; i++)
        if (table[i])
            job_free(table[i]);
    free(table);
    table = NULL;
    table_size = 0;
    if (terminal >= 0)
        close(terminal);
    terminal = -1;
}

pid_t job_fork(struct job* job, int foreground) {
    int control = job_control();
    int terminal_fd = terminal;
    pid_t pid = fork_child();
    if (pid < 0)
        return pid;
    pid_t group = job->group ? job->group : (pid ? pid : getpid());
    if (pid == 0) {
        if (control) {
            setpgid(0, group);
            if (foreground)
                tcsetpgrp(terminal_fd, group); /* the shell does too: whichever comes first */
        }
        signals_default_for_job(); /* after tcsetpgrp, which SIGTTOU would stop */
        if (!control && !foreground) {
            /* POSIX 2.11: without job control a background command ignores
             * the keyboard's signals. */
            signal(SIGINT, SIG_IGN);
            signal(SIGQUIT, SIG_IGN);
        }
        return 0;
    }
    if (control) {
        setpgid(pid, group);
        if (foreground)
            tcsetpgrp(terminal, group);
    }
    job->control = control;
    job->group = group;
    int n = job->count + 1;
    job->pids = xrealloc(job->pids, sizeof(pid_t) * (size_t)n);
    job->raw = xrealloc(job->raw, sizeof(int) * (size_t)n);
    job->running = xrealloc(job->running, sizeof(int) * (size_t)n);
    job->pids[job->count] = pid;
    job->raw[job->count] = 0;
    job->running[job->count] = 1;
    job->count = n;
    return pid;
}

/* Notes a wait status for one of the job's processes. */
static void note(struct job* job, pid_t pid, int raw) {
    for (int i = 0; i < job->count; i++) {
        if (job->pids[i] != pid)
            continue;
        job->raw[i] = raw;
        if (WIFSTOPPED(raw))
            job->stopped = 1;
        else
            job->running[i] = 0;
    }
}

static int job_done(const struct job* job) {
    for (int i = 0; i < job->count; i++)
        if (job->running[i])
            return 0;
    return 1;
}

/* Blocks until every process has ended, or one has stopped. */
static void wait_job(struct job* job) {
    job->stopped = 0;
    for (int i = 0; i < job->count && !job->stopped; i++) {
        while (job->running[i] && !job->stopped) {
            int raw;
            pid_t pid = waitpid(job->pids[i], &raw, job->control ? WUNTRACED : 0);
            if (pid < 0 && errno == EINTR)
                continue;
            if (pid < 0) { /* not our child (any more): nothing to wait for */
                job->running[i] = 0;
                job->raw[i] = 127 << 8;
                break;
            }
            note(job, pid, raw);
        }
    }
}

/* Collects without blocking what the job's processes did meanwhile. */
static void poll_job(struct job* job) {
    for (int i = 0; i < job->count; i++) {
        int raw;
        if (job->running[i] &&
            waitpid(job->pids[i], &raw, WNOHANG | (job->control ? WUNTRACED : 0)) > 0)
            note(job, job->pids[i], raw);
    }
}

static int job_status(const struct job* job) {
    int raw = job->raw[job->count - 1];
    if (WIFSTOPPED(raw))
        return 128 + signal_to_linux(WSTOPSIG(raw));
    return status_from_wait(raw);
}

static void add_to_table(struct job* job) {
    if (job->number)
        return;
    int slot = 0;
    while (slot < table_size && table[slot])
        slot++;
    if (slot == table_size) {
        table = xrealloc(table, sizeof *table * (size_t)(table_size + 1));
        table[table_size++] = NULL;
    }
    table[slot] = job;
    job->number = slot + 1;
}

/* What the shell says of a foreground job killed by a signal (as dash:
 * nothing for SIGPIPE, a newline for Ctrl-C's SIGINT, which also ends the
 * loop or list an interactive shell was running). */
static void report_signal(const struct job* job) {
    int raw = job->raw[job->count - 1];
    if (!WIFSIGNALED(raw))
        return;
    int signal_number = WTERMSIG(raw);
    if (signal_number == SIGINT) {
        if (options.interactive && !in_subshell) {
            fputc('\n', stderr);
            interrupted = 1;
        }
        return;
    }
    if (signal_number == SIGPIPE)
        return;
    fprintf(stderr, "%s%s\n", strsignal(signal_number), (raw & 0x80) ? " (core dumped)" : "");
}

int job_wait_foreground(struct job* job) {
    if (job->count == 0) { /* the first fork failed (reported) */
        job_free(job);
        return 2;
    }
    wait_job(job);
    if (job->control)
        tcsetpgrp(terminal, shell_group);
    int status = job_status(job);
    if (job->stopped) {
        add_to_table(job);
        fprintf(stderr, "\n[%d] Stopped %s\n", job->number, job->text);
        return status;
    }
    report_signal(job);
    job_free(job);
    return status;
}

int job_to_background(struct job* job) {
    if (job->count == 0) { /* the first fork failed (reported) */
        job_free(job);
        return 2;
    }
    add_to_table(job);
    last_background = job->pids[job->count - 1];
    if (options.interactive && !in_subshell)
        fprintf(stderr, "[%d] %d\n", job->number, (int)job->group);
    return 0;
}

/* A job that ran in the background: "Done", "Done(3)" or the signal. */
static void print_state(const struct job* job) {
    int raw = job->raw[job->count - 1];
    printf("[%d] ", job->number);
    if (job->stopped)
        printf("Stopped");
    else if (!job_done(job))
        printf("Running");
    else if (WIFSIGNALED(raw))
        printf("%s", strsignal(WTERMSIG(raw)));
    else if (WEXITSTATUS(raw))
        printf("Done(%d)", WEXITSTATUS(raw));
    else
        printf("Done");
    printf(" %s\n", job->text);
}

void jobs_notify(void) {
    for (int i = 0; i < table_size; i++) {
        struct job* job = table[i];
        if (!job)
            continue;
        poll_job(job);
        if (job_done(job)) {
            print_state(job);
            job_free(job);
        }
    }
    fflush(stdout);
}

static struct job* job_of_pid(pid_t pid) {
    for (int i = 0; i < table_size; i++)
        if (table[i])
            for (int k = 0; k < table[i]->count; k++)
                if (table[i]->pids[k] == pid)
                    return table[i];
    return NULL;
}

int job_wait(pid_t pid, int* status) {
    struct job* job = job_of_pid(pid);
    if (!job)
        return -1;
    while (!job_done(job)) {
        wait_job(job);
        if (job->stopped)
            break;
    }
    *status = job_status(job);
    if (job_done(job))
        job_free(job);
    return 0;
}

void jobs_wait_all(void) {
    for (int i = 0; i < table_size; i++) {
        if (!table[i])
            continue;
        int status;
        job_wait(table[i]->pids[table[i]->count - 1], &status);
    }
}

/* %n, %% or %+ (the newest), %- (the one before), %text (the job whose
 * command starts with text), or a pid. NULL after reporting. */
static struct job* find_job(const char* name, const char* spec) {
    struct job *newest = NULL, *previous = NULL;
    for (int i = 0; i < table_size; i++) {
        if (table[i]) {
            previous = newest;
            newest = table[i];
        }
    }
    if (!spec) {
        if (!newest)
            sh_error("%s: No current job", name);
        return newest;
    }
    struct job* found = NULL;
    if (spec[0] == '%') {
        const char* rest = spec + 1;
        char* end;
        long n = strtol(rest, &end, 10);
        if (!*rest || strcmp(rest, "%") == 0 || strcmp(rest, "+") == 0)
            found = newest;
        else if (strcmp(rest, "-") == 0)
            found = previous ? previous : newest;
        else if (*end == '\0' && n > 0 && n <= table_size)
            found = table[n - 1];
        else if (*end != '\0')
            for (int i = 0; i < table_size && !found; i++)
                if (table[i] && strncmp(table[i]->text, rest, strlen(rest)) == 0)
                    found = table[i];
    } else {
        char* end;
        long pid = strtol(spec, &end, 10);
        if (*end == '\0' && pid > 0)
            found = job_of_pid((pid_t)pid);
    }
    if (!found)
        sh_error("%s: No such job: %s", name, spec);
    return found;
}

int builtin_jobs(int argc, char** argv) {
    (void)argc;
    (void)argv;
    for (int i = 0; i < table_size; i++) {
        struct job* job = table[i];
        if (!job)
            continue;
        poll_job(job);
        print_state(job);
        if (job_done(job))
            job_free(job);
    }
    return 0;
}

/* Sends SIGCONT to a stopped job (its whole group under job control). */
static void continue_job(struct job* job) {
    if (job->stopped)
        kill(job->control ? -job->group : job->pids[job->count - 1], SIGCONT);
    job->stopped = 0;
}

int builtin_fg(int argc, char** argv) {
    if (!job_control()) {
        sh_error("fg: No job control");
        return 2;
    }
    struct job* job = find_job("fg", argc > 1 ? argv[1] : NULL);
    if (!job)
        return 2;
    printf("%s\n", job->text);
    fflush(stdout);
    tcsetpgrp(terminal, job->group);
    continue_job(job);
    return job_wait_foreground(job);
}

int builtin_bg(int argc, char** argv) {
    if (!job_control()) {
        sh_error("bg: No job control");
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc || i == 1; i++) {
        struct job* job = find_job("bg", i < argc ? argv[i] : NULL);
        if (!job) {
            status = 2;
            continue;
        }
        continue_job(job);
        printf("[%d] %s &\n", job->number, job->text);
    }
    return status;
}

/* kill %n: what to signal, the job's process group under job control,
 * else its last process; 0 after reporting. */
pid_t job_pid(const char* spec) {
    struct job* job = find_job("kill", spec);
    if (!job)
        return 0;
    return job->control ? -job->group : job->pids[job->count - 1];
}
