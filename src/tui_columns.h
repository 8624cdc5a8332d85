/* tui_columns.h - the columns of the TUI's tables as data: one entry per
 * column (title, width, alignment, formatter), a layout that drops the
 * least important columns to fit the width, and the cell text of the
 * model's rows (tui_model.h).  No curses here, so the formatting can be
 * tested on its own. */
#ifndef POOLTOP_TUI_COLUMNS_H
#define POOLTOP_TUI_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "pool.h"
#include "tui_model.h"

enum column_align { ALIGN_LEFT, ALIGN_RIGHT };

/* Largest cell text, in bytes, a formatter writes. */
#define CELL_SIZE 512
/* Most columns a table may have (the size of a widths array). */
#define TUI_COLUMNS_MAX 16

struct tui_column {
	const char *title;         /* header text */
	int width;                 /* columns; the minimum for a flexible column */
	enum column_align align;
	int keep;                  /* importance: the lowest is dropped first when narrow */
	int flex;                  /* share of the spare width (0: fixed width) */
	/* Writes the cell for row into out (sanitized, at most `width` columns). */
	void (*format)(const void *row, int width, char *out, size_t size);
};

struct tui_table {
	const struct tui_column *columns;
	size_t count;
};

extern const struct tui_table tui_worker_table;
/* The worker table's HOST column, hidden while every slot runs here. */
#define TUI_WORKER_HOST_COLUMN 2
extern const struct tui_table tui_result_table;

/* Chooses which columns show in `width` terminal columns (one space
 * between columns): widths[i] is column i's width, 0 when dropped
 * (widths holds TUI_COLUMNS_MAX).
 * Flexible columns share what is left.  Returns the width used. */
int tui_columns_fit(const struct tui_table *table, int width, int *widths);
/* The same, with the columns whose bit is set in `hidden` (bit i: column
 * i) left out whatever the width. */
int tui_columns_fit_shown(const struct tui_table *table, unsigned long hidden, int width,
			  int *widths);

/* Writes one aligned cell of exactly `width` display columns: the column's
 * text for row (row NULL: its title), cut with an ellipsis if too long. */
void tui_column_cell(const struct tui_column *column, const void *row, int width, char *out,
		     size_t size);

/* Sanitizes untrusted text into at most `width` columns (0: no limit);
 * when it does not fit, the last column shows an ellipsis. */
int tui_text_fit(char *out, size_t size, const char *in, size_t len, int width);

/* How an attempt ended: "exit 0", "signal TERM", an error, plus ", retry". */
void tui_result_status(const struct result_row *row, char *out, size_t size);

/* Does some slot run on another host?  (The HOST column shows then.) */
bool tui_slots_remote(const struct pool *pool);
/* The slots per host for the header, "hosts :=1 alpha=2" in the order of
 * the slots ("" while every slot runs here; cut to size).  Returns out. */
char *tui_host_counts(const struct pool *pool, char *out, size_t size);

/* The short name of a worker state: run, idle, retire, stop. */
const char *tui_state_name(enum slot_state state);
/* The short name of a signal (TERM, KILL...) or its number. */
void tui_signal_name(int signo, char *out, size_t size);

#endif
