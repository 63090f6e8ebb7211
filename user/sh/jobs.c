/* jobs.c: the processes the shell starts and waits for. A job is the
 * processes of one pipeline, one command or one background list. With job
 * control (-m: an interactive shell, not in its subshells) each job is a
 * process group of its own, the first process its leader, and a foreground
 * job has the terminal while it runs: Ctrl-C and Ctrl-Z reach it, not the
 * shell. A job that is stopped or runs in the background is kept in the
 * table (%1, %2, ...) until its status has been reported or waited for.
 * A job's status is its last process's, as $? shows it (128 + Linux's
 * signal number after a signal).
 *
 * Children that ended are reaped before each fork (waitpid(-1)), so a
 * script that starts many background jobs leaves no zombies; a process
 * reaped that no job in the table has (one of a foreground pipeline) waits
 * in `unclaimed` for the wait that wants it. A non-interactive shell
 * keeps its finished jobs in the table (so `wait %1` finds one however
 * soon it ended) until the table holds TABLE_KEPT: then the finished ones
 * are freed, their statuses kept in `remembered` for `wait PID`. */
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

/* (pid, wait status) pairs: background jobs already freed, whose status
 * `wait PID` still gives (the newest REMEMBERED), and reaped processes no
 * table job claimed. */
struct reaped {
    pid_t pid;
    int raw;
};
enum { REMEMBERED = 1024 };
static struct reaped remembered[REMEMBERED];
static int remembered_next; /* a ring: the oldest is overwritten */
static struct reaped* unclaimed;
static int unclaimed_count;
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
    free(unclaimed);
    unclaimed = NULL;
    unclaimed_count = 0;
    memset(remembered, 0, sizeof remembered);
    /* The terminal's copy stays open (it is close-on-exec): a job's child
     * still gives the terminal to its group with it, after this. */
    terminal = -1;
}

static void note(struct job* job, pid_t pid, int raw);
static int job_done(const struct job* job);
static struct job* job_of_pid(pid_t pid);

static void remember(pid_t pid, int raw) {
    remembered[remembered_next] = (struct reaped){pid, raw};
    remembered_next = (remembered_next + 1) % REMEMBERED;
}

/* A job that ended and whose status nobody will be told of again (it ran
 * in the background, its status is collected or it is not reported at a
 * prompt) goes; `wait PID` still finds its status. */
static void retire(struct job* job) {
    remember(job->pids[job->count - 1], job->raw[job->count - 1]);
    job_free(job);
}

/* Whether finished background jobs wait for a prompt to be reported. */
static int reports_jobs(void) {
    return options.interactive && !in_subshell;
}

/* Collects every child that has ended (or stopped, under job control)
 * without blocking: its job notes it, or it waits in `unclaimed`. */
static void reap(void) {
    for (;;) {
        int raw;
        pid_t pid = waitpid(-1, &raw, WNOHANG | (job_control() ? WUNTRACED : 0));
        if (pid <= 0)
            return;
        struct job* job = job_of_pid(pid);
        if (job) {
            note(job, pid, raw);
            continue;
        }
        unclaimed = xrealloc(unclaimed, sizeof *unclaimed * (size_t)(unclaimed_count + 1));
        unclaimed[unclaimed_count++] = (struct reaped){pid, raw};
    }
}

/* A status reap() collected for pid, taken out of `unclaimed`. */
static int take_unclaimed(pid_t pid, int* raw) {
    for (int i = 0; i < unclaimed_count; i++) {
        if (unclaimed[i].pid == pid) {
            *raw = unclaimed[i].raw;
            unclaimed[i] = unclaimed[--unclaimed_count];
            return 1;
        }
    }
    return 0;
}

pid_t job_fork(struct job* job, int foreground) {
    int control = job_control();
    int terminal_fd = terminal;
    reap(); /* no zombies pile up, however many jobs a script starts */
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

/* While the wait builtin runs, a trapped signal ends the wait (POSIX
 * 2.11): wait_job then returns early with wait_interrupted set. */
static int wait_interruptible, wait_interrupted;

/* Blocks until every process has ended, or one has stopped. */
static void wait_job(struct job* job) {
    job->stopped = 0;
    for (int i = 0; i < job->count && !job->stopped; i++) {
        while (job->running[i] && !job->stopped) {
            int raw;
            if (take_unclaimed(job->pids[i], &raw)) {
                note(job, job->pids[i], raw);
                continue;
            }
            pid_t pid = waitpid(job->pids[i], &raw, job->control ? WUNTRACED : 0);
            if (pid < 0 && errno == EINTR && wait_interruptible && traps_pending) {
                wait_interrupted = 1;
                return;
            }
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

static void retire(struct job* job);
static int reports_jobs(void);

enum { TABLE_KEPT = 64 };

static void add_to_table(struct job* job) {
    if (job->number)
        return;
    int used = 0;
    for (int i = 0; i < table_size; i++)
        used += table[i] != NULL;
    if (used >= TABLE_KEPT && !reports_jobs())
        for (int i = 0; i < table_size; i++)
            if (table[i] && job_done(table[i]))
                retire(table[i]);
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
            retire(job);
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

/* Waits for a job to end (or stop): its status, and the job retired. */
static int wait_for(struct job* job) {
    while (!job_done(job) && !wait_interrupted) {
        wait_job(job);
        if (job->stopped)
            break;
    }
    int status = job_status(job);
    if (job_done(job))
        retire(job);
    return status;
}

/* wait PID: -1 if pid is not a job's. */
static int job_wait(pid_t pid, int* status) {
    struct job* job = job_of_pid(pid);
    if (job) {
        *status = wait_for(job);
        return 0;
    }
    for (int i = 0; i < REMEMBERED; i++) {
        const struct reaped* r = &remembered[(remembered_next + REMEMBERED - 1 - i) % REMEMBERED];
        if (r->pid == pid) {
            *status = status_from_wait(r->raw);
            return 0;
        }
    }
    return -1;
}

static void jobs_wait_all(void) {
    for (int i = 0; i < table_size && !wait_interrupted; i++)
        if (table[i])
            wait_for(table[i]);
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
            retire(job);
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

/* wait [PID | %JOB ...]: each job's status in turn, the last one's; 127 for
 * a pid that is no child; without operands, every job and 0. A trapped
 * signal ends it with 128 plus its number (the trap runs next). */
int builtin_wait(int argc, char** argv) {
    int status = 0;
    reap();
    traps_interrupt_calls(1);
    wait_interruptible = 1;
    wait_interrupted = 0;
    if (argc < 2)
        jobs_wait_all();
    for (int i = 1; i < argc && !wait_interrupted; i++) {
        if (argv[i][0] == '%') {
            struct job* job = find_job("wait", argv[i]);
            status = job ? wait_for(job) : 2;
            continue;
        }
        char* end;
        errno = 0;
        long pid = strtol(argv[i], &end, 10);
        if (!argv[i][0] || *end || errno || pid <= 0 || pid > 0x7fffffff) {
            sh_error("wait: Illegal number: %s", argv[i]);
            status = 2;
            break;
        }
        if (job_wait((pid_t)pid, &status) < 0)
            status = 127;
    }
    if (wait_interrupted)
        status = 128 + signal_to_linux(trap_pending_signal());
    wait_interruptible = wait_interrupted = 0;
    traps_interrupt_calls(0);
    return status;
}
