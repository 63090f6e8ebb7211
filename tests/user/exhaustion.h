/* exhaustion.h: what the exhaustion tests share: reading a number from a
 * /proc file, /proc/kite/memory's figures (Kite only), and the witness,
 * another process that must go on answering while something runs out. */
#ifndef KITE_EXHAUSTION_H
#define KITE_EXHAUSTION_H

#include "check.h"

__attribute__((unused)) static long read_number(const char* path) {
    char text[64];
    const long fd = sys2(SYS_open, (long)path, 0);
    if (fd < 0) {
        return -1;
    }
    const long n = sys3(SYS_read, fd, (long)text, sizeof(text) - 1);
    sys1(SYS_close, fd);
    long value = 0;
    for (long i = 0; i < n && text[i] >= '0' && text[i] <= '9'; ++i) {
        value = value * 10 + (text[i] - '0');
    }
    return n > 0 ? value : -1;
}

/* /proc/kite/memory's line: free frames, heap objects and bytes in use. */
__attribute__((unused)) static void memory_line(char* out, unsigned size) {
    const long fd = sys2(SYS_open, (long)"/proc/kite/memory", 0);
    long n = fd >= 0 ? sys3(SYS_read, fd, (long)out, size - 1) : 0;
    sys1(SYS_close, fd);
    out[n > 0 ? n : 0] = 0;
}

/* The line from its "heap_objects" on. */
__attribute__((unused)) static const char* heap_figures(const char* line) {
    for (const char* at = line; *at; ++at) {
        if (at[0] == 'h' && at[1] == 'e' && at[2] == 'a' && at[3] == 'p') {
            return at;
        }
    }
    return line;
}

/* A process that answers each byte it reads with the byte plus one. */
struct witness {
    long pid;
    int to, from;
};

__attribute__((unused)) static struct witness start_witness(void) {
    int ask[2], answer[2];
    sys2(SYS_pipe2, (long)ask, 0);
    sys2(SYS_pipe2, (long)answer, 0);
    struct witness w = {sys0(SYS_fork), ask[1], answer[0]};
    if (w.pid == 0) {
        unsigned char byte;
        sys1(SYS_close, ask[1]);
        sys1(SYS_close, answer[0]);
        while (sys3(SYS_read, ask[0], (long)&byte, 1) == 1) {
            ++byte;
            sys3(SYS_write, answer[1], (long)&byte, 1);
        }
        sys1(SYS_exit_group, 0);
    }
    sys1(SYS_close, ask[0]);
    sys1(SYS_close, answer[1]);
    return w;
}

__attribute__((unused)) static int witness_answers(const struct witness* w, unsigned char byte) {
    unsigned char reply = 0;
    return sys3(SYS_write, w->to, (long)&byte, 1) == 1 &&
           sys3(SYS_read, w->from, (long)&reply, 1) == 1 && reply == (unsigned char)(byte + 1);
}

/* Ends the witness: it reads end of file and exits. */
__attribute__((unused)) static void stop_witness(const struct witness* w) {
    int status;
    sys1(SYS_close, w->to);
    CHECK_EQ(sys4(SYS_wait4, w->pid, (long)&status, 0, 0), w->pid);
    sys1(SYS_close, w->from);
}

#endif
