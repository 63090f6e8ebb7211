/* expand_param.c: parameters in expansion: $name, $1, the special ones
 * ($? $$ $! $# $- $0 $@ $*) and every ${...} form: length, default,
 * assign, error, alternative, and prefix or suffix removal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expand.h"
#include "expand_private.h"
#include "shell.h"
#include "vars.h"

/* Adds the value of an expansion: quoted, or subject to field splitting. */
void add_value(struct expander* e, const char* value, int quoted) {
    add_text(e, value, quoted ? QUOTED : SPLIT);
}

void bad_substitution(struct expander* e) {
    if (!e->failed)
        sh_error("Bad substitution");
    e->failed = 1;
}

/* The separator of "$*": IFS's first character, a space when IFS is unset,
 * nothing when it is empty. */
static const char* star_separator(char* buffer) {
    const char* ifs = var_get("IFS");
    buffer[0] = ifs ? ifs[0] : ' ';
    buffer[1] = '\0';
    return buffer;
}

/* $@ and $*. Quoted $@ and any unquoted one in a field context give one
 * field per parameter; elsewhere they are joined. */
static void add_all_params(struct expander* e, char which, int quoted) {
    const struct params* params = params_get();
    char separator[2];
    int separate = e->mode == MODE_FIELDS && (!quoted || which == '@');
    for (int i = 0; i < params->count; ++i) {
        if (i > 0) {
            if (separate)
                end_piece(e);
            else if (which == '@')
                add(e, ' ', quoted ? QUOTED : SPLIT);
            else
                add_text(e, star_separator(separator), quoted ? QUOTED : SPLIT);
        }
        if (quoted && separate)
            add(e, 0, MARK);
        add_value(e, params->items[i], quoted);
    }
}

/* The value of a parameter by name (a name, digits or one special
 * character); NULL if unset. *owned is set when the result must be freed. */
static const char* param_value(const char* name, char** owned) {
    char number[24];
    *owned = NULL;
    if (name[1] == '\0' && !is_name_char(name[0])) {
        switch (name[0]) {
        case '?':
            snprintf(number, sizeof number, "%d", last_status);
            break;
        case '$':
            snprintf(number, sizeof number, "%ld", (long)shell_pid);
            break;
        case '!':
            if (!last_background)
                return NULL;
            snprintf(number, sizeof number, "%ld", (long)last_background);
            break;
        case '#':
            snprintf(number, sizeof number, "%d", params_get()->count);
            break;
        case '-':
            return *owned = option_letters();
        default:
            return NULL;
        }
        return *owned = xstrdup(number);
    }
    if (name[0] >= '0' && name[0] <= '9') {
        long index = strtol(name, NULL, 10);
        if (index == 0)
            return arg0;
        const struct params* params = params_get();
        return index <= params->count ? params->items[index - 1] : NULL;
    }
    return var_get(name);
}

static void not_set(struct expander* e, const char* name) {
    if (!e->failed)
        sh_error("%s: parameter not set", name);
    e->failed = 1;
}

/* The longest (or shortest) prefix or suffix of value matching pattern
 * removed, for ${x#p} ${x##p} ${x%p} ${x%%p}. */
static char* remove_match(const char* value, const char* pattern, int suffix, int longest) {
    size_t length = strlen(value);
    char* copy = xstrdup(value);
    for (size_t step = 0; step <= length; ++step) {
        size_t cut = longest ? length - step : step; /* characters removed */
        int matched;
        if (suffix) {
            matched = pattern_match(pattern, copy + length - cut);
        } else {
            char saved = copy[cut];
            copy[cut] = '\0';
            matched = pattern_match(pattern, copy);
            copy[cut] = saved;
        }
        if (matched) {
            char* result = suffix ? xstrndup(value, length - cut) : xstrdup(value + cut);
            free(copy);
            return result;
        }
    }
    free(copy);
    return xstrdup(value);
}

/* ${...}: body is what lies between the braces. */
void expand_braced(struct expander* e, const char* body, const char* end, int quoted) {
    const char* p = body;
    int length_of = 0;
    if (*p == '#' && p + 1 < end && (is_name_char(p[1]) || strchr("@*#?-$!", p[1])) &&
        !(p + 2 <= end && strchr("-=?+", p[1]) && p + 2 < end)) {
        length_of = 1;
        ++p;
    }
    const char* name_start = p;
    if (p < end && is_name_start(*p)) {
        while (p < end && is_name_char(*p))
            ++p;
    } else if (p < end && *p >= '0' && *p <= '9') {
        while (p < end && *p >= '0' && *p <= '9')
            ++p;
    } else if (p < end && strchr("@*#?-$!", *p)) {
        ++p;
    } else {
        bad_substitution(e);
        return;
    }
    char* name = xstrndup(name_start, (size_t)(p - name_start));
    int all = name[1] == '\0' && (name[0] == '@' || name[0] == '*');
    char* owned;
    const char* value = param_value(name, &owned);
    int is_set = value != NULL || (all && params_get()->count > 0);
    if (length_of) {
        if (p != end) {
            bad_substitution(e);
        } else if (!is_set && options.nounset && !all) {
            not_set(e, name);
        } else {
            char number[24];
            size_t n = value ? strlen(value) : 0;
            if (all) {
                n = 0;
                for (int i = 0; i < params_get()->count; ++i)
                    n += strlen(params_get()->items[i]) + (i > 0);
            }
            snprintf(number, sizeof number, "%zu", n);
            add_value(e, number, quoted);
        }
        goto done;
    }
    if (p == end) {
        if (!is_set && options.nounset && !all)
            not_set(e, name);
        else if (all)
            add_all_params(e, name[0], quoted);
        else if (value)
            add_value(e, value, quoted);
        goto done;
    }
    int colon = *p == ':';
    if (colon)
        ++p;
    char op = p < end ? *p : '\0';
    if (!op || !strchr("-=?+%#", op) || (colon && strchr("%#", op))) {
        bad_substitution(e);
        goto done;
    }
    ++p;
    int twice = 0;
    if ((op == '%' || op == '#') && p < end && *p == op) {
        twice = 1;
        ++p;
    }
    int empty = all ? params_get()->count == 0 ||
                          (params_get()->count == 1 && colon && !*params_get()->items[0])
                    : !value || !*value;
    int use_word = colon ? empty : !is_set;
    switch (op) {
    case '-':
    case '+':
        if ((op == '-') == use_word)
            walk(e, p, end, quoted, 1);
        else if (all)
            add_all_params(e, name[0], quoted);
        else if (value)
            add_value(e, value, quoted);
        break;
    case '=':
    case '?':
        if (!use_word) {
            if (all)
                add_all_params(e, name[0], quoted);
            else
                add_value(e, value, quoted);
            break;
        }
        {
            char* word = expand_alone(p, (size_t)(end - p), MODE_STRING);
            if (!word) {
                e->failed = 1;
            } else if (op == '?') {
                if (*word)
                    sh_error("%s: %s", name, word);
                else
                    sh_error("%s: parameter %s", name, colon ? "not set or null" : "not set");
                e->failed = 1;
            } else if (!is_name_start(name[0])) {
                sh_error("%s: bad variable name", name);
                e->failed = 1;
            } else if (var_set(name, word, 0) != 0) {
                e->failed = 1;
            } else {
                add_value(e, word, quoted);
            }
            free(word);
        }
        break;
    default: /* % and # */
        if (!is_set && options.nounset && !all) {
            not_set(e, name);
            break;
        }
        {
            char* pattern = expand_alone(p, (size_t)(end - p), MODE_PATTERN);
            if (!pattern) {
                e->failed = 1;
                break;
            }
            char* result = remove_match(value ? value : "", pattern, op == '%', twice);
            add_value(e, result, quoted);
            free(result);
            free(pattern);
        }
    }
done:
    free(owned);
    free(name);
}
