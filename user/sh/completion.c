/* completion.c: what Tab completes in the line editor. The first word of
 * a command is completed from the builtins and the programs in PATH, any
 * other word from the file names in its directory. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "builtins.h"
#include "completion.h"
#include "util.h"

static int starts_with(const char* text, const char* prefix, size_t length) {
    return strncmp(text, prefix, length) == 0;
}

static void add_unique(struct strlist* out, const char* name) {
    for (int i = 0; i < out->count; ++i)
        if (strcmp(out->items[i], name) == 0)
            return;
    sl_add(out, xstrdup(name));
}

/* Adds the entries of directory that begin with prefix (hidden ones only
 * when the prefix starts with a dot); a directory gets a trailing /. */
static void add_directory(struct strlist* out, const char* directory, const char* prefix,
                          size_t length, int programs_only) {
    DIR* dir = opendir(*directory ? directory : ".");
    if (!dir)
        return;
    struct dirent* entry;
    while ((entry = readdir(dir))) {
        const char* name = entry->d_name;
        if (!starts_with(name, prefix, length) || strcmp(name, ".") == 0 ||
            strcmp(name, "..") == 0 || (name[0] == '.' && prefix[0] != '.'))
            continue;
        struct strbuf path = {0};
        sb_adds(&path, *directory ? directory : ".");
        sb_addc(&path, '/');
        sb_adds(&path, name);
        struct stat info;
        int is_directory = stat(path.data, &info) == 0 && S_ISDIR(info.st_mode);
        sb_free(&path);
        if (programs_only) {
            if (!is_directory)
                add_unique(out, name);
            continue;
        }
        struct strbuf shown = {0};
        sb_adds(&shown, name);
        if (is_directory)
            sb_addc(&shown, '/');
        sl_add(out, sb_take(&shown));
    }
    closedir(dir);
}

static int compare(const void* a, const void* b) {
    return strcmp(*(char* const*)a, *(char* const*)b);
}

void complete_word(const char* word, size_t length, int command_position, struct strlist* out) {
    const char* slash = NULL;
    for (size_t i = 0; i < length; ++i)
        if (word[i] == '/')
            slash = word + i;
    if (command_position && !slash) {
        for (int i = 0; builtin_at(i); ++i)
            if (starts_with(builtin_at(i)->name, word, length))
                add_unique(out, builtin_at(i)->name);
        const char* path = getenv("PATH");
        char* prefix = xstrndup(word, length);
        while (path && *path) {
            size_t part = strcspn(path, ":");
            char* directory = xstrndup(path, part);
            add_directory(out, directory, prefix, length, 1);
            free(directory);
            path += part + (path[part] == ':');
        }
        free(prefix);
    } else {
        /* Names are completed within the directory the word names so far. */
        size_t directory_length = slash ? (size_t)(slash - word) + 1 : 0;
        char* directory = xstrndup(word, directory_length);
        char* prefix = xstrndup(word + directory_length, length - directory_length);
        if (directory_length == 1)
            add_directory(out, "/", prefix, strlen(prefix), 0);
        else
            add_directory(out, directory, prefix, strlen(prefix), 0);
        free(directory);
        free(prefix);
    }
    if (out->count > 1)
        qsort(out->items, (size_t)out->count, sizeof(char*), compare);
}
