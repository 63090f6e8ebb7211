/* tree.h: the syntax tree the parser builds and the executor walks.
 *
 * A word is kept as written: its raw source text with quotes, backslashes
 * and $-forms intact ("a"'b'\ c$x${y:-z}$(cmd)`cmd`$((1+2))). Expansion
 * (expand.h) interprets that text each time the command runs, so a loop
 * body is parsed once and expanded on every pass. The text inside $(...)
 * and `...` has been parsed once already (so its end was found and its
 * syntax checked); command substitution parses it again when it runs.
 *
 * Ownership: every node owns its children, words and redirections;
 * tree_free frees a whole tree. Function definitions keep a tree_copy of
 * their body, so the parsed command can be freed after it ran. */
#ifndef KITE_SH_TREE_H
#define KITE_SH_TREE_H

#include "util.h"

enum redirect_kind {
    REDIRECT_IN,         /* n<word    (n defaults to 0) */
    REDIRECT_OUT,        /* n>word    (1): fails on an existing file under set -C */
    REDIRECT_CLOBBER,    /* n>|word   (1) */
    REDIRECT_APPEND,     /* n>>word   (1) */
    REDIRECT_READ_WRITE, /* n<>word   (0) */
    REDIRECT_DUP_IN,     /* n<&word   (0): word is a descriptor number or - (close) */
    REDIRECT_DUP_OUT,    /* n>&word   (1): likewise */
    REDIRECT_HEREDOC,    /* n<<word and n<<-word (0) */
};

struct redirect {
    struct redirect* next; /* in the order written, which is the order applied */
    enum redirect_kind kind;
    int fd;
    char* target; /* raw word; for REDIRECT_HEREDOC the delimiter as written */
    /* REDIRECT_HEREDOC: the body's lines, each with its newline (tabs
     * already stripped for <<-), without the delimiter line. Raw: expanded
     * (expand_heredoc) unless the delimiter had any quoting. */
    char* heredoc;
    int heredoc_quoted;
};

enum node_kind {
    NODE_SIMPLE,   /* assignments, words, redirections */
    NODE_PIPELINE, /* two or more commands joined by |, or one command after ! */
    NODE_AND,      /* left && right */
    NODE_OR,       /* left || right */
    NODE_LIST,     /* commands separated by ; & or newlines */
    NODE_SUBSHELL, /* ( list ) */
    NODE_GROUP,    /* { list; } */
    NODE_IF,
    NODE_WHILE,
    NODE_UNTIL,
    NODE_FOR,
    NODE_CASE,
    NODE_FUNCTION, /* name() compound-command: defining it is the command */
};

struct node;

struct list_item {
    struct node* command;
    int background; /* ended by & */
};

struct case_item {
    char** patterns; /* raw words, pattern_count of them */
    int pattern_count;
    struct node* body; /* NULL for an empty body: "a) ;;" */
};

struct node {
    enum node_kind kind;
    int line; /* where the command starts (1 is the first line), for messages and LINENO */
    /* Redirections of a simple command, or of a compound command written
     * after its end (`while ...; done <file`, `{ ...; } >out`). A
     * function definition has none: those written after its body belong to
     * the body (NODE_FUNCTION's body node), applied on every call. */
    struct redirect* redirects;
    union {
        struct {
            char** assignments; /* raw "NAME=value" words, in order */
            int assignment_count;
            char** words; /* raw words; word_count may be 0 (assignments or redirections only) */
            int word_count;
        } simple;
        struct {
            struct node** commands;
            int count;   /* 1 only when negated */
            int negated; /* ! before it */
        } pipeline;
        struct {
            struct node* left;
            struct node* right;
        } and_or; /* NODE_AND, NODE_OR */
        struct {
            struct list_item* items;
            int count; /* at least 1 */
        } list;
        struct {
            struct node* body;
        } group; /* NODE_SUBSHELL, NODE_GROUP */
        struct {
            struct node* condition;
            struct node* then_part;
            struct node* else_part; /* NULL, a list, or (for elif) a NODE_IF */
        } if_;
        struct {
            struct node* condition;
            struct node* body;
        } loop; /* NODE_WHILE, NODE_UNTIL */
        struct {
            char* name;   /* the variable (a valid name, not raw) */
            char** words; /* raw words after in */
            int word_count;
            int has_in; /* 0: "for x do" / "for x; do": loops over "$@" */
            struct node* body;
        } for_;
        struct {
            char* subject; /* raw word */
            struct case_item* items;
            int count; /* may be 0 */
        } case_;
        struct {
            char* name; /* not raw: a valid function name */
            struct node* body;
        } function;
    };
};

void tree_free(struct node* node);
struct node* tree_copy(const struct node* node);
/* Writes the tree as shell text (for tests and `type`/`jobs` output, and
 * debugging): one line, words as written. */
void tree_print(const struct node* node, struct strbuf* out);

#endif
