/* listing.c: see listing.h. */
#include "listing.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int compare(const void* a, const void* b) {
    return strcmp(*(char* const*)a, *(char* const*)b);
}

void free_listing(char** names, size_t count) {
    for (size_t i = 0; i < count; ++i)
        free(names[i]);
    free(names);
}

/* Whether name belongs in the listing. */
static int wanted(const char* name, enum listing which) {
    if (name[0] != '.' || which == LIST_ALL)
        return 1;
    return which == LIST_ALMOST_ALL && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

char** list_directory(const char* path, enum listing which, int sort, size_t* count) {
    DIR* dir = opendir(path);
    if (!dir)
        return NULL;
    char** names = NULL;
    size_t used = 0, capacity = 0;
    int failed = 0;
    for (struct dirent* entry; !failed && (entry = readdir(dir));) {
        if (!wanted(entry->d_name, which))
            continue;
        if (used == capacity) {
            capacity = capacity ? capacity * 2 : 32;
            char** grown = realloc(names, capacity * sizeof(char*));
            if (!grown) {
                failed = 1;
                break;
            }
            names = grown;
        }
        if (!(names[used] = strdup(entry->d_name)))
            failed = 1;
        else
            ++used;
    }
    closedir(dir);
    if (!failed && !names)
        failed = !(names = calloc(1, sizeof(char*))); /* empty, but not NULL */
    if (failed) {
        free_listing(names, used);
        errno = ENOMEM;
        return NULL;
    }
    if (sort && used > 1)
        qsort(names, used, sizeof(char*), compare);
    *count = used;
    return names;
}
