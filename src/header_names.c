/* header_names.c - --header's names turned into positions in the command
 * words, by plain text rewriting: the template then only ever sees the
 * positional placeholders it knows. */
#include "header_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "items.h"
#include "xalloc.h"

struct header_name {
	char *name;     /* a column's name in a header line */
	size_t length;
	int position;   /* its argument's 1-based position */
};

struct header_names {
	struct header_name *entries;
	size_t count;
};

struct header_names *header_names_new(void)
{
	return xcalloc(1, sizeof(struct header_names));
}

void header_names_free(struct header_names *names)
{
	if (!names)
		return;
	for (size_t index = 0; index < names->count; index++)
		free(names->entries[index].name);
	free(names->entries);
	free(names);
}

int header_names_add(struct header_names *names, const char *columns, size_t len, int position)
{
	const char *cursor = columns ? columns : "";
	const char *end = cursor + len;

	for (;;) {
		const char *stop = memchr(cursor, ITEMS_ARG_SEPARATOR, (size_t)(end - cursor));
		size_t length = stop ? (size_t)(stop - cursor) : (size_t)(end - cursor);
		names->entries = xreallocarray(names->entries, names->count + 1, sizeof *names->entries);
		names->entries[names->count++] = (struct header_name){
			.name = xstrndup(cursor, length), .length = length, .position = ++position,
		};
		if (!stop)
			return position;
		cursor = stop + 1;
	}
}

/* The position of the header name inner[0..length) names, with what
 * follows the name ("", ".", "/", "//" or "/.") in *suffix; 0 if none. */
static int name_position(const struct header_names *names, const char *inner, size_t length,
			 const char **suffix)
{
	static const char *const suffixes[] = { "", "/.", "//", ".", "/" };

	for (size_t which = 0; which < sizeof suffixes / sizeof suffixes[0]; which++) {
		size_t suffix_length = strlen(suffixes[which]);
		if (suffix_length >= length || memcmp(inner + length - suffix_length, suffixes[which], suffix_length))
			continue;
		for (size_t index = 0; index < names->count; index++) {
			const struct header_name *name = &names->entries[index];
			if (name->length == length - suffix_length && !memcmp(name->name, inner, name->length)) {
				*suffix = suffixes[which];
				return name->position;
			}
		}
	}
	return 0;
}

static char *rename_word(const struct header_names *names, const char *word)
{
	struct columns_out out = { 0 };
	const char *cursor = word;

	for (;;) {
		const char *open = strchr(cursor, '{');
		const char *close = open ? strchr(open + 1, '}') : NULL;
		if (!close)
			break;
		const char *suffix;
		int position = name_position(names, open + 1, (size_t)(close - open - 1), &suffix);
		columns_out_append(&out, cursor, (size_t)(open - cursor) + 1);
		cursor = open + 1;
		if (!position)
			continue;
		char text[32];
		int length = snprintf(text, sizeof text, "%d%s}", position, suffix);
		columns_out_append(&out, text, (size_t)length);
		cursor = close + 1;
	}
	columns_out_append(&out, cursor, strlen(cursor));
	return out.bytes;
}

char **header_names_rename(const struct header_names *names, char **words, int count)
{
	char **renamed = xcalloc((size_t)count + 1, sizeof *renamed);

	for (int index = 0; index < count; index++)
		renamed[index] = names && names->count ? rename_word(names, words[index]) : xstrdup(words[index]);
	return renamed;
}

void header_names_free_words(char **words, int count)
{
	if (!words)
		return;
	for (int index = 0; index < count; index++)
		free(words[index]);
	free(words);
}
