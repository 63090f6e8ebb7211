/* shm_sem (glibc and musl): POSIX shared memory and named semaphores as
 * the C libraries build them on the kernel: shm_open is a file in the
 * /dev/shm tmpfs, sized by ftruncate and mapped MAP_SHARED; sem_open maps
 * /dev/shm/sem.NAME the same way (made as a temporary file, then link()ed
 * to its name), and sem_wait/sem_post are futexes in that shared page.
 * A parent and a forked child that opens the objects again by name talk
 * through both; shm_unlink and sem_unlink take the names away. Runs on
 * Linux and on Kite. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int checks, failures;
#define CHECK(condition)                                                                           \
    do {                                                                                           \
        ++checks;                                                                                  \
        if (!(condition)) {                                                                        \
            ++failures;                                                                            \
            printf("FAIL: %s:%d: %s (errno %d)\n", __FILE__, __LINE__, #condition, errno);         \
        }                                                                                          \
    } while (0)

static const char* library(void) {
#ifdef __GLIBC__
    return "glibc";
#else
    return "musl";
#endif
}

#define SHM_NAME "/kite-shm-sem-test"
#define SEM_PING "/kite-sem-ping"
#define SEM_PONG "/kite-sem-pong"
#define ROUNDS 50

struct shared {
    int counter;
    sem_t unnamed; /* process-shared, inside the shm object */
    char text[64];
};

/* The child: opens everything again by name (new mappings of the same
 * files), then plays ping-pong with the parent. */
static int child(void) {
    int fd = shm_open(SHM_NAME, O_RDWR, 0);
    if (fd < 0) {
        return 10;
    }
    struct shared* s = mmap(0, sizeof(struct shared), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (s == MAP_FAILED || strcmp(s->text, "from the parent") != 0) {
        return 11;
    }
    sem_t* ping = sem_open(SEM_PING, 0);
    sem_t* pong = sem_open(SEM_PONG, 0);
    if (ping == SEM_FAILED || pong == SEM_FAILED) {
        return 12;
    }
    for (int i = 0; i < ROUNDS; ++i) {
        if (sem_wait(ping) != 0) {
            return 13;
        }
        s->counter += 1;
        sem_post(pong);
    }
    strcpy(s->text, "from the child");
    sem_post(&s->unnamed);
    sem_close(ping);
    sem_close(pong);
    munmap(s, sizeof(struct shared));
    return 0;
}

int main(void) {
    shm_unlink(SHM_NAME); /* left over from a run that died */
    sem_unlink(SEM_PING);
    sem_unlink(SEM_PONG);

    int fd = shm_open(SHM_NAME, O_RDWR | O_CREAT | O_EXCL, 0600);
    CHECK(fd >= 0);
    CHECK(shm_open(SHM_NAME, O_RDWR | O_CREAT | O_EXCL, 0600) < 0 && errno == EEXIST);
    CHECK(ftruncate(fd, sizeof(struct shared)) == 0);
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && st.st_size == (off_t)sizeof(struct shared));
    struct shared* s = mmap(0, sizeof(struct shared), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(s != MAP_FAILED);
    if (s == MAP_FAILED) {
        printf("shm_sem (%s): %d checks, %d failed\n", library(), checks, failures);
        return 1;
    }
    CHECK(s->counter == 0 && s->text[0] == '\0'); /* a new object is zeros */
    strcpy(s->text, "from the parent");
    CHECK(sem_init(&s->unnamed, 1, 0) == 0);

    sem_t* ping = sem_open(SEM_PING, O_CREAT | O_EXCL, 0600, 0);
    sem_t* pong = sem_open(SEM_PONG, O_CREAT, 0600, 0);
    CHECK(ping != SEM_FAILED && pong != SEM_FAILED);
    CHECK(sem_open(SEM_PING, O_CREAT | O_EXCL, 0600, 0) == SEM_FAILED && errno == EEXIST);
    int value = -1;
    CHECK(sem_getvalue(ping, &value) == 0 && value == 0);
    CHECK(sem_trywait(ping) != 0 && errno == EAGAIN);

    pid_t pid = fork();
    if (pid == 0) {
        _exit(child());
    }
    CHECK(pid > 0);
    for (int i = 0; i < ROUNDS; ++i) {
        CHECK(sem_post(ping) == 0);
        CHECK(sem_wait(pong) == 0);
        CHECK(s->counter == i + 1);
    }
    CHECK(sem_wait(&s->unnamed) == 0);
    CHECK(strcmp(s->text, "from the child") == 0);
    int status = -1;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);

    /* The file is the object: read() sees what the mapping holds. */
    int counter = 0;
    CHECK(pread(fd, &counter, sizeof(counter), 0) == sizeof(counter) && counter == ROUNDS);

    CHECK(sem_destroy(&s->unnamed) == 0);
    CHECK(sem_close(ping) == 0 && sem_close(pong) == 0);
    CHECK(sem_unlink(SEM_PING) == 0 && sem_unlink(SEM_PONG) == 0);
    CHECK(sem_open(SEM_PING, 0) == SEM_FAILED && errno == ENOENT);
    CHECK(sem_unlink(SEM_PING) != 0 && errno == ENOENT);
    CHECK(munmap(s, sizeof(struct shared)) == 0);
    CHECK(close(fd) == 0);
    CHECK(shm_unlink(SHM_NAME) == 0);
    CHECK(shm_open(SHM_NAME, O_RDWR, 0) < 0 && errno == ENOENT);
    CHECK(shm_unlink(SHM_NAME) != 0 && errno == ENOENT);
    printf("shm_sem (%s): %d checks, %d failed\n", library(), checks, failures);
    return failures == 0 ? 0 : 1;
}
