/* jobs.c: background and stopped jobs. A job is one process group; the
 * table holds those the shell is not waiting for in the foreground. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sh.h"

enum { MAX_JOBS = 16 };
struct job {
    pid_t group; /* 0: free slot */
    int stopped;
    char* text;
};
static struct job jobs[MAX_JOBS];

void job_add(pid_t group, const char* text, int stopped) {
    for (int i = 0; i < MAX_JOBS; ++i) {
        if (jobs[i].group == 0) {
            jobs[i].group = group;
            jobs[i].stopped = stopped;
            jobs[i].text = strdup(text ? text : "");
            if (stopped)
                printf("[%d] Stopped %s\n", i + 1, jobs[i].text);
            else if (interactive) /* as other shells: scripts stay quiet */
                printf("[%d] %d\n", i + 1, (int)group);
            return;
        }
    }
    fprintf(stderr, "sh: too many jobs; %d is not tracked\n", (int)group);
}

static void job_remove(struct job* job) {
    free(job->text);
    memset(job, 0, sizeof(*job));
}

/* Status text for a child that ended by a signal, as shells print it. */
static void report_signal(int status) {
    int sig = WTERMSIG(status);
    if (sig == SIGINT)
        printf("\n");
    else
        printf("%s%s\n", strsignal(sig), (status & 0x80) ? " (core dumped)" : "");
}

/* Waits for a foreground group of `count` processes; the last to be
 * reaped is not necessarily the pipeline's last command, so the status
 * taken is that of the group's last-started process when it is known.
 * Leaves last_status set. */
void job_wait_foreground(pid_t group, int count, const char* text) {
    int remaining = count;
    int final_status = 0;
    int stopped = 0;
    while (remaining > 0) {
        int status = 0;
        pid_t pid = waitpid(-group, &status, WUNTRACED);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (WIFSTOPPED(status)) {
            stopped = 1;
            final_status = 128 + WSTOPSIG(status);
            break;
        }
        --remaining;
        final_status = status; /* the last one reaped (in a pipeline, usually the last command) */
    }
    if (interactive)
        tcsetpgrp(0, getpgrp());
    if (stopped) {
        printf("\n");
        job_add(group, text, 1);
        last_status = final_status;
        return;
    }
    if (WIFSIGNALED(final_status)) {
        report_signal(final_status);
        last_status = 128 + WTERMSIG(final_status);
    } else {
        last_status = WEXITSTATUS(final_status);
    }
}

void jobs_reap(void) {
    for (int i = 0; i < MAX_JOBS; ++i) {
        struct job* job = &jobs[i];
        if (!job->group)
            continue;
        int status;
        pid_t pid;
        while ((pid = waitpid(-job->group, &status, WNOHANG)) > 0) {
        }
        /* ECHILD: every process of the group is gone. */
        if (pid < 0 && errno == ECHILD) {
            printf("[%d] Done %s\n", i + 1, job->text);
            job_remove(job);
        }
    }
}

static struct job* job_from_words(char** words) {
    int number = 0;
    if (words[1])
        number = atoi(words[1][0] == '%' ? words[1] + 1 : words[1]);
    else
        for (int i = MAX_JOBS - 1; i >= 0 && !number; --i)
            if (jobs[i].group)
                number = i + 1;
    if (number < 1 || number > MAX_JOBS || !jobs[number - 1].group) {
        fprintf(stderr, "%s: no such job\n", words[0]);
        return NULL;
    }
    return &jobs[number - 1];
}

int builtin_jobs(char** words) {
    (void)words;
    jobs_reap();
    for (int i = 0; i < MAX_JOBS; ++i)
        if (jobs[i].group)
            printf("[%d] %s %s\n", i + 1, jobs[i].stopped ? "Stopped" : "Running", jobs[i].text);
    return 0;
}

int builtin_fg(char** words) {
    struct job* job = job_from_words(words);
    if (!job)
        return 1;
    pid_t group = job->group;
    char* text = strdup(job->text);
    job_remove(job);
    printf("%s\n", text);
    fflush(stdout);
    if (interactive)
        tcsetpgrp(0, group);
    kill(-group, SIGCONT);
    /* The group's size is not tracked; wait until it has no members left or stops. */
    job_wait_foreground(group, MAX_COMMANDS, text);
    free(text);
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
