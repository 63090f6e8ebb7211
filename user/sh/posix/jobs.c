/* jobs.c: background jobs, for wait, jobs, fg and bg. A first version:
 * a table of background pids with their statuses once reaped, without
 * process groups (job control is not done yet). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "builtins.h"
#include "exec_private.h"
#include "shell.h"

struct job {
    pid_t pid;
    int done, status;
};
static struct job* jobs;
static int job_count;

void jobs_init(void) {}

void job_add(pid_t pid, const char* text) {
    (void)text;
    jobs = xrealloc(jobs, sizeof *jobs * (size_t)(job_count + 1));
    jobs[job_count].pid = pid;
    jobs[job_count].done = 0;
    jobs[job_count].status = 0;
    job_count++;
}

/* Forgets job i once its status has been collected. */
static void job_remove(int i) {
    memmove(&jobs[i], &jobs[i + 1], sizeof *jobs * (size_t)(job_count - i - 1));
    job_count--;
}

int job_wait(pid_t pid, int* status) {
    for (int i = 0; i < job_count; i++) {
        if (jobs[i].pid != pid)
            continue;
        *status = jobs[i].done ? jobs[i].status : wait_status(pid);
        job_remove(i);
        return 0;
    }
    return -1;
}

void jobs_wait_all(void) {
    while (job_count > 0) {
        if (!jobs[0].done)
            wait_status(jobs[0].pid);
        job_remove(0);
    }
}

/* %N, %% or %+ (the most recent job), %- (the one before): its pid, or 0
 * after reporting as dash does. (Jobs have no command text yet, so
 * %string and %?string are not understood.) */
pid_t job_pid(const char* spec) {
    const char* rest = spec + 1;
    int index = -1;
    if (!*rest || strcmp(rest, "%") == 0 || strcmp(rest, "+") == 0) {
        if (job_count == 0) {
            sh_error("kill: No current job");
            return 0;
        }
        index = job_count - 1;
    } else if (strcmp(rest, "-") == 0) {
        index = job_count - 2;
    } else {
        char* end;
        long n = strtol(rest, &end, 10);
        if (*end == '\0' && *rest >= '0' && *rest <= '9' && n >= 1 && n <= job_count)
            index = (int)n - 1;
    }
    if (index < 0) {
        sh_error("kill: No such job: %s", spec);
        return 0;
    }
    return jobs[index].pid;
}

int builtin_jobs(int argc, char** argv) {
    (void)argc;
    (void)argv;
    for (int i = 0; i < job_count; i++)
        printf("[%d] %d Running\n", i + 1, (int)jobs[i].pid);
    return 0;
}

/* fg %n or the most recent job: waits for it in the foreground. */
int builtin_fg(int argc, char** argv) {
    if (job_count == 0) {
        sh_error("%s: No current job", argv[0]);
        return 2;
    }
    int index = job_count - 1;
    if (argc > 1 && argv[1][0] == '%')
        index = atoi(argv[1] + 1) - 1;
    if (index < 0 || index >= job_count) {
        sh_error("%s: %s: No such job", argv[0], argv[1]);
        return 2;
    }
    int status;
    job_wait(jobs[index].pid, &status);
    return status;
}

int builtin_bg(int argc, char** argv) {
    (void)argc;
    (void)argv;
    return 0;
}
