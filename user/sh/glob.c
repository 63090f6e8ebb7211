/* glob.c: pathname expansion (POSIX.1-2017 2.13.3). The pattern's quoted
 * characters come escaped with a backslash. It is taken one '/'-separated
 * component at a time: a component without * ? [ is used as it is, one with
 * them is matched against the names in the directory reached so far. A name
 * starting with '.' matches only a component that starts with a literal '.',
 * and "." and ".." only then too. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "expand.h"

/* Whether the component [p, end) has an unescaped special character. */
static int is_magic(const char* p, const char* end) {
    for (; p < end; ++p) {
        if (*p == '\\' && p + 1 < end)
            ++p;
        else if (*p == '*' || *p == '?' || *p == '[')
            return 1;
    }
    return 0;
}

/* Appends [p, end) to path with its escapes removed. */
static void add_unescaped(struct strbuf* path, const char* p, const char* end) {
    for (; p < end; ++p) {
        if (*p == '\\' && p + 1 < end)
            ++p;
        sb_addc(path, *p);
    }
}

/* Expands rest (the pattern after the components already in path) and adds
 * every existing result to out. path ends with '/' unless empty. */
static void expand_from(struct strbuf* path, const char* rest, int magic_seen,
                        struct strlist* out) {
    if (*rest == '\0') {
        struct stat st;
        if (!magic_seen || lstat(path->data, &st) == 0)
            sl_add(out, xstrdup(path->data));
        return;
    }
    const char* end = strchr(rest, '/');
    if (!end)
        end = rest + strlen(rest);
    const char* next = *end ? end + 1 : end;
    size_t base = path->length;
    if (!is_magic(rest, end)) {
        add_unescaped(path, rest, end);
        if (*end)
            sb_addc(path, '/');
        struct stat st;
        if (*end == '\0' || !magic_seen || stat(path->data, &st) == 0)
            expand_from(path, next, magic_seen, out);
        path->length = base;
        if (path->data)
            path->data[base] = '\0';
        return;
    }
    char* component = xstrndup(rest, (size_t)(end - rest));
    int dot_ok = component[0] == '.' || (component[0] == '\\' && component[1] == '.');
    DIR* dir = opendir(path->length ? path->data : ".");
    if (dir) {
        struct strlist names = {0};
        struct dirent* entry;
        while ((entry = readdir(dir)) != NULL) {
            if (entry->d_name[0] == '.' && !dot_ok)
                continue;
            if (pattern_match(component, entry->d_name))
                sl_add(&names, xstrdup(entry->d_name));
        }
        closedir(dir);
        for (int i = 0; i < names.count; ++i) {
            sb_adds(path, names.items[i]);
            if (*end)
                sb_addc(path, '/');
            expand_from(path, next, 1, out);
            path->length = base;
            path->data[base] = '\0';
        }
        sl_free(&names);
    }
    free(component);
}

static int compare_paths(const void* a, const void* b) {
    return strcmp(*(char* const*)a, *(char* const*)b);
}

int glob_expand(const char* pattern, struct strlist* out) {
    struct strbuf path = {0};
    sb_adds(&path, "");
    const char* rest = pattern;
    while (*rest == '/') {
        sb_addc(&path, '/');
        ++rest;
    }
    struct strlist found = {0};
    if (is_magic(pattern, pattern + strlen(pattern)))
        expand_from(&path, rest, 0, &found);
    sb_free(&path);
    if (found.count > 1)
        qsort(found.items, (size_t)found.count, sizeof(char*), compare_paths);
    int count = found.count;
    for (int i = 0; i < found.count; ++i)
        sl_add(out, found.items[i]);
    free(found.items);
    return count;
}
