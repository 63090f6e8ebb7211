/* signal_registers: a handler that interrupts user code anywhere (here
 * on the way back from an interrupt, not from a system call) returns to
 * it with every register as it was, rcx and r11 included: rt_sigreturn
 * restores a whole context, which sysret (it loads rcx and r11 with the
 * return address and flags) cannot leave by. A child sends SIGUSR1 while
 * the parent spins in a loop that holds known values in rcx, r11 and the
 * other registers and checks them on every pass; SIGUSR2 ends the loop.
 * (Signals of one number that come together count once, so the test
 * needs only some of the SIGUSR1s to be handled.) */
#include "check.h"
#include "signal_action.h"

#define SIGUSR1 10
#define SIGUSR2 12
#define SIGNALS 40

static volatile int caught;
static volatile int done;

static void on_done(int signal) {
    (void)signal;
    done = 1;
}

static void on_signal(int signal) {
    (void)signal;
    ++caught;
    /* Clobber what a C handler may: the restore must not depend on it. */
    __asm__ volatile("mov $-1, %%rcx\n mov $-1, %%r11\n" ::: "rcx", "r11");
}

/* Spins until `done` is set or the passes run out, with fixed
 * values in rcx, r11, r8, r9 and r10; returns how many passes found one
 * of them changed (0 when all held). */
static long spin(long passes) {
    long broken = 0;
    __asm__ volatile("movabs $0x1111222233334444, %%rcx\n"
                     "movabs $0x5555666677778888, %%r11\n"
                     "movabs $0x0123456789abcdef, %%r8\n"
                     "mov %%r8, %%r9\n"
                     "not %%r9\n"
                     "mov %%rcx, %%r10\n"
                     "1:\n"
                     "cmpl $0, %[done]\n"
                     "jne 3f\n"
                     "dec %[passes]\n"
                     "jz 3f\n"
                     "movabs $0x1111222233334444, %%rax\n"
                     "cmp %%rax, %%rcx\n"
                     "jne 2f\n"
                     "movabs $0x5555666677778888, %%rax\n"
                     "cmp %%rax, %%r11\n"
                     "jne 2f\n"
                     "cmp %%rcx, %%r10\n"
                     "jne 2f\n"
                     "mov %%r8, %%rax\n"
                     "not %%rax\n"
                     "cmp %%rax, %%r9\n"
                     "je 1b\n"
                     "2:\n"
                     "inc %[broken]\n"
                     "movabs $0x1111222233334444, %%rcx\n"
                     "movabs $0x5555666677778888, %%r11\n"
                     "mov %%rcx, %%r10\n"
                     "jmp 1b\n"
                     "3:\n"
                     : [broken] "+r"(broken), [passes] "+r"(passes)
                     : [done] "m"(done)
                     : "rax", "rcx", "r8", "r9", "r10", "r11", "cc", "memory");
    return broken;
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    struct action a = {(void*)on_signal, SA_RESTORER, (void*)restore_rt, 0};
    CHECK_EQ(sys4(SYS_rt_sigaction, SIGUSR1, (long)&a, 0, 8), 0);
    struct action b = {(void*)on_done, SA_RESTORER, (void*)restore_rt, 0};
    CHECK_EQ(sys4(SYS_rt_sigaction, SIGUSR2, (long)&b, 0, 8), 0);
    long parent = sys0(SYS_getpid);
    long child = sys0(SYS_fork);
    if (child == 0) {
        /* Each signal comes while the parent is preempted in its loop. */
        struct {
            long seconds, nanoseconds;
        } nap = {0, 2000000};
        for (int i = 0; i < SIGNALS; ++i) {
            sys2(SYS_kill, parent, SIGUSR1);
            sys2(SYS_nanosleep, (long)&nap, 0);
        }
        sys2(SYS_kill, parent, SIGUSR2);
        sys1(SYS_exit, 0);
    }
    CHECK(child > 0);
    long broken = spin(20000000000L);
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, child, (long)&status, 0, 0), child);
    CHECK(done);
    CHECK(caught > 0);
    CHECK_EQ(broken, 0);
    return check_done("signal_registers");
}
