/* termios.c: tcgetattr/tcsetattr and the terminal's foreground process
 * group, over Linux's terminal ioctls. */
#include <errno.h>
#include <termios.h>
#include <unistd.h>

#include "linux.h"

enum {
    TCGETS = 0x5401,
    TCSETS = 0x5402, /* TCSETSW and TCSETSF follow it, in the order of TCSA* */
    TIOCGPGRP = 0x540F,
    TIOCSPGRP = 0x5410,
};

int tcgetattr(int fd, struct termios* attributes) {
    return (int)port_result(linux_syscall(SYS_ioctl, fd, TCGETS, attributes));
}

int tcsetattr(int fd, int action, const struct termios* attributes) {
    if (action < TCSANOW || action > TCSAFLUSH) {
        return port_fail(EINVAL);
    }
    return (int)port_result(linux_syscall(SYS_ioctl, fd, TCSETS + action, attributes));
}

pid_t tcgetpgrp(int fd) {
    int group = 0;
    long status = port_result(linux_syscall(SYS_ioctl, fd, TIOCGPGRP, &group));
    return status < 0 ? -1 : group;
}

int tcsetpgrp(int fd, pid_t group) {
    int value = group;
    return (int)port_result(linux_syscall(SYS_ioctl, fd, TIOCSPGRP, &value));
}
