/* tree.c: freeing, copying and printing syntax trees (tree.h). Only
 * tree_free is written so far; tree_copy and tree_print are to come. */
#include <stdlib.h>

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
