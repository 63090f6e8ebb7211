/* memory: brk, mmap, munmap, mprotect with good and bad arguments, and
 * demand-zero pages that really hold what is written to them. */
#include "check.h"

#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20

static long map(long address, long length, long protection, long flags) {
    return sys6(SYS_mmap, address, length, protection, flags, -1, 0);
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
    CHECK_ERRNO(map(0, 4096, PROT_READ, MAP_PRIVATE), EBADF);    /* a file mapping, fd -1 */
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
    return check_done("memory");
}
