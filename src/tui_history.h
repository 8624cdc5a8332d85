/* tui_history.h - the throughput history behind the TUI's sparkline: one
 * items/s figure per refresh, and the moments the pool size changed (with
 * autotune's reason when it made the change), so a person sees which
 * worker count paid off and why it was chosen.  Fixed size, no curses. */
#ifndef POOLTOP_TUI_HISTORY_H
#define POOLTOP_TUI_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

/* Refreshes remembered: more than any terminal is wide. */
#define HISTORY_SAMPLES 1024
/* Pool size changes remembered for the legend. */
#define HISTORY_CHANGES 8

/* The longest reason word kept ("throughput", "cpu", "pressure"...). */
#define HISTORY_REASON_SIZE 12

struct history_sample {
	double rate;               /* items/s over this refresh */
	int target;                /* the worker count asked for then */
	double cpu;                /* the pool's CPU% over this refresh, -1 when not known */
	char mark;                 /* a new pool size starts here: '|', or its reason's
				      first letter; 0 when the size is the same */
};

struct history_change {
	int from, to;              /* worker counts before and after */
	double elapsed;            /* seconds since the start of the run */
	char reason[HISTORY_REASON_SIZE];  /* why, when autotune said so; else "" */
};

struct tui_history {
	struct history_sample samples[HISTORY_SAMPLES];  /* a ring, oldest overwritten */
	size_t sample_count;       /* samples added in all */
	struct history_change changes[HISTORY_CHANGES];  /* a ring of the latest changes */
	size_t change_count;       /* changes seen in all */
	int noted_target;          /* the size the next noted change goes to, 0 when none */
	char noted_reason[HISTORY_REASON_SIZE];  /* and why */
};

void tui_history_init(struct tui_history *history);
/* Adds one refresh's throughput and the target worker count at the time. */
void tui_history_add(struct tui_history *history, double rate, int target, double elapsed);

/* The pool's CPU% over the newest sample's refresh (tui_history_add
 * leaves it unknown). */
void tui_history_set_cpu(struct tui_history *history, double cpu_percent);

/* One cell of the chart: its text (one character) and what it shows. */
enum chart_kind { CHART_EMPTY, CHART_RATE, CHART_CPU, CHART_SIZE };

struct chart_cell {
	char text[5];              /* UTF-8 or ASCII, NUL-terminated */
	enum chart_kind kind;
};

/* The tops of the chart's two scales. */
struct chart_scale {
	double rate_top;           /* items/s at the top row, 0 when nothing finished */
	double cpu_top;            /* CPU% at the top row: 100 per core shown, at least 100 */
};

/* Draws the newest samples that fit in `width` columns as a chart `rows`
 * high (cells: rows x width, the top row first): items/s as bars, the
 * pool's CPU% as a dot in each column, and a column of marks before each
 * sample taken at a new pool size.  Block characters when utf8, ASCII
 * otherwise.  Returns the columns used (the chart is right-aligned by
 * the caller, or left as it is). */
int tui_history_chart(const struct tui_history *history, int width, int rows, bool utf8,
		      struct chart_cell *cells, struct chart_scale *scale);
/* The pool size is being changed to target for reason (a lowercase word):
 * the change, when a sample sees it, carries the reason. */
void tui_history_note_reason(struct tui_history *history, int target, const char *reason);

/* Draws the newest samples that fit in `width` columns as a bar chart,
 * scaled to the highest of them, with a mark before each sample taken at
 * a new pool size: the first letter of its reason (c, t, p...) or | when
 * none was given; block characters when utf8, ASCII otherwise.  Returns
 * the columns used. */
int tui_history_sparkline(const struct tui_history *history, int width, bool utf8, char *out,
			  size_t size);

/* Is this byte of a sparkline a mark (not a bar)? */
bool tui_history_is_mark(char byte);

/* The latest pool size changes, newest last, each with its reason when
 * known: "2→3 at 0:12, 8→2 cpu at 0:30", no more than `width` columns.
 * Returns the columns used. */
int tui_history_legend(const struct tui_history *history, int width, bool utf8, char *out,
		       size_t size);

#endif
