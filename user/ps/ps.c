/* ps: lists processes, from Kite's /dev/kiteps (one line per process:
 * PID PPID PGID SID STATE TIME NAME, TIME in milliseconds of CPU). STATE is
 * R (running or waiting), T (stopped) or Z (zombie). Kite-only: there is no
 * /proc. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv) {
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: ps\n");
        return 2;
    }
    int fd = open("/dev/kiteps", O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "ps: /dev/kiteps: %s\n", strerror(errno));
        return 1;
    }
    /* The device makes its text afresh on every read: take it in one read. */
    static char text[16384];
    int n = read(fd, text, sizeof(text) - 1);
    close(fd);
    if (n < 0) {
        fprintf(stderr, "ps: /dev/kiteps: %s\n", strerror(errno));
        return 1;
    }
    text[n] = '\0';
    char* save = NULL;
    for (char* line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        int pid, ppid, pgid, sid;
        unsigned long ms;
        char state[4], name[64];
        if (sscanf(line, "%d %d %d %d %3s %lu %63s", &pid, &ppid, &pgid, &sid, state, &ms, name) ==
            7)
            printf("%5d %5d %5d %5d %-5s %4lu:%02lu.%02lu %s\n", pid, ppid, pgid, sid, state,
                   ms / 60000, ms / 1000 % 60, ms / 10 % 100, name);
        else /* the header */
            printf("%5s %5s %5s %5s %-5s %10s %s\n", "PID", "PPID", "PGID", "SID", "STATE", "TIME",
                   "NAME");
    }
    return 0;
}
