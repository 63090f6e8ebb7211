/* completion.h: the candidates Tab offers for a partly typed word. */
#ifndef KITE_SH_COMPLETION_H
#define KITE_SH_COMPLETION_H

#include <stddef.h>

#include "util.h"

/* Appends to out, sorted, the completions of the length characters of
 * word: builtin and program names when command_position (and the word has
 * no /), else the names of files in the word's directory, without that
 * directory (directories end with /). */
void complete_word(const char* word, size_t length, int command_position, struct strlist* out);

#endif
