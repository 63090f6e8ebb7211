/* long_calls: a system call that runs long inside the kernel does not hold
 * back a signal (both). While an interval timer (ITIMER_REAL) sends
 * SIGALRM to a handler without SA_RESTART:
 *  - reads of /dev/zero and sendfile from /dev/zero to /dev/null come
 *    back short, with what they did, as Linux's signal_pending checks
 *    make them;
 *  - reads of a regular file never do: only SIGKILL stops those.
 * And SIGKILL stops a long write to a regular file in the middle: the file
 * is left shorter than the write.
 *
 * Nothing depends on how fast the machine is: the process spends nearly
 * all its time inside these calls, so nearly every signal lands in one,
 * and each check asks only that one of many calls came back short (or
 * that none did). (A CPU timer would not do: Linux sends its signals only
 * on the way back to user mode.) */
#include "check.h"
#include "signal_action.h"

#define SA_RESTORER 0x04000000
#define SIGALRM 14
#define SIGKILL 9
#define ITIMER_REAL 0
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0100
#define O_TRUNC 01000
#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_PRIVATE 2
#define MAP_ANONYMOUS 0x20

enum {
    BUFFER = 8 << 20,     /* one read of /dev/zero or of the file */
    SENDFILE = 1 << 30,   /* one sendfile */
    SIGNALS = 20,         /* the timer's signals each check waits for */
    MAX_CALLS = 4000,     /* bound on the calls one check makes */
    KILL_FILE = 16 << 20, /* the write SIGKILL stops */
    KILL_ROUNDS = 5,
};

struct timeval {
    long seconds, microseconds;
};
struct itimerval {
    struct timeval interval, value;
};

static volatile long signals_caught;
static void on_alarm(int signal) {
    (void)signal;
    ++signals_caught;
}

/* Every millisecond (or every tick, if that is longer). */
static void alarm_timer(int on) {
    const long us = on ? 1000 : 0;
    struct itimerval v = {{0, us}, {0, us}};
    CHECK_EQ(sys3(SYS_setitimer, ITIMER_REAL, (long)&v, 0), 0);
}

static char* map_buffer(long size) {
    char* buffer =
        (char*)sys6(SYS_mmap, 0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK((long)buffer > 0);
    for (long i = 0; i < size; i += 4096) { /* no page faults inside the calls */
        buffer[i] = 1;
    }
    return buffer;
}

struct outcome {
    long calls, short_ones, errors, full;
};

/* Makes the call until the timer's signal has come SIGNALS times, and
 * sorts what each gave back. */
static struct outcome run_calls(long (*call)(void* context), void* context, long length) {
    struct outcome o = {0, 0, 0, 0};
    signals_caught = 0;
    alarm_timer(1);
    while (signals_caught < SIGNALS && o.calls < MAX_CALLS) {
        const long n = call(context);
        ++o.calls;
        if (n == length) {
            ++o.full;
        } else if (n > 0 && n < length) {
            ++o.short_ones;
        } else {
            ++o.errors;
        }
    }
    alarm_timer(0);
    return o;
}

struct read_call {
    long fd;
    char* buffer;
    int positioned;
};
static long read_it(void* context) {
    const struct read_call* c = context;
    return c->positioned ? sys4(SYS_pread64, c->fd, (long)c->buffer, BUFFER, 0)
                         : sys3(SYS_read, c->fd, (long)c->buffer, BUFFER);
}

struct sendfile_call {
    long out, in;
};
static long sendfile_it(void* context) {
    const struct sendfile_call* c = context;
    return sys4(SYS_sendfile, c->out, c->in, 0, SENDFILE);
}

static void devices(char* buffer) {
    const long zero = sys2(SYS_open, (long)"/dev/zero", O_RDONLY);
    const long null = sys2(SYS_open, (long)"/dev/null", O_WRONLY);
    CHECK(zero >= 0 && null >= 0);
    struct read_call r = {zero, buffer, 0};
    struct outcome o = run_calls(read_it, &r, BUFFER);
    CHECK(signals_caught >= SIGNALS);
    CHECK(o.short_ones > 0); /* a signal in the middle ends the read */
    CHECK_EQ(o.errors, 0);   /* with what it did: never EINTR after bytes */
    CHECK(buffer[0] == 0 && buffer[BUFFER - 1] == 0);

    struct sendfile_call s = {null, zero};
    o = run_calls(sendfile_it, &s, SENDFILE);
    CHECK(signals_caught >= SIGNALS);
    CHECK(o.short_ones > 0);
    CHECK_EQ(o.errors, 0);
    sys1(SYS_close, zero);
    sys1(SYS_close, null);
}

static void regular_file(char* buffer) {
    static const char path[] = "/tmp/long_calls.data";
    const long fd = sys4(SYS_open, (long)path, O_RDWR | O_CREAT | O_TRUNC, 0600, 0);
    CHECK(fd >= 0);
    for (long i = 0; i < BUFFER; i += 4096) {
        buffer[i] = (char)(i >> 12);
    }
    CHECK_EQ(sys3(SYS_write, fd, (long)buffer, BUFFER), BUFFER);
    struct read_call r = {fd, buffer, 1};
    const struct outcome o = run_calls(read_it, &r, BUFFER);
    CHECK(signals_caught >= SIGNALS);
    CHECK_EQ(o.short_ones, 0); /* a handled signal never shortens it */
    CHECK_EQ(o.errors, 0);
    CHECK_EQ(o.full, o.calls);
    sys1(SYS_close, fd);
    sys1(SYS_unlink, (long)path);
}

/* A child writes KILL_FILE bytes over and over (the file emptied before
 * each) and tells the parent once it is writing; the parent kills it. In
 * one of the rounds at least, the write was cut short: the file is left
 * between empty and full. */
static void killed_write(void) {
    static const char path[] = "/tmp/long_calls.killed";
    long cut_short = 0;
    for (int round = 0; round < KILL_ROUNDS && !cut_short; ++round) {
        const long fd = sys4(SYS_open, (long)path, O_RDWR | O_CREAT | O_TRUNC, 0600, 0);
        int ready[2];
        CHECK(fd >= 0);
        CHECK_EQ(sys2(SYS_pipe2, (long)ready, 0), 0);
        const long pid = sys0(SYS_fork);
        if (pid == 0) {
            char* data = map_buffer(KILL_FILE);
            sys3(SYS_write, ready[1], (long)"w", 1);
            for (;;) {
                sys2(SYS_ftruncate, fd, 0);
                sys4(SYS_pwrite64, fd, (long)data, KILL_FILE, 0);
            }
        }
        char byte = 0;
        CHECK_EQ(sys3(SYS_read, ready[0], (long)&byte, 1), 1);
        CHECK_EQ(sys2(SYS_kill, pid, SIGKILL), 0);
        int status = 0;
        CHECK_EQ(sys4(SYS_wait4, pid, (long)&status, 0, 0), pid);
        CHECK_EQ(status & 0x7f, SIGKILL);
        long st[18];
        CHECK_EQ(sys2(SYS_fstat, fd, (long)st), 0);
        cut_short = st[6] > 0 && st[6] < KILL_FILE; /* st_size */
        sys1(SYS_close, fd);
        sys1(SYS_close, ready[0]);
        sys1(SYS_close, ready[1]);
        sys1(SYS_unlink, (long)path);
    }
    CHECK(cut_short);
}

int main(int argc, char** argv, char** envp) {
    (void)argc, (void)argv, (void)envp;
    struct action a = {(void*)on_alarm, SA_RESTORER, (void*)restore_rt, 0};
    CHECK_EQ(sys4(SYS_rt_sigaction, SIGALRM, (long)&a, 0, 8), 0);
    char* buffer = map_buffer(BUFFER);
    devices(buffer);
    regular_file(buffer);
    sys2(SYS_munmap, (long)buffer, BUFFER);
    killed_write();
    return check_done("long_calls");
}
