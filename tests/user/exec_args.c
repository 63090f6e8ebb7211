/* exec_args: execve hands argv and envp over intact, 1000 arguments
 * included, with an auxiliary vector and a 16-byte-aligned stack. The
 * program execs itself; the second run checks what arrived. */
#include "check.h"

#define COUNT 1000

static char* number_text(char* out, const char* prefix, int value) {
    char* p = out;
    while (*prefix) {
        *p++ = *prefix++;
    }
    char digits[12];
    int n = 0;
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    while (n) {
        *p++ = digits[--n];
    }
    *p = '\0';
    return out;
}

static int receiver(int argc, char** argv, char** envp) {
    CHECK_EQ(argc, COUNT + 2);
    CHECK(text_equal(argv[1], "--receive"));
    char expected[32];
    int intact = 1;
    for (int i = 0; i < COUNT && i + 2 < argc; ++i) {
        intact = intact && text_equal(argv[i + 2], number_text(expected, "argument-", i));
    }
    CHECK(intact);
    CHECK(argv[argc] == 0);
    CHECK(text_equal(envp[0], "FIRST=1"));
    CHECK(text_equal(envp[1], "SECOND=two words"));
    CHECK(text_equal(envp[2], "EMPTY="));
    CHECK(envp[3] == 0);
    /* The auxiliary vector follows envp's NULL. */
    unsigned long* aux = (unsigned long*)(envp + 4);
    unsigned long page_size = 0, random = 0, entry = 0;
    for (; aux[0] != 0; aux += 2) {
        if (aux[0] == 6) {
            page_size = aux[1];
        } else if (aux[0] == 25) {
            random = aux[1];
        } else if (aux[0] == 9) {
            entry = aux[1];
        }
    }
    CHECK_EQ(page_size, 4096);
    CHECK(random != 0);
    CHECK(entry != 0);
    /* argv sits just above argc at the initial, 16-byte-aligned stack pointer. */
    CHECK_EQ(((unsigned long)argv - 8) % 16, 0);
    /* The sender set an FS base; a new program starts without one. */
    unsigned long fs = 1;
    CHECK_EQ(sys2(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, (long)&fs), 0);
    CHECK_EQ(fs, 0);
    return check_done("exec_args (received)");
}

int main(int argc, char** argv, char** envp) {
    if (argc >= 2 && text_equal(argv[1], "--receive")) {
        /* Leave through exit, not exit_group (the runtime's way), so both are used. */
        sys1(SYS_exit, receiver(argc, argv, envp));
        return 1;
    }
    static char storage[COUNT][16];
    static char* arguments[COUNT + 3];
    arguments[0] = argv[0];
    arguments[1] = "--receive";
    for (int i = 0; i < COUNT; ++i) {
        arguments[i + 2] = number_text(storage[i], "argument-", i);
    }
    arguments[COUNT + 2] = 0;
    char* environment[] = {"FIRST=1", "SECOND=two words", "EMPTY=", 0};
    static unsigned long tls[4];
    sys2(SYS_arch_prctl, 0x1002 /* ARCH_SET_FS */, (long)tls);
    sys3(SYS_execve, (long)argv[0], (long)arguments, (long)environment);
    rt_print("FAIL: execve of itself failed\n");
    return 1;
}
