/* bench_ipc: cycles (rdtsc) for a System V IPC round trip between two
 * processes: the parent writes a word into a shared memory segment and
 * raises semaphore 0; the child, woken, adds one to the word and raises
 * semaphore 1; the parent, woken, checks it. Two semop wakeups and two
 * context switches per trip, and the segment's page is shared, not copied.
 * Also the cost of a semop that does not block. Prints
 * "UBENCH <name> <cycles>"; runs on Kite and as /init under Linux. */
#include "api/ipc.h"
#include "check.h"

static long semop1(long id, int number, int op) {
    struct abi_sembuf b = {(unsigned short)number, (short)op, 0};
    return sys3(SYS_semop, id, (long)&b, 1);
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    long shm = sys3(SYS_shmget, ABI_IPC_PRIVATE, 4096, ABI_IPC_CREAT | 0600);
    long sem = sys3(SYS_semget, ABI_IPC_PRIVATE, 2, ABI_IPC_CREAT | 0600);
    volatile long* word = (volatile long*)sys3(SYS_shmat, shm, 0, 0);
    if (shm < 0 || sem < 0 || (long)word < 0) {
        rt_print("bench_ipc: no System V IPC\n");
        return 1;
    }
    *word = 0;
    const int trips = 2000;
    long pid = sys0(SYS_fork);
    if (pid == 0) {
        for (int i = 0; i < trips; ++i) {
            semop1(sem, 0, -1);
            *word += 1;
            semop1(sem, 1, 1);
        }
        sys1(SYS_exit, 0);
    }
    unsigned long start = rt_rdtsc();
    int intact = 1;
    for (int i = 0; i < trips; ++i) {
        *word += 1;
        semop1(sem, 0, 1);
        semop1(sem, 1, -1);
        intact = intact && *word == 2 * (i + 1);
    }
    unsigned long cycles = rt_rdtsc() - start;
    int status;
    sys4(SYS_wait4, pid, (long)&status, 0, 0);
    if (intact) {
        bench_report("sysv_shm_sem_round_trip", (long)(cycles / trips));
    } else {
        rt_print("bench_ipc: the shared word went wrong\n");
    }

    /* A semop that never blocks: up and down on one semaphore. */
    const int ops = 5000;
    start = rt_rdtsc();
    for (int i = 0; i < ops; ++i) {
        semop1(sem, 0, 1);
        semop1(sem, 0, -1);
    }
    bench_report("sysv_semop_uncontended", (long)((rt_rdtsc() - start) / (2 * ops)));

    sys3(SYS_shmdt, (long)word, 0, 0);
    sys3(SYS_shmctl, shm, ABI_IPC_RMID, 0);
    sys4(SYS_semctl, sem, 0, ABI_IPC_RMID, 0);
    if (!on_kite()) {
        sys4(169 /* reboot: power off, as /init under Linux */, 0xfee1dead, 672274793, 0x4321fedc,
             0);
    }
    return 0;
}
