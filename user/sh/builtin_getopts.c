/* builtin_getopts.c: getopts OPTSTRING NAME [ARG...] as dash has it. Each
 * call finds the next option letter in the arguments (the positional
 * parameters if none are given), sets NAME to it (or ? or :), OPTARG to
 * its argument and OPTIND to the index of the next word; status 1 once
 * the options end.
 *
 * Between calls getopts keeps where it is inside a word of grouped
 * letters (-ab), which OPTIND cannot say: like dash it has moved OPTIND
 * past that word already. That place goes with the positional parameters
 * (vars.h): a function has its own, and assigning OPTIND starts afresh. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "parser.h"
#include "shell.h"
#include "vars.h"

/* OPTIND's value as dash reads it: 1 if it is not a positive number. */
static int optind_value(const char* text) {
    if (!text)
        return 1;
    char* end;
    long value = strtol(text, &end, 10);
    if (end == text || *end || value < 1 || value > INT_MAX)
        return 1;
    return (int)value;
}

/* Where letter is in options, read as dash does: letters, each perhaps
 * followed by one ':' (it takes an argument), starting with the first
 * character even when that is the ':' asking for silence. NULL if absent. */
static const char* find_option(const char* options, char letter) {
    for (const char* p = options; *p; p += p[1] == ':' ? 2 : 1)
        if (*p == letter)
            return p;
    return NULL;
}

static int set_checked(const char* name, const char* value) {
    int flags = var_flags(name);
    if (flags >= 0 && (flags & VAR_READONLY)) {
        sh_error("getopts: %s: is read only", name);
        return -1;
    }
    return var_set(name, value, 0);
}

/* Leaves OPTIND at place->index, then NAME at result. */
static int finish(struct getopts_place* place, const char* name, char result) {
    char text[24];
    snprintf(text, sizeof text, "%d", place->index);
    int status = set_checked("OPTIND", text);
    place->optind_set = 0; /* getopts' own assignment keeps the place */
    if (status < 0)
        return 2;
    return set_checked(name, (char[]){result, '\0'}) < 0 ? 2 : 0;
}

/* The next letter, or 0 when the options have ended (at a word that is
 * not an option, at "-", or after "--"). */
static char next_letter(struct getopts_place* state, char** args, int count, const char** word) {
    if (state->offset > 0) {
        *word = args[state->index - 2];
        if (state->offset < strlen(*word))
            return (*word)[state->offset++];
        state->offset = 0;
    }
    if (state->index > count)
        return 0;
    *word = args[state->index - 1];
    if ((*word)[0] != '-' || (*word)[1] == '\0')
        return 0;
    state->index++;
    if (strcmp(*word, "--") == 0)
        return 0;
    state->offset = 2;
    return (*word)[1];
}

int builtin_getopts(int argc, char** argv) {
    if (argc < 3) {
        sh_error("getopts: Usage: getopts optstring var [arg...]");
        return 2;
    }
    const char* options = argv[1];
    const char* name = argv[2];
    if (!is_name(name, strlen(name))) {
        sh_error("getopts: %s: bad variable name", name);
        return 2;
    }
    char** args = argv + 3;
    int count = argc - 3;
    if (argc == 3) {
        args = params_get()->items;
        count = params_get()->count;
    }
    struct getopts_place* place = getopts_place();
    if (place->optind_set || place->index < 1) {
        place->index = optind_value(var_get("OPTIND"));
        place->offset = 0;
        place->optind_set = 0;
    }
    if (place->index > count + 1) {
        place->index = 1;
        place->offset = 0;
    }

    const char* word = NULL;
    char letter = next_letter(place, args, count, &word);
    if (!letter)
        return finish(place, name, '?') ? 2 : 1;
    int silent = options[0] == ':';
    const char* known = find_option(options, letter);
    char result = letter, letter_text[2] = {letter, '\0'};
    int status = 0;
    if (!known) {
        result = '?';
        if (silent) {
            status = set_checked("OPTARG", letter_text);
        } else {
            fprintf(stderr, "Illegal option -%c\n", letter);
            var_unset("OPTARG");
        }
    } else if (known[1] == ':') {
        /* The argument is the rest of this word, or else the next word. */
        if (word[place->offset]) {
            status = set_checked("OPTARG", word + place->offset);
            place->offset = 0;
        } else if (place->index <= count) {
            status = set_checked("OPTARG", args[place->index - 1]);
            place->index++;
            place->offset = 0;
        } else if (silent) {
            result = ':';
            status = set_checked("OPTARG", letter_text);
        } else {
            result = '?';
            fprintf(stderr, "No arg for -%c option\n", letter);
            var_unset("OPTARG");
        }
    } else {
        status = set_checked("OPTARG", "");
    }
    if (place->offset > 0 && !word[place->offset])
        place->offset = 0;
    int finished = finish(place, name, result);
    return status < 0 || finished ? 2 : 0;
}
