/* util.h: growable strings and string lists, and allocation that cannot
 * fail (the shell prints "sh: out of memory" and exits 2 instead). Every
 * file of the shell uses these; none keeps its own copy. */
#ifndef KITE_SH_UTIL_H
#define KITE_SH_UTIL_H

#include <stddef.h>

void* xmalloc(size_t size);
void* xrealloc(void* pointer, size_t size);
char* xstrdup(const char* text);
char* xstrndup(const char* text, size_t length);

/* A string being built. Zero-initialised is empty; data, once non-NULL, is
 * always NUL-terminated. */
struct strbuf {
    char* data;
    size_t length, capacity;
};
void sb_addc(struct strbuf* buffer, char c);
void sb_adds(struct strbuf* buffer, const char* text);
void sb_addn(struct strbuf* buffer, const char* text, size_t length);
void sb_addrep(struct strbuf* buffer, char c, size_t count); /* c, count times */
/* Hands the string to the caller ("" when empty, never NULL) and leaves
 * the buffer empty. */
char* sb_take(struct strbuf* buffer);
void sb_free(struct strbuf* buffer);

/* A list of owned strings. Zero-initialised is empty; items, once non-NULL,
 * is NULL-terminated (usable as an argv). */
struct strlist {
    char** items;
    int count, capacity;
};
void sl_add(struct strlist* list, char* owned);
void sl_free(struct strlist* list);

#endif
