/* hello: the first user program. One write system call, then exit. */
#include "sys.h"

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    (void)envp;
    static const char message[] = "Hello from userspace!\n";
    return sys3(SYS_write, 1, (long)message, sizeof(message) - 1) == sizeof(message) - 1 ? 0 : 1;
}
