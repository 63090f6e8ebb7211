/* glob.c: pathname expansion. A word with an unquoted * ? or [ is a
 * pattern; it becomes the sorted paths that match it, or stays as it was
 * if none does (as POSIX shells do). In the pattern, a backslash makes the
 * next character literal: the parser escapes every quoted character that
 * would otherwise be special. A name starting with '.' matches only a
 * pattern component that starts with '.', "." and ".." match none; '/' is
 * matched only literally. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sh.h"

/* Matches the set at *p (after its '['), which must close before end (the
 * end of the path component); moves *p past its ']'. A set without a
 * closing ']' is not a set: then '[' is an ordinary character. */
static int match_set(const char** p, const char* end, char c, int* is_set) {
    const char* s = *p;
    int negate = s < end && (*s == '!' || *s == '^');
    if (negate)
        ++s;
    int matched = 0;
    for (int first = 1; s < end && (first || *s != ']'); first = 0) {
        char low = *s == '\\' && s + 1 < end ? *++s : *s;
        ++s;
        char high = low;
        if (s + 1 < end && s[0] == '-' && s[1] != ']') {
            const int escaped = s[1] == '\\' && s + 2 < end;
            high = escaped ? s[2] : s[1];
            s += escaped ? 3 : 2;
        }
        if (low <= c && c <= high)
            matched = 1;
    }
    *is_set = s < end && *s == ']';
    if (*is_set)
        *p = s + 1;
    return matched != negate;
}

/* Whether name matches the pattern component [pattern, end). */
static int match(const char* pattern, const char* end, const char* name) {
    while (pattern < end) {
        if (*pattern == '*') {
            while (pattern < end && *pattern == '*')
                ++pattern;
            if (pattern == end)
                return 1;
            for (const char* rest = name; *rest; ++rest)
                if (match(pattern, end, rest))
                    return 1;
            return 0;
        }
        if (*name == '\0')
            return 0;
        if (*pattern == '?') {
            ++pattern;
        } else if (*pattern == '[') {
            const char* after = pattern + 1;
            int is_set;
            int in_set = match_set(&after, end, *name, &is_set);
            if (is_set) {
                if (!in_set)
                    return 0;
                pattern = after;
            } else if (*name != '[') {
                return 0;
            } else {
                ++pattern;
            }
        } else {
            if (*pattern == '\\' && pattern + 1 < end)
                ++pattern;
            if (*pattern != *name)
                return 0;
            ++pattern;
        }
        ++name;
    }
    return *name == '\0';
}

static int has_magic(const char* p, const char* end) {
    for (; p < end; ++p) {
        if (*p == '\\' && p + 1 < end)
            ++p;
        else if (*p == '*' || *p == '?' || *p == '[')
            return 1;
    }
    return 0;
}

/* Appends [from, end) to path without the escaping backslashes. */
static char* append_literal(const char* path, const char* from, const char* end) {
    size_t length = strlen(path);
    char* result = malloc(length + (size_t)(end - from) + 2);
    if (!result)
        return NULL;
    memcpy(result, path, length);
    for (; from < end; ++from) {
        if (*from == '\\' && from + 1 < end)
            ++from;
        result[length++] = *from;
    }
    result[length] = '\0';
    return result;
}

struct matches {
    char** paths;
    size_t count, capacity;
};

static void add_match(struct matches* m, char* path) {
    if (m->count == m->capacity) {
        size_t capacity = m->capacity ? m->capacity * 2 : 16;
        char** grown = realloc(m->paths, capacity * sizeof(char*));
        if (!grown) {
            free(path);
            return;
        }
        m->paths = grown;
        m->capacity = capacity;
    }
    m->paths[m->count++] = path;
}

/* Expands the pattern's rest against the directory `path` (which is "" for
 * the current directory, or ends in '/'). */
static void expand_from(const char* path, const char* rest, struct matches* m) {
    while (*rest == '/')
        ++rest;
    const char* end = strchr(rest, '/');
    if (!end)
        end = rest + strlen(rest);
    const int last = *end == '\0';
    if (!has_magic(rest, end)) {
        char* next = append_literal(path, rest, end);
        if (!next)
            return;
        if (last) {
            struct stat info;
            if (lstat(next, &info) == 0)
                add_match(m, next);
            else
                free(next);
        } else {
            strcat(next, "/");
            expand_from(next, end, m);
            free(next);
        }
        return;
    }
    DIR* dir = opendir(*path ? path : ".");
    if (!dir)
        return;
    for (struct dirent* entry; (entry = readdir(dir));) {
        const char* name = entry->d_name;
        if ((name[0] == '.' && rest[0] != '.') || !strcmp(name, ".") || !strcmp(name, ".."))
            continue; /* "." and ".." never match (as in bash 5.2) */
        if (!match(rest, end, name))
            continue;
        char* next = malloc(strlen(path) + strlen(name) + 2);
        if (!next)
            continue;
        strcpy(next, path);
        strcat(next, name);
        if (last) {
            add_match(m, next);
        } else {
            strcat(next, "/");
            expand_from(next, end, m);
            free(next);
        }
    }
    closedir(dir);
}

static int compare(const void* a, const void* b) {
    return strcmp(*(char* const*)a, *(char* const*)b);
}

int glob_expand(const char* pattern, void (*add)(void* context, char* word), void* context) {
    struct matches m = {0};
    expand_from(pattern[0] == '/' ? "/" : "", pattern, &m);
    if (m.count > 1)
        qsort(m.paths, m.count, sizeof(char*), compare);
    for (size_t i = 0; i < m.count; ++i)
        add(context, m.paths[i]);
    free(m.paths);
    return (int)m.count;
}
