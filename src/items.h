/* items.h - item sources: a streaming delimiter reader over a file
 * descriptor (stdin, -a FILE), an integer range (--range) and inline
 * arguments (:::).  Items are produced on demand so memory stays flat. */
#ifndef POOLTOP_ITEMS_H
#define POOLTOP_ITEMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum items_status {
	ITEMS_READY,   /* the next item is in *text and *len */
	ITEMS_WAIT,    /* nothing buffered: poll items_fd() for POLLIN, then retry */
	ITEMS_END,     /* no more items */
	ITEMS_ERROR,   /* read error, or an item longer than the limit; errno is
	                  set (EMSGSIZE for the latter) and items_error() says more */
};

struct items;

/* Read `delim`-separated items from fd (which the source then owns; on
 * failure, NULL, it stays the caller's).  A final item without a trailing
 * delimiter still counts.  With nonblocking, fd is O_NONBLOCK until
 * items_free and ITEMS_WAIT is returned when a read would block. */
struct items *items_from_fd(int fd, char delim, bool nonblocking);
/* Integers first, first+step, ... up to and including last (step may be
 * negative, never 0). */
struct items *items_from_range(int64_t first, int64_t last, int64_t step);
/* The strings argv[0..argc-1], not copied: they must outlive the source. */
struct items *items_from_array(char **argv, int argc);

/* A source of another shape (several sources combined, columns, groups of
 * items, --pipe blocks...), written in a file of its own: items.c calls
 * these on `state`.  fd, total, error, take_nul_warning and free may be
 * NULL (no fd to wait for, total unknown, no error, no warning, nothing
 * to free). */
struct items_ops {
	enum items_status (*next)(void *state, const char **text, size_t *len);
	int (*fd)(const void *state);
	int64_t (*total)(const void *state);
	int (*error)(const void *state, char *error, size_t size);
	uint64_t (*take_nul_warning)(void *state);
	void (*free)(void *state);
};
struct items *items_from_ops(const struct items_ops *ops, void *state);

/* Job arguments: an item handed to the pool may hold several arguments
 * (one per input source, or several items per job) separated by NUL
 * bytes; an item of one argument is the plain text.  ITEMS_ARG_SEPARATOR
 * is that byte, for the sources that build such items and the code that
 * shows them. */
#define ITEMS_ARG_SEPARATOR '\0'

/* Refuse items read from fd longer than max_length bytes (0: no limit, the
 * default).  The reader then holds at most about max_length plus 64 KiB;
 * once an item is refused, items_next() returns ITEMS_ERROR for good. */
void items_set_max_length(struct items *items, size_t max_length);

/* The next item.  *text stays valid until the next call and is
 * NUL-terminated.  An item read with a delimiter other than NUL is cut at
 * a NUL byte it holds (as xargs does: an argument cannot carry one);
 * items_take_nul_warning() then tells the caller. */
enum items_status items_next(struct items *items, const char **text, size_t *len);
/* The 1-based position of the first item that was cut at a NUL byte, told
 * once (0 afterwards, and when no item was cut): the caller warns. */
uint64_t items_take_nul_warning(struct items *items);
/* 0, or -1 with a message for the user in error when the source failed
 * (an unreadable input, an item over the length limit). */
int items_error(const struct items *items, char *error, size_t size);
/* The fd to poll when items_next() said ITEMS_WAIT, else -1. */
int items_fd(const struct items *items);
/* The number of items in all, once known (-1 until the input ends). */
int64_t items_total(const struct items *items);
void items_free(struct items *items);
/* The reader's current buffer size in bytes (0 for other sources); for
 * tests that check memory stays flat. */
size_t items_buffer_capacity(const struct items *items);

/* Parse "A..B" or "A..B..STEP" (inclusive, like seq A STEP B).  Returns 0,
 * or -1 with a message for the user in *error (static string). */
int items_parse_range(const char *spec, int64_t *first, int64_t *last, int64_t *step,
		      const char **error);

#endif
