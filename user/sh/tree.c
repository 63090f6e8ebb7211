/* tree.c: freeing, copying and printing syntax trees (tree.h). Only
 * tree_free and tree_copy are written; tree_print is still to come. */
#include <stdlib.h>
#include <string.h>

#include "tree.h"

/* Frees a word array of count owned strings. */
static void free_words(char** words, int count) {
    int i;
    for (i = 0; i < count; i++)
        free(words[i]);
    free(words);
}

/* Frees a node and everything it owns; NULL and partly built nodes (NULL
 * children) are accepted, so the parser can free what it had on an error. */
void tree_free(struct node* node) {
    int i;
    if (!node)
        return;
    while (node->redirects) {
        struct redirect* r = node->redirects;
        node->redirects = r->next;
        free(r->target);
        free(r->heredoc);
        free(r);
    }
    switch (node->kind) {
    case NODE_SIMPLE:
        free_words(node->simple.assignments, node->simple.assignment_count);
        free_words(node->simple.words, node->simple.word_count);
        break;
    case NODE_PIPELINE:
        for (i = 0; i < node->pipeline.count; i++)
            tree_free(node->pipeline.commands[i]);
        free(node->pipeline.commands);
        break;
    case NODE_AND:
    case NODE_OR:
        tree_free(node->and_or.left);
        tree_free(node->and_or.right);
        break;
    case NODE_LIST:
        for (i = 0; i < node->list.count; i++)
            tree_free(node->list.items[i].command);
        free(node->list.items);
        break;
    case NODE_SUBSHELL:
    case NODE_GROUP:
        tree_free(node->group.body);
        break;
    case NODE_IF:
        tree_free(node->if_.condition);
        tree_free(node->if_.then_part);
        tree_free(node->if_.else_part);
        break;
    case NODE_WHILE:
    case NODE_UNTIL:
        tree_free(node->loop.condition);
        tree_free(node->loop.body);
        break;
    case NODE_FOR:
        free(node->for_.name);
        free_words(node->for_.words, node->for_.word_count);
        tree_free(node->for_.body);
        break;
    case NODE_CASE:
        free(node->case_.subject);
        for (i = 0; i < node->case_.count; i++) {
            free_words(node->case_.items[i].patterns, node->case_.items[i].pattern_count);
            tree_free(node->case_.items[i].body);
        }
        free(node->case_.items);
        break;
    case NODE_FUNCTION:
        free(node->function.name);
        tree_free(node->function.body);
        break;
    }
    free(node);
}

static char* copy_string(const char* text) {
    return text ? xstrdup(text) : NULL;
}

static char** copy_words(char* const* words, int count) {
    if (!words)
        return NULL;
    char** copy = xmalloc((size_t)(count + 1) * sizeof(char*));
    for (int i = 0; i < count; i++)
        copy[i] = xstrdup(words[i]);
    copy[count] = NULL;
    return copy;
}

static struct redirect* copy_redirects(const struct redirect* r) {
    struct redirect* first = NULL;
    struct redirect** tail = &first;
    for (; r; r = r->next) {
        struct redirect* copy = xmalloc(sizeof *copy);
        *copy = *r;
        copy->next = NULL;
        copy->target = copy_string(r->target);
        copy->heredoc = copy_string(r->heredoc);
        *tail = copy;
        tail = &copy->next;
    }
    return first;
}

/* A deep copy: shares nothing with the original, so either can be freed. */
struct node* tree_copy(const struct node* node) {
    if (!node)
        return NULL;
    struct node* copy = xmalloc(sizeof *copy);
    *copy = *node;
    copy->redirects = copy_redirects(node->redirects);
    int i;
    switch (node->kind) {
    case NODE_SIMPLE:
        copy->simple.assignments =
            copy_words(node->simple.assignments, node->simple.assignment_count);
        copy->simple.words = copy_words(node->simple.words, node->simple.word_count);
        break;
    case NODE_PIPELINE:
        copy->pipeline.commands = xmalloc((size_t)node->pipeline.count * sizeof(struct node*));
        for (i = 0; i < node->pipeline.count; i++)
            copy->pipeline.commands[i] = tree_copy(node->pipeline.commands[i]);
        break;
    case NODE_AND:
    case NODE_OR:
        copy->and_or.left = tree_copy(node->and_or.left);
        copy->and_or.right = tree_copy(node->and_or.right);
        break;
    case NODE_LIST:
        copy->list.items = xmalloc((size_t)node->list.count * sizeof(struct list_item));
        for (i = 0; i < node->list.count; i++) {
            copy->list.items[i].command = tree_copy(node->list.items[i].command);
            copy->list.items[i].background = node->list.items[i].background;
        }
        break;
    case NODE_SUBSHELL:
    case NODE_GROUP:
        copy->group.body = tree_copy(node->group.body);
        break;
    case NODE_IF:
        copy->if_.condition = tree_copy(node->if_.condition);
        copy->if_.then_part = tree_copy(node->if_.then_part);
        copy->if_.else_part = tree_copy(node->if_.else_part);
        break;
    case NODE_WHILE:
    case NODE_UNTIL:
        copy->loop.condition = tree_copy(node->loop.condition);
        copy->loop.body = tree_copy(node->loop.body);
        break;
    case NODE_FOR:
        copy->for_.name = copy_string(node->for_.name);
        copy->for_.words = copy_words(node->for_.words, node->for_.word_count);
        copy->for_.body = tree_copy(node->for_.body);
        break;
    case NODE_CASE:
        copy->case_.subject = copy_string(node->case_.subject);
        copy->case_.items = node->case_.count
                                ? xmalloc((size_t)node->case_.count * sizeof(struct case_item))
                                : NULL;
        for (i = 0; i < node->case_.count; i++) {
            const struct case_item* item = &node->case_.items[i];
            copy->case_.items[i].patterns = copy_words(item->patterns, item->pattern_count);
            copy->case_.items[i].pattern_count = item->pattern_count;
            copy->case_.items[i].body = tree_copy(item->body);
        }
        break;
    case NODE_FUNCTION:
        copy->function.name = copy_string(node->function.name);
        copy->function.body = tree_copy(node->function.body);
        break;
    }
    return copy;
}
