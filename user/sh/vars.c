/* vars.c: shell variables, function-local scopes and positional parameters
 * (see vars.h). Variables live in one array searched by name: a shell has
 * a few dozen of them, and var_each sorts a copy when it needs order. Each
 * entry keeps its name's hash, so that a search compares whole names only
 * where the hashes agree (a loop's `$i` is looked up on every pass). */
#include "vars.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shell.h"
#include "util.h"

struct var {
    char* name;
    unsigned hash; /* of name */
    char* value;   /* NULL: declared without a value */
    int flags;
};

static struct var* table;
static int table_count, table_capacity;

/* What var_local saved, restored by var_pop_scope. A frame marker has
 * name NULL; entries above the innermost marker belong to that scope. */
struct saved_var {
    char* name;
    char* value;
    int flags;
    int existed;
};
static struct saved_var* saved;
static int saved_count, saved_capacity;
static int scope_depth;

static struct params current_params = {NULL, 0, {1, 0, 0}};
static const struct getopts_place fresh_place = {1, 0, 0};

/* FNV-1a: short names, no need for more. */
static unsigned name_hash(const char* name) {
    unsigned hash = 2166136261u;
    for (; *name; ++name)
        hash = (hash ^ (unsigned char)*name) * 16777619u;
    return hash;
}

/* The index of name in table, or -1. */
static int find(const char* name) {
    unsigned hash = name_hash(name);
    for (int i = 0; i < table_count; ++i)
        if (table[i].hash == hash && strcmp(table[i].name, name) == 0)
            return i;
    return -1;
}

static size_t name_length(const char* assignment) {
    const char* equals = strchr(assignment, '=');
    return equals ? (size_t)(equals - assignment) : strlen(assignment);
}

void vars_init(char** environ) {
    for (char** entry = environ; entry && *entry; ++entry) {
        const char* equals = strchr(*entry, '=');
        if (!equals || equals == *entry)
            continue;
        char* name = xstrndup(*entry, (size_t)(equals - *entry));
        var_set(name, equals + 1, VAR_EXPORT);
        free(name);
    }
    var_set("IFS", " \t\n", 0);
    var_set("PS1", geteuid() == 0 ? "# " : "$ ", 0);
    var_set("PS2", "> ", 0);
    var_set("PS4", "+ ", 0);
    var_set("OPTIND", "1", 0);
    char ppid[24];
    snprintf(ppid, sizeof ppid, "%ld", (long)getppid());
    var_set("PPID", ppid, 0);
    if (!var_get("PATH"))
        var_set("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 0);
}

const char* var_get(const char* name) {
    int i = find(name);
    return i < 0 ? NULL : table[i].value;
}

int var_flags(const char* name) {
    int i = find(name);
    return i < 0 ? -1 : table[i].flags;
}

/* Setting with value NULL keeps an existing value (export x, readonly x). */
int var_set(const char* name, const char* value, int flags) {
    int i = find(name);
    if (i >= 0 && (table[i].flags & VAR_READONLY) && value) {
        sh_error("%s: is read only", name);
        return -1;
    }
    if (i < 0) {
        if (table_count == table_capacity) {
            table_capacity = table_capacity ? table_capacity * 2 : 64;
            table = xrealloc(table, (size_t)table_capacity * sizeof *table);
        }
        i = table_count++;
        table[i].name = xstrdup(name);
        table[i].hash = name_hash(name);
        table[i].value = NULL;
        table[i].flags = 0;
    }
    if (value) {
        char* copy = xstrdup(value);
        free(table[i].value);
        table[i].value = copy;
    }
    table[i].flags |= flags;
    if (value && options.allexport)
        table[i].flags |= VAR_EXPORT;
    if (value && strcmp(name, "OPTIND") == 0)
        current_params.place.optind_set = 1;
    return 0;
}

int var_assign(const char* assignment, int flags) {
    size_t length = name_length(assignment);
    char* name = xstrndup(assignment, length);
    int result = var_set(name, assignment[length] ? assignment + length + 1 : "", flags);
    free(name);
    return result;
}

int var_unset(const char* name) {
    int i = find(name);
    if (i < 0)
        return 0;
    if (table[i].flags & VAR_READONLY) {
        sh_error("%s: is read only", name);
        return -1;
    }
    if (strcmp(name, "OPTIND") == 0)
        current_params.place.optind_set = 1;
    free(table[i].name);
    free(table[i].value);
    table[i] = table[--table_count];
    return 0;
}

static int compare_vars(const void* a, const void* b) {
    return strcmp(((const struct var*)a)->name, ((const struct var*)b)->name);
}

/* Visits a sorted copy of the table, so visit may set or unset variables. */
void var_each(void (*visit)(const char* name, const char* value, int flags, void* context),
              void* context) {
    int count = table_count;
    struct var* copy = xmalloc((size_t)(count ? count : 1) * sizeof *copy);
    for (int i = 0; i < count; ++i) {
        copy[i].name = xstrdup(table[i].name);
        copy[i].value = table[i].value ? xstrdup(table[i].value) : NULL;
        copy[i].flags = table[i].flags;
    }
    qsort(copy, (size_t)count, sizeof *copy, compare_vars);
    for (int i = 0; i < count; ++i)
        visit(copy[i].name, copy[i].value, copy[i].flags, context);
    for (int i = 0; i < count; ++i) {
        free(copy[i].name);
        free(copy[i].value);
    }
    free(copy);
}

char** var_environment(void) {
    struct strlist list = {0};
    for (int i = 0; i < table_count; ++i) {
        if (!(table[i].flags & VAR_EXPORT) || !table[i].value)
            continue;
        struct strbuf entry = {0};
        sb_adds(&entry, table[i].name);
        sb_addc(&entry, '=');
        sb_adds(&entry, table[i].value);
        sl_add(&list, sb_take(&entry));
    }
    if (!list.items)
        list.items = xmalloc(sizeof(char*)), list.items[0] = NULL;
    return list.items;
}

void free_environment(char** environment) {
    for (char** entry = environment; entry && *entry; ++entry)
        free(*entry);
    free(environment);
}

static void push_saved(char* name, char* value, int flags, int existed) {
    if (saved_count == saved_capacity) {
        saved_capacity = saved_capacity ? saved_capacity * 2 : 16;
        saved = xrealloc(saved, (size_t)saved_capacity * sizeof *saved);
    }
    saved[saved_count++] = (struct saved_var){name, value, flags, existed};
}

void var_push_scope(void) {
    push_saved(NULL, NULL, 0, 0);
    ++scope_depth;
}

/* Restores, newest first, every variable made local since the marker. */
void var_pop_scope(void) {
    if (scope_depth == 0)
        return;
    while (saved_count > 0) {
        struct saved_var entry = saved[--saved_count];
        if (!entry.name)
            break;
        int i = find(entry.name);
        if (i >= 0)
            table[i].flags &= ~VAR_READONLY;
        if (entry.existed) {
            if (i >= 0)
                table[i].flags = 0;
            var_set(entry.name, entry.value, entry.flags);
            i = find(entry.name);
            if (!entry.value) {
                free(table[i].value);
                table[i].value = NULL;
            }
        } else if (i >= 0) {
            var_unset(entry.name);
        }
        free(entry.name);
        free(entry.value);
    }
    --scope_depth;
}

int var_scope_depth(void) {
    return scope_depth;
}

/* A variable already local to the innermost scope is not saved twice. */
int var_local(const char* name_or_assignment) {
    if (scope_depth == 0) {
        sh_error("local: not in a function");
        return -1;
    }
    size_t length = name_length(name_or_assignment);
    char* name = xstrndup(name_or_assignment, length);
    int already = 0;
    for (int i = saved_count - 1; i >= 0 && saved[i].name; --i)
        if (strcmp(saved[i].name, name) == 0)
            already = 1;
    if (!already) {
        int i = find(name);
        if (i >= 0)
            push_saved(xstrdup(name), table[i].value ? xstrdup(table[i].value) : NULL,
                       table[i].flags, 1);
        else
            push_saved(xstrdup(name), NULL, 0, 0);
    }
    int result = 0;
    if (name_or_assignment[length] == '=')
        result = var_set(name, name_or_assignment + length + 1, 0);
    free(name);
    return result;
}

static void free_params(struct params* params) {
    for (int i = 0; i < params->count; ++i)
        free(params->items[i]);
    free(params->items);
    params->items = NULL;
    params->count = 0;
}

void params_set(char* const* items, int count) {
    char** copy = xmalloc((size_t)(count + 1) * sizeof(char*));
    for (int i = 0; i < count; ++i)
        copy[i] = xstrdup(items[i]);
    copy[count] = NULL;
    free_params(&current_params);
    current_params.items = copy;
    current_params.count = count;
    current_params.place = fresh_place;
}

/* Never NULL items, so $1 lookups need no special case. */
const struct params* params_get(void) {
    if (!current_params.items) {
        current_params.items = xmalloc(sizeof(char*));
        current_params.items[0] = NULL;
    }
    return &current_params;
}

struct params params_save(void) {
    struct params taken = current_params;
    current_params.items = NULL;
    current_params.count = 0;
    current_params.place = fresh_place;
    return taken;
}

void params_restore(struct params saved_params) {
    free_params(&current_params);
    current_params = saved_params;
}

struct getopts_place* getopts_place(void) {
    return &current_params.place;
}

int params_shift(int n) {
    if (n < 0 || n > current_params.count) {
        sh_error("shift: can't shift that many");
        return -1;
    }
    for (int i = 0; i < n; ++i)
        free(current_params.items[i]);
    memmove(current_params.items, current_params.items + n,
            (size_t)(current_params.count - n + 1) * sizeof(char*));
    current_params.count -= n;
    return 0;
}
