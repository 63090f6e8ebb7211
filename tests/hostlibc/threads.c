/* threads (glibc and musl): what a threaded C program asks of the kernel,
 * through the real C libraries, built static on the build machine with its
 * glibc (gcc -static -pthread) and its musl (musl-gcc -static), unmodified:
 * pthread create/join/detach/exit, mutexes, condition variables,
 * semaphores, barriers, thread-local storage and keys, cancellation, fork
 * and posix_spawn from a threaded program, signals to threads, abort,
 * alarm, sleeping, clocks and the date. Runs on Linux and on Kite. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int checks, failures;
#define CHECK(condition)                                                                           \
    do {                                                                                           \
        ++checks;                                                                                  \
        if (!(condition)) {                                                                        \
            ++failures;                                                                            \
            printf("FAIL: %s:%d: %s\n", __FILE__, __LINE__, #condition);                           \
        }                                                                                          \
    } while (0)

static const char* library(void) {
#ifdef __GLIBC__
    return "glibc";
#else
    return "musl";
#endif
}

/* ---- create, join, detach, exit, thread-local storage ---- */

static __thread int per_thread = 7;
static pthread_key_t key;
static int destructor_runs;
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;

static void destructor(void* value) {
    pthread_mutex_lock(&count_lock);
    destructor_runs += (int)(long)value;
    pthread_mutex_unlock(&count_lock);
}

static void* worker(void* arg) {
    long n = (long)arg;
    per_thread += (int)n; /* each thread its own copy */
    pthread_setspecific(key, (void*)1);
    if (n == 3) {
        pthread_exit((void*)(long)(per_thread * 10));
    }
    return (void*)(long)per_thread;
}

static void create_and_join(void) {
    CHECK(pthread_key_create(&key, destructor) == 0);
    pthread_t threads[100];
    int created = 0;
    for (long i = 0; i < 100; ++i) {
        created += pthread_create(&threads[i], 0, worker, (void*)i) == 0;
    }
    CHECK(created == 100);
    int right = 0;
    for (long i = 0; i < 100; ++i) {
        void* result = 0;
        pthread_join(threads[i], &result);
        right += (long)result == (i == 3 ? (7 + 3) * 10 : 7 + i);
    }
    CHECK(right == 100);
    CHECK(per_thread == 7);
    CHECK(destructor_runs == 100);
    /* A detached thread runs and goes by itself. */
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t detached;
    CHECK(pthread_create(&detached, &attr, worker, (void*)5) == 0);
    pthread_attr_destroy(&attr);
}

/* ---- mutex, condition variable, semaphore, barrier ---- */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int turn, turns, guarded;
static sem_t items;
static pthread_barrier_t barrier;
static int serial_seen;

static void* take_turns(void* arg) {
    int me = (int)(long)arg;
    for (int i = 0; i < 50; ++i) {
        pthread_mutex_lock(&lock);
        while (turn != me) {
            pthread_cond_wait(&changed, &lock);
        }
        ++turns;
        turn = (turn + 1) % 8;
        pthread_cond_broadcast(&changed);
        pthread_mutex_unlock(&lock);
        for (int j = 0; j < 20; ++j) {
            pthread_mutex_lock(&lock);
            ++guarded;
            pthread_mutex_unlock(&lock);
        }
    }
    if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD) {
        __atomic_fetch_add(&serial_seen, 1, __ATOMIC_SEQ_CST);
    }
    sem_post(&items);
    return 0;
}

static void synchronisation(void) {
    CHECK(sem_init(&items, 0, 0) == 0);
    CHECK(pthread_barrier_init(&barrier, 0, 8) == 0);
    pthread_t threads[8];
    for (long i = 0; i < 8; ++i) {
        CHECK(pthread_create(&threads[i], 0, take_turns, (void*)i) == 0);
    }
    for (int i = 0; i < 8; ++i) {
        sem_wait(&items);
    }
    for (int i = 0; i < 8; ++i) {
        pthread_join(threads[i], 0);
    }
    CHECK(turns == 400);
    CHECK(guarded == 8 * 50 * 20);
    CHECK(serial_seen == 1);
    /* A timed wait that times out. */
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += 20 * 1000 * 1000;
    if (deadline.tv_nsec >= 1000000000) {
        deadline.tv_sec += 1;
        deadline.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&lock);
    CHECK(pthread_cond_timedwait(&changed, &lock, &deadline) == ETIMEDOUT);
    pthread_mutex_unlock(&lock);
    CHECK(sem_trywait(&items) == -1 && errno == EAGAIN);
    pthread_barrier_destroy(&barrier);
    sem_destroy(&items);
}

/* ---- cancellation and signals to threads ---- */

static sem_t started;

static void* wait_forever(void* arg) {
    (void)arg;
    sem_post(&started);
    for (;;) {
        pause(); /* a cancellation point */
    }
    return 0;
}

static volatile pid_t handled_in;
static void on_usr1(int signal) {
    (void)signal;
    handled_in = (pid_t)syscall(SYS_gettid);
}

static void* sleep_then_report(void* arg) {
    (void)arg;
    sem_post(&started);
    while (handled_in == 0) {
        usleep(1000);
    }
    return 0;
}

static void cancel_and_signal(void) {
    sem_init(&started, 0, 0);
    pthread_t thread;
    CHECK(pthread_create(&thread, 0, wait_forever, 0) == 0);
    sem_wait(&started);
    CHECK(pthread_cancel(thread) == 0);
    void* result = 0;
    CHECK(pthread_join(thread, &result) == 0);
    CHECK(result == PTHREAD_CANCELED);

    signal(SIGUSR1, on_usr1);
    CHECK(pthread_create(&thread, 0, sleep_then_report, 0) == 0);
    sem_wait(&started);
    CHECK(pthread_kill(thread, SIGUSR1) == 0);
    pthread_join(thread, 0);
    CHECK(handled_in != 0 && handled_in != getpid());
    signal(SIGUSR1, SIG_DFL);
}

/* ---- processes from a threaded program ---- */

static void* idle(void* arg) {
    sem_wait((sem_t*)arg);
    return 0;
}

static void processes(const char* self) {
    sem_t stop;
    sem_init(&stop, 0, 0);
    pthread_t thread;
    pthread_create(&thread, 0, idle, &stop);

    pid_t pid = fork(); /* only the calling thread goes on in the child */
    if (pid == 0) {
        _exit(getpid() == (pid_t)syscall(SYS_gettid) ? 4 : 5);
    }
    int status = -1;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 4);

    char* argv[] = {(char*)self, "--exit-3", 0};
    CHECK(posix_spawn(&pid, self, 0, 0, argv, 0) == 0);
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3);

    pid = fork();
    if (pid == 0) {
        abort();
    }
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);

    pid = fork();
    if (pid == 0) {
        alarm(1); /* musl: setitimer */
        pause();
        _exit(0);
    }
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM);

    sem_post(&stop);
    pthread_join(thread, 0);
    sem_destroy(&stop);
}

/* ---- a timer whose expiry runs a function on a thread (SIGEV_THREAD:
 * the C library's helper thread, woken by SIGEV_THREAD_ID) ---- */

static sem_t fired;
static volatile int fired_value;

static void on_timer(union sigval value) {
    fired_value = value.sival_int;
    sem_post(&fired);
}

static void thread_timer(void) {
    sem_init(&fired, 0, 0);
    struct sigevent event;
    memset(&event, 0, sizeof(event));
    event.sigev_notify = SIGEV_THREAD;
    event.sigev_notify_function = on_timer;
    event.sigev_value.sival_int = 41;
    timer_t timer;
    CHECK(timer_create(CLOCK_MONOTONIC, &event, &timer) == 0);
    struct itimerspec setting = {{0, 0}, {0, 2 * 1000 * 1000}};
    CHECK(timer_settime(timer, 0, &setting, 0) == 0);
    CHECK(sem_wait(&fired) == 0);
    CHECK(fired_value == 41);
    CHECK(timer_delete(timer) == 0);
    sem_destroy(&fired);
}

/* ---- time and randomness ---- */

static void time_and_randomness(void) {
    struct timespec before, after;
    clock_gettime(CLOCK_MONOTONIC, &before);
    struct timespec nap = {0, 5 * 1000 * 1000};
    CHECK(nanosleep(&nap, 0) == 0);
    usleep(2000);
    clock_gettime(CLOCK_MONOTONIC, &after);
    long slept = (after.tv_sec - before.tv_sec) * 1000000000L + (after.tv_nsec - before.tv_nsec);
    CHECK(slept >= 7 * 1000 * 1000);
    time_t now = time(0);
    struct tm tm;
    gmtime_r(&now, &tm);
    CHECK(tm.tm_year + 1900 >= 2024);
    unsigned char a[16] = {0}, b[16] = {0};
    CHECK(getentropy(a, sizeof(a)) == 0);
    CHECK(getentropy(b, sizeof(b)) == 0);
    CHECK(memcmp(a, b, sizeof(a)) != 0);
}

int main(int argc, char** argv) {
    if (argc == 2 && strcmp(argv[1], "--exit-3") == 0) {
        return 3;
    }
    setvbuf(stdout, 0, _IONBF, 0);
    create_and_join();
    synchronisation();
    cancel_and_signal();
    processes(argv[0]);
    thread_timer();
    time_and_randomness();
    printf("threads (%s): %d checks, %d failed\n", library(), checks, failures);
    return failures == 0 ? 0 : 1;
}
