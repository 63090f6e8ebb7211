/* exec_simple.c: a simple command (POSIX 2.9.1): its words and
 * assignments expanded, then a function, a builtin (with its redirections
 * undone after it, and prefix assignments kept only for special builtins)
 * or a program in a child (exec'd in place when the child has nothing else
 * to do), and the child's side of running a program. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtins.h"
#include "exec_private.h"
#include "expand.h"
#include "shell.h"
#include "vars.h"

/* The child's part of running a program: never returns. */
static void exec_program(int argc, char** argv) {
    (void)argc;
    const char* path = find_program(argv[0]);
    if (!path) {
        if (errno == EACCES) {
            sh_error("%s: Permission denied", argv[0]);
            _exit(126);
        }
        sh_error("%s: not found", argv[0]);
        _exit(127);
    }
    char** environment = var_environment();
    execve(path, argv, environment);
    int error = errno;
    free_environment(environment);
    if (error == ENOEXEC) {
        /* As dash: a file without #! is a script for this shell. */
        FILE* file = fopen(path, "r");
        struct strbuf text = {0};
        int c;
        while (file && (c = fgetc(file)) != EOF)
            sb_addc(&text, (char)c);
        if (file)
            fclose(file);
        char* script = sb_take(&text);
        arg0 = argv[0];
        error_name = argv[0];
        params_set(argv + 1, argc - 1);
        int status = run_text(script, argv[0], 1);
        free(script);
        shell_exit(status);
    }
    if (error == ENOENT) {
        sh_error("%s: not found", argv[0]);
        _exit(127);
    }
    sh_error("%s: %s", argv[0], error == EACCES ? "Permission denied" : strerror(error));
    _exit(126);
}

/* Runs a function: its own positional parameters and variable scope. */
static int call_function(struct node* body, int argc, char** argv) {
    struct params saved = params_save();
    params_set(argv + 1, argc - 1);
    int saved_loops = loop_depth;
    loop_depth = 0;
    function_depth++;
    var_push_scope(); /* for local */
    int status = run_node(body);
    var_pop_scope();
    function_depth--;
    loop_depth = saved_loops;
    if (function_depth == 0)
        functions_release_retired();
    if (pending_flow == FLOW_RETURN) {
        pending_flow = FLOW_NONE;
        status = last_status;
    }
    params_restore(saved);
    return status;
}

int run_argv(int argc, char** argv, int skip_functions) {
    struct node* body = skip_functions ? NULL : function_lookup(argv[0]);
    if (body)
        return call_function(body, argc, argv);
    const struct builtin* builtin = builtin_find(argv[0]);
    if (builtin) {
        command_builtins_running += skip_functions;
        int status = builtin->run(argc, argv);
        command_builtins_running -= skip_functions;
        fflush(stdout);
        fflush(stderr);
        return status;
    }
    struct job* job = job_new(NULL);
    if (job_fork(job, 1) == 0)
        exec_program(argc, argv);
    return job_wait_foreground(job);
}

/* set -x: "+ a=1 cmd args" after expansion, PS4 as the prefix. */
static void trace(struct strlist* assignments, struct strlist* words) {
    const char* ps4 = var_get("PS4");
    fputs(ps4 ? ps4 : "+ ", stderr);
    int first = 1;
    for (int i = 0; i < assignments->count; i++, first = 0)
        fprintf(stderr, "%s%s", first ? "" : " ", assignments->items[i]);
    for (int i = 0; i < words->count; i++, first = 0)
        fprintf(stderr, "%s%s", first ? "" : " ", words->items[i]);
    fputc('\n', stderr);
    fflush(stderr);
}

/* Expands the NAME=value words into NAME=expanded strings. */
static int expand_assignments(struct node* node, struct strlist* out) {
    for (int i = 0; i < node->simple.assignment_count; i++) {
        const char* raw = node->simple.assignments[i];
        const char* equals = strchr(raw, '=');
        char* value = expand_assignment_value(equals + 1);
        if (!value)
            return -1;
        struct strbuf item = {0};
        sb_addn(&item, raw, (size_t)(equals - raw + 1));
        sb_adds(&item, value);
        free(value);
        sl_add(out, sb_take(&item));
    }
    return 0;
}

/* A prefix assignment onto a read-only variable is an error before any
 * command (builtin, function or program) runs; dash exits. 1 after
 * reporting one. */
static int assigns_read_only(const struct strlist* assignments) {
    for (int i = 0; i < assignments->count; i++) {
        const char* item = assignments->items[i];
        char* variable = xstrndup(item, (size_t)(strchr(item, '=') - item));
        int flags = var_flags(variable);
        int refused = flags >= 0 && (flags & VAR_READONLY);
        if (refused)
            sh_error("%s: is read only", variable);
        free(variable);
        if (refused)
            return 1;
    }
    return 0;
}

int run_simple(struct node* node, int last) {
    struct strlist words = {0}, assignments = {0};
    int status = 0;
    unsigned substitutions_before = substitutions_run;
    if (expand_words(node->simple.words, node->simple.word_count, &words) < 0 ||
        expand_assignments(node, &assignments) < 0) {
        sl_free(&words);
        sl_free(&assignments);
        shell_fatal_error(2);
        return 2;
    }
    /* A command of assignments only has the status of its last $(...), or 0. */
    int substitution_status = substitutions_run != substitutions_before ? last_status : 0;
    if (options.xtrace && (words.count || assignments.count))
        trace(&assignments, &words);
    if (words.count == 0) {
        struct saved_fds saved = {0};
        status = substitution_status;
        for (int i = 0; i < assignments.count; i++)
            if (var_assign(assignments.items[i], 0) < 0) {
                status = 1;
                shell_fatal_error(2);
            }
        if (redirect_apply(node->redirects, &saved) < 0)
            status = 2;
        redirect_restore(&saved);
        goto done;
    }
    if (assigns_read_only(&assignments)) {
        status = 2;
        shell_fatal_error(2);
        goto done;
    }
    const char* name = words.items[0];
    struct node* body = function_lookup(name);
    const struct builtin* builtin = body ? NULL : builtin_find(name);
    if (body || builtin) {
        int special = builtin && builtin->special;
        /* Assignments before a regular builtin or a function last as long
         * as it runs; with none, no scope (local must reach the caller's). */
        int temporary = !special && assignments.count > 0;
        struct saved_fds saved = {0};
        if (temporary)
            var_push_scope();
        for (int i = 0; i < assignments.count; i++) {
            if (!temporary)
                var_assign(assignments.items[i], 0);
            else
                var_local(assignments.items[i]);
        }
        /* exec without a command keeps its redirections. */
        struct saved_fds* keep = builtin && builtin->run == builtin_exec ? NULL : &saved;
        if (redirect_apply(node->redirects, keep) < 0) {
            status = 2;
            if (special)
                shell_fatal_error(2);
        } else if (body) {
            status = call_function(body, words.count, words.items);
        } else {
            status = builtin->run(words.count, words.items);
            fflush(stdout);
            fflush(stderr);
        }
        redirect_restore(&saved);
        if (temporary)
            var_pop_scope();
        goto done;
    }
    /* Nothing to run after it and no EXIT trap to run: become the program. */
    int in_place = last && in_subshell && !trap_exit_set();
    struct job* job = in_place ? NULL : job_new(node);
    if (in_place || job_fork(job, 1) == 0) {
        if (redirect_apply(node->redirects, NULL) < 0)
            _exit(2);
        for (int i = 0; i < assignments.count; i++)
            var_assign(assignments.items[i], VAR_EXPORT);
        exec_program(words.count, words.items);
    }
    status = job_wait_foreground(job);
done:
    sl_free(&words);
    sl_free(&assignments);
    return status;
}
