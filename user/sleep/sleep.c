/* sleep: waits for a number of seconds (fractions allowed: sleep 0.5). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char** argv) {
    char* end = NULL;
    double seconds = argc == 2 ? strtod(argv[1], &end) : -1;
    if (argc != 2 || !end || *end || seconds < 0) {
        fprintf(stderr, "usage: sleep seconds\n");
        return 2;
    }
    struct timespec wanted = {(time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9)};
    struct timespec remaining;
    while (nanosleep(&wanted, &remaining) != 0 && errno == EINTR)
        wanted = remaining;
    return 0;
}
