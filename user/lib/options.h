/* options.h: option parsing the programs in user/ share. */
#ifndef KITE_USER_OPTIONS_H
#define KITE_USER_OPTIONS_H

/* "-n N" at argv[*next]: sets *count (0 to limit) and moves *next past it;
 * nothing there leaves both alone. Returns -1 for a bad or missing N. */
int line_count_option(int argc, char** argv, int* next, long limit, long* count);

#endif
