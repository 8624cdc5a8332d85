/* command_setup.c - from the command-line options to what command mode
 * runs: the template, checked before anything starts, and the grouping
 * source when jobs take several items. */
#include "command_setup.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include <stdio.h>

#include "items_group.h"
#include "pipe_items.h"
#include "sources.h"

struct template *command_setup_template(const struct options *options, char *error, size_t size)
{
	struct template_options template_options = {
		.shell = options->shell,
		.replace = options->replace,
		.fill = options->context_replace ? TEMPLATE_CONTEXT : TEMPLATE_SPREAD,
		.no_append = options->pipe,
	};
	struct template *template = template_new_with(options->command, options->command_argc,
						      &template_options);
	/* -m and -X give each job as many arguments as fit: {N} may name any.
	 * Each item holds one argument per input source; with columns the
	 * count varies, and {N} beyond an item's is empty. */
	int per_item = options->item_arguments ? options->item_arguments : 1;
	int args = options->max_args ? options->max_args : options->fill_line ? INT_MAX : 1;
	if (per_item < 0 || (args != INT_MAX && args > INT_MAX / per_item))
		args = INT_MAX;
	else if (args != INT_MAX)
		args *= per_item;

	/* Several sources and several items per job: which arguments make a
	 * job is unclear in GNU parallel; the grouping also refuses such
	 * items, this says so before anything starts. */
	if ((options->max_args || options->fill_line) && per_item > 1) {
		snprintf(error, size, "-n, -N, -L, -m and -X take items of one argument: with several "
			 "input sources, which arguments would make a job is unclear; give one source");
		template_free(template);
		return NULL;
	}
	if (template_check(template, error, size) || template_check_positions(template, args, error, size)) {
		template_free(template);
		return NULL;
	}
	return template;
}

struct items *command_setup_group(const struct options *options, const struct template *template,
				  struct items *items)
{
	if (options->pipe)
		return items;  /* -N counts records within a block: the cutter's */
	struct items_group_config config = {
		.max_args = options->max_args,
		.max_length = options->max_chars ? options->max_chars : items_group_default_limit(),
		.template = template,
	};

	if (!options->max_args && !options->fill_line)
		return items;
	return items_group_new(items, &config);
}

struct items *command_setup_pipe(struct options *options, char *error, size_t size)
{
	const struct sources_config *sources = &options->sources;
	int fd = sources_open_fd(sources->count ? sources->specs[0].path : NULL, error, size);
	if (fd < 0)
		return NULL;
	const struct feed_source *feed = NULL;
	*error = '\0';
	struct items *items = options->pipe_part
		? pipe_items_from_file(fd, &options->pipe_settings, &feed, error, size)
		: pipe_items_from_stream(fd, &options->pipe_settings, &feed);
	if (!items) {
		if (!*error)
			snprintf(error, size, "cannot read the input: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	options->pool.feed = feed;
	return items;
}
