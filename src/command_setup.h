/* command_setup.h - from the command-line options to what command mode
 * runs: the command template (-I, -X, --shell, placeholders checked) and
 * the grouping of items into jobs (-n, -N, -L, -m, -X, -s). */
#ifndef POOLTOP_COMMAND_SETUP_H
#define POOLTOP_COMMAND_SETUP_H

#include <stddef.h>

#include "items.h"
#include "options.h"
#include "template.h"

/* The template for options' command (never NULL), or NULL with one line
 * in error when the command holds a placeholder pooltop refuses or one
 * beyond the arguments a job has. */
struct template *command_setup_template(const struct options *options, char *error, size_t size);
/* items, or a source grouping them as the options ask (which takes items
 * over). */
struct items *command_setup_group(const struct options *options, const struct template *template,
				  struct items *items);
/* --pipe, --pipepart: standard input or the one -a FILE cut into blocks
 * that jobs read on their stdin (options->pool.feed is set); NULL with
 * one line in error. */
struct items *command_setup_pipe(struct options *options, char *error, size_t size);

#endif
