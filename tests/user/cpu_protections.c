/* cpu_protections: what user code meets of the CPU protections.
 *  - A signal handler at a non-canonical address, delivered on the way
 *    back from a timer interrupt (ITIMER_VIRTUAL while the program only
 *    computes) or from a system call (kill of itself): the process dies of
 *    SIGSEGV, and the kernel goes on. On Kite the kernel's check says so on
 *    the console ("return to non-canonical address ... after vector N"),
 *    which user.kite expects: QEMU's TCG would let the iretq through.
 *  - UMIP, where the CPU has it (CPUID.7.0:ECX bit 2): sgdt, sidt, sldt,
 *    smsw and str in ring 3 give SIGSEGV on Kite. (Linux emulates some of
 *    them for old programs, so this part is Kite's alone.) The line
 *    "cpu_protections: UMIP checked" says it ran: user.kite_cpu_max
 *    expects it. */
#include "check.h"
#include "signal_action.h"

#define SIGSEGV 11
#define SIGUSR1 10
#define SIGVTALRM 26
#define ITIMER_VIRTUAL 1

static const unsigned long non_canonical = 0x0000800000000000UL;

/* The wait status of a child that ran `body`. */
static int status_of_child(void (*body)(void)) {
    const long child = sys0(SYS_fork);
    if (child == 0) {
        body();
        sys1(SYS_exit_group, 0);
    }
    int status = -1;
    if (child < 0 || sys4(SYS_wait4, child, (long)&status, 0, 0) != child) {
        return -1;
    }
    return status;
}

static void install_bad_handler(int signal) {
    struct action a = {(void*)non_canonical, SA_RESTORER, (void*)restore_rt, 0};
    sys4(SYS_rt_sigaction, signal, (long)&a, 0, 8);
}

static void bad_handler_after_interrupt(void) {
    install_bad_handler(SIGVTALRM);
    struct {
        long interval_s, interval_us, value_s, value_us;
    } timer = {0, 1000, 0, 1000};
    sys3(SYS_setitimer, ITIMER_VIRTUAL, (long)&timer, 0);
    for (volatile unsigned long i = 0;; ++i) {
    }
}

static void bad_handler_after_syscall(void) {
    install_bad_handler(SIGUSR1);
    sys2(SYS_kill, sys0(SYS_getpid), SIGUSR1);
}

static int has_umip(void) {
    unsigned a = 7, b, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    unsigned max = 0, e, f, g;
    __asm__ volatile("cpuid" : "=a"(max), "=b"(e), "=c"(f), "=d"(g) : "a"(0), "c"(0));
    return max >= 7 && (c & (1u << 2));
}

static unsigned char table[16];
static void run_sgdt(void) {
    __asm__ volatile("sgdt %0" : "=m"(table));
}
static void run_sidt(void) {
    __asm__ volatile("sidt %0" : "=m"(table));
}
static void run_sldt(void) {
    __asm__ volatile("sldt %0" : "=m"(*(unsigned short*)table));
}
static void run_smsw(void) {
    __asm__ volatile("smsw %0" : "=m"(*(unsigned short*)table));
}
static void run_str(void) {
    __asm__ volatile("str %0" : "=m"(*(unsigned short*)table));
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    CHECK_EQ(status_of_child(bad_handler_after_interrupt), SIGSEGV);
    CHECK_EQ(status_of_child(bad_handler_after_syscall), SIGSEGV);

    if (on_kite() && has_umip()) {
        CHECK_EQ(status_of_child(run_sgdt), SIGSEGV);
        CHECK_EQ(status_of_child(run_sidt), SIGSEGV);
        CHECK_EQ(status_of_child(run_sldt), SIGSEGV);
        CHECK_EQ(status_of_child(run_smsw), SIGSEGV);
        CHECK_EQ(status_of_child(run_str), SIGSEGV);
        rt_print("cpu_protections: UMIP checked\n");
    } else if (on_kite()) {
        rt_print("cpu_protections: UMIP skipped: this CPU has none\n");
    }
    return check_done("cpu_protections");
}
