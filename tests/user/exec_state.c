/* exec_state: a program that execve starts has nothing of the old one in
 * its registers: every general register but rsp is 0, the flags are the
 * reset ones, and the x87/SSE state is the reset state (control word
 * 0x37f, MXCSR 0x1f80, every x87 and xmm register 0), whatever the program
 * that called execve left there. The program records its registers at its
 * ELF entry (exec_state_entry, named by the link: user/CMakeLists.txt)
 * before the runtime's _start runs; run as `exec_state probe` it checks
 * them, and run plainly it fills every register with junk and execs itself
 * as the probe. */
#include "check.h"

struct entry_state {
    unsigned long gpr[15]; /* rax rbx rcx rdx rsi rdi rbp r8-r15 */
    unsigned long rflags;
    unsigned char fxsave[512] __attribute__((aligned(16)));
};
struct entry_state entry_state __attribute__((aligned(16)));

__asm__(".text\n"
        ".globl exec_state_entry\n"
        "exec_state_entry:\n"
        "    mov %rax, entry_state+0(%rip)\n"
        "    mov %rbx, entry_state+8(%rip)\n"
        "    mov %rcx, entry_state+16(%rip)\n"
        "    mov %rdx, entry_state+24(%rip)\n"
        "    mov %rsi, entry_state+32(%rip)\n"
        "    mov %rdi, entry_state+40(%rip)\n"
        "    mov %rbp, entry_state+48(%rip)\n"
        "    mov %r8, entry_state+56(%rip)\n"
        "    mov %r9, entry_state+64(%rip)\n"
        "    mov %r10, entry_state+72(%rip)\n"
        "    mov %r11, entry_state+80(%rip)\n"
        "    mov %r12, entry_state+88(%rip)\n"
        "    mov %r13, entry_state+96(%rip)\n"
        "    mov %r14, entry_state+104(%rip)\n"
        "    mov %r15, entry_state+112(%rip)\n"
        "    pushfq\n"
        "    popq entry_state+120(%rip)\n"
        "    fxsave64 entry_state+128(%rip)\n"
        "    jmp _start\n");

/* long exec_with_junk(path, argv, envp): execve with junk in every other
 * general register, in all sixteen xmm registers, the x87 stack, its
 * control word and MXCSR. Returns only if execve fails. */
long exec_with_junk(const char* path, char** argv, char** envp);
static const unsigned long junk[2]
    __attribute__((aligned(16), used)) = {0xdeadbeefcafef00dUL, 0x0123456789abcdefUL};
static const unsigned int junk_mxcsr __attribute__((used)) = 0x3f80; /* round down */
static const unsigned short junk_fcw __attribute__((used)) = 0x27f;  /* 53-bit precision */
__asm__(".text\n"
        ".globl exec_with_junk\n"
        "exec_with_junk:\n"
        "    push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
        "    movdqa junk(%rip), %xmm0\n"
        "    movdqa %xmm0, %xmm1\n movdqa %xmm0, %xmm2\n movdqa %xmm0, %xmm3\n"
        "    movdqa %xmm0, %xmm4\n movdqa %xmm0, %xmm5\n movdqa %xmm0, %xmm6\n"
        "    movdqa %xmm0, %xmm7\n movdqa %xmm0, %xmm8\n movdqa %xmm0, %xmm9\n"
        "    movdqa %xmm0, %xmm10\n movdqa %xmm0, %xmm11\n movdqa %xmm0, %xmm12\n"
        "    movdqa %xmm0, %xmm13\n movdqa %xmm0, %xmm14\n movdqa %xmm0, %xmm15\n"
        "    ldmxcsr junk_mxcsr(%rip)\n"
        "    fldcw junk_fcw(%rip)\n"
        "    fld1\n fldpi\n"
        "    movabs $0x1111111111111111, %rbx\n"
        "    movabs $0x2222222222222222, %rbp\n"
        "    movabs $0x3333333333333333, %r8\n"
        "    movabs $0x4444444444444444, %r9\n"
        "    movabs $0x5555555555555555, %r10\n"
        "    movabs $0x6666666666666666, %r11\n"
        "    movabs $0x7777777777777777, %r12\n"
        "    movabs $0x8888888888888888, %r13\n"
        "    movabs $0x9999999999999999, %r14\n"
        "    movabs $0xaaaaaaaaaaaaaaaa, %r15\n"
        "    mov $59, %eax\n" /* execve */
        "    syscall\n"
        "    fninit\n"
        "    pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n"
        "    ret\n");

static unsigned long read_bytes(const unsigned char* at, int size) {
    unsigned long value = 0;
    for (int i = size - 1; i >= 0; --i) {
        value = value << 8 | at[i];
    }
    return value;
}

static int probe(void) {
    static const char* const names[15] = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8",
                                          "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
    for (int i = 0; i < 15; ++i) {
        ++check_count;
        if (entry_state.gpr[i] != 0) {
            ++check_failures;
            rt_print("FAIL: at entry ");
            rt_print(names[i]);
            rt_print(" is ");
            rt_print_hex(entry_state.gpr[i]);
            rt_print("\n");
        }
    }
    CHECK_EQ(entry_state.rflags, 0x202);
    const unsigned char* fx = entry_state.fxsave;
    CHECK_EQ(read_bytes(fx + 0, 2), 0x37f);   /* FCW */
    CHECK_EQ(read_bytes(fx + 2, 2), 0);       /* FSW: the stack is empty */
    CHECK_EQ(read_bytes(fx + 4, 1), 0);       /* abridged tags: all empty */
    CHECK_EQ(read_bytes(fx + 24, 4), 0x1f80); /* MXCSR */
    int nonzero_x87 = 0, nonzero_xmm = 0;
    for (int i = 0; i < 8 * 16; ++i) {
        nonzero_x87 += fx[32 + i] != 0;
    }
    for (int i = 0; i < 16 * 16; ++i) {
        nonzero_xmm += fx[160 + i] != 0;
    }
    CHECK_EQ(nonzero_x87, 0);
    CHECK_EQ(nonzero_xmm, 0);
    return check_done("exec_state probe");
}

int main(int argc, char** argv, char** envp) {
    if (argc > 1 && rt_strcmp(argv[1], "probe") == 0) {
        return probe();
    }
    const long child = sys0(SYS_fork);
    if (child == 0) {
        char* probe_argv[] = {argv[0], "probe", 0};
        exec_with_junk(argv[0], probe_argv, envp);
        rt_print("FAIL: execve of argv[0] failed\n");
        sys1(SYS_exit_group, 2);
    }
    CHECK(child > 0);
    int status = -1;
    CHECK_EQ(sys4(SYS_wait4, child, (long)&status, 0, 0), child);
    CHECK_EQ(status, 0); /* the probe's checks all passed */
    return check_done("exec_state");
}
