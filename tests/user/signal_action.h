/* signal_action.h: what the tests that install handlers share: the
 * kernel's struct sigaction (handler, flags, restorer, mask: no C library
 * here) and the restorer that returns from a handler (rt_sigreturn), which
 * SA_RESTORER names. */
#ifndef KITE_SIGNAL_ACTION_H
#define KITE_SIGNAL_ACTION_H

#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif

struct action {
    void* handler;
    unsigned long flags;
    void* restorer;
    unsigned long mask;
};

extern void restore_rt(void);
__asm__(".text\n"
        "restore_rt:\n"
        "    mov $15, %eax\n" /* rt_sigreturn */
        "    syscall\n"
        "    ud2\n");

#endif
