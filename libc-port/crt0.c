/* crt0.c: the entry point of every newlib program on Kite (and on Linux:
 * the initial stack is the same System V layout on both).
 *
 *   rsp -> argc | argv[0..argc-1] | NULL | envp[...] | NULL | auxv pairs
 *
 * _start clears rbp (the end of every backtrace), passes that stack pointer
 * to kite_start and keeps the 16-byte alignment the ABI requires at calls. */
#include <stdlib.h>

extern char** environ;
extern int main(int argc, char** argv, char** envp);
extern void __libc_init_array(void);
extern void __libc_fini_array(void);

/* The auxiliary vector, kept for programs that want AT_PAGESZ or AT_RANDOM. */
unsigned long* __kite_auxv;

__asm__(".text\n"
        ".global _start\n"
        ".type _start, @function\n"
        "_start:\n"
        "    xor %rbp, %rbp\n"
        "    mov %rsp, %rdi\n"
        "    and $-16, %rsp\n"
        "    call kite_start\n"
        "    ud2\n");

/* newlib's __libc_init_array calls _init before .init_array and
 * __libc_fini_array calls _fini after .fini_array. Kite programs have no
 * .init/.fini sections (no crti.o/crtn.o), so both are empty. */
void _init(void) {}
void _fini(void) {}

__attribute__((noreturn, used)) void kite_start(long* stack) {
    int argc = (int)stack[0];
    char** argv = (char**)(stack + 1);
    char** envp = argv + argc + 1;
    char** p = envp;
    while (*p)
        ++p;
    __kite_auxv = (unsigned long*)(p + 1);
    environ = envp;
    __libc_init_array();
    atexit(__libc_fini_array);
    exit(main(argc, argv, envp));
}
