/* util.c: see util.h. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(void) {
    fputs("sh: out of memory\n", stderr);
    exit(2);
}

void* xmalloc(size_t size) {
    void* pointer = malloc(size ? size : 1);
    if (!pointer)
        out_of_memory();
    return pointer;
}

void* xrealloc(void* pointer, size_t size) {
    void* grown = realloc(pointer, size ? size : 1);
    if (!grown)
        out_of_memory();
    return grown;
}

char* xstrndup(const char* text, size_t length) {
    char* copy = xmalloc(length + 1);
    memcpy(copy, text, length);
    copy[length] = '\0';
    return copy;
}

char* xstrdup(const char* text) {
    return xstrndup(text, strlen(text));
}

/* Room for length more characters and the NUL. */
static void reserve(struct strbuf* buffer, size_t length) {
    if (buffer->length + length + 1 > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity * 2 : 32;
        while (capacity < buffer->length + length + 1)
            capacity *= 2;
        buffer->data = xrealloc(buffer->data, capacity);
        buffer->capacity = capacity;
    }
}

void sb_addn(struct strbuf* buffer, const char* text, size_t length) {
    reserve(buffer, length);
    memcpy(buffer->data + buffer->length, text, length);
    buffer->length += length;
    buffer->data[buffer->length] = '\0';
}

/* The expander appends a character at a time: no memcpy for one. */
void sb_addc(struct strbuf* buffer, char c) {
    reserve(buffer, 1);
    buffer->data[buffer->length++] = c;
    buffer->data[buffer->length] = '\0';
}

void sb_addrep(struct strbuf* buffer, char c, size_t count) {
    reserve(buffer, count);
    memset(buffer->data + buffer->length, c, count);
    buffer->length += count;
    buffer->data[buffer->length] = '\0';
}

void sb_adds(struct strbuf* buffer, const char* text) {
    sb_addn(buffer, text, strlen(text));
}

char* sb_take(struct strbuf* buffer) {
    char* data = buffer->data ? buffer->data : xstrdup("");
    buffer->data = NULL;
    buffer->length = buffer->capacity = 0;
    return data;
}

void sb_free(struct strbuf* buffer) {
    free(buffer->data);
    buffer->data = NULL;
    buffer->length = buffer->capacity = 0;
}

void sl_add(struct strlist* list, char* owned) {
    if (list->count + 2 > list->capacity) {
        list->capacity = list->capacity ? list->capacity * 2 : 8;
        list->items = xrealloc(list->items, (size_t)list->capacity * sizeof(char*));
    }
    list->items[list->count++] = owned;
    list->items[list->count] = NULL;
}

void sl_free(struct strlist* list) {
    for (int i = 0; i < list->count; ++i)
        free(list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = list->capacity = 0;
}
