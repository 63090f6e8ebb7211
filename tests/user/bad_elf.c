/* bad_elf: execve of ELF files broken in one field at a time. Each must
 * fail and leave this process running; none may hurt the kernel. The
 * files are made from a good program (test data "not_executable", a copy
 * of /bin/hello) and written to /tmp. Linux accepts some of these (a
 * writable and executable segment, an entry point outside the segments),
 * so those are checked on Kite only. */
#include "check.h"

#define O_RDONLY 0
#define O_RDWR 2
#define O_CREAT 0100
#define O_TRUNC 01000

static unsigned char good[262144];
static unsigned char bad[262144];
static long good_size;

static void put16(unsigned char* at, unsigned v) {
    at[0] = v & 0xff;
    at[1] = (v >> 8) & 0xff;
}
static void put32(unsigned char* at, unsigned v) {
    for (int i = 0; i < 4; ++i)
        at[i] = (v >> (8 * i)) & 0xff;
}
static void put64(unsigned char* at, unsigned long v) {
    for (int i = 0; i < 8; ++i)
        at[i] = (v >> (8 * i)) & 0xff;
}
static unsigned long get64(const unsigned char* at) {
    unsigned long v = 0;
    for (int i = 7; i >= 0; --i)
        v = v << 8 | at[i];
    return v;
}

/* Writes bad[] to a file and execs it; returns what execve returned. */
static long try_exec(long size) {
    static const char path[] = "/tmp/kite-bad-elf";
    long fd = sys3(SYS_open, (long)path, O_RDWR | O_CREAT | O_TRUNC, 0755);
    if (fd < 0) {
        return 1;
    }
    sys3(SYS_write, fd, (long)bad, size);
    sys1(SYS_close, fd);
    char* argv[] = {(char*)path, 0};
    char* envp[] = {0};
    long result = sys3(SYS_execve, (long)path, (long)argv, (long)envp);
    sys1(SYS_unlink, (long)path);
    return result;
}

static unsigned char* first_load_header(void) {
    unsigned long phoff = get64(bad + 32);
    unsigned phnum = bad[56] | bad[57] << 8;
    for (unsigned i = 0; i < phnum; ++i) {
        unsigned char* ph = bad + phoff + i * 56;
        if (ph[0] == 1 && ph[1] == 0 && ph[2] == 0 && ph[3] == 0) {
            return ph;
        }
    }
    return bad + phoff;
}

int main(int argc, char** argv, char** envp) {
    (void)envp;
    const char* data = argc >= 2 ? argv[1] : "/test/data";
    char path[512];
    unsigned long n = rt_strlen(data);
    memcpy(path, data, n);
    memcpy(path + n, "/not_executable", 16);
    long fd = sys3(SYS_open, (long)path, O_RDONLY, 0);
    CHECK(fd >= 0);
    good_size = sys3(SYS_read, fd, (long)good, sizeof(good));
    sys1(SYS_close, fd);
    CHECK(good_size > 64 && good_size < (long)sizeof(good)); /* the whole program fits */

#define MUTATE(kite_only, change)                                                                  \
    do {                                                                                           \
        memcpy(bad, good, good_size);                                                              \
        change;                                                                                    \
        if (!(kite_only) || on_kite()) {                                                           \
            CHECK_ERRNO(try_exec(good_size), ENOEXEC);                                             \
        }                                                                                          \
    } while (0)

    MUTATE(0, bad[4] = 1);                                 /* ELFCLASS32 */
    MUTATE(0, bad[5] = 2);                                 /* big-endian */
    MUTATE(0, put16(bad + 18, 40));                        /* EM_ARM */
    MUTATE(0, put16(bad + 16, 1));                         /* ET_REL */
    MUTATE(0, put16(bad + 54, 32));                        /* e_phentsize */
    MUTATE(0, put16(bad + 56, 0));                         /* no program headers */
    MUTATE(1, put16(bad + 56, 60000));                     /* too many program headers */
    MUTATE(1, put64(bad + 32, 1UL << 40));                 /* e_phoff far past the file */
    MUTATE(1, put64(bad + 24, 0x10));                      /* entry outside every segment */
    MUTATE(1, put64(first_load_header() + 8, 1UL << 40));  /* p_offset past the file */
    MUTATE(1, put64(first_load_header() + 32, 1UL << 40)); /* p_filesz past the file */
    MUTATE(1, put64(first_load_header() + 16, 0xffffffff80000000UL)); /* in the kernel half */
    MUTATE(1, put64(first_load_header() + 16, 0x7ffffffff000UL));     /* runs off user space */
    MUTATE(1, put32(first_load_header() + 4, 7));  /* readable, writable and executable */
    MUTATE(1, put64(first_load_header() + 40, 1)); /* p_memsz smaller than p_filesz */
    /* The same checks on a truncated copy of every length up to the headers. */
    for (long size = 0; size < 128 && on_kite(); size += 7) {
        memcpy(bad, good, good_size);
        CHECK_ERRNO(try_exec(size), ENOEXEC);
    }
    CHECK(sys0(SYS_getpid) > 0);
    return check_done("bad_elf");
}
