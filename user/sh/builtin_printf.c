/* builtin_printf.c: printf FORMAT [ARG...] as dash has it. The format is
 * reused while arguments remain (and it used some); a missing argument is
 * "" or 0. The C library formats only numbers, and only through a spec
 * this file builds from the flags it parsed and knows to be valid for the
 * conversion; strings, %b and %c are padded here (they may hold NULs). */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "shell.h"
#include "util.h"

struct printer {
    char** args; /* the arguments not used yet (NULL-terminated) */
    int status;  /* 1 once a number was bad: dash goes on regardless */
};

/* A directive's parts. width and precision are what printf's * takes:
 * a negative width means left-justified, a negative precision none. */
struct directive {
    char flags[6]; /* of "-+ #0", each once */
    int width, precision;
    char conversion;
};

enum { GO_ON = 0, STOP = 1, FAIL = 2 }; /* STOP: \c in %b; FAIL: status 2 */

static const char* next_arg(struct printer* printer) {
    return *printer->args ? *printer->args++ : NULL;
}

static void bad_number(struct printer* printer, const char* text, const char* why) {
    sh_error("printf: %s: %s", text, why);
    printer->status = 1;
}

/* 'c or "c stands for the value of the byte c (0 if there is none). */
static int char_constant(const char* text, uintmax_t* value) {
    if (text[0] != '\'' && text[0] != '"')
        return 0;
    *value = (unsigned char)text[1];
    return 1;
}

/* After strtoimax and friends: dash's complaint, if any, about text. The
 * partial value stands either way. */
static void check_number(struct printer* printer, const char* text, const char* end, int error) {
    if (end == text)
        bad_number(printer, text, "expected numeric value");
    else if (*end)
        bad_number(printer, text, "not completely converted");
    else if (error == ERANGE)
        bad_number(printer, text, "Numerical result out of range");
}

static intmax_t signed_arg(struct printer* printer) {
    const char* text = next_arg(printer);
    uintmax_t byte;
    if (!text || !*text)
        return 0;
    if (char_constant(text, &byte))
        return (intmax_t)byte;
    char* end;
    errno = 0;
    intmax_t value = strtoimax(text, &end, 0);
    check_number(printer, text, end, errno);
    return value;
}

/* o u x X: strtoumax, so -1 is the largest value as in dash. */
static uintmax_t unsigned_arg(struct printer* printer) {
    const char* text = next_arg(printer);
    uintmax_t value;
    if (!text || !*text)
        return 0;
    if (char_constant(text, &value))
        return value;
    char* end;
    errno = 0;
    value = strtoumax(text, &end, 0);
    check_number(printer, text, end, errno);
    return value;
}

static double double_arg(struct printer* printer) {
    const char* text = next_arg(printer);
    uintmax_t byte;
    if (!text || !*text)
        return 0;
    if (char_constant(text, &byte))
        return (double)byte;
    char* end;
    errno = 0;
    double value = strtod(text, &end);
    check_number(printer, text, end, errno);
    return value;
}

/* A * width or precision: an int, so a larger number is clamped. */
static int star_arg(struct printer* printer) {
    intmax_t value = signed_arg(printer);
    if (value > INT_MAX)
        return INT_MAX;
    if (value < -INT_MAX)
        return -INT_MAX;
    return (int)value;
}

/* Writes length bytes of data (at most precision of them, if that is not
 * negative) right-justified in width, or left-justified if the directive
 * says so. */
static void put_field(const struct directive* d, const char* data, size_t length) {
    if (d->precision >= 0 && length > (size_t)d->precision)
        length = (size_t)d->precision;
    int left = d->width < 0 || strchr(d->flags, '-');
    size_t width = d->width < 0 ? (size_t) - (long)d->width : (size_t)d->width;
    size_t pad = width > length ? width - length : 0;
    for (size_t i = 0; !left && i < pad; i++)
        putchar(' ');
    fwrite(data, 1, length, stdout);
    for (size_t i = 0; left && i < pad; i++)
        putchar(' ');
}

/* An octal escape's value: up to limit digits from *p, *p moved past them. */
static int octal_digits(const char** p, int limit) {
    int value = 0;
    for (int i = 0; i < limit && **p >= '0' && **p <= '7'; i++, (*p)++)
        value = value * 8 + (**p - '0');
    return value & 0xff;
}

/* The escapes both the format and %b know; 0 if c is not one. */
static char simple_escape(char c) {
    const char* names = "\\abefnrtv";
    const char* values = "\\\a\b\033\f\n\r\t\v";
    const char* found = c ? strchr(names, c) : NULL;
    return found ? values[found - names] : 0;
}

/* %b: text with echo's escapes (\0NNN, \NNN, \c ends all output).
 * Returns STOP at \c, after adding what came before it. */
static int expand_b(const char* text, struct strbuf* out) {
    for (const char* p = text; *p;) {
        if (*p != '\\' || !p[1]) {
            sb_addc(out, *p++);
            continue;
        }
        p++;
        char value = simple_escape(*p);
        if (*p == 'c')
            return STOP;
        if (value) {
            sb_addc(out, value);
            p++;
        } else if (*p == '0') {
            p++;
            sb_addc(out, (char)octal_digits(&p, 3));
        } else if (*p >= '1' && *p <= '7') {
            sb_addc(out, (char)octal_digits(&p, 3));
        } else {
            sb_addc(out, '\\');
        }
    }
    return GO_ON;
}

/* Formats one number through the C library with a spec made of d's
 * flags (only those C defines for the conversion), "*.*", and j for
 * integers. */
static void put_number(struct printer* printer, const struct directive* d) {
    char c = d->conversion;
    const char* allowed = strchr("di", c) ? "-+ 0" : strchr("ouxX", c) ? "-#0" : "-+ #0";
    char spec[16];
    size_t n = 0;
    spec[n++] = '%';
    for (const char* f = d->flags; *f; f++)
        if (strchr(allowed, *f))
            spec[n++] = *f;
    spec[n++] = '*';
    spec[n++] = '.';
    spec[n++] = '*';
    if (!strchr("eEfFgGaA", c))
        spec[n++] = 'j';
    spec[n++] = c;
    spec[n] = '\0';
    if (c == 'd' || c == 'i')
        printf(spec, d->width, d->precision, signed_arg(printer));
    else if (strchr("ouxX", c))
        printf(spec, d->width, d->precision, unsigned_arg(printer));
    else
        printf(spec, d->width, d->precision, double_arg(printer));
}

static int put_converted(struct printer* printer, const struct directive* d) {
    const char* text;
    switch (d->conversion) {
    case 's':
        text = next_arg(printer);
        put_field(d, text ? text : "", text ? strlen(text) : 0);
        return GO_ON;
    case 'c': {
        /* dash writes a NUL for a missing or empty argument. */
        text = next_arg(printer);
        struct directive whole = *d;
        whole.precision = -1;
        put_field(&whole, text ? text : "", 1);
        return GO_ON;
    }
    case 'b': {
        struct strbuf out = {0};
        text = next_arg(printer);
        int result = expand_b(text ? text : "", &out);
        put_field(d, out.data ? out.data : "", out.length);
        sb_free(&out);
        return result;
    }
    default:
        put_number(printer, d);
        return GO_ON;
    }
}

/* A width or precision written as digits; -1 if it does not fit an int. */
static int digits_value(const char** p) {
    long value = 0;
    for (; **p >= '0' && **p <= '9'; (*p)++) {
        if (value <= INT_MAX)
            value = value * 10 + (**p - '0');
    }
    return value > INT_MAX ? -1 : (int)value;
}

/* The directive at *p (just past its %), written out; *p moved past it. */
static int directive(struct printer* printer, const char** p) {
    const char* start = *p - 1;
    struct directive d = {.width = 0, .precision = -1};
    size_t nflags = 0;
    for (; **p && strchr("-+ #0", **p); (*p)++)
        if (!strchr(d.flags, **p))
            d.flags[nflags++] = **p;
    int too_big = 0;
    if (**p == '*') {
        (*p)++;
        d.width = star_arg(printer);
    } else {
        d.width = digits_value(p);
        too_big |= d.width < 0;
    }
    if (**p == '.') {
        (*p)++;
        if (**p == '*') {
            (*p)++;
            d.precision = star_arg(printer);
        } else {
            d.precision = digits_value(p);
            too_big |= d.precision < 0;
        }
    }
    d.conversion = **p;
    if (!d.conversion) {
        sh_error("printf: missing format character");
        return FAIL;
    }
    (*p)++;
    if (!strchr("diouxXcsbeEfFgGaA", d.conversion)) {
        sh_error("printf: %.*s: invalid directive", (int)(*p - start), start);
        return FAIL;
    }
    if (too_big) {
        sh_error("printf: xvsnprintf failed");
        return FAIL;
    }
    return put_converted(printer, &d);
}

/* One pass over the format. */
static int run_format(struct printer* printer, const char* format) {
    for (const char* p = format; *p;) {
        if (*p == '%') {
            p++;
            if (*p == '%') {
                putchar('%');
                p++;
                continue;
            }
            int result = directive(printer, &p);
            if (result != GO_ON)
                return result;
            continue;
        }
        if (*p != '\\' || !p[1]) {
            putchar(*p++);
            continue;
        }
        /* The format's escapes: \NNN is at most three digits in all. */
        p++;
        char value = simple_escape(*p);
        if (value) {
            putchar(value);
            p++;
        } else if (*p >= '0' && *p <= '7') {
            putchar(octal_digits(&p, 3));
        } else {
            putchar('\\');
        }
    }
    return GO_ON;
}

int builtin_printf(int argc, char** argv) {
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "--") == 0) {
        first = 2;
    } else if (argc > 1 && argv[1][0] == '-' && argv[1][1]) {
        sh_error("printf: Illegal option -%c", argv[1][1]);
        return 2;
    }
    if (first >= argc) {
        sh_error("printf: usage: printf format [arg ...]");
        return 2;
    }
    struct printer printer = {argv + first + 1, 0};
    for (;;) {
        char** before = printer.args;
        int result = run_format(&printer, argv[first]);
        if (result == FAIL)
            return 2;
        if (result == STOP || printer.args == before || !*printer.args)
            break;
    }
    return printer.status;
}
