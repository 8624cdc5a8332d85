/* output_format.h - GNU parallel's output options of a run (--tag,
 * --tagstring, --line-buffer, -u, --results, --files, -t) set up on the
 * output, and the work main.c hands them: so that main.c only wires. */
#ifndef POOLTOP_OUTPUT_FORMAT_H
#define POOLTOP_OUTPUT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "options.h"
#include "output.h"
#include "pool.h"
#include "template.h"

struct output_format;

/* Set the output's mode and tags from options; template (command mode,
 * else NULL) gives -t its command lines.  Never NULL. */
struct output_format *output_format_new(struct output *output, const struct options *options,
					const struct template *template);
/* Jobs' output goes to output_live() as it comes (--line-buffer, -u). */
bool output_format_live(const struct output_format *format);
/* -t: the pool's started event should call output_format_started(). */
bool output_format_prints_commands(const struct output_format *format);
/* -t: the job's command on stderr. */
void output_format_started(struct output_format *format, const struct pool_started *started);
/* --results, --files: a final result's output to files (see results.h);
 * 0, or -1 with a message for the user. */
int output_format_store(struct output_format *format, struct pool_result *result, char *message, size_t size);
/* 0, or -1 with a message when result files were lost (status 255). */
int output_format_error(const struct output_format *format, char *message, size_t size);
void output_format_free(struct output_format *format);

#endif
