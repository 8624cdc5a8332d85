/* output_lines.c - tags before each line of job output and the split of
 * output into complete lines, for --tag, --tagstring and --line-buffer,
 * with GNU parallel's rules (a \r ends a line too). */
#include "output_lines.h"

#include <stdlib.h>
#include <string.h>

#include "template.h"
#include "text.h"
#include "xalloc.h"

struct output_tagger {
	struct template *template;  /* --tagstring as a one-word template, or NULL for --tag */
};

struct output_tagger *output_tagger_new(const char *tagstring)
{
	struct output_tagger *tagger = xcalloc(1, sizeof *tagger);
	if (tagstring) {
		char *word = (char *)tagstring;
		tagger->template = template_new(&word, 1, false);
	}
	return tagger;
}

char *output_tagger_tag(const struct output_tagger *tagger, const char *item, size_t len, uint64_t seq,
			int slot)
{
	char *text;
	if (tagger->template) {
		/* Only the first word: without placeholders, the template
		 * appends the item as a word of its own, which is no tag's. */
		char **argv = template_argv(tagger->template, item, len, seq, slot);
		text = xstrdup(argv[0]);
		free(argv);
	} else {
		text = text_join_args(item, len);
	}
	size_t text_len = strlen(text);
	char *tag = xmalloc(text_len + 2);
	memcpy(tag, text, text_len);
	memcpy(tag + text_len, "\t", 2);
	free(text);
	return tag;
}

void output_tagger_free(struct output_tagger *tagger)
{
	if (!tagger)
		return;
	template_free(tagger->template);
	free(tagger);
}

void output_tag_lines(const char *tag, size_t tag_len, bool *line_start, const char *data, size_t len,
		      output_emit_fn *emit, void *emit_data)
{
	size_t at = 0;
	while (at < len) {
		if (*line_start)
			emit(emit_data, tag, tag_len);
		/* One run up to and including the next line end. */
		size_t end = at;
		while (end < len && data[end] != '\n' && data[end] != '\r')
			end++;
		*line_start = end < len;
		if (end < len)
			end++;
		emit(emit_data, data + at, end - at);
		at = end;
	}
}

size_t output_complete_lines(const char *data, size_t len)
{
	for (size_t at = len; at > 0; at--)
		if (data[at - 1] == '\n')
			return at;
	for (size_t at = len; at > 0; at--)
		if (data[at - 1] == '\r')
			return at;
	return 0;
}
