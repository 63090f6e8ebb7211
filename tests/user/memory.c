/* memory: brk, mmap, munmap, mprotect with good and bad arguments, and
 * demand-zero pages that really hold what is written to them. */
#include "check.h"

#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20

static long map(long address, long length, long protection, long flags) {
    return sys6(SYS_mmap, address, length, protection, flags, -1, 0);
}

static long wait_for(long pid) {
    int status = -1;
    long got = sys4(SYS_wait4, pid, (long)&status, 0, 0);
    return got == pid ? status : -1;
}

/* mprotect(PROT_READ|PROT_WRITE) on a page still shared copy-on-write
 * after fork must not make the shared frame writable: each side's writes
 * stay its own, in both directions. */
static void mprotect_respects_copy_on_write(void) {
    volatile char* page =
        (volatile char*)map(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    CHECK((long)page > 0);
    page[0] = 'A';
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        /* Child: make it writable again (it already is, per the region),
         * write, and leave. */
        if (sys3(SYS_mprotect, (long)page, 4096, PROT_READ | PROT_WRITE) != 0) {
            sys1(SYS_exit, 2);
        }
        page[0] = 'B';
        sys1(SYS_exit, page[0] == 'B' ? 0 : 3);
    }
    CHECK_EQ(wait_for(pid), 0);
    CHECK_EQ(page[0], 'A'); /* the child's write stayed in the child */
    /* The other way: the parent re-protects and writes; the child must
     * still see the old byte. */
    long to_child[2];
    int fds[2];
    CHECK_EQ(sys1(SYS_pipe, (long)fds), 0);
    to_child[0] = fds[0];
    to_child[1] = fds[1];
    pid = sys0(SYS_fork);
    if (pid == 0) {
        char go;
        sys3(SYS_read, to_child[0], (long)&go, 1);
        sys1(SYS_exit, page[0] == 'A' ? 0 : 4);
    }
    CHECK_EQ(sys3(SYS_mprotect, (long)page, 4096, PROT_READ), 0);
    CHECK_EQ(sys3(SYS_mprotect, (long)page, 4096, PROT_READ | PROT_WRITE), 0);
    page[0] = 'C';
    CHECK_EQ(sys3(SYS_write, to_child[1], (long)"g", 1), 1);
    CHECK_EQ(wait_for(pid), 0);
    CHECK_EQ(page[0], 'C');
    sys1(SYS_close, to_child[0]);
    sys1(SYS_close, to_child[1]);
    sys2(SYS_munmap, (long)page, 4096);
}

/* MAP_SHARED|MAP_ANONYMOUS memory is one memory for parent and child, also
 * pages neither had touched before fork, and survives an munmap in one
 * of them. */
static void shared_anonymous_memory_is_shared_after_fork(void) {
    const long size = 8 * 4096;
    volatile long* shared =
        (volatile long*)map(0, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
    CHECK((long)shared > 0);
    shared[0] = 7; /* touched before fork */
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        if (shared[0] != 7) {
            sys1(SYS_exit, 2);
        }
        shared[0] = 8;                        /* a page both had */
        shared[512 * 5] = 9;                  /* a page nobody had touched */
        sys2(SYS_munmap, (long)shared, size); /* the parent keeps it */
        sys1(SYS_exit, 0);
    }
    CHECK_EQ(wait_for(pid), 0);
    CHECK_EQ(shared[0], 8);
    CHECK_EQ(shared[512 * 5], 9);
    CHECK_EQ(shared[512 * 6], 0);
    /* A private mapping next to it is still copied on write. */
    volatile long* private_page =
        (volatile long*)map(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    private_page[0] = 1;
    pid = sys0(SYS_fork);
    if (pid == 0) {
        private_page[0] = 2;
        shared[1] = 3;
        sys1(SYS_exit, 0);
    }
    CHECK_EQ(wait_for(pid), 0);
    CHECK_EQ(private_page[0], 1);
    CHECK_EQ(shared[1], 3);
    /* Part of it unmapped and the rest still shared. */
    CHECK_EQ(sys2(SYS_munmap, (long)shared, 4096), 0);
    pid = sys0(SYS_fork);
    if (pid == 0) {
        shared[512 * 7] = 11;
        sys1(SYS_exit, 0);
    }
    CHECK_EQ(wait_for(pid), 0);
    CHECK_EQ(shared[512 * 7], 11);
    CHECK_EQ(sys2(SYS_munmap, (long)shared + 4096, size - 4096), 0);
    sys2(SYS_munmap, (long)private_page, 4096);
}

/* The errno of munmap and mprotect for ranges outside user space, as Linux
 * answers: munmap checks the range first and gives EINVAL for one that is
 * not wholly below TASK_SIZE (0x7ffffffff000); mprotect gives ENOMEM for
 * any range with an unmapped part (kernel addresses and ranges that wrap
 * included), EINVAL only for a bad address or protection, and succeeds on
 * an empty range. Kite answered ENOMEM to both (and EINVAL to an empty
 * mprotect). */
#define TASK_TOP 0x7ffffffff000L
#define PROT_SEM 0x8
#define PROT_GROWSDOWN 0x01000000
#define PROT_GROWSUP 0x02000000
static void ranges_outside_user_space(void) {
    CHECK_ERRNO(sys2(SYS_munmap, 0x800000000000L, 4096), EINVAL);
    CHECK_ERRNO(sys2(SYS_munmap, (long)0xffff800000000000UL, 4096), EINVAL);
    CHECK_ERRNO(sys2(SYS_munmap, (long)0xfffffffffffff000UL, 4096), EINVAL);
    CHECK_ERRNO(sys2(SYS_munmap, TASK_TOP, 4096), EINVAL);
    CHECK_ERRNO(sys2(SYS_munmap, TASK_TOP - 4096, 8192), EINVAL);
    CHECK_ERRNO(sys2(SYS_munmap, TASK_TOP - 4096, 4097), EINVAL);
    CHECK_ERRNO(sys2(SYS_munmap, 0x10000, -1L), EINVAL);
    CHECK_ERRNO(sys2(SYS_munmap, 0x10000, -4096L), EINVAL);
    CHECK_ERRNO(sys2(SYS_munmap, 0x10000, 1L << 62), EINVAL);
    CHECK_ERRNO(sys2(SYS_munmap, 0x10000, TASK_TOP), EINVAL);
    CHECK_ERRNO(sys2(SYS_munmap, (long)0xffff800000000001UL, 0), EINVAL);
    CHECK_EQ(sys2(SYS_munmap, 0x7ff000000000L, 4096), 0); /* nothing there: fine */

    CHECK_ERRNO(sys3(SYS_mprotect, 0x800000000000L, 4096, PROT_READ), ENOMEM);
    CHECK_ERRNO(sys3(SYS_mprotect, (long)0xffff800000000000UL, 4096, PROT_READ), ENOMEM);
    CHECK_ERRNO(sys3(SYS_mprotect, (long)0xfffffffffffff000UL, 4096, PROT_READ), ENOMEM);
    CHECK_ERRNO(sys3(SYS_mprotect, (long)0xfffffffffffff000UL, 1, PROT_READ), ENOMEM);
    CHECK_ERRNO(sys3(SYS_mprotect, TASK_TOP, 4096, PROT_READ), ENOMEM);
    /* Past the top from a hole (Kite's stack ends at the top, Linux's
     * below it: a range from a stack page would change it on both). */
    CHECK_ERRNO(sys3(SYS_mprotect, 0x7ff000000000L, TASK_TOP - 0x7ff000000000L + 4096, PROT_READ),
                ENOMEM);
    CHECK_ERRNO(sys3(SYS_mprotect, 0x10000, -1L, PROT_READ), ENOMEM);
    CHECK_ERRNO(sys3(SYS_mprotect, 0x10000, -4096L, PROT_READ), ENOMEM);
    CHECK_ERRNO(sys3(SYS_mprotect, 0x10000, 1L << 62, PROT_READ), ENOMEM);
    /* An empty range is no error, even with a bad protection; a bad
     * address is. The range wrapping is found before a bad protection. */
    CHECK_EQ(sys3(SYS_mprotect, 0x10000, 0, PROT_READ), 0);
    CHECK_EQ(sys3(SYS_mprotect, 0x10000, 0, 0x40), 0);
    CHECK_ERRNO(sys3(SYS_mprotect, 0x10001, 0, PROT_READ), EINVAL);
    CHECK_ERRNO(sys3(SYS_mprotect, 0x10000, 4096, 0x40), EINVAL);
    CHECK_ERRNO(sys3(SYS_mprotect, 0x10000, -1L, 0x40), ENOMEM);
    CHECK_ERRNO(sys3(SYS_mprotect, 0x800000000000L, 4096, 0x40), EINVAL);
    CHECK_ERRNO(sys3(SYS_mprotect, 0x10000, 4096, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP),
                EINVAL);
    /* PROT_SEM is a valid bit; PROT_GROWSDOWN and PROT_GROWSUP only need
     * a region that grows: where nothing is mapped the range is ENOMEM. */
    CHECK_ERRNO(sys3(SYS_mprotect, 0x7ff000000000L, 4096, PROT_READ | PROT_SEM), ENOMEM);
    CHECK_ERRNO(sys3(SYS_mprotect, 0x7ff000000000L, 4096, PROT_READ | PROT_GROWSDOWN), ENOMEM);
    CHECK_ERRNO(sys3(SYS_mprotect, 0x7ff000000000L, 4096, PROT_READ | PROT_GROWSUP), ENOMEM);

    long m = map(0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    CHECK(m > 0);
    CHECK_EQ(sys2(SYS_munmap, m + 8192, 4096), 0);
    CHECK_EQ(sys3(SYS_mprotect, m, 4096, PROT_READ | PROT_WRITE | PROT_SEM), 0);
    ((volatile char*)m)[0] = 1; /* still writable */
    CHECK_ERRNO(sys3(SYS_mprotect, m, 4096, PROT_READ | PROT_GROWSDOWN), EINVAL);
    CHECK_ERRNO(sys3(SYS_mprotect, m, 4096, PROT_READ | PROT_GROWSUP), EINVAL);
    CHECK_ERRNO(sys3(SYS_mprotect, m, 4096, 0x10), EINVAL);
    CHECK_EQ(sys3(SYS_mprotect, m, 0, 0x10), 0);
    /* A range that runs past the mapping into nothing: ENOMEM. */
    CHECK_ERRNO(sys3(SYS_mprotect, m + 4096, 8192, PROT_READ | PROT_WRITE), ENOMEM);
    CHECK_EQ(sys2(SYS_munmap, m, 8192), 0);
    /* mmap does not check the protection's other bits at all. */
    long odd = map(0, 4096, PROT_READ | PROT_WRITE | PROT_SEM | 0x10, MAP_PRIVATE | MAP_ANONYMOUS);
    CHECK(odd > 0);
    if (odd > 0) {
        ((volatile char*)odd)[0] = 1;
        CHECK_EQ(sys2(SYS_munmap, odd, 4096), 0);
    }

    /* The main thread's stack grows down: PROT_GROWSDOWN there takes the
     * range down to the stack's start (what glibc does to make a stack
     * executable). */
    volatile char here = 1;
    const long stack_page = (long)&here & ~4095L;
    CHECK_EQ(sys3(SYS_mprotect, stack_page, 4096, PROT_READ | PROT_WRITE | PROT_GROWSDOWN), 0);
    here = 2;
    CHECK_EQ(here, 2);
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    /* brk: query, grow, use, shrink; impossible requests leave it alone. */
    const long start = sys1(SYS_brk, 0);
    CHECK(start > 0);
    CHECK_EQ(sys1(SYS_brk, start + (1 << 20)), start + (1 << 20));
    char* heap = (char*)start;
    heap[0] = 1;
    heap[(1 << 20) - 1] = 2;
    CHECK(heap[0] == 1 && heap[(1 << 20) - 1] == 2 && heap[4096 * 7] == 0);
    CHECK_EQ(sys1(SYS_brk, start + 4096), start + 4096);
    CHECK_EQ(sys1(SYS_brk, start - (1L << 30)), start + 4096); /* below the start: refused */
    CHECK_EQ(sys1(SYS_brk, 0x7fffffffffffL), start + 4096);
    CHECK_EQ(sys1(SYS_brk, start), start);

    /* Anonymous private mappings are zero-filled and writable. */
    const long size = 64 * 4096;
    long area = map(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    CHECK(area > 0 && area % 4096 == 0);
    long* words = (long*)area;
    long sum = 0;
    for (long i = 0; i < size / 8; i += 512) {
        sum += words[i];
        words[i] = i;
    }
    CHECK_EQ(sum, 0);
    CHECK_EQ(words[512 * 10], 512 * 10);
    /* The kernel reads what user space wrote, page by page. */
    long null = sys3(SYS_open, (long)"/dev/null", 1, 0);
    CHECK_EQ(sys3(SYS_write, null, area, size), size);
    sys1(SYS_close, null);

    /* MAP_FIXED replaces what was there. */
    long fixed =
        map(area + 4096, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    CHECK_EQ(fixed, area + 4096);
    CHECK_EQ(words[512], 0);
    CHECK_EQ(words[1024], 1024);

    /* Read-only memory cannot be a read() target: the kernel gets EFAULT. */
    CHECK_EQ(sys3(SYS_mprotect, area, 4096, PROT_READ), 0);
    long zero = sys3(SYS_open, (long)"/dev/zero", 0, 0);
    CHECK_ERRNO(sys3(SYS_read, zero, area, 16), EFAULT);
    CHECK_EQ(sys3(SYS_read, zero, area + 8192, 16), 16);
    CHECK_EQ(sys3(SYS_mprotect, area, 4096, PROT_READ | PROT_WRITE), 0);
    CHECK_EQ(sys3(SYS_read, zero, area, 16), 16);

    CHECK_EQ(sys2(SYS_munmap, area, size), 0);
    CHECK_ERRNO(sys3(SYS_read, zero, area, 16), EFAULT); /* gone */
    CHECK_EQ(sys2(SYS_munmap, area, size), 0);           /* unmapping nothing is fine */
    sys1(SYS_close, zero);

    /* Bad arguments. */
    CHECK_ERRNO(map(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS), EINVAL);
    CHECK_ERRNO(map(0, 4096, PROT_READ, MAP_ANONYMOUS), EINVAL); /* neither private nor shared */
    /* Flags Linux does not check are ignored (glibc maps thread stacks
     * with MAP_STACK); MAP_SHARED_VALIDATE is no type for anonymous memory. */
    long stack_like = map(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | 0x20000);
    CHECK(stack_like > 0);
    sys2(SYS_munmap, stack_like, 8192);
    long odd = map(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | 0x8000000);
    CHECK(odd > 0);
    sys2(SYS_munmap, odd, 4096);
    CHECK_ERRNO(map(0, 4096, PROT_READ, 0x03 | MAP_ANONYMOUS), EINVAL);
    CHECK_ERRNO(map(0, 4096, PROT_READ, 0x04 | MAP_ANONYMOUS), EINVAL);
    CHECK_ERRNO(map(0, 4096, PROT_READ, MAP_PRIVATE), EBADF); /* a file mapping, fd -1 */
    CHECK_ERRNO(map(0x10001, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED), EINVAL);
    CHECK_ERRNO(map(0, 1L << 62, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS), ENOMEM);
    CHECK_ERRNO(sys2(SYS_munmap, 0x10001, 4096), EINVAL);
    CHECK_ERRNO(sys2(SYS_munmap, 0x10000, 0), EINVAL);
    CHECK_ERRNO(sys3(SYS_mprotect, 0x10001, 4096, PROT_READ), EINVAL);
    CHECK_ERRNO(sys3(SYS_mprotect, 0x7ff000000000L, 4096, PROT_READ), ENOMEM); /* not mapped */
    /* The last page of user space is never mappable (a syscall there would
     * return to a non-canonical address). */
    CHECK_ERRNO(map(0x7ffffffff000L, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED),
                ENOMEM);

    /* A 64 TiB PROT_NONE reservation costs nothing to make, protect or
     * drop (the kernel must not walk it page by page). */
    const long huge = 64L << 40;
    long reserved = map(0, huge, 0, MAP_PRIVATE | MAP_ANONYMOUS | 0x4000 /* MAP_NORESERVE */);
    CHECK(reserved > 0);
    CHECK_EQ(sys3(SYS_mprotect, reserved, huge, PROT_READ), 0);
    CHECK_EQ(sys2(SYS_munmap, reserved, huge), 0);

    /* PROT_NONE and read-only memory are off limits to the kernel's copies
     * too: writing a PROT_NONE buffer to a file is EFAULT. */
    long page = map(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    ((char*)page)[0] = 'p';
    CHECK_EQ(sys3(SYS_mprotect, page, 4096, 0), 0);
    long file = sys3(SYS_open, (long)"/tmp/kite-memory-test", 0102 /* O_RDWR|O_CREAT */, 0600);
    CHECK(file >= 0);
    CHECK_ERRNO(sys3(SYS_write, file, page, 16), EFAULT);
    CHECK_EQ(sys3(SYS_mprotect, page, 4096, PROT_READ), 0);
    CHECK_EQ(sys3(SYS_write, file, page, 16), 16);
    CHECK_EQ(sys3(SYS_lseek, file, 0, 0), 0);
    CHECK_ERRNO(sys3(SYS_read, file, page, 16), EFAULT); /* read-only target */
    sys1(SYS_close, file);
    sys1(SYS_unlink, (long)"/tmp/kite-memory-test");
    sys2(SYS_munmap, page, 4096);

    /* A large mapping touched everywhere, then released. */
    const long big = 16L << 20;
    long large = map(0, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    CHECK(large > 0);
    for (long offset = 0; offset < big; offset += 4096) {
        ((char*)large)[offset] = (char)offset;
    }
    CHECK_EQ(((char*)large)[big - 4096], (char)(big - 4096));
    CHECK_EQ(sys2(SYS_munmap, large, big), 0);

    /* Growing the break keeps what mprotect did inside the heap: the
     * PROT_NONE page stays off limits (a child that writes it dies of
     * SIGSEGV; Kite once let the write through) and the pages around it
     * stay read-write. */
    const long heap_start = sys1(SYS_brk, 0);
    CHECK_EQ(sys1(SYS_brk, heap_start + 3 * 4096), heap_start + 3 * 4096);
    volatile char* heap_bytes = (volatile char*)heap_start;
    heap_bytes[0] = 1;
    heap_bytes[4096] = 2;
    CHECK_EQ(sys3(SYS_mprotect, heap_start, 4096, 0), 0);
    CHECK_EQ(sys1(SYS_brk, heap_start + 5 * 4096), heap_start + 5 * 4096);
    heap_bytes[4096 * 4] = 3;
    CHECK_EQ(heap_bytes[4096], 2);
    long reader = sys0(SYS_fork);
    if (reader == 0) {
        heap_bytes[0] = 5; /* must fault */
        sys1(SYS_exit, 0);
    }
    CHECK_EQ(wait_for(reader) & 0x7f, 11); /* killed by SIGSEGV */
    CHECK_EQ(sys1(SYS_brk, heap_start), heap_start);

    mprotect_respects_copy_on_write();
    ranges_outside_user_space();
    shared_anonymous_memory_is_shared_after_fork();
    return check_done("memory");
}
