/* signal_list.h: the Linux x86-64 signal numbers Kite knows by name, the one
 * list the kernel's signal numbers (api/signals.h), the raw-syscall tests'
 * SIG* names (user/rt/linux_abi.h) and the newlib port's translation table
 * (libc-port/translate.c) are generated from. Linux's 16 (SIGSTKFLT) and 30
 * (SIGPWR) are left out: Kite never sends them and newlib has no names for
 * them.
 *
 * SIGNAL(number, name): the kernel spells it signals::name (no SIG, so it
 * never meets a <signal.h> macro in host builds); C spells it SIG##name.
 * Plain C and C++, no include guard: define SIGNAL, include, undefine. */
SIGNAL(1, HUP)
SIGNAL(2, INT)
SIGNAL(3, QUIT)
SIGNAL(4, ILL)
SIGNAL(5, TRAP)
SIGNAL(6, ABRT)
SIGNAL(7, BUS)
SIGNAL(8, FPE)
SIGNAL(9, KILL)
SIGNAL(10, USR1)
SIGNAL(11, SEGV)
SIGNAL(12, USR2)
SIGNAL(13, PIPE)
SIGNAL(14, ALRM)
SIGNAL(15, TERM)
SIGNAL(17, CHLD)
SIGNAL(18, CONT)
SIGNAL(19, STOP)
SIGNAL(20, TSTP)
SIGNAL(21, TTIN)
SIGNAL(22, TTOU)
SIGNAL(23, URG)
SIGNAL(24, XCPU)
SIGNAL(25, XFSZ)
SIGNAL(26, VTALRM)
SIGNAL(27, PROF)
SIGNAL(28, WINCH)
SIGNAL(29, IO)
SIGNAL(31, SYS)
