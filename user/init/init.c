/* init: the first process. It starts /bin/sh on the console as a session
 * leader in its own process group (the console's foreground group), starts
 * it again whenever it exits, and reaps every orphan that is handed to it. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t start_shell(void) {
    pid_t pid = fork();
    if (pid < 0) {
        perror("init: fork");
        return -1;
    }
    if (pid == 0) {
        setsid();
        setpgid(0, 0);
        tcsetpgrp(0, getpid());
        char* argv[] = {"sh", NULL};
        execv("/bin/sh", argv);
        perror("init: cannot run /bin/sh");
        _exit(127);
    }
    return pid;
}

int main(void) {
    /* Keyboard signals go to the foreground group; init is never in it, but
     * it must not die if it ever is. */
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    signal(SIGTSTP, SIG_IGN);
    for (;;) {
        pid_t shell = start_shell();
        if (shell < 0) {
            sleep(1);
            continue;
        }
        for (;;) {
            int status = 0;
            pid_t child = wait(&status);
            if (child < 0) /* no children at all: start over */
                break;
            if (child == shell) {
                if (WIFSIGNALED(status))
                    printf("init: the shell was killed by signal %d (%s); starting a new one\n",
                           WTERMSIG(status), strsignal(WTERMSIG(status)));
                else
                    printf("init: the shell exited with status %d; starting a new one\n",
                           WEXITSTATUS(status));
                fflush(stdout);
                break;
            }
        }
    }
}
