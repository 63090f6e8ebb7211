/* trap.c: the trap builtin and running traps. A caught signal only marks
 * itself pending; the executor runs its command between commands. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "exec_private.h"
#include "shell.h"

#define TRAP_SLOTS 65
static char* trap_commands[TRAP_SLOTS]; /* [0] is EXIT; NULL: default, "": ignored */
static volatile int signal_pending[TRAP_SLOTS];
volatile int traps_pending;
static int exit_trap_ran;

/* An untrapped SIGINT reaches here only in an interactive shell: it
 * interrupts the command running (or the line being typed). */
static void catch_signal(int number) {
    if (number == SIGINT && !trap_commands[SIGINT]) {
        interrupted = 1;
        return;
    }
    if (number > 0 && number < TRAP_SLOTS)
        signal_pending[number] = 1;
    traps_pending = 1;
}

/* The signals an interactive shell sets for itself: SIGINT interrupts;
 * SIGQUIT and SIGTERM are ignored (as dash), and under job control the
 * terminal's stop signals too, which are for its jobs. */
static const int keyboard_signals[] = {SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU};
enum { KEYBOARD_SIGNALS = sizeof keyboard_signals / sizeof keyboard_signals[0] };

static int is_keyboard_signal(int number) {
    for (int i = 0; i < KEYBOARD_SIGNALS; i++)
        if (keyboard_signals[i] == number)
            return 1;
    return 0;
}

/* Catches number without SA_RESTART (the port's sigaction sets none), so
 * that a blocking system call returns EINTR when it comes. */
static void catch_without_restart(int number) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = catch_signal;
    sigemptyset(&action.sa_mask);
    sigaction(number, &action, NULL);
}

/* The disposition of a signal without a trap. SIGINT's handler is
 * installed without SA_RESTART so that the line editor's read returns. */
static void set_default(int number) {
    if (!options.interactive || !is_keyboard_signal(number) ||
        (!options.monitor && number != SIGINT && number != SIGQUIT && number != SIGTERM)) {
        signal(number, SIG_DFL);
        return;
    }
    if (number != SIGINT) {
        signal(number, SIG_IGN);
        return;
    }
    catch_without_restart(SIGINT);
}

void traps_init(void) {
    if (!options.interactive)
        return;
    for (int i = 0; i < KEYBOARD_SIGNALS; i++)
        set_default(keyboard_signals[i]);
}

void signals_default_for_job(void) {
    if (!options.interactive)
        return; /* a script's children keep what the script was given */
    for (int i = 0; i < KEYBOARD_SIGNALS; i++) {
        int number = keyboard_signals[i];
        if (!(trap_commands[number] && trap_commands[number][0] == '\0'))
            signal(number, SIG_DFL);
    }
}

/* A child keeps ignored signals ignored and puts caught ones to default. */
void traps_reset_for_child(void) {
    for (int i = 1; i < TRAP_SLOTS; i++) {
        if (trap_commands[i] && trap_commands[i][0]) {
            signal(i, SIG_DFL);
            free(trap_commands[i]);
            trap_commands[i] = NULL;
        }
    }
    free(trap_commands[0]);
    trap_commands[0] = NULL;
    traps_pending = 0;
}

void traps_interrupt_calls(int on) {
    for (int i = 1; i < TRAP_SLOTS; i++) {
        if (!trap_commands[i] || !trap_commands[i][0])
            continue;
        if (on)
            catch_without_restart(i);
        else
            signal(i, catch_signal); /* restarting, as the trap builtin installs */
    }
}

int trap_pending_signal(void) {
    for (int i = 1; i < TRAP_SLOTS; i++)
        if (signal_pending[i])
            return i;
    return 0;
}

int trap_exit_set(void) {
    return trap_commands[0] != NULL;
}

void run_pending_traps(void) {
    traps_pending = 0;
    for (int i = 1; i < TRAP_SLOTS; i++) {
        if (!signal_pending[i])
            continue;
        signal_pending[i] = 0;
        if (trap_commands[i] && trap_commands[i][0]) {
            int saved = last_status;
            char* text = xstrdup(trap_commands[i]);
            run_text(text, error_name, current_line);
            free(text);
            /* $? is as before the trap, unless the trap returns from the
             * function it interrupted (then the function ends with its
             * status, and the other traps wait for the next command). */
            if (pending_flow == FLOW_NONE) {
                last_status = saved;
            } else {
                traps_pending = 1;
                return;
            }
        }
    }
}

void run_exit_trap(void) {
    if (exit_trap_ran || !trap_commands[0])
        return;
    exit_trap_ran = 1;
    char* text = trap_commands[0];
    trap_commands[0] = NULL;
    run_text(text, error_name, current_line);
    free(text);
}

/* Prints a word quoted as dash does: 'it'\''s'. */
static void print_quoted(const char* text) {
    putchar('\'');
    for (; *text; text++) {
        if (*text == '\'')
            fputs("'\\''", stdout);
        else
            putchar(*text);
    }
    putchar('\'');
}

int builtin_trap(int argc, char** argv) {
    int first = 1;
    if (first < argc && strcmp(argv[first], "--") == 0)
        first++;
    if (first >= argc) {
        for (int i = 0; i < TRAP_SLOTS; i++) {
            if (!trap_commands[i])
                continue;
            fputs("trap -- ", stdout);
            print_quoted(trap_commands[i]);
            printf(" %s\n", i == 0 ? "EXIT" : signal_name(i));
        }
        return 0;
    }
    const char* action = argv[first];
    int reset = strcmp(action, "-") == 0;
    int start = first + 1;
    /* trap SIG... with a number first: reset those signals. */
    if (signal_from_text(action) >= 0 && first + 1 == argc) {
        reset = 1;
        start = first;
    }
    int status = 0;
    for (int i = start; i < argc; i++) {
        int number = signal_from_text(argv[i]);
        if (number < 0 || number >= TRAP_SLOTS) {
            sh_error("trap: %s: bad trap", argv[i]);
            status = 1;
            continue;
        }
        free(trap_commands[number]);
        trap_commands[number] = reset ? NULL : xstrdup(action);
        if (number == 0)
            continue;
        if (reset)
            set_default(number);
        else if (action[0] == '\0')
            signal(number, SIG_IGN);
        else
            signal(number, catch_signal);
    }
    return status;
}
