/* termios.c: tcgetattr/tcsetattr and the terminal's foreground process
 * group, over Linux's terminal ioctls. */
#include <errno.h>
#include <termios.h>
#include <unistd.h>

#include "linux.h"

_Static_assert(sizeof(struct termios) == sizeof(struct abi_termios), "Linux's struct termios");
_Static_assert(NCCS == ABI_NCCS, "Linux's struct termios");

int tcgetattr(int fd, struct termios* attributes) {
    return (int)port_result(linux_syscall(SYS_ioctl, fd, LINUX_TCGETS, attributes));
}

int tcsetattr(int fd, int action, const struct termios* attributes) {
    if (action < TCSANOW || action > TCSAFLUSH) {
        return port_fail(EINVAL);
    }
    return (int)port_result(linux_syscall(SYS_ioctl, fd, LINUX_TCSETS + action, attributes));
}

pid_t tcgetpgrp(int fd) {
    int group = 0;
    long status = port_result(linux_syscall(SYS_ioctl, fd, LINUX_TIOCGPGRP, &group));
    return status < 0 ? -1 : group;
}

int tcsetpgrp(int fd, pid_t group) {
    int value = group;
    return (int)port_result(linux_syscall(SYS_ioctl, fd, LINUX_TIOCSPGRP, &value));
}
