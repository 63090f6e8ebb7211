/* redirect.c: applies a command's redirections in the order written, and
 * (for builtins, functions and compound commands run in the shell itself)
 * undoes them afterwards from copies kept at descriptors >= 10. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec_private.h"
#include "expand.h"
#include "shell.h"

/* Keeps a copy of fd before it is first changed, so restore can put it
 * back: 0, or -1 after reporting if no copy could be made (no descriptor
 * free at or above 10), when the redirection must fail rather than leave
 * fd unrestorable. A closed fd is recorded as closed (copy -1). */
static int save_fd(struct saved_fds* saved, int fd) {
    if (!saved)
        return 0;
    for (int i = 0; i < saved->count; i++)
        if (saved->items[i].fd == fd)
            return 0;
    int copy = -1;
    if (fcntl(fd, F_GETFD) >= 0) {
        fflush(NULL);
        copy = fcntl(fd, F_DUPFD_CLOEXEC, 10);
        if (copy < 0) {
            sh_error("%d: %s", fd, strerror(errno));
            return -1;
        }
    } else if (errno != EBADF) {
        sh_error("%d: %s", fd, strerror(errno));
        return -1;
    }
    if (saved->count == saved->capacity) {
        saved->capacity = saved->capacity ? saved->capacity * 2 : 8;
        saved->items = xrealloc(saved->items, (size_t)saved->capacity * sizeof *saved->items);
    }
    saved->items[saved->count].fd = fd;
    saved->items[saved->count].copy = copy;
    saved->count++;
    return 0;
}

void redirect_restore(struct saved_fds* saved) {
    fflush(NULL);
    for (int i = saved->count - 1; i >= 0; i--) {
        struct saved_fd* item = &saved->items[i];
        if (item->copy >= 0) {
            dup2(item->copy, item->fd);
            close(item->copy);
        } else {
            close(item->fd);
        }
    }
    free(saved->items);
    saved->items = NULL;
    saved->count = saved->capacity = 0;
}

/* Puts an open descriptor at fd: 0, or -1 after reporting (fd past the
 * descriptor limit), opened closed either way. */
static int move_fd(int opened, int fd) {
    if (opened == fd)
        return 0;
    int result = 0;
    if (dup2(opened, fd) < 0) {
        sh_error("%d: %s", fd, strerror(errno));
        result = -1;
    }
    close(opened);
    return result;
}

/* A here-document's body through an unlinked temporary file: no size limit
 * and no writer to wait for. */
static int heredoc_fd(struct redirect* r) {
    char* body = r->heredoc_quoted ? xstrdup(r->heredoc ? r->heredoc : "")
                                   : expand_heredoc(r->heredoc ? r->heredoc : "");
    if (!body)
        return -1;
    char name[] = "/tmp/sh-heredoc-XXXXXX";
    int fd = mkstemp(name);
    if (fd < 0) {
        sh_error("cannot create temp file for here document");
        free(body);
        return -1;
    }
    unlink(name);
    size_t length = strlen(body), done = 0;
    while (done < length) {
        ssize_t n = write(fd, body + done, length - done);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    free(body);
    lseek(fd, 0, SEEK_SET);
    return fd;
}

/* set -C's > refuses to replace an existing regular file only: after
 * O_EXCL found one there, it opens what is there (a device, a fifo) without
 * creating or truncating, unless that is a regular file. -1 with errno. */
static int open_noclobber_existing(const char* target) {
    int fd = open(target, O_WRONLY);
    if (fd < 0) {
        if (errno == ENOENT) /* a dangling symbolic link: it exists */
            errno = EEXIST;
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        close(fd);
        errno = EEXIST;
        return -1;
    }
    return fd;
}

/* dash's wording of open errors. */
static const char* open_error(int error, int creating) {
    if (error == ENOENT)
        return creating ? "Directory nonexistent" : "No such file";
    return strerror(error);
}

static int apply_one(struct redirect* r, struct saved_fds* saved) {
    if (r->kind == REDIRECT_HEREDOC) {
        if (save_fd(saved, r->fd) < 0)
            return -1;
        int fd = heredoc_fd(r);
        if (fd < 0)
            return -1;
        return move_fd(fd, r->fd);
    }
    char* target = expand_word(r->target);
    if (!target)
        return -1;
    int result = 0;
    if (r->kind == REDIRECT_DUP_IN || r->kind == REDIRECT_DUP_OUT) {
        if (save_fd(saved, r->fd) < 0) {
            result = -1;
        } else if (strcmp(target, "-") == 0) {
            close(r->fd);
        } else {
            char* end;
            long from = strtol(target, &end, 10);
            if (*target == '\0' || *end || from < 0 || from > INT_MAX) {
                sh_error("Syntax error: Bad fd number");
                result = -1;
            } else if (from != r->fd && dup2((int)from, r->fd) < 0) {
                sh_error("%s: Bad file descriptor", target);
                result = -1;
            }
        }
        free(target);
        return result;
    }
    int flags = O_RDONLY, creating = 1;
    switch (r->kind) {
    case REDIRECT_IN:
        creating = 0;
        break;
    case REDIRECT_OUT:
        flags = O_WRONLY | O_CREAT | O_TRUNC | (options.noclobber ? O_EXCL : 0);
        break;
    case REDIRECT_CLOBBER:
        flags = O_WRONLY | O_CREAT | O_TRUNC;
        break;
    case REDIRECT_APPEND:
        flags = O_WRONLY | O_CREAT | O_APPEND;
        break;
    case REDIRECT_READ_WRITE:
        flags = O_RDWR | O_CREAT;
        break;
    default:
        break;
    }
    /* Saved before the open: if r->fd is closed, open returns r->fd itself,
     * and a copy saved after it would keep the new file open past the
     * command instead of closing r->fd again. */
    if (save_fd(saved, r->fd) < 0) {
        free(target);
        return -1;
    }
    int fd = open(target, flags, 0666);
    if (fd < 0 && errno == EEXIST && (flags & O_EXCL))
        fd = open_noclobber_existing(target);
    if (fd < 0) {
        sh_error("cannot %s %s: %s", creating ? "create" : "open", target,
                 open_error(errno, creating));
        free(target);
        return -1;
    }
    free(target);
    return move_fd(fd, r->fd);
}

int redirect_apply(struct redirect* list, struct saved_fds* saved) {
    for (struct redirect* r = list; r; r = r->next)
        if (apply_one(r, saved) < 0)
            return -1;
    return 0;
}
