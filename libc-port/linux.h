/* linux.h: the Linux x86-64 system-call interface as the port sees it:
 * the raw `syscall` instruction and Linux's numbers (shared with user/rt)
 * and Linux's structures (the kernel's api/types.h); Linux's constants come
 * from the kernel's lists (the api/ lists) where the glue translates them. Only
 * the port includes this; programs see newlib's headers. */
#ifndef KITE_PORT_LINUX_H
#define KITE_PORT_LINUX_H

#include "api/types.h"     /* struct abi_stat and the other Linux structures */
#include "kite/signals.h"  /* port_signal_to_linux, port_signal_from_linux */
#include "linux_syscall.h" /* user/rt: sys6 and the SYS_* numbers */

/* Linux's values for what the glue passes through untranslated or
 * translates by hand: LINUX_TCGETS, LINUX_SA_RESTART, LINUX_SIG_BLOCK... */
enum {
#define IOCTL(name, value) LINUX_##name = value,
#define SA_FLAG(name, value) LINUX_SA_##name = value,
#define SIGMASK_HOW(name, value) LINUX_SIG_##name = value,
#include "api/constants_list.h"
};

#define linux_syscall(n, a, b, c) sys6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)

/* Translations (translate.c). newlib's constants are not Linux's. */
int port_errno_from_linux(long linux_errno);
int port_open_flags_to_linux(int newlib_flags);
int port_open_flags_from_linux(int linux_flags);

/* Sets errno from a -errno return and gives -1; passes other values through. */
long port_result(long raw);
/* Sets errno (the reentrant one newlib's macro reads, and the global
 * symbol) to a newlib value and gives -1. */
int port_fail(int error);

#endif
