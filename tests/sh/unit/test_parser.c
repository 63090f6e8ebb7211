/* test_parser.c: for now only a smoke test of the lexer (prints tokens; the parser is not written
 * yet). Build: gcc -std=gnu11 -O1 -g -Wall -Wextra -fsanitize=address,undefined -Iuser/sh
 * tests/sh/unit/test_parser.c user/sh/posix/lexer.c user/sh/posix/util.c -o /tmp/test_parser */
#include "posix/lexer.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int parse_substitution(struct lexer* l) {
    (void)l;
    return -1;
}
static void run(const char* s) {
    struct lexer lx;
    memset(&lx, 0, sizeof lx);
    lx.text = s;
    lx.line = 1;
    lx.name = "sh";
    struct redirect* rs[8];
    int nr = 0;
    for (;;) {
        struct token t = lex_next(&lx);
        if (t.kind == T_EOF)
            break;
        if (t.kind == T_WORD) {
            printf("[%s]", t.text);
            free(t.text);
        } else if (t.kind == T_REDIRECT) {
            printf("<R%d fd%d s%d>", t.redirect, t.fd, t.strip);
            if (t.redirect == REDIRECT_HEREDOC) {
                struct token w = lex_next(&lx);
                struct redirect* r = calloc(1, sizeof *r);
                r->target = w.text;
                lex_add_heredoc(&lx, r, t.strip);
                rs[nr++] = r;
            }
        } else
            printf("<%d>", t.kind);
    }
    printf("\n");
    for (int i = 0; i < nr; i++) {
        printf("doc(%d)=%s", rs[i]->heredoc_quoted, rs[i]->heredoc ? rs[i]->heredoc : "(null)");
        free(rs[i]->target);
        free(rs[i]->heredoc);
        free(rs[i]);
    }
    free(lx.pending);
    free(lx.pending_strip);
}
int main() {
    run("echo \"a b\"'c d'\\ e ${x:-\"}\"} $((1+(2))) `a\\`b` 2>&1 >>f;;&&||| a\\\nb # c\nx");
    run("cat <<E <<-'F'; x\nl1\nE\n\tl2\n\tF\nafter");
    run("echo \"abc");
    return 0;
}
