/* free: memory figures, from Kite's /proc/kite/memory (free frames and kernel
 * heap use). Kite-only: on other systems the file does not exist. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char** argv) {
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: free\n");
        return 2;
    }
    FILE* stats = fopen("/proc/kite/memory", "r");
    if (!stats) {
        fprintf(stderr, "free: /proc/kite/memory: %s\n", strerror(errno));
        return 1;
    }
    unsigned long frames = 0, objects = 0, bytes = 0;
    int got =
        fscanf(stats, "free_frames %lu heap_objects %lu heap_bytes %lu", &frames, &objects, &bytes);
    fclose(stats);
    if (got != 3) {
        fprintf(stderr, "free: /proc/kite/memory: unexpected format\n");
        return 1;
    }
    printf("free memory:  %lu KiB (%lu frames of 4 KiB)\n", frames * 4, frames);
    printf("kernel heap:  %lu bytes in %lu objects\n", bytes, objects);
    return 0;
}
