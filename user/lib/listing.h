/* listing.h: a directory's names, read whole (for the programs in user/;
 * built as the static library userlib). */
#ifndef KITE_USER_LISTING_H
#define KITE_USER_LISTING_H

#include <stddef.h>

/* Which names: those not starting with '.' (ls), all but "." and ".."
 * (ls -A, rm -r), or every one (ls -a). */
enum listing { LIST_VISIBLE, LIST_ALMOST_ALL, LIST_ALL };

/* The names in the directory at path, sorted if sort is set. Returns a
 * malloc'd array of count malloc'd names (free_listing frees them), or
 * NULL with errno set (ENOMEM, or opendir's error): never a part of a
 * listing that would look like all of it. */
char** list_directory(const char* path, enum listing which, int sort, size_t* count);
void free_listing(char** names, size_t count);

#endif
