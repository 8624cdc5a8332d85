/* output_format.c - GNU parallel's output options set up on the output:
 * which mode passes job output on, the tags, the result files and -t's
 * command lines, with the combinations parallel resolves the same way. */
#include "output_format.h"

#include <stdlib.h>
#include <string.h>

#include "dryrun.h"
#include "output_lines.h"
#include "results.h"
#include "xalloc.h"

struct output_format {
	struct output *output;
	const struct template *template;  /* command mode's, for -t */
	enum output_mode mode;
	bool print_commands;              /* -t, --verbose */
	struct output_tagger *tagger;     /* --tag, --tagstring, or NULL */
	struct results *results;          /* --results, --files, or NULL */
};

struct output_format *output_format_new(struct output *output, const struct options *options,
					const struct template *template)
{
	struct output_format *format = xcalloc(1, sizeof *format);
	format->output = output;
	format->template = template;
	bool to_files = options->results || options->files;
	/* Files take whole jobs.  -k with --line-buffer gives each job's
	 * lines in turn, whole: the bytes GNU parallel writes. */
	format->mode = OUTPUT_GROUP;
	if (options->mode == MODE_COMMAND && !options->dry_run && !to_files) {
		if (options->ungroup)
			format->mode = OUTPUT_UNGROUP;
		else if (options->line_buffer && !options->keep_order)
			format->mode = OUTPUT_LINES;
	}
	output_set_mode(output, format->mode);
	/* As GNU parallel: -u passes bytes on untouched, without tags. */
	if ((options->tag || options->tagstring) && !options->ungroup) {
		format->tagger = output_tagger_new(options->tagstring);
		output_set_tagger(output, format->tagger);
	}
	if (to_files)
		format->results = results_new(options->results, options->files, options->tmpdir,
					      options->max_args ? 1 : 0);
	format->print_commands = options->print_commands && template;
	return format;
}

bool output_format_live(const struct output_format *format)
{
	return format->mode != OUTPUT_GROUP;
}

bool output_format_prints_commands(const struct output_format *format)
{
	return format->print_commands;
}

void output_format_started(struct output_format *format, const struct pool_started *started)
{
	if (!format->print_commands)
		return;
	char **argv = template_argv(format->template, started->item, started->item_len, started->seq,
				    started->slot);
	char *line = dryrun_command_line(argv);
	output_text_to(format->output, 2, line, strlen(line));
	free(line);
	free(argv);
}

int output_format_store(struct output_format *format, struct pool_result *result, char *message, size_t size)
{
	return format->results ? results_store(format->results, result, message, size) : 0;
}

int output_format_error(const struct output_format *format, char *message, size_t size)
{
	return format ? results_error(format->results, message, size) : 0;
}

void output_format_free(struct output_format *format)
{
	if (!format)
		return;
	output_tagger_free(format->tagger);
	results_free(format->results);
	free(format);
}
