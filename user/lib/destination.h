/* destination.h: where cp, mv and ln put a source (for the programs in
 * user/; built as the static library userlib). */
#ifndef KITE_USER_DESTINATION_H
#define KITE_USER_DESTINATION_H

#include <stddef.h>

/* Whether target names a directory (then each source goes into it). */
int is_directory(const char* target);

/* target itself, or, into a directory, target/<the source's last part>.
 * Returns 0, or -1 with errno ENAMETOOLONG if it does not fit in size. */
int destination_path(char* out, size_t size, const char* source, const char* target,
                     int into_directory);

#endif
