/* kite_runner.c: /test/sh_corpus, the Kite side of sh.corpus.kite (issue
 * 14). Runs each corpus script in DIR (sorted by name, but for the names
 * given after DIR) as run_corpus.py does on the build machine: `/bin/sh
 * SCRIPT` in a fresh directory, a fixed environment, stdin from /dev/null,
 * stdout kept, stderr dropped. Prints for each
 *     == NAME status N          (N as Python gives it: -SIGNAL after a signal)
 *     > 68656c6c6f0a            (stdout in hex, so no terminal setting can alter it)
 *     == end
 * and finally "sh-corpus: done, K scripts". A script still running after
 * 30 seconds is killed with its process group and reported as "timeout". */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <kite/signals.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { WATCHDOG_SECONDS = 30, MAX_SCRIPTS = 1024 };

static volatile int alarmed;

static void on_alarm(int signal_number) {
    (void)signal_number;
    alarmed = 1;
}

static int by_name(const void* a, const void* b) {
    return strcmp(*(char* const*)a, *(char* const*)b);
}

/* Removes a directory tree the script left (it may have made anything). */
static void remove_tree(const char* path) {
    struct stat info;
    if (lstat(path, &info) < 0)
        return;
    if (S_ISDIR(info.st_mode)) {
        DIR* dir = opendir(path);
        struct dirent* entry;
        while (dir && (entry = readdir(dir))) {
            if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
                continue;
            char child[1024];
            if (snprintf(child, sizeof child, "%s/%s", path, entry->d_name) < (int)sizeof child)
                remove_tree(child);
        }
        if (dir)
            closedir(dir);
        chmod(path, 0700);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* The child: the script's directory, descriptors and environment. */
static void start_script(const char* script, const char* work, const char* output) {
    setpgid(0, 0);
    if (chdir(work) < 0)
        _exit(126);
    int in = open("/dev/null", O_RDONLY);
    int out = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = open("/dev/null", O_WRONLY);
    if (in < 0 || out < 0 || err < 0)
        _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    for (int fd = 3; fd < 64; fd++)
        close(fd);
    char home[600], tmpdir[600];
    snprintf(home, sizeof home, "HOME=%s", work);
    snprintf(tmpdir, sizeof tmpdir, "TMPDIR=%s", work);
    char* environment[] = {"PATH=/bin:/usr/bin", home, tmpdir, "LC_ALL=C", NULL};
    char* arguments[] = {"/bin/sh", (char*)script, NULL};
    execve("/bin/sh", arguments, environment);
    _exit(127);
}

static void print_hex(const char* path) {
    FILE* file = fopen(path, "rb");
    int c, column = 0;
    while (file && (c = fgetc(file)) != EOF) {
        if (column == 0)
            fputs("> ", stdout);
        printf("%02x", c);
        if (++column == 64) {
            putchar('\n');
            column = 0;
        }
    }
    if (column)
        putchar('\n');
    if (file)
        fclose(file);
}

static void run_one(const char* dir, const char* name) {
    char script[512], work[512], output[512];
    snprintf(script, sizeof script, "%s/%s.sh", dir, name);
    snprintf(work, sizeof work, "/tmp/shcorpus-%s", name);
    snprintf(output, sizeof output, "/tmp/shcorpus-%s.out", name);
    remove_tree(work);
    mkdir(work, 0700);
    pid_t pid = fork();
    if (pid == 0)
        start_script(script, work, output);
    int raw = 0, timed_out = 0;
    alarmed = 0;
    alarm(WATCHDOG_SECONDS);
    while (pid > 0 && waitpid(pid, &raw, 0) < 0) {
        if (errno != EINTR)
            break;
        if (alarmed) {
            timed_out = 1;
            kill(-pid, SIGKILL);
            alarm(WATCHDOG_SECONDS);
        }
    }
    alarm(0);
    kill(-pid, SIGKILL); /* anything the script left running in the background */
    if (timed_out)
        printf("== %s timeout\n", name);
    else if (WIFSIGNALED(raw))
        printf("== %s status %d\n", name, -port_signal_to_linux(WTERMSIG(raw)));
    else
        printf("== %s status %d\n", name, WEXITSTATUS(raw));
    print_hex(output);
    printf("== end\n");
    fflush(stdout);
    unlink(output);
    remove_tree(work);
}

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: sh_corpus DIR [SKIPPED_NAME...]\n");
        return 2;
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_alarm; /* no SA_RESTART: waitpid must return */
    sigaction(SIGALRM, &action, NULL);
    DIR* dir = opendir(argv[1]);
    if (!dir) {
        perror(argv[1]);
        return 1;
    }
    static char* names[MAX_SCRIPTS];
    int count = 0;
    struct dirent* entry;
    while ((entry = readdir(dir)) && count < MAX_SCRIPTS) {
        size_t length = strlen(entry->d_name);
        if (length < 4 || strcmp(entry->d_name + length - 3, ".sh") != 0)
            continue;
        char* name = strndup(entry->d_name, length - 3);
        int skipped = 0;
        for (int i = 2; i < argc; i++)
            skipped |= strcmp(argv[i], name) == 0;
        if (skipped)
            free(name);
        else
            names[count++] = name;
    }
    closedir(dir);
    qsort(names, (size_t)count, sizeof names[0], by_name);
    for (int i = 0; i < count; i++) {
        run_one(argv[1], names[i]);
        free(names[i]);
    }
    printf("sh-corpus: done, %d scripts\n", count);
    return 0;
}
