/* header_names.h - --header's column names and the command words that use
 * them: {name} (and {name.}, {name/}, {name//}, {name/.}) becomes the
 * positional placeholder of that column, {3}, before the template is made. */
#ifndef POOLTOP_HEADER_NAMES_H
#define POOLTOP_HEADER_NAMES_H

#include <stddef.h>

struct header_names;

struct header_names *header_names_new(void);
void header_names_free(struct header_names *names);
/* Adds the names in columns[0..len) (separated by ITEMS_ARG_SEPARATOR),
 * numbered after position; returns the position of the last one. */
int header_names_add(struct header_names *names, const char *columns, size_t len, int position);
/* The words with every {name...} renamed (names may be NULL: copies); a
 * new NULL-terminated vector of new strings, for header_names_free_words. */
char **header_names_rename(const struct header_names *names, char **words, int count);
void header_names_free_words(char **words, int count);

#endif
