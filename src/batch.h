/* batch.h - the plain front end used without a terminal or with --batch:
 * pooltop's messages on stderr and, with --progress, a status line on
 * stderr each refresh.  No curses. */
#ifndef POOLTOP_BATCH_H
#define POOLTOP_BATCH_H

#include <stdbool.h>

#include "loop.h"
#include "pool.h"

struct batch;

struct batch *batch_new(struct loop *loop, struct pool *pool, double refresh, bool progress);
/* One of pooltop's messages on stderr, "pooltop: " first, with control
 * characters escaped as the TUI shows them (a message may quote an item,
 * a command or a job's words).  batch may be NULL: before the front end
 * starts, or after the TUI has closed. */
void batch_message(struct batch *batch, const char *text);
/* A note for the status line, e.g. an autotune step ("jobs 3 -> 4"). */
void batch_note(struct batch *batch, const char *text);
/* The run ended: a last status line with --progress. */
void batch_finish(struct batch *batch);
void batch_free(struct batch *batch);

#endif
