/* functions.c: the shell's function table (name() body), and the PATH
 * search for programs: the two places a command name leads besides the
 * builtins. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec_private.h"
#include "shell.h"
#include "vars.h"

/* The function table: a list, since scripts define few functions. */
struct function {
    struct function* next;
    char* name;
    struct node* body;
};
static struct function* functions;
static struct function* retired; /* unset while a function ran */

struct node* function_lookup(const char* name) {
    for (struct function* f = functions; f; f = f->next)
        if (strcmp(f->name, name) == 0)
            return f->body;
    return NULL;
}

int function_unset(const char* name) {
    for (struct function** link = &functions; *link; link = &(*link)->next) {
        struct function* f = *link;
        if (strcmp(f->name, name) == 0) {
            *link = f->next;
            /* A running function may be the one unset or redefined: its
             * body is freed once no function is running. */
            if (function_depth > 0) {
                f->next = retired;
                retired = f;
                return 0;
            }
            tree_free(f->body);
            free(f->name);
            free(f);
            return 0;
        }
    }
    return -1;
}

/* Keeps a copy of the body, so the parsed command can be freed. */
void function_define(const char* name, const struct node* body) {
    function_unset(name);
    struct function* f = xmalloc(sizeof *f);
    f->name = xstrdup(name);
    f->body = tree_copy(body);
    f->next = functions;
    functions = f;
}

void functions_release_retired(void) {
    while (retired) {
        struct function* f = retired;
        retired = f->next;
        tree_free(f->body);
        free(f->name);
        free(f);
    }
}

const char* find_program(const char* name) {
    static char path[4096];
    if (strchr(name, '/')) {
        if (access(name, F_OK) != 0)
            return NULL;
        snprintf(path, sizeof path, "%s", name);
        return path;
    }
    const char* search = var_get("PATH");
    if (!search)
        search = "/bin:/usr/bin";
    int denied = 0;
    for (const char* p = search;;) {
        const char* end = strchr(p, ':');
        size_t length = end ? (size_t)(end - p) : strlen(p);
        if (length == 0)
            snprintf(path, sizeof path, "%s", name);
        else
            snprintf(path, sizeof path, "%.*s/%s", (int)length, p, name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            if (access(path, X_OK) == 0)
                return path;
            denied = 1;
        }
        if (!end)
            break;
        p = end + 1;
    }
    errno = denied ? EACCES : ENOENT;
    return NULL;
}
