/* builtins_process.c: kill and umask, the builtins that act on processes
 * and on the shell's own process state (ulimit is in builtins_ulimit.c).
 * Signals are shown and read with Linux's numbers (signals.c), whatever
 * numbers the C library uses inside. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtins.h"
#include "exec_private.h"
#include "shell.h"

/* glibc has real-time signals, which dash lists as RTMIN, RTMIN+1 ...
 * RTMAX-1, RTMAX; Kite's library has none, so there the list ends at 31. */
#if defined(SIGRTMIN) && !defined(__NEWLIB__)
#define HAVE_RT_SIGNALS 1
#endif

/* The highest Linux signal number kill lists and accepts. */
static int last_linux_signal(void) {
#ifdef HAVE_RT_SIGNALS
    return SIGRTMAX;
#else
    return 31;
#endif
}

/* A decimal number as dash reads one (strtol's syntax, nothing after it).
 * 0 if text is not one. */
static int parse_number(const char* text, long* value) {
    char* end;
    errno = 0;
    *value = strtol(text, &end, 10);
    return *text && !*end && errno == 0;
}

/* Writes the name of Linux signal n (without SIG), or its number when it
 * has none, as kill -l does. Real-time signals are named from both ends:
 * RTMIN, RTMIN+1 ... up to the middle, then ... RTMAX-1, RTMAX. */
static void print_signal(int n) {
#ifdef HAVE_RT_SIGNALS
    int low = SIGRTMIN, high = SIGRTMAX;
    if (n >= low && n <= high) {
        if (n == low || n == high)
            printf("%s\n", n == low ? "RTMIN" : "RTMAX");
        else if (n <= (low + high) / 2)
            printf("RTMIN+%d\n", n - low);
        else
            printf("RTMAX-%d\n", high - n);
        return;
    }
#endif
    char number[16];
    snprintf(number, sizeof number, "%d", n);
    int c = n > 0 && n < 32 ? signal_from_text(number) : -1;
    const char* name = c > 0 ? signal_name(c) : NULL;
    printf("%s\n", name ? name : number);
}

/* A signal as kill's -s, -NAME and -NUMBER take it: a Linux number
 * (0 allowed), or a name in any case without SIG (EXIT is not a signal
 * here). Returns the C library's number, or -1. */
static int kill_signal(const char* text) {
    if (!*text || strncasecmp(text, "SIG", 3) == 0)
        return -1;
    if (isdigit((unsigned char)*text)) {
        long n;
        if (!parse_number(text, &n) || n < 0 || n > last_linux_signal())
            return -1;
#ifdef HAVE_RT_SIGNALS
        if (n >= 32)
            return (int)n;
#endif
    } else if (strcasecmp(text, "EXIT") == 0)
        return -1;
#ifdef HAVE_RT_SIGNALS
    if (strncasecmp(text, "RTMIN", 5) == 0 || strncasecmp(text, "RTMAX", 5) == 0) {
        long offset = 0;
        if (text[5] && (!parse_number(text + 5, &offset) || (text[5] != '+' && text[5] != '-')))
            return -1;
        long n = (toupper((unsigned char)text[4]) == 'N' ? SIGRTMIN : SIGRTMAX) + offset;
        return n >= SIGRTMIN && n <= SIGRTMAX ? (int)n : -1;
    }
#endif
    return signal_from_text(text);
}

static int kill_usage(void) {
    sh_error("kill: Usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\n"
             "kill -l [exitstatus]");
    return 2;
}

/* kill -l [N]: all signals, or the name of signal N (or of the signal
 * that ended a process whose status was N, 128+signal). */
static int kill_list(const char* operand) {
    if (!operand) {
        for (int n = 0; n <= last_linux_signal(); n++)
            print_signal(n);
        return 0;
    }
    long n;
    if (!parse_number(operand, &n)) {
        sh_error("kill: Illegal number: %s", operand);
        return 2;
    }
    if (n > 128)
        n -= 128;
    if (n <= 0 || n > last_linux_signal()) {
        sh_error("kill: invalid signal number or exit status: %s", operand);
        return 2;
    }
    print_signal((int)n);
    return 0;
}

/* A pid operand: N, -N (a process group) or %job. 0 after reporting. */
static int kill_target(const char* text, pid_t* pid) {
    if (text[0] == '%') {
        *pid = job_pid(text);
        return *pid != 0;
    }
    const char* digits = text[0] == '-' ? text + 1 : text;
    long n;
    if (!parse_number(digits, &n) || n < 0 || n > INT_MAX) {
        sh_error("kill: Illegal number: %s", digits);
        return 0;
    }
    *pid = (pid_t)(text[0] == '-' ? -n : n);
    return 1;
}

/* kill [-s NAME | -NAME | -N] pid|%job ...; kill -l [N]. A failed kill is
 * reported and the rest are still sent (status 1); a bad operand stops
 * kill with status 2. */
int builtin_kill(int argc, char** argv) {
    (void)argc;
    int signal_number = SIGTERM, list = 0, given = 0, i = 1;
    if (argv[1] && argv[1][0] == '-' && kill_signal(argv[1] + 1) >= 0) {
        signal_number = kill_signal(argv[1] + 1);
        given = 1;
        i = 2;
    } else {
        for (; argv[i] && argv[i][0] == '-' && argv[i][1]; i++) {
            if (strcmp(argv[i], "--") == 0) {
                i++;
                break;
            }
            for (const char* p = argv[i] + 1; *p; p++) {
                if (*p == 'l') {
                    list = 1;
                    continue;
                }
                if (*p != 's') {
                    sh_error("kill: Illegal option -%c", *p);
                    return 2;
                }
                const char* name = p[1] ? p + 1 : argv[++i];
                if (!name) {
                    sh_error("kill: No arg for -s option");
                    return 2;
                }
                signal_number = kill_signal(name);
                if (signal_number < 0) {
                    sh_error("kill: invalid signal number or name: %s", name);
                    return 2;
                }
                given = 1;
                break;
            }
        }
    }
    if (list)
        return given && argv[i] ? kill_usage() : kill_list(argv[i]);
    if (!argv[i])
        return kill_usage();
    int status = 0;
    for (; argv[i]; i++) {
        pid_t pid;
        if (!kill_target(argv[i], &pid))
            return 2;
        if (kill(pid, signal_number) < 0) {
            sh_error("kill: %s", strerror(errno));
            status = 1;
        }
    }
    return status;
}

/* The permission bits (for all classes) one letter of a symbolic mode
 * stands for; -1 if it stands for none. X and the copies u g o look at
 * the permissions as they were before the mode, as dash's do. */
static int perm_bits(char letter, mode_t original) {
    switch (letter) {
    case 'r':
        return 0444;
    case 'w':
        return 0222;
    case 'x':
        return 0111;
    case 'X':
        return original & 0111 ? 0111 : 0;
    case 's':
        return 0; /* set-id bits mean nothing in a mask */
    case 'u':
        return (int)((original >> 6) & 7) * 0111;
    case 'g':
        return (int)((original >> 3) & 7) * 0111;
    case 'o':
        return (int)(original & 7) * 0111;
    default:
        return -1;
    }
}

/* umask's symbolic modes work on the permissions a new file would get
 * (the complement of the mask): clauses "who op perms op perms ..."
 * separated by commas, as chmod's; who is any of u g o a (none: all).
 * -1 if text is not such a mode. */
static int apply_symbolic(const char* p, mode_t* perms) {
    const mode_t original = *perms;
    while (*p) {
        const char* start = p;
        mode_t who = 0;
        for (; *p && strchr("ugoa", *p); p++)
            who |= *p == 'u' ? 0700 : *p == 'g' ? 070 : *p == 'o' ? 07 : 0777;
        if (!who)
            who = 0777;
        while (*p == '+' || *p == '-' || *p == '=') {
            char op = *p++;
            mode_t bits = 0;
            for (; *p && perm_bits(*p, original) >= 0; p++)
                bits |= (mode_t)perm_bits(*p, original);
            bits &= who;
            if (op == '+')
                *perms |= bits;
            else if (op == '-')
                *perms &= ~bits;
            else
                *perms = (*perms & ~who) | bits;
        }
        if (p == start)
            return -1;
        if (*p == ',')
            p++;
        else if (*p)
            return -1;
    }
    return 0;
}

/* umask [-S] [mode]: prints the mask as 0022 (-S: u=rwx,g=rx,o=rx), or
 * sets it from an octal or symbolic mode. */
int builtin_umask(int argc, char** argv) {
    (void)argc;
    int symbolic = 0, i = 1;
    for (; argv[i] && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        for (const char* p = argv[i] + 1; *p; p++) {
            if (*p != 'S') {
                sh_error("umask: Illegal option -%c", *p);
                return 2;
            }
            symbolic = 1;
        }
    }
    mode_t mask = umask(0);
    umask(mask);
    const char* text = argv[i];
    if (!text) {
        if (!symbolic) {
            printf("%04o\n", (unsigned)mask & 0777);
            return 0;
        }
        const char* names = "ugo";
        for (int class = 0; class < 3; class ++) {
            unsigned allowed = ~(unsigned)mask >> (3 * (2 - class)) & 7;
            printf("%c=%s%s%s%c", names[class], allowed & 4 ? "r" : "", allowed & 2 ? "w" : "",
                   allowed & 1 ? "x" : "", class == 2 ? '\n' : ',');
        }
        return 0;
    }
    if (isdigit((unsigned char)text[0])) {
        /* Only the low nine bits matter, so a long number cannot overflow. */
        mode_t value = 0;
        for (const char* p = text; *p; p++) {
            if (*p < '0' || *p > '7') {
                sh_error("umask: Illegal number: %s", text);
                return 2;
            }
            value = ((value << 3) | (mode_t)(*p - '0')) & 0777;
        }
        umask(value);
        return 0;
    }
    mode_t perms = ~mask & 0777;
    if (apply_symbolic(text, &perms) < 0) {
        sh_error("umask: Illegal mode: %s", text);
        return 2;
    }
    umask(~perms & 0777);
    return 0;
}
