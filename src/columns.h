/* columns.h - an input line cut into columns, as GNU parallel's --colsep
 * does with Perl's split (here a POSIX extended regular expression, the
 * Perl escapes translated), and white space trimmed (--trim). */
#ifndef POOLTOP_COLUMNS_H
#define POOLTOP_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

enum trim_mode {
	TRIM_NONE,   /* n: the input as it is */
	TRIM_LEFT,   /* l: white space removed from the start */
	TRIM_RIGHT,  /* r: ... from the end */
	TRIM_BOTH,   /* lr or rl */
};

/* --trim's value: n, l, r, lr or rl.  0, or -1 for anything else. */
int columns_parse_trim(const char *text, enum trim_mode *mode);

/* A Perl regular expression (the subset POSIX extended expressions can do:
 * \t \n \d \s \w and the like are translated) compiled for matching.
 * NULL, with a message for the user in error, when it cannot be: Perl-only
 * syntax such as (?...), \b or lazy quantifiers is refused. */
struct columns_regex *columns_regex_new(const char *perl, char *error, size_t size);
void columns_regex_free(struct columns_regex *regex);
/* Whether the regex matches text[0..len) starting at its first byte. */
bool columns_regex_matches_at_start(const struct columns_regex *regex, const char *text, size_t len);

/* A growing byte string: the arguments of one item. */
struct columns_out {
	char *bytes;     /* malloc'd; NUL-terminated after every append */
	size_t len;      /* bytes in use, the final NUL not counted */
	size_t capacity; /* allocated size */
};

/* Append text[0..len) (followed by a NUL byte, as items are: regexec
 * under the sanitizers reads up to it) to out, cut into columns at each match of separator
 * (NULL: one column) as Perl's split does (an empty match splits between
 * characters; trailing empty columns are kept, as parallel keeps them; what
 * capturing groups matched become columns too), each column trimmed, the
 * columns separated by ITEMS_ARG_SEPARATOR.  Returns how many columns
 * were appended. */
int columns_split(const struct columns_regex *separator, enum trim_mode trim, const char *text,
		  size_t len, struct columns_out *out);
/* Append one ITEMS_ARG_SEPARATOR (between the arguments of two sources). */
void columns_out_separate(struct columns_out *out);
/* Append bytes as they are. */
void columns_out_append(struct columns_out *out, const char *text, size_t len);

#endif
