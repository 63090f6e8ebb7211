/* signals.c: signal names and the numbers users see (Linux's), whatever
 * numbers the C library uses inside. Under newlib the port translates;
 * on glibc the C numbers are Linux's already. */
#include <ctype.h>
#include <signal.h>
#include <stdlib.h>
#include <strings.h>

#include "builtins.h"

#ifdef __NEWLIB__
#include <kite/signals.h>
#endif

/* Linux's names in Linux's order: index is the Linux number. */
static const char* const linux_names[] = {
    "EXIT", "HUP",  "INT",  "QUIT", "ILL",    "TRAP",   "ABRT",  "BUS",  "FPE",  "KILL", "USR1",
    "SEGV", "USR2", "PIPE", "ALRM", "TERM",   "STKFLT", "CHLD",  "CONT", "STOP", "TSTP", "TTIN",
    "TTOU", "URG",  "XCPU", "XFSZ", "VTALRM", "PROF",   "WINCH", "IO",   "PWR",  "SYS",
};
enum { LINUX_COUNT = sizeof linux_names / sizeof linux_names[0] };

/* Linux number to the C library's; 0 if the library lacks it. */
static int from_linux(int linux_signal) {
#ifdef __NEWLIB__
    return port_signal_from_linux(linux_signal);
#else
    return linux_signal;
#endif
}

int signal_to_linux(int c_signal) {
#ifdef __NEWLIB__
    return port_signal_to_linux(c_signal);
#else
    return c_signal;
#endif
}

/* Signals are 1 .. count-1 in C numbers; NSIG bounds both libraries. */
int signal_count(void) {
    return NSIG;
}

const char* signal_name(int c_signal) {
    if (c_signal == 0)
        return "EXIT";
    int number = signal_to_linux(c_signal);
    if (number <= 0 || number >= LINUX_COUNT)
        return NULL;
    return linux_names[number];
}

/* Accepts a Linux number, NAME, SIGNAME, in any case; -1 if unknown. */
int signal_from_text(const char* text) {
    if (isdigit((unsigned char)text[0])) {
        char* end;
        long number = strtol(text, &end, 10);
        if (*end || number < 0 || number >= LINUX_COUNT)
            return -1;
        if (number == 0)
            return 0;
        int c = from_linux((int)number);
        return c > 0 ? c : -1;
    }
    if (strncasecmp(text, "SIG", 3) == 0)
        text += 3;
    for (int i = 0; i < LINUX_COUNT; i++) {
        if (strcasecmp(text, linux_names[i]) != 0)
            continue;
        if (i == 0)
            return 0;
        int c = from_linux(i);
        return c > 0 ? c : -1;
    }
    return -1;
}
