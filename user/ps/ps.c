/* ps: lists processes from /proc, as Linux's procps does: every numeric
 * directory of /proc is a process, and its /proc/PID/stat gives
 * PID PPID PGID SID STATE TIME NAME (TIME is user and system CPU time).
 * STATE is proc(5)'s: R running, S sleeping, D disk sleep, T stopped,
 * Z zombie. Sorted by pid, oldest first. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct process {
    int pid, ppid, pgid, sid;
    char state;
    unsigned long ticks; /* utime + stime, in clock ticks */
    char name[64];
};

/* Fills p from /proc/PID/stat; 0 if the process went away meanwhile. */
static int read_process(int pid, struct process* p) {
    char path[32], text[1024];
    snprintf(path, sizeof(path), "/proc/%d/stat", pid);
    FILE* f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    /* The name is in parentheses and may hold spaces or ')': the fields
     * go on after the last ')'. */
    char* open = strchr(text, '(');
    char* close = strrchr(text, ')');
    if (!open || !close || close < open)
        return 0;
    size_t length = (size_t)(close - open - 1);
    if (length >= sizeof(p->name))
        length = sizeof(p->name) - 1;
    memcpy(p->name, open + 1, length);
    p->name[length] = '\0';
    unsigned long utime = 0, stime = 0;
    /* state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
     * cmajflt utime stime */
    if (sscanf(close + 1, " %c %d %d %d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &p->state, &p->ppid,
               &p->pgid, &p->sid, &utime, &stime) != 6)
        return 0;
    p->pid = pid;
    p->ticks = utime + stime;
    return 1;
}

static int by_pid(const void* a, const void* b) {
    return ((const struct process*)a)->pid - ((const struct process*)b)->pid;
}

int main(int argc, char** argv) {
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: ps\n");
        return 2;
    }
    DIR* proc = opendir("/proc");
    if (!proc) {
        fprintf(stderr, "ps: /proc: %s\n", strerror(errno));
        return 1;
    }
    size_t count = 0, capacity = 64;
    struct process* list = malloc(capacity * sizeof(*list));
    struct dirent* entry;
    while (list && (entry = readdir(proc))) {
        if (!isdigit((unsigned char)entry->d_name[0]))
            continue;
        if (count == capacity) {
            capacity *= 2;
            struct process* grown = realloc(list, capacity * sizeof(*list));
            if (!grown)
                break;
            list = grown;
        }
        if (read_process(atoi(entry->d_name), &list[count]))
            ++count;
    }
    closedir(proc);
    if (!list) {
        fprintf(stderr, "ps: out of memory\n");
        return 1;
    }
    qsort(list, count, sizeof(*list), by_pid);
    const unsigned long hz = 100; /* USER_HZ, the unit of stat's times on x86-64 */
    printf("%5s %5s %5s %5s %-5s %10s %s\n", "PID", "PPID", "PGID", "SID", "STATE", "TIME", "NAME");
    for (size_t i = 0; i < count; ++i) {
        const struct process* p = &list[i];
        unsigned long cs = p->ticks * 100 / hz; /* hundredths of a second */
        printf("%5d %5d %5d %5d %-5c %4lu:%02lu.%02lu %s\n", p->pid, p->ppid, p->pgid, p->sid,
               p->state, cs / 6000, cs / 100 % 60, cs % 100, p->name);
    }
    free(list);
    return 0;
}
