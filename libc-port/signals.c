/* signals.c: sigaction, signal, sigprocmask, raise, pause, sigsuspend and
 * alarm over Linux's rt_sigaction, rt_sigprocmask, rt_sigsuspend. newlib numbers signals
 * differently from Linux (SIGUSR1 is 30, not 10; SIGCHLD 20, not 17), so every handler is installed
 * as one Linux-level trampoline that translates the number back before calling the program's
 * function; masks are translated bit by bit. newlib's sigset_t has bit (1 << newlib_signal);
 * Linux's has bit (1 << (linux_signal - 1)). */
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "linux.h"

/* The program's handlers, by newlib signal number. */
static _sig_func_ptr handlers[NSIG];

void port_signal_return(void);
__asm__(".text\n"
        ".type port_signal_return, @function\n"
        "port_signal_return:\n"
        "    mov $15, %eax\n" /* rt_sigreturn */
        "    syscall\n"
        "    ud2\n");

static void dispatch(int linux_signal) {
    int signal = port_signal_from_linux(linux_signal);
    if (signal > 0 && handlers[signal] != SIG_DFL && handlers[signal] != SIG_IGN)
        handlers[signal](signal);
}

static unsigned long mask_to_linux(sigset_t mask) {
    unsigned long result = 0;
    for (int s = 1; s < NSIG; ++s) {
        int linux_signal = port_signal_to_linux(s);
        if ((mask & (1UL << s)) && linux_signal)
            result |= 1UL << (linux_signal - 1);
    }
    return result;
}

static sigset_t mask_from_linux(unsigned long mask) {
    sigset_t result = 0;
    for (int s = 1; s < NSIG; ++s) {
        int linux_signal = port_signal_to_linux(s);
        if (linux_signal && (mask & (1UL << (linux_signal - 1))))
            result |= 1UL << s;
    }
    return result;
}

static int install(int signal, _sig_func_ptr handler, sigset_t mask, unsigned long flags,
                   _sig_func_ptr* old_handler, sigset_t* old_mask, int* old_flags) {
    int linux_signal = port_signal_to_linux(signal);
    if (!linux_signal)
        return port_fail(EINVAL);
    struct abi_sigaction wanted = {0, flags | LINUX_SA_RESTORER, (unsigned long)port_signal_return,
                                   mask_to_linux(mask)};
    wanted.handler =
        (unsigned long)((handler == SIG_DFL || handler == SIG_IGN) ? handler : dispatch);
    /* The table is updated before the kernel's action, so a signal that
     * arrives in between already finds the new handler. */
    const _sig_func_ptr previous = handlers[signal];
    if (handler != SIG_ERR)
        handlers[signal] = handler;
    struct abi_sigaction old;
    long status = sys6(SYS_rt_sigaction, linux_signal, handler == SIG_ERR ? 0 : (long)&wanted,
                       (long)&old, 8, 0, 0);
    if (port_result(status) < 0) {
        handlers[signal] = previous;
        return -1;
    }
    if (old_handler)
        *old_handler =
            (old.handler == (unsigned long)dispatch) ? previous : (_sig_func_ptr)old.handler;
    if (old_mask)
        *old_mask = mask_from_linux(old.mask);
    if (old_flags)
        *old_flags = (old.flags & LINUX_SA_NOCLDSTOP) ? SA_NOCLDSTOP : 0;
    return 0;
}

int sigaction(int signal, const struct sigaction* action, struct sigaction* old) {
    _sig_func_ptr old_handler;
    sigset_t old_mask;
    int old_flags;
    int status;
    if (action)
        status = install(signal, action->sa_handler, action->sa_mask,
                         (action->sa_flags & SA_NOCLDSTOP) ? LINUX_SA_NOCLDSTOP : 0, &old_handler,
                         &old_mask, &old_flags);
    else /* SIG_ERR: only read the current action */
        status = install(signal, SIG_ERR, 0, 0, &old_handler, &old_mask, &old_flags);
    if (status == 0 && old) {
        old->sa_handler = old_handler;
        old->sa_mask = old_mask;
        old->sa_flags = old_flags;
    }
    return status;
}

/* signal(): BSD semantics, as glibc gives: the handler stays installed and
 * interrupted system calls restart. */
_sig_func_ptr signal(int signal, _sig_func_ptr handler) {
    _sig_func_ptr old;
    if (handler == SIG_ERR)
        return (port_fail(EINVAL), SIG_ERR);
    if (install(signal, handler, 0, LINUX_SA_RESTART, &old, 0, 0) < 0)
        return SIG_ERR;
    return old;
}

int sigprocmask(int how, const sigset_t* set, sigset_t* old) {
    /* newlib: SIG_SETMASK 0, SIG_BLOCK 1, SIG_UNBLOCK 2; Linux: 2, 0, 1. */
    long linux_how = how == SIG_BLOCK     ? LINUX_SIG_BLOCK
                     : how == SIG_UNBLOCK ? LINUX_SIG_UNBLOCK
                     : how == SIG_SETMASK ? LINUX_SIG_SETMASK
                                          : -1;
    if (linux_how < 0)
        return port_fail(EINVAL);
    unsigned long wanted = set ? mask_to_linux(*set) : 0, previous = 0;
    long status =
        sys6(SYS_rt_sigprocmask, linux_how, set ? (long)&wanted : 0, (long)&previous, 8, 0, 0);
    if (port_result(status) < 0)
        return -1;
    if (old)
        *old = mask_from_linux(previous);
    return 0;
}

int raise(int signal) {
    return kill(getpid(), signal);
}

int pause(void) {
    return (int)port_result(linux_syscall(SYS_pause, 0, 0, 0));
}

int sigsuspend(const sigset_t* mask) {
    unsigned long linux_mask = mask_to_linux(*mask);
    return (int)port_result(linux_syscall(SYS_rt_sigsuspend, &linux_mask, 8, 0));
}

unsigned alarm(unsigned seconds) {
    return (unsigned)linux_syscall(SYS_alarm, seconds, 0, 0); /* cannot fail */
}
