/* batch.c - the front end without curses: messages and the --progress
 * line go to stderr, rewritten in place on a terminal, one line per
 * refresh otherwise. */
#include "batch.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text.h"
#include "xalloc.h"

struct batch {
	struct loop *loop;
	struct pool *pool;
	double refresh;          /* seconds between status lines */
	bool progress;           /* --progress */
	bool on_terminal;        /* stderr is a terminal: rewrite the line with \r */
	bool line_shown;         /* a status line is on screen without its newline */
	uint64_t timer;
	char note[320];          /* shown on the next status line, then cleared */
};

/* The status line's text: done/total, failed, running, items/s, ETA. */
static void status_line(const struct pool_stats *stats, char *out, size_t size)
{
	char total[32], rate[32], eta[32];
	if (stats->total >= 0)
		snprintf(total, sizeof total, "%" PRId64, stats->total);
	else
		snprintf(total, sizeof total, "?");
	format_rate(rate, sizeof rate, stats->items_per_s);
	format_eta(eta, sizeof eta, stats->seconds_left);
	snprintf(out, size, "%" PRIu64 "/%s done, %" PRIu64 " failed, %d/%d running, %s, ETA %s%s",
		 stats->done, total, stats->failed, stats->running, stats->target, rate, eta,
		 stats->paused ? ", paused" : "");
}

static void show_status(struct batch *batch, bool final)
{
	struct pool_stats stats;
	char line[512];
	pool_get_stats(batch->pool, &stats);
	status_line(&stats, line, sizeof line);
	if (batch->note[0]) {
		size_t len = strlen(line);
		snprintf(line + len, sizeof line - len, " (%s)", batch->note);
		batch->note[0] = '\0';
	}
	if (batch->on_terminal) {
		fprintf(stderr, "\rpooltop: %s\033[K%s", line, final ? "\n" : "");
		batch->line_shown = !final;
	} else {
		fprintf(stderr, "pooltop: %s\n", line);
	}
	fflush(stderr);
}

static void refresh_timer(struct loop *loop, void *data)
{
	struct batch *batch = data;
	show_status(batch, false);
	batch->timer = loop_add_timer(loop, batch->refresh, refresh_timer, batch);
}

struct batch *batch_new(struct loop *loop, struct pool *pool, double refresh, bool progress)
{
	struct batch *batch = xcalloc(1, sizeof *batch);
	batch->loop = loop;
	batch->pool = pool;
	batch->refresh = refresh;
	batch->progress = progress;
	batch->on_terminal = isatty(2);
	if (progress)
		batch->timer = loop_add_timer(loop, refresh, refresh_timer, batch);
	return batch;
}

void batch_message(struct batch *batch, const char *text)
{
	/* Escapes take at most four bytes per byte (\xHH). */
	size_t len = strlen(text);
	char *safe = xmalloc(4 * len + 1);
	text_sanitize(safe, 4 * len + 1, text, len, 0);
	if (batch && batch->line_shown) {
		fputs("\r\033[K", stderr);
		batch->line_shown = false;
	}
	fprintf(stderr, "pooltop: %s\n", safe);
	free(safe);
}

/* Notes that come within one refresh are all shown, oldest first. */
void batch_note(struct batch *batch, const char *text)
{
	size_t len = strlen(batch->note);
	snprintf(batch->note + len, sizeof batch->note - len, "%s%s", len ? "; " : "", text);
}

void batch_finish(struct batch *batch)
{
	loop_del_timer(batch->loop, batch->timer);
	batch->timer = 0;
	if (batch->progress)
		show_status(batch, true);
}

void batch_free(struct batch *batch)
{
	if (!batch)
		return;
	loop_del_timer(batch->loop, batch->timer);
	free(batch);
}
