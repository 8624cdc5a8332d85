/* tui_history.h - the throughput history behind the TUI's sparkline: one
 * items/s figure per refresh, and the moments the pool size changed, so a
 * person sees which worker count paid off.  Fixed size, no curses. */
#ifndef POOLTOP_TUI_HISTORY_H
#define POOLTOP_TUI_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

/* Refreshes remembered: more than any terminal is wide. */
#define HISTORY_SAMPLES 1024
/* Pool size changes remembered for the legend. */
#define HISTORY_CHANGES 8

struct history_sample {
	double rate;               /* items/s over this refresh */
	int target;                /* the worker count asked for then */
};

struct history_change {
	int from, to;              /* worker counts before and after */
	double elapsed;            /* seconds since the start of the run */
};

struct tui_history {
	struct history_sample samples[HISTORY_SAMPLES];  /* a ring, oldest overwritten */
	size_t sample_count;       /* samples added in all */
	struct history_change changes[HISTORY_CHANGES];  /* a ring of the latest changes */
	size_t change_count;       /* changes seen in all */
};

void tui_history_init(struct tui_history *history);
/* Adds one refresh's throughput and the target worker count at the time. */
void tui_history_add(struct tui_history *history, double rate, int target, double elapsed);

/* Draws the newest samples that fit in `width` columns as a bar chart,
 * scaled to the highest of them, with a mark (|) before each sample taken
 * at a new pool size; block characters when utf8, ASCII otherwise.
 * Returns the columns used. */
int tui_history_sparkline(const struct tui_history *history, int width, bool utf8, char *out,
			  size_t size);

/* The latest pool size changes, newest last: "2→3 at 0:12, 3→4 at 0:30",
 * no more than `width` columns.  Returns the columns used. */
int tui_history_legend(const struct tui_history *history, int width, bool utf8, char *out,
		       size_t size);

#endif
