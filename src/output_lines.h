/* output_lines.h - line work on job output: the tag (--tag, --tagstring)
 * put before every line of a job's output, and where the complete lines
 * of a chunk end (--line-buffer), both as GNU parallel does them. */
#ifndef POOLTOP_OUTPUT_LINES_H
#define POOLTOP_OUTPUT_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct output_tagger;

/* The tags of a run: with tagstring NULL (--tag), a job's arguments
 * joined by spaces; else tagstring with its placeholders replaced for the
 * job (--tagstring; nothing is appended to one without placeholders). */
struct output_tagger *output_tagger_new(const char *tagstring);  /* never NULL */
/* The tag of one job, followed by a TAB; malloc'd. */
char *output_tagger_tag(const struct output_tagger *tagger, const char *item, size_t len, uint64_t seq,
			int slot);
void output_tagger_free(struct output_tagger *tagger);

/* Where tagged bytes go. */
typedef void output_emit_fn(void *data, const char *bytes, size_t len);

/* Emit data with tag (tag_len bytes) before each line: at the start of
 * the output and after every \n or \r that another byte follows, as GNU
 * parallel tags.  *line_start carries that state from one chunk of a
 * stream to the next (true before the first). */
void output_tag_lines(const char *tag, size_t tag_len, bool *line_start, const char *data, size_t len,
		      output_emit_fn *emit, void *emit_data);

/* How many bytes of data are complete lines: up to the last \n, or when
 * there is none the last \r (a progress line); 0 when neither is there. */
size_t output_complete_lines(const char *data, size_t len);

#endif
