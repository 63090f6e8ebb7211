/* process: fork, exec, wait, pipes, dup2 and signals through newlib and the
 * port. newlib numbers signals differently from Linux (SIGUSR1 is 30 here,
 * 10 on Linux), so these checks fail if any direction of the translation
 * (kill, handler argument, masks, wait status) is missing. */
#include <signal.h>
#include <stdlib.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static volatile sig_atomic_t last_signal;
static void on_signal(int signal) {
    last_signal = signal;
}

static void test_fork_wait(void) {
    pid_t child = fork();
    if (child == 0)
        _exit(42);
    int status = 0;
    CHECK(child > 0 && waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42);
    CHECK(waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD);
}

static void test_exec_and_pipe(const char* self) {
    int fds[2];
    CHECK(pipe(fds) == 0);
    pid_t child = fork();
    if (child == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        char* argv[] = {(char*)self, "child-echo", "hello pipe", NULL};
        execv(self, argv);
        _exit(127);
    }
    close(fds[1]);
    char buffer[64] = {0};
    size_t used = 0;
    for (long n; used < sizeof(buffer) - 1 &&
                 (n = read(fds[0], buffer + used, sizeof(buffer) - 1 - used)) > 0;)
        used += (size_t)n;
    close(fds[0]);
    int status = 0;
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(strcmp(buffer, "echo: hello pipe\n") == 0);
    CHECK_ERRNO(execv("/no/such/program", (char* const[]){"x", NULL}), ENOENT);
}

static void test_signals(void) {
    CHECK(signal(SIGUSR1, on_signal) == SIG_DFL);
    CHECK(raise(SIGUSR1) == 0 && last_signal == SIGUSR1);

    /* Blocked, then pending, then delivered when unblocked. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    CHECK(signal(SIGUSR2, on_signal) == SIG_DFL);
    CHECK(sigprocmask(SIG_BLOCK, &block, &old) == 0 && !sigismember(&old, SIGUSR2));
    last_signal = 0;
    CHECK(kill(getpid(), SIGUSR2) == 0 && last_signal == 0);
    sigset_t now;
    CHECK(sigprocmask(SIG_SETMASK, NULL, &now) == 0 && sigismember(&now, SIGUSR2));
    CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0 && last_signal == SIGUSR2);

    struct sigaction action, previous;
    memset(&action, 0, sizeof(action));
    action.sa_handler = SIG_IGN;
    CHECK(sigaction(SIGUSR1, &action, &previous) == 0 && previous.sa_handler == on_signal);
    last_signal = 0;
    CHECK(raise(SIGUSR1) == 0 && last_signal == 0);
    CHECK(sigaction(SIGKILL, &action, NULL) == -1 && errno == EINVAL);
    CHECK(kill(getpid(), 12345) == -1 && errno == EINVAL);

    /* A child killed by a signal: the wait status names newlib's number. */
    CHECK(signal(SIGUSR2, SIG_DFL) == on_signal); /* the child inherits the default */
    pid_t child = fork();
    if (child == 0) {
        for (;;)
            pause();
    }
    int status = 0;
    CHECK(kill(child, SIGUSR2) == 0 && waitpid(child, &status, 0) == child);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR2);
}

/* sigsuspend and alarm through the port: the mask in newlib's numbering,
 * SIGALRM by newlib's number. */
static void test_suspend_and_alarm(void) {
    sigset_t block, during, now;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    CHECK(signal(SIGUSR1, on_signal) != SIG_ERR);
    CHECK(sigprocmask(SIG_SETMASK, &block, NULL) == 0);
    last_signal = 0;
    CHECK(raise(SIGUSR1) == 0 && last_signal == 0);
    sigemptyset(&during);
    CHECK(sigsuspend(&during) == -1 && errno == EINTR && last_signal == SIGUSR1);
    CHECK(sigprocmask(SIG_SETMASK, NULL, &now) == 0 && sigismember(&now, SIGUSR1));
    sigemptyset(&now);
    CHECK(sigprocmask(SIG_SETMASK, &now, NULL) == 0);

    CHECK(signal(SIGALRM, on_signal) != SIG_ERR);
    CHECK(alarm(7) == 0 && alarm(1) == 7);
    last_signal = 0;
    CHECK(pause() == -1 && errno == EINTR && last_signal == SIGALRM);
}

/* times() and clock() count in newlib's CLK_TCK (CLOCKS_PER_SEC, 1000 for
 * this target), not Linux's 100 a second: the port scales them. */
static void test_cpu_time(void) {
    struct tms t;
    const clock_t start_elapsed = times(&t);
    const clock_t start_cpu = clock();
    CHECK(start_elapsed != (clock_t)-1 && start_cpu != (clock_t)-1);
    volatile unsigned long sink = 0;
    while (clock() - start_cpu < CLOCKS_PER_SEC / 20 &&
           times(&t) - start_elapsed < 10 * CLOCKS_PER_SEC) {
        for (int i = 0; i < 100000; ++i)
            sink = sink * 31 + (unsigned long)i;
    }
    CHECK(clock() - start_cpu >= CLOCKS_PER_SEC / 20); /* 50 ms of CPU */
    CHECK(times(&t) - start_elapsed >= CLOCKS_PER_SEC / 20 - CLOCKS_PER_SEC / 100);
    CHECK(t.tms_utime + t.tms_stime >= CLOCKS_PER_SEC / 20);
    CHECK(t.tms_utime % (CLOCKS_PER_SEC / 100) == 0); /* scaled from Linux's unit */
    struct timespec cpu;
    CHECK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu) == 0 &&
          (cpu.tv_sec > 0 || cpu.tv_nsec >= 50 * 1000000L));
}

int main(int argc, char** argv) {
    if (argc == 3 && strcmp(argv[1], "child-echo") == 0) {
        printf("echo: %s\n", argv[2]);
        return 0;
    }
    test_fork_wait();
    test_exec_and_pipe(argv[0]);
    test_signals();
    test_suspend_and_alarm();
    test_cpu_time();
    return check_finish("libc_process");
}
