/* items_group.h - a source that joins several items of another source
 * into one item of several arguments (-n, -N, -L), or as many as a
 * command line holds (-m, -X), as GNU parallel and xargs do. */
#ifndef POOLTOP_ITEMS_GROUP_H
#define POOLTOP_ITEMS_GROUP_H

#include <stddef.h>

#include "items.h"

struct template;

struct items_group_config {
	int max_args;                     /* items per job at most; 0: no count */
	size_t max_length;                /* the longest command (template_length), 0: none */
	const struct template *template;  /* measures commands; needed with max_length */
};

/* The grouping source takes inner over (items_free frees both).  The
 * items of inner must be of one argument each: an item of several ends
 * the source with an error saying so.  A single item longer than
 * max_length still makes a job of its own.  Memory holds one group. */
struct items *items_group_new(struct items *inner, const struct items_group_config *config);

/* The longest command line a job may be given: ARG_MAX less the
 * environment and 2048 bytes of headroom, as xargs --show-limits counts. */
size_t items_group_system_limit(void);
/* The default line length for -m and -X: 128 KiB (xargs' buffer, and the
 * most one sh -c script word may hold), or less if the system allows less. */
size_t items_group_default_limit(void);

#endif
