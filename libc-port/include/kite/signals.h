/* kite/signals.h: Linux's numbers for signals, for programs that show or
 * read signals as numbers. newlib numbers several signals differently
 * (SIGUSR1 is 30 in newlib, 10 on Linux), while users type Linux's numbers
 * (kill -10) and shells report a death by a signal as 128 plus Linux's
 * number. An extension of Kite's port, implemented in libc-port/translate.c. */
#ifndef KITE_SIGNALS_H
#define KITE_SIGNALS_H

int port_signal_to_linux(int newlib_signal);  /* 0 if Linux has no such signal */
int port_signal_from_linux(int linux_signal); /* 0 if newlib has no such signal */

#endif
