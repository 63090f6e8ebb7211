/* uptime: how long the system has been running (the monotonic clock
 * counts from boot). */
#include <stdio.h>
#include <time.h>

int main(int argc, char** argv) {
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: uptime\n");
        return 2;
    }
    struct timespec now;
    if (clock_gettime(CLOCK_MONOTONIC, &now) < 0) {
        perror("uptime");
        return 1;
    }
    long seconds = (long)now.tv_sec;
    printf("up %ld:%02ld:%02ld (%ld.%02ld s)\n", seconds / 3600, seconds / 60 % 60, seconds % 60,
           seconds, now.tv_nsec / 10000000);
    return 0;
}
