/* history.c: the last HISTORY_SIZE command lines, for the line editor's
 * Up and Down keys. */
#include <stdlib.h>

#include "builtins.h"
#include "util.h"

enum { HISTORY_SIZE = 100 };
static char* history[HISTORY_SIZE];
static int history_count; /* lines ever added; the newest is at (count-1) % SIZE */

void history_add(const char* line) {
    if (!*line)
        return;
    char** slot = &history[history_count % HISTORY_SIZE];
    free(*slot);
    *slot = xstrdup(line);
    ++history_count;
}

const char* history_entry(int n) {
    if (n < 1 || n > history_count || n > HISTORY_SIZE)
        return NULL;
    return history[(history_count - n) % HISTORY_SIZE];
}
