/* jobs.c: waiting for pipelines, and the table of background and stopped
 * jobs. A job is the processes of one pipeline; in an interactive shell
 * they form one process group (the unit of Ctrl-C, Ctrl-Z, fg and bg).
 * The pipeline's status is its last command's, as in other shells. */
#include <errno.h>
#include <kite/signals.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sh.h"

enum { MAX_JOBS = 16 };
static struct job jobs[MAX_JOBS]; /* group 0 (and no pids): a free slot */

static int job_is_free(const struct job* job) {
    return job->count == 0;
}

static int job_is_done(const struct job* job) {
    for (int i = 0; i < job->count; ++i)
        if (job->pids[i])
            return 0;
    return 1;
}

static void job_remove(struct job* job) {
    free(job->text);
    memset(job, 0, sizeof(*job));
}

static void job_add(const struct job* job) {
    for (int i = 0; i < MAX_JOBS; ++i) {
        if (job_is_free(&jobs[i])) {
            jobs[i] = *job;
            jobs[i].text = strdup(job->text ? job->text : "");
            if (job->stopped)
                printf("[%d] Stopped %s\n", i + 1, jobs[i].text);
            else if (interactive) /* as other shells: scripts stay quiet */
                printf("[%d] %d\n", i + 1, (int)job->group);
            return;
        }
    }
    fprintf(stderr, "sh: too many jobs; %s is not tracked\n", job->text);
}

/* Shells report a signal as 128 plus Linux's number for it (bash: SIGTSTP
 * 148, SIGUSR1 138); a number newlib cannot name came through unchanged. */
static int linux_signal(int newlib_signal) {
    int number = port_signal_to_linux(newlib_signal);
    return number ? number : newlib_signal;
}

/* Notes one wait status of one of the job's processes. */
static void job_update(struct job* job, pid_t pid, int status) {
    for (int i = 0; i < job->count; ++i) {
        if (job->pids[i] != pid)
            continue;
        if (WIFSTOPPED(status)) {
            job->stopped = 1;
            if (i == job->count - 1)
                job->status = 128 + linux_signal(WSTOPSIG(status));
            return;
        }
        job->pids[i] = 0;
        if (i == job->count - 1)
            job->status = status;
        return;
    }
}

/* Waits until every process of the job has exited or stopped. */
static void job_wait(struct job* job) {
    job->stopped = 0;
    for (int i = 0; i < job->count; ++i) {
        while (job->pids[i]) {
            int status = 0;
            pid_t pid = waitpid(job->pids[i], &status, WUNTRACED);
            if (pid < 0 && errno == EINTR)
                continue;
            if (pid < 0) { /* not our child any more: nothing to wait for */
                job->pids[i] = 0;
                break;
            }
            job_update(job, pid, status);
            if (WIFSTOPPED(status))
                break;
        }
    }
}

/* last_status from a finished job; reports a death by signal as shells do
 * (Ctrl-C's SIGINT and a pipe's SIGPIPE silently). */
static void job_finish(const struct job* job) {
    int status = job->status;
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        if (sig == SIGINT) {
            printf("\n");
            if (interactive)
                interrupted = 1; /* Ctrl-C ends the loop or line it ran in, too */
        } else if (sig != SIGPIPE) {
            printf("%s%s\n", strsignal(sig), (status & 0x80) ? " (core dumped)" : "");
        }
        last_status = 128 + linux_signal(sig);
    } else {
        last_status = WEXITSTATUS(status);
    }
}

/* Waits for a job in the foreground; a stopped one goes into the table. */
static void job_foreground(struct job* job) {
    job_wait(job);
    if (interactive)
        tcsetpgrp(0, getpgrp());
    if (job->stopped) {
        printf("\n");
        last_status = job->status;
        job_add(job);
        return;
    }
    job_finish(job);
}

void job_start(struct job* job, int background) {
    if (background)
        job_add(job);
    else
        job_foreground(job);
}

void jobs_reap(void) {
    for (int i = 0; i < MAX_JOBS; ++i) {
        struct job* job = &jobs[i];
        if (job_is_free(job))
            continue;
        for (int k = 0; k < job->count; ++k) {
            int status;
            if (job->pids[k] && waitpid(job->pids[k], &status, WNOHANG | WUNTRACED) > 0)
                job_update(job, job->pids[k], status);
        }
        if (job_is_done(job)) {
            printf("[%d] Done %s\n", i + 1, job->text);
            job_remove(job);
        }
    }
}

static struct job* job_from_words(char** words) {
    if (!interactive) {
        fprintf(stderr, "%s: no job control in this shell\n", words[0]);
        return NULL;
    }
    int number = 0;
    if (words[1])
        number = atoi(words[1][0] == '%' ? words[1] + 1 : words[1]);
    else
        for (int i = MAX_JOBS - 1; i >= 0 && !number; --i)
            if (!job_is_free(&jobs[i]))
                number = i + 1;
    if (number < 1 || number > MAX_JOBS || job_is_free(&jobs[number - 1])) {
        fprintf(stderr, "%s: no such job\n", words[0]);
        return NULL;
    }
    return &jobs[number - 1];
}

int builtin_jobs(char** words) {
    (void)words;
    jobs_reap();
    for (int i = 0; i < MAX_JOBS; ++i)
        if (!job_is_free(&jobs[i]))
            printf("[%d] %s %s\n", i + 1, jobs[i].stopped ? "Stopped" : "Running", jobs[i].text);
    return 0;
}

int builtin_fg(char** words) {
    struct job* entry = job_from_words(words);
    if (!entry)
        return 1;
    struct job job = *entry; /* the table entry is freed; a new stop re-adds it */
    job.text = strdup(entry->text);
    job_remove(entry);
    printf("%s\n", job.text);
    fflush(stdout);
    tcsetpgrp(0, job.group);
    kill(-job.group, SIGCONT);
    job_foreground(&job);
    free(job.text);
    return last_status;
}

int builtin_bg(char** words) {
    struct job* job = job_from_words(words);
    if (!job)
        return 1;
    job->stopped = 0;
    printf("[%d] %s &\n", (int)(job - jobs) + 1, job->text);
    return kill(-job->group, SIGCONT) == 0 ? 0 : 1;
}
