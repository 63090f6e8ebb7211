/* constants_list.h: Linux x86-64's flag and command values that Kite's
 * system calls take, by family, the one list the kernel and user space
 * (user/rt/linux_abi.h, libc-port) generate their spellings from. Each
 * family is a macro; a consumer defines the ones it wants before including
 * this file, the others expand to nothing. Plain C and C++, no include
 * guard. C spells each value as the comment on its family says. */
#ifndef OPEN_ACCESS
#define OPEN_ACCESS(name, value)
#endif
#ifndef OPEN_FLAG
#define OPEN_FLAG(name, value)
#endif
#ifndef AT_VALUE
#define AT_VALUE(name, value)
#endif
#ifndef FILE_TYPE
#define FILE_TYPE(mode_name, mode, dirent_name, dirent_type)
#endif
#ifndef PROT_FLAG
#define PROT_FLAG(name, value)
#endif
#ifndef MAP_FLAG
#define MAP_FLAG(name, value)
#endif
#ifndef WAIT_OPTION
#define WAIT_OPTION(name, value)
#endif
#ifndef WAIT_ID_TYPE
#define WAIT_ID_TYPE(name, value)
#endif
#ifndef CHILD_CODE
#define CHILD_CODE(name, value)
#endif
#ifndef SIGMASK_HOW
#define SIGMASK_HOW(name, value)
#endif
#ifndef SA_FLAG
#define SA_FLAG(name, value)
#endif
#ifndef SIG_HANDLER
#define SIG_HANDLER(name, value)
#endif
#ifndef IOCTL
#define IOCTL(name, value)
#endif
#ifndef TERMIOS_CC
#define TERMIOS_CC(name, index)
#endif
#ifndef TERMIOS_IFLAG
#define TERMIOS_IFLAG(name, value)
#endif
#ifndef TERMIOS_OFLAG
#define TERMIOS_OFLAG(name, value)
#endif
#ifndef TERMIOS_CFLAG
#define TERMIOS_CFLAG(name, value)
#endif
#ifndef TERMIOS_LFLAG
#define TERMIOS_LFLAG(name, value)
#endif
#ifndef TERMIOS_ACTION
#define TERMIOS_ACTION(name, value)
#endif

/* open(2) access modes (O_name; the low two bits, not flags). */
OPEN_ACCESS(RDONLY, 0)
OPEN_ACCESS(WRONLY, 01)
OPEN_ACCESS(RDWR, 02)
OPEN_ACCESS(ACCMODE, 03)
/* open(2) and F_GETFL/F_SETFL flags (O_name). */
OPEN_FLAG(CREAT, 0100)
OPEN_FLAG(EXCL, 0200)
OPEN_FLAG(NOCTTY, 0400)
OPEN_FLAG(TRUNC, 01000)
OPEN_FLAG(APPEND, 02000)
OPEN_FLAG(NONBLOCK, 04000)
OPEN_FLAG(DIRECTORY, 0200000)
OPEN_FLAG(NOFOLLOW, 0400000)
OPEN_FLAG(CLOEXEC, 02000000)
OPEN_FLAG(SYNC, 04010000)

/* The *at calls' directory and flags (AT_name). */
AT_VALUE(FDCWD, -100)
AT_VALUE(SYMLINK_NOFOLLOW, 0x100)
AT_VALUE(EMPTY_PATH, 0x1000)

/* File types: st_mode's and getdents64's (names as they are). */
FILE_TYPE(S_IFIFO, 0010000, DT_FIFO, 1)
FILE_TYPE(S_IFCHR, 0020000, DT_CHR, 2)
FILE_TYPE(S_IFDIR, 0040000, DT_DIR, 4)
FILE_TYPE(S_IFREG, 0100000, DT_REG, 8)
FILE_TYPE(S_IFLNK, 0120000, DT_LNK, 10)

/* mmap/mprotect protection (PROT_name) and mmap flags (MAP_name). */
PROT_FLAG(NONE, 0)
PROT_FLAG(READ, 1)
PROT_FLAG(WRITE, 2)
PROT_FLAG(EXEC, 4)
MAP_FLAG(SHARED, 0x01)
MAP_FLAG(PRIVATE, 0x02)
MAP_FLAG(FIXED, 0x10)
MAP_FLAG(ANONYMOUS, 0x20)
MAP_FLAG(NORESERVE, 0x4000)
MAP_FLAG(POPULATE, 0x8000)

/* wait4/waitid options (Wname; the last three are C's __Wname). */
WAIT_OPTION(NOHANG, 1)
WAIT_OPTION(UNTRACED, 2) /* waitid calls it WSTOPPED */
WAIT_OPTION(EXITED, 4)
WAIT_OPTION(CONTINUED, 8)
WAIT_OPTION(NOWAIT, 0x01000000)
WAIT_OPTION(NOTHREAD, 0x20000000)
WAIT_OPTION(ALL, 0x40000000)
WAIT_OPTION(CLONE, 0x80000000)
/* waitid's idtype (P_name) and the si_code of its SIGCHLD (CLD_name). */
WAIT_ID_TYPE(ALL, 0)
WAIT_ID_TYPE(PID, 1)
WAIT_ID_TYPE(PGID, 2)
CHILD_CODE(EXITED, 1)
CHILD_CODE(KILLED, 2)
CHILD_CODE(DUMPED, 3)
CHILD_CODE(STOPPED, 5)
CHILD_CODE(CONTINUED, 6)

/* rt_sigprocmask's how (SIG_name), rt_sigaction's sa_flags (SA_name) and
 * its special handlers (SIG_name). */
SIGMASK_HOW(BLOCK, 0)
SIGMASK_HOW(UNBLOCK, 1)
SIGMASK_HOW(SETMASK, 2)
SA_FLAG(NOCLDSTOP, 0x1)
SA_FLAG(SIGINFO, 0x4)
SA_FLAG(RESTORER, 0x04000000)
SA_FLAG(ONSTACK, 0x08000000)
SA_FLAG(RESTART, 0x10000000)
SA_FLAG(NODEFER, 0x40000000)
SA_FLAG(RESETHAND, 0x80000000)
SIG_HANDLER(DFL, 0)
SIG_HANDLER(IGN, 1)

/* Terminal ioctl requests (name as it is). */
IOCTL(TCGETS, 0x5401)
IOCTL(TCSETS, 0x5402) /* TCSETSW and TCSETSF follow, in the order of TCSA* */
IOCTL(TCSETSW, 0x5403)
IOCTL(TCSETSF, 0x5404)
IOCTL(TIOCGPGRP, 0x540F)
IOCTL(TIOCSPGRP, 0x5410)
IOCTL(TIOCGWINSZ, 0x5413)

/* struct termios: c_cc indexes and the flags Kite's line discipline knows
 * (names as they are). */
TERMIOS_CC(VINTR, 0)
TERMIOS_CC(VQUIT, 1)
TERMIOS_CC(VERASE, 2)
TERMIOS_CC(VKILL, 3)
TERMIOS_CC(VEOF, 4)
TERMIOS_CC(VTIME, 5)
TERMIOS_CC(VMIN, 6)
TERMIOS_CC(VSWTC, 7)
TERMIOS_CC(VSTART, 8)
TERMIOS_CC(VSTOP, 9)
TERMIOS_CC(VSUSP, 10)
TERMIOS_CC(VEOL, 11)
TERMIOS_CC(VREPRINT, 12)
TERMIOS_CC(VDISCARD, 13)
TERMIOS_CC(VWERASE, 14)
TERMIOS_CC(VLNEXT, 15)
TERMIOS_CC(VEOL2, 16)
TERMIOS_IFLAG(INLCR, 0000100)
TERMIOS_IFLAG(IGNCR, 0000200)
TERMIOS_IFLAG(ICRNL, 0000400)
TERMIOS_IFLAG(IXON, 0002000)
TERMIOS_OFLAG(OPOST, 0000001)
TERMIOS_OFLAG(ONLCR, 0000004)
TERMIOS_CFLAG(B38400, 0000017)
TERMIOS_CFLAG(CS8, 0000060)
TERMIOS_CFLAG(CREAD, 0000200)
TERMIOS_LFLAG(ISIG, 0000001)
TERMIOS_LFLAG(ICANON, 0000002)
TERMIOS_LFLAG(ECHO, 0000010)
TERMIOS_LFLAG(ECHOE, 0000020)
TERMIOS_LFLAG(ECHOK, 0000040)
TERMIOS_LFLAG(ECHONL, 0000100)
TERMIOS_LFLAG(NOFLSH, 0000200)
TERMIOS_LFLAG(TOSTOP, 0000400)
TERMIOS_LFLAG(ECHOCTL, 0001000)
TERMIOS_LFLAG(ECHOKE, 0004000)
TERMIOS_LFLAG(IEXTEN, 0100000)
/* tcsetattr's actions (name as it is; the port adds them to TCSETS). */
TERMIOS_ACTION(TCSANOW, 0)
TERMIOS_ACTION(TCSADRAIN, 1)
TERMIOS_ACTION(TCSAFLUSH, 2)

#undef OPEN_ACCESS
#undef OPEN_FLAG
#undef AT_VALUE
#undef FILE_TYPE
#undef PROT_FLAG
#undef MAP_FLAG
#undef WAIT_OPTION
#undef WAIT_ID_TYPE
#undef CHILD_CODE
#undef SIGMASK_HOW
#undef SA_FLAG
#undef SIG_HANDLER
#undef IOCTL
#undef TERMIOS_CC
#undef TERMIOS_IFLAG
#undef TERMIOS_OFLAG
#undef TERMIOS_CFLAG
#undef TERMIOS_LFLAG
#undef TERMIOS_ACTION
