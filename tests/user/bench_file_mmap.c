/* bench_file_mmap: cycles (rdtsc) per page fault on a MAP_SHARED mapping
 * of a tmpfs file: a store to each of 256 pages the file already has
 * (the fault maps the page cache's frame), and a store to each of 256
 * pages of a file just grown by ftruncate (the fault also makes the page).
 * Median of 5 rounds; prints "UBENCH <name> <cycles>". Runs on Kite and as
 * /init under Linux (where a tmpfs is mounted on /tmp first). */
#include "check.h"

#define PAGES 256
#define ROUNDS 5
#define PAGE 4096L

static long median(long* v) {
    for (int i = 1; i < ROUNDS; ++i) {
        for (int j = i; j > 0 && v[j] < v[j - 1]; --j) {
            long t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    }
    return v[ROUNDS / 2];
}

/* Cycles per page to store into each page of a fresh shared mapping of fd. */
static long touch_all(long fd) {
    volatile char* m = (volatile char*)sys6(SYS_mmap, 0, PAGES * PAGE, 3 /* READ|WRITE */,
                                            1 /* MAP_SHARED */, fd, 0);
    if ((long)m < 0) {
        return -1;
    }
    unsigned long start = rt_rdtsc();
    for (long i = 0; i < PAGES; ++i) {
        m[i * PAGE] = 1;
    }
    long cycles = (long)((rt_rdtsc() - start) / PAGES);
    sys2(SYS_munmap, (long)m, PAGES * PAGE);
    return cycles;
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    if (!on_kite()) {
        sys2(83 /* mkdir */, (long)"/tmp", 01777);
        sys6(165 /* mount */, (long)"tmpfs", (long)"/tmp", (long)"tmpfs", 0, 0, 0);
    }
    long fd = sys3(SYS_open, (long)"/tmp/bench_file_mmap", 0102 /* O_RDWR|O_CREAT */, 0644);
    long present[ROUNDS];
    long fresh[ROUNDS];
    for (int r = 0; r < ROUNDS && fd >= 0; ++r) {
        sys2(SYS_ftruncate, fd, 0);
        sys2(SYS_ftruncate, fd, PAGES * PAGE);
        fresh[r] = touch_all(fd);   /* the pages are made by the faults */
        present[r] = touch_all(fd); /* now they are in the cache */
    }
    if (fd >= 0) {
        bench_report("file_shared_fault_present", median(present));
        bench_report("file_shared_fault_new_page", median(fresh));
        sys1(SYS_unlink, (long)"/tmp/bench_file_mmap");
    }
    if (!on_kite()) { /* /init under Linux must not exit: power off instead */
        sys4(169 /* reboot */, 0xfee1dead, 672274793, 0x4321fedc, 0);
    }
    return 0;
}
