/* xalloc.c - allocators that cannot fail, as tmux's xmalloc.c and htop's
 * XUtils.c: callers never check for NULL, and an exhausted machine ends the
 * run in one place, with the terminal restored and a message. */
#include "xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void (*fatal_hook)(void);

void xalloc_set_fatal_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

_Noreturn void xalloc_fail(size_t size)
{
	void (*hook)(void) = fatal_hook;
	fatal_hook = NULL;  /* the hook itself may run out of memory */
	if (hook)
		hook();
	char message[96];
	int len = snprintf(message, sizeof message, "pooltop: out of memory (allocating %zu bytes)\n", size);
	if (len > 0 && write(STDERR_FILENO, message, (size_t)len) < 0)
		len = 0;  /* nowhere left to say it */
	_exit(255);
}

void *xmalloc(size_t size)
{
	void *pointer = malloc(size ? size : 1);
	if (!pointer)
		xalloc_fail(size);
	return pointer;
}

void *xcalloc(size_t count, size_t size)
{
	void *pointer = calloc(count ? count : 1, size ? size : 1);
	if (!pointer)
		xalloc_fail(count * size);
	return pointer;
}

void *xreallocarray(void *pointer, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		xalloc_fail(SIZE_MAX);
	size_t bytes = count * size;
	void *grown = realloc(pointer, bytes ? bytes : 1);
	if (!grown)
		xalloc_fail(count * size);
	return grown;
}

char *xstrdup(const char *text)
{
	return xstrndup(text, strlen(text));
}

char *xstrndup(const char *text, size_t len)
{
	char *copy = xmalloc(len + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	return copy;
}

char *xasprintf(const char *format, ...)
{
	va_list args;
	va_start(args, format);
	int len = vsnprintf(NULL, 0, format, args);
	va_end(args);
	if (len < 0)
		xalloc_fail(0);
	char *text = xmalloc((size_t)len + 1);
	va_start(args, format);
	vsnprintf(text, (size_t)len + 1, format, args);
	va_end(args);
	return text;
}

void xgrow(void *array, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return;
	size_t new_cap = *cap ? *cap : 16;
	while (new_cap < need) {
		if (new_cap > SIZE_MAX / 2)
			xalloc_fail(SIZE_MAX);
		new_cap *= 2;
	}
	void **slot = array;
	char *grown = xreallocarray(*slot, new_cap, size);
	memset(grown + *cap * size, 0, (new_cap - *cap) * size);
	*slot = grown;
	*cap = new_cap;
}
