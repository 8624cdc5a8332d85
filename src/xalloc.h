/* xalloc.h - the one failure policy for memory: these allocators never
 * return NULL.  Out of memory runs the fatal hook (a front end restores the
 * terminal there), says so once on stderr and exits with status 255. */
#ifndef POOLTOP_XALLOC_H
#define POOLTOP_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xreallocarray(void *pointer, size_t count, size_t size);
char *xstrdup(const char *text);
char *xstrndup(const char *text, size_t len);
char *xasprintf(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* The one growth loop: makes *array (elements of `size` bytes, *cap of them)
 * hold at least `need`, doubling from 16; new elements are zeroed. */
void xgrow(void *array, size_t *cap, size_t need, size_t size);

/* Called once before the out-of-memory exit, e.g. to leave curses. */
void xalloc_set_fatal_hook(void (*hook)(void));

_Noreturn void xalloc_fail(size_t size);

#endif
