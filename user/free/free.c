/* free: memory use from /proc/meminfo, in procps free's layout (KiB):
 * total, used (total - free - buffers - cache), free, shared, buff/cache
 * and available, then swap. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

struct figure {
    const char* name;
    unsigned long kib;
};

int main(int argc, char** argv) {
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: free\n");
        return 2;
    }
    FILE* meminfo = fopen("/proc/meminfo", "r");
    if (!meminfo) {
        fprintf(stderr, "free: /proc/meminfo: %s\n", strerror(errno));
        return 1;
    }
    struct figure figures[] = {
        {"MemTotal", 0}, {"MemFree", 0},      {"MemAvailable", 0}, {"Buffers", 0},  {"Cached", 0},
        {"Shmem", 0},    {"SReclaimable", 0}, {"SwapTotal", 0},    {"SwapFree", 0},
    };
    enum { total, free_, available, buffers, cached, shmem, reclaimable, swap_total, swap_free };
    char line[128];
    while (fgets(line, sizeof(line), meminfo)) {
        char name[64];
        unsigned long kib;
        if (sscanf(line, "%63[^:]: %lu", name, &kib) != 2)
            continue;
        for (size_t i = 0; i < sizeof(figures) / sizeof(figures[0]); ++i)
            if (strcmp(name, figures[i].name) == 0)
                figures[i].kib = kib;
    }
    fclose(meminfo);
    if (figures[total].kib == 0) {
        fprintf(stderr, "free: /proc/meminfo: no MemTotal\n");
        return 1;
    }
    unsigned long cache = figures[buffers].kib + figures[cached].kib + figures[reclaimable].kib;
    unsigned long used = figures[total].kib - figures[free_].kib;
    used = used > cache ? used - cache : 0;
    printf("%20s %11s %11s %11s %11s %11s\n", "total", "used", "free", "shared", "buff/cache",
           "available");
    printf("%-8s%12lu %11lu %11lu %11lu %11lu %11lu\n", "Mem:", figures[total].kib, used,
           figures[free_].kib, figures[shmem].kib, cache, figures[available].kib);
    printf("%-8s%12lu %11lu %11lu\n", "Swap:", figures[swap_total].kib,
           figures[swap_total].kib - figures[swap_free].kib, figures[swap_free].kib);
    return 0;
}
