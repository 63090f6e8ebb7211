/* registers: no kernel value reaches user space in a register. After each
 * system call of a sample, every register but rax holds what the program
 * put there (Linux's ABI: rcx comes back as the return address and r11 as
 * the flags, both the program's own); after the CPU was taken away by the
 * timer and given to another process, every register holds what it held.
 * The argument registers are checked too: Linux leaves them as they were. */
#include "check.h"

#define PATTERN(n) (0x5a5a000000000000UL | ((unsigned long)(n) << 32) | 0x1234567UL * (n))

/* What the registers held right after the syscall instruction. */
struct after_call {
    unsigned long rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
    unsigned long flags_before;
};
struct after_call after;

/* long checked_syscall(long number, const long args[6]): the call with
 * PATTERN(1..6) in rbx, rbp, r12-r15 and junk in rcx and r11; each
 * register is stored in `after` before anything else runs. */
long checked_syscall(long number, const long* args);
extern char checked_syscall_return[];
__asm__(".text\n"
        ".globl checked_syscall\n"
        "checked_syscall:\n"
        "    push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
        "    mov %rdi, %rax\n"
        "    mov 0(%rsi), %rdi\n"
        "    mov 16(%rsi), %rdx\n"
        "    mov 24(%rsi), %r10\n"
        "    mov 32(%rsi), %r8\n"
        "    mov 40(%rsi), %r9\n"
        "    mov 8(%rsi), %rsi\n"
        "    movabs $0x5a5a000101234567, %rbx\n"
        "    movabs $0x5a5a000202468ace, %rbp\n"
        "    movabs $0x5a5a00030369d035, %r12\n"
        "    movabs $0x5a5a0004048d159c, %r13\n"
        "    movabs $0x5a5a000505b05b03, %r14\n"
        "    movabs $0x5a5a000606d3a06a, %r15\n"
        "    pushfq\n"
        "    pop %rcx\n"
        "    mov %rcx, after+112(%rip)\n"
        "    mov $-1, %rcx\n"
        "    mov $-1, %r11\n"
        "    syscall\n"
        ".globl checked_syscall_return\n"
        "checked_syscall_return:\n"
        "    mov %rbx, after+0(%rip)\n"
        "    mov %rcx, after+8(%rip)\n"
        "    mov %rdx, after+16(%rip)\n"
        "    mov %rsi, after+24(%rip)\n"
        "    mov %rdi, after+32(%rip)\n"
        "    mov %rbp, after+40(%rip)\n"
        "    mov %r8, after+48(%rip)\n"
        "    mov %r9, after+56(%rip)\n"
        "    mov %r10, after+64(%rip)\n"
        "    mov %r11, after+72(%rip)\n"
        "    mov %r12, after+80(%rip)\n"
        "    mov %r13, after+88(%rip)\n"
        "    mov %r14, after+96(%rip)\n"
        "    mov %r15, after+104(%rip)\n"
        "    pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n"
        "    ret\n");

/* Checks `after` against what checked_syscall and args put in; returns
 * how many registers differ (each is reported). */
static int check_after(const char* name, const long* args) {
    const struct {
        const char* reg;
        unsigned long got, want;
    } expected[] = {
        {"rbx", after.rbx, PATTERN(1)},
        {"rbp", after.rbp, PATTERN(2)},
        {"r12", after.r12, PATTERN(3)},
        {"r13", after.r13, PATTERN(4)},
        {"r14", after.r14, PATTERN(5)},
        {"r15", after.r15, PATTERN(6)},
        {"rdi", after.rdi, (unsigned long)args[0]},
        {"rsi", after.rsi, (unsigned long)args[1]},
        {"rdx", after.rdx, (unsigned long)args[2]},
        {"r10", after.r10, (unsigned long)args[3]},
        {"r8", after.r8, (unsigned long)args[4]},
        {"r9", after.r9, (unsigned long)args[5]},
        {"rcx", after.rcx, (unsigned long)checked_syscall_return},
        {"r11", after.r11, after.flags_before},
    };
    int wrong = 0;
    for (unsigned i = 0; i < sizeof(expected) / sizeof(expected[0]); ++i) {
        ++check_count;
        if (expected[i].got != expected[i].want) {
            ++check_failures;
            ++wrong;
            rt_print("FAIL: after ");
            rt_print(name);
            rt_print(": ");
            rt_print(expected[i].reg);
            rt_print(" is ");
            rt_print_hex(expected[i].got);
            rt_print(", want ");
            rt_print_hex(expected[i].want);
            rt_print("\n");
        }
    }
    return wrong;
}

static char buffer[4096];

static void check_sample(void) {
    int fds[2];
    CHECK_EQ(sys2(SYS_pipe2, (long)fds, 0), 0);
    CHECK_EQ(sys3(SYS_write, fds[1], (long)"x", 1), 1);
    struct {
        long seconds, nanoseconds;
    } nap = {0, 1000000};
    const struct {
        const char* name;
        long number;
        long args[6];
        long result; /* what rax must be; 1 = any value >= 0 */
    } sample[] = {
        {"getpid", SYS_getpid, {0}, 1},
        {"getppid", SYS_getppid, {7, 8, 9, 10, 11, 12}, 1},
        {"read of a bad descriptor", SYS_read, {-1, (long)buffer, 16}, -EBADF},
        {"read to a bad pointer", SYS_read, {fds[0], 8, 1}, -EFAULT},
        {"write of nothing", SYS_write, {1, (long)buffer, 0}, 0},
        {"sched_yield", SYS_sched_yield, {0}, 0},
        {"nanosleep", SYS_nanosleep, {(long)&nap, 0}, 0},
        {"getcwd", SYS_getcwd, {(long)buffer, sizeof(buffer)}, 1},
        {"uname", SYS_uname, {(long)buffer}, 0},
        {"clock_gettime", SYS_clock_gettime, {1, (long)buffer}, 0},
        {"getrandom", SYS_getrandom, {(long)buffer, 64, 0}, 64},
        {"rt_sigprocmask", SYS_rt_sigprocmask, {0, 0, (long)buffer, 8}, 0},
        {"an unknown call", 500, {1, 2, 3, 4, 5, 6}, -ENOSYS},
        {"mmap", SYS_mmap, {0, 8192, 3, 0x22, -1, 0}, 1},
    };
    for (unsigned i = 0; i < sizeof(sample) / sizeof(sample[0]); ++i) {
        const long result = checked_syscall(sample[i].number, sample[i].args);
        if (sample[i].result == 1) {
            CHECK(result >= 0);
        } else {
            CHECK_EQ(result, sample[i].result);
        }
        check_after(sample[i].name, sample[i].args);
        if (sample[i].number == SYS_mmap && result > 0) {
            const long args[6] = {result, 8192};
            CHECK_EQ(checked_syscall(SYS_munmap, args), 0);
            check_after("munmap", args);
        }
    }
    sys1(SYS_close, fds[0]);
    sys1(SYS_close, fds[1]);

    /* fork: both sides come back with the registers the parent set. */
    const long none[6] = {0};
    const long child = checked_syscall(SYS_fork, none);
    if (child == 0) {
        sys1(SYS_exit_group, check_after("fork, in the child", none) == 0 ? 0 : 1);
    }
    CHECK(child > 0);
    check_after("fork, in the parent", none);
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, child, (long)&status, 0, 0), child);
    CHECK_EQ(status, 0);
}

/* long spin_holding(long passes): runs `passes` loops with every general
 * register but rax (the count) and rsp holding a value of its own, checking
 * each one on every pass; returns how many passes found one changed. */
long spin_holding(long passes);
__asm__(".text\n"
        ".globl spin_holding\n"
        "spin_holding:\n"
        "    push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
        "    mov %rdi, %rax\n"
        "    movq $0, spin_broken(%rip)\n"
        "1:  mov $0x11111111, %ebx\n mov $0x22222222, %ecx\n mov $0x33333333, %edx\n"
        "    mov $0x44444444, %esi\n mov $0x55555555, %edi\n mov $0x66666666, %ebp\n"
        "    mov $0x77777777, %r8d\n mov $0x08888888, %r9d\n mov $0x09999999, %r10d\n"
        "    mov $0x0aaaaaaa, %r11d\n mov $0x0bbbbbbb, %r12d\n mov $0x0ccccccc, %r13d\n"
        "    mov $0x0ddddddd, %r14d\n mov $0x0eeeeeee, %r15d\n"
        "2:  dec %rax\n jz 4f\n"
        "    cmp $0x11111111, %rbx\n jne 3f\n cmp $0x22222222, %rcx\n jne 3f\n"
        "    cmp $0x33333333, %rdx\n jne 3f\n cmp $0x44444444, %rsi\n jne 3f\n"
        "    cmp $0x55555555, %rdi\n jne 3f\n cmp $0x66666666, %rbp\n jne 3f\n"
        "    cmp $0x77777777, %r8\n jne 3f\n cmp $0x08888888, %r9\n jne 3f\n"
        "    cmp $0x09999999, %r10\n jne 3f\n cmp $0x0aaaaaaa, %r11\n jne 3f\n"
        "    cmp $0x0bbbbbbb, %r12\n jne 3f\n cmp $0x0ccccccc, %r13\n jne 3f\n"
        "    cmp $0x0ddddddd, %r14\n jne 3f\n cmp $0x0eeeeeee, %r15\n je 2b\n"
        "3:  incq spin_broken(%rip)\n jmp 1b\n"
        "4:  mov spin_broken(%rip), %rax\n"
        "    pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n"
        "    ret\n");
long spin_broken;

/* The parent spins holding its registers while a child, which counts in a
 * shared page, is runnable beside it: a pass of the spin over which the
 * count moved had the CPU taken away and given back (one CPU), or run
 * beside the child (several): both must leave every register alone. */
static void check_preemption(void) {
    volatile long* shared =
        (volatile long*)sys6(SYS_mmap, 0, 4096, 3, 0x21 /* MAP_SHARED|MAP_ANONYMOUS */, -1, 0);
    CHECK((long)shared > 0);
    const long child = sys0(SYS_fork);
    if (child == 0) {
        for (;;) {
            ++shared[0];
        }
    }
    CHECK(child > 0);
    long moved = 0, broken = 0;
    for (int round = 0; round < 20000 && moved < 5; ++round) {
        const long before = shared[0];
        broken += spin_holding(200000);
        moved += shared[0] != before;
    }
    CHECK(moved >= 5);
    CHECK_EQ(broken, 0);
    sys2(SYS_kill, child, 9);
    int status = 0;
    CHECK_EQ(sys4(SYS_wait4, child, (long)&status, 0, 0), child);
    CHECK_EQ(status & 0x7f, 9);
    sys2(SYS_munmap, (long)shared, 4096);
}

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    check_sample();
    check_preemption();
    return check_done("registers");
}
