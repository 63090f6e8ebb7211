/* kill: sends a signal (default TERM) to processes: kill [-s NAME | -NAME | -N] pid...
 * Negative pids name process groups. kill -l lists the signal names. */
#include <errno.h>
#include <kite/signals.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char* name;
    int number;
} names[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"ILL", SIGILL},   {"TRAP", SIGTRAP},
    {"ABRT", SIGABRT}, {"BUS", SIGBUS},   {"FPE", SIGFPE},   {"KILL", SIGKILL}, {"USR1", SIGUSR1},
    {"SEGV", SIGSEGV}, {"USR2", SIGUSR2}, {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM},
    {"CHLD", SIGCHLD}, {"CONT", SIGCONT}, {"STOP", SIGSTOP}, {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN},
    {"TTOU", SIGTTOU},
};
enum { NAME_COUNT = sizeof(names) / sizeof(names[0]) };

/* A name (TERM, SIGTERM) or a Linux signal number, as users type them. */
static int parse_signal(const char* text) {
    if (strncasecmp(text, "SIG", 3) == 0)
        text += 3;
    for (int i = 0; i < NAME_COUNT; ++i)
        if (strcasecmp(text, names[i].name) == 0)
            return names[i].number;
    char* end;
    long linux_number = strtol(text, &end, 10);
    if (*text && !*end && linux_number >= 0 && linux_number < 65) {
        /* Numbers are Linux's (kill -9), as users know them; 0 only checks
         * that the process exists. */
        if (linux_number == 0)
            return 0;
        int number = port_signal_from_linux((int)linux_number);
        if (number)
            return number;
    }
    return -1;
}

int main(int argc, char** argv) {
    int signal_number = SIGTERM, i = 1;
    if (argc == 2 && strcmp(argv[1], "-l") == 0) {
        for (int k = 0; k < NAME_COUNT; ++k)
            printf("%s%c", names[k].name, k + 1 < NAME_COUNT ? ' ' : '\n');
        return 0;
    }
    /* As in other shells' kill, a first argument starting with '-' is the
     * signal ("kill -9" alone is a usage error); a process group after it,
     * or after "--", is a negative number ("kill -- -5"). */
    if (i < argc && strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
        signal_number = parse_signal(argv[i + 1]);
        i += 2;
    } else if (i < argc && argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--") != 0) {
        signal_number = parse_signal(argv[i] + 1);
        ++i;
    }
    if (i < argc && strcmp(argv[i], "--") == 0)
        ++i;
    if (signal_number < 0 || i == argc) {
        fprintf(stderr, "usage: kill [-s name | -name | -number] [--] pid...   kill -l\n");
        return 2;
    }
    int status = 0;
    for (; i < argc; ++i) {
        char* end;
        long pid = strtol(argv[i], &end, 10);
        if (!*argv[i] || *end) {
            fprintf(stderr, "kill: %s: not a process id\n", argv[i]);
            status = 1;
            continue;
        }
        if (kill((pid_t)pid, signal_number) < 0) {
            fprintf(stderr, "kill: %ld: %s\n", pid, strerror(errno));
            status = 1;
        }
    }
    return status;
}
