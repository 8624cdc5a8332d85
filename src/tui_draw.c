/* tui_draw.c - the view: the screen of the terminal interface (the
 * header, the throughput sparkline or chart, the worker table, the
 * results, the message line and the footer; the boxes over it are in
 * tui_overlay.c), drawn from the model and the cursors in tui_state.h.
 * It uses curses' drawing calls only; keys and
 * the terminal itself belong to tui.c, which this file never calls.  Each
 * draw erases and redraws the screen; curses sends only what changed. */
#include "tui_state.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "xalloc.h"

/* From this many lines on, a chart of CHART_ROWS rows replaces the
 * one-row sparkline. */
#define CHART_MIN_LINES 40
#define CHART_ROWS 8

/* --- drawing helpers ------------------------------------------------------ */

void tui_look_set(const struct tui *tui, enum look look)
{
	attrset(tui->looks[look]);
}

/* Writes already-sanitized text at (y, x), no further than column `end`. */
int tui_text_put(int y, int x, const char *text, int end)
{
	if (x >= end)
		return x;
	char fitted[CELL_SIZE];
	int width = tui_text_fit(fitted, sizeof fitted, text, strlen(text), end - x);
	mvaddstr(y, x, fitted);
	return x + width;
}

/* Fills row y with spaces in the current look. */
static void line_clear(int y)
{
	mvhline(y, 0, ' ', COLS);
}

/* Sets the look of table row y: the cursor row of the focused pane is a
 * bar across the screen; in the other pane it is underlined, keeping the
 * row's own look (a failure stays red). */
static void row_look_set(const struct tui *tui, enum look look, bool cursor, bool focused, int y)
{
	if (cursor && focused) {
		tui_look_set(tui, LOOK_SELECTED);
		if (look == LOOK_FAILED && !tui->color)
			attron(A_BOLD);
		line_clear(y);
		return;
	}
	tui_look_set(tui, look);
	if (cursor)
		attron(A_UNDERLINE);
}

static int table_row_draw(const struct tui_table *table, const int *widths, int y,
			  const void *row)
{
	int x = 0;
	char cell[CELL_SIZE * 2];
	for (size_t i = 0; i < table->count; i++) {
		if (!widths[i])
			continue;
		tui_column_cell(&table->columns[i], row, widths[i], cell, sizeof cell);
		mvaddstr(y, x, cell);
		x += widths[i] + 1;
	}
	return x;
}

/* --- the header ----------------------------------------------------------- */

enum header_part { PART_NAME, PART_JOBS, PART_HOSTS, PART_NOTE, PART_BAR, PART_COUNT, PART_FAILED,
		   PART_RATE, PART_ETA, PART_CPU, PART_BUSY, PART_LOAD, PART_MEMORY, PART_ELAPSED,
		   PART_TITLE, PART_TOTAL };

/* How much each part of the header matters when the line is short.  The
 * pool comes first; the machine's figures (busy, load, memory) go before
 * the progress bar and the title do. */
static const int header_keep[PART_TOTAL] = {
	[PART_NAME] = 45, [PART_JOBS] = 100, [PART_HOSTS] = 85, [PART_NOTE] = 98, [PART_BAR] = 30,
	[PART_COUNT] = 95, [PART_FAILED] = 90, [PART_RATE] = 80, [PART_ETA] = 70,
	[PART_CPU] = 60, [PART_BUSY] = 28, [PART_LOAD] = 26, [PART_MEMORY] = 24,
	[PART_ELAPSED] = 50, [PART_TITLE] = 10,
};

#define BAR_MIN 8
#define BAR_MAX 30

/* The machine: CPU busy out of its capacity (100 = one core, as the
 * pool's CPU), the load average and the memory available.  A figure the
 * machine does not give leaves its part out. */
static void machine_parts(const struct machine_figures *machine, char parts[PART_TOTAL][64])
{
	char figure[32];
	parts[PART_BUSY][0] = parts[PART_LOAD][0] = parts[PART_MEMORY][0] = '\0';
	if (machine->busy_percent >= 0 && machine->cores > 0)
		snprintf(parts[PART_BUSY], 64, "busy %s/%d%%",
			 format_percent(figure, sizeof figure, machine->busy_percent), machine->cores * 100);
	if (machine->load1 >= 0)
		snprintf(parts[PART_LOAD], 64, "load %.2f", machine->load1);
	if (machine->mem_available > 0)
		snprintf(parts[PART_MEMORY], 64, "avail %s",
			 format_bytes(figure, sizeof figure, machine->mem_available));
}

static void header_parts(const struct tui *tui, const struct pool_stats *stats,
			 char parts[PART_TOTAL][64])
{
	char figure[32];
	const char *throttle = pool_throttle(tui->pool);
	snprintf(parts[PART_NAME], 64, "pooltop");
	snprintf(parts[PART_JOBS], 64, "%d/%d jobs", stats->running, stats->target);
	tui_host_counts(tui->pool, parts[PART_HOSTS], 64);
	parts[PART_NOTE][0] = '\0';
	if (tui->finished)
		snprintf(parts[PART_NOTE], 64, "done");
	else if (stats->suspended)
		snprintf(parts[PART_NOTE], 64, "suspended");
	else if (stats->stopping)
		snprintf(parts[PART_NOTE], 64, "stopping");
	else if (stats->paused)
		snprintf(parts[PART_NOTE], 64, "paused");
	else if (throttle)
		snprintf(parts[PART_NOTE], 64, "held: %s", throttle);
	parts[PART_BAR][0] = '\0';
	if (stats->total > 0)
		snprintf(parts[PART_BAR], 64, "[]");
	if (stats->total >= 0)
		snprintf(parts[PART_COUNT], 64, "%" PRIu64 "/%" PRId64, stats->done, stats->total);
	else
		snprintf(parts[PART_COUNT], 64, "%" PRIu64 "/?", stats->done);
	parts[PART_FAILED][0] = '\0';
	if (stats->failed)
		snprintf(parts[PART_FAILED], 64, "%" PRIu64 " failed", stats->failed);
	snprintf(parts[PART_RATE], 64, "%s", format_rate(figure, sizeof figure, stats->items_per_s));
	snprintf(parts[PART_ETA], 64, "ETA %s", format_eta(figure, sizeof figure, stats->seconds_left));
	format_percent(figure, sizeof figure, tui->model.total_cpu);
	snprintf(parts[PART_CPU], 64, "CPU %s%s", figure, tui->model.total_cpu >= 0 ? "%" : "");
	machine_parts(&tui->model.machine_figures, parts);
	/* Elapsed time as a clock, m:ss or h:mm:ss. */
	snprintf(parts[PART_ELAPSED], 64, "%s", format_eta(figure, sizeof figure, stats->elapsed));
	snprintf(parts[PART_TITLE], 64, "%s", tui->title);
}

/* Picks the parts that fit, most important first; returns the width left
 * over, which the progress bar takes. */
static int header_choose(char parts[PART_TOTAL][64], bool *shown, int width)
{
	int used = 0;
	for (int round = 0; round < PART_TOTAL; round++) {
		int best = -1;
		for (int part = 0; part < PART_TOTAL; part++)
			if (!shown[part] && parts[part][0] &&
			    (best < 0 || header_keep[part] > header_keep[best]))
				best = part;
		if (best < 0)
			break;
		int part_width = best == PART_BAR ? BAR_MIN : text_width(parts[best]);
		int gap = used > 0 ? 2 : 0;
		if (used + gap + part_width <= width) {
			shown[best] = true;
			used += gap + part_width;
		} else {
			parts[best][0] = '\0';  /* does not fit: never try it again */
		}
	}
	return width - used;
}

static int bar_draw(const struct tui *tui, int y, int x, int width, const struct pool_stats *stats)
{
	int inner = width - 2;
	int filled = stats->total > 0 ? (int)((double)stats->done * inner / (double)stats->total) : 0;
	filled = filled > inner ? inner : filled;
	mvaddch(y, x, '[');
	tui_look_set(tui, LOOK_BAR);
	for (int i = 0; i < inner; i++)
		addch(i < filled ? '#' : '.');
	tui_look_set(tui, LOOK_NORMAL);
	addch(']');
	return x + width;
}

static void header_draw(struct tui *tui, const struct pool_stats *stats)
{
	char parts[PART_TOTAL][64];
	bool shown[PART_TOTAL] = { false };
	header_parts(tui, stats, parts);
	int spare = header_choose(parts, shown, COLS);
	int bar_width = BAR_MIN + (spare < BAR_MAX - BAR_MIN ? spare : BAR_MAX - BAR_MIN);
	int x = 0;
	tui_look_set(tui, LOOK_NORMAL);
	for (int part = 0; part < PART_TOTAL; part++) {
		if (!shown[part])
			continue;
		if (x > 0)
			x += 2;
		if (part == PART_BAR) {
			x = bar_draw(tui, 0, x, bar_width, stats);
			continue;
		}
		enum look look = part == PART_NAME ? LOOK_NORMAL :
				 part == PART_NOTE ? LOOK_NOTE :
				 part == PART_FAILED ? LOOK_FAILED : LOOK_NORMAL;
		tui_look_set(tui, look);
		if (part == PART_NAME)
			attron(A_BOLD);
		x = tui_text_put(0, x, parts[part], COLS);
		tui_look_set(tui, LOOK_NORMAL);
	}
}

/* --- the throughput history ----------------------------------------------- */

static void spark_draw(const struct tui *tui, int y)
{
	static const char label[] = "  items/s";
	char legend[256] = "", spark[HISTORY_SAMPLES * 4];
	int legend_width = 0;
	const struct tui_history *history = &tui->model.history;
	if (history->change_count) {
		char changes[200];
		int width = tui_history_legend(history, COLS / 2, tui->utf8, changes, sizeof changes);
		if (width > 0) {
			snprintf(legend, sizeof legend, "   pool size %s", changes);
			legend_width = text_width(legend);
		}
		if (legend_width > COLS / 2 + 12) {
			legend[0] = '\0';
			legend_width = 0;
		}
	}
	int spark_width = COLS - (int)strlen(label) - legend_width;
	if (spark_width < 4)
		return;
	int used = tui_history_sparkline(history, spark_width, tui->utf8, spark, sizeof spark);
	move(y, 0);
	/* The bars in one look, each pool size mark (| or a reason's letter)
	 * in another. */
	for (const char *piece = spark; *piece;) {
		size_t run = 0;
		while (piece[run] && !tui_history_is_mark(piece[run]))
			run++;
		tui_look_set(tui, LOOK_BAR);
		addnstr(piece, (int)run);
		piece += run;
		if (*piece) {
			tui_look_set(tui, LOOK_MARK);
			addch((unsigned char)*piece);
			piece++;
		}
	}
	tui_look_set(tui, LOOK_NORMAL);
	int x = tui_text_put(y, used, label + (used ? 0 : 2), COLS);
	tui_look_set(tui, LOOK_MARK);
	tui_text_put(y, x, legend, COLS);
	tui_look_set(tui, LOOK_NORMAL);
}

/* The chart: a title row with the scales and the pool size changes, then
 * items/s as bars and the pool's CPU as dots, newest at the right. */
static void chart_draw(const struct tui *tui, int y, int rows)
{
	const struct tui_history *history = &tui->model.history;
	int plot_rows = rows - 1, width = COLS;
	struct chart_cell *cells = xcalloc((size_t)(plot_rows * width), sizeof *cells);
	struct chart_scale scale;
	int used = tui_history_chart(history, width, plot_rows, tui->utf8, cells, &scale);
	char rate[32], cpu[32], title[160];
	format_rate(rate, sizeof rate, scale.rate_top);
	format_percent(cpu, sizeof cpu, scale.cpu_top);
	const char *bar = tui->utf8 ? "\xe2\x96\x88" : "#", *dot = tui->utf8 ? "\xe2\x80\xa2" : "*";
	int x = 0;
	tui_look_set(tui, LOOK_BAR);
	x = tui_text_put(y, x, bar, COLS);
	tui_look_set(tui, LOOK_NORMAL);
	snprintf(title, sizeof title, " items/s (top %s)   ", rate);
	x = tui_text_put(y, x, title, COLS);
	tui_look_set(tui, LOOK_CPU);
	x = tui_text_put(y, x, dot, COLS);
	tui_look_set(tui, LOOK_NORMAL);
	snprintf(title, sizeof title, " pool CPU (top %s%%)", cpu);
	x = tui_text_put(y, x, title, COLS);
	if (history->change_count) {
		char changes[200], legend[240];
		if (tui_history_legend(history, COLS - x - 14, tui->utf8, changes, sizeof changes) > 0) {
			snprintf(legend, sizeof legend, "   pool size %s", changes);
			tui_look_set(tui, LOOK_MARK);
			tui_text_put(y, x, legend, COLS);
			tui_look_set(tui, LOOK_NORMAL);
		}
	}
	/* Newest at the right edge, as the sparkline reads. */
	int left = width - used;
	static const enum look looks[] = {
		[CHART_EMPTY] = LOOK_NORMAL, [CHART_RATE] = LOOK_BAR,
		[CHART_CPU] = LOOK_CPU, [CHART_SIZE] = LOOK_MARK,
	};
	for (int row = 0; row < plot_rows; row++) {
		for (int column = 0; column < used; column++) {
			const struct chart_cell *cell = &cells[row * width + column];
			if (cell->kind == CHART_EMPTY)
				continue;
			tui_look_set(tui, looks[cell->kind]);
			mvaddstr(y + 1 + row, left + column, cell->text);
		}
	}
	tui_look_set(tui, LOOK_NORMAL);
	free(cells);
}

/* --- the worker table ----------------------------------------------------- */

/* Finds the cursor's slot again after slots came and went. */
static void worker_cursor_settle(struct tui *tui, int slots)
{
	struct slot_view view;
	if (tui->worker_number &&
	    !(pool_slot_view(tui->pool, tui->worker_index, &view) && view.number == tui->worker_number)) {
		for (int index = 0; index < slots; index++) {
			if (pool_slot_view(tui->pool, index, &view) && view.number == tui->worker_number) {
				tui->worker_index = index;
				break;
			}
		}
	}
	if (tui->worker_index >= slots)
		tui->worker_index = slots - 1;
	if (tui->worker_index < 0)
		tui->worker_index = 0;
	tui->worker_number = pool_slot_view(tui->pool, tui->worker_index, &view) ? view.number : 0;
}

void tui_scroll_settle(int *top, int cursor, int visible, int count)
{
	if (visible < 1)
		visible = 1;
	if (cursor < *top)
		*top = cursor;
	if (cursor >= *top + visible)
		*top = cursor - visible + 1;
	if (*top > count - visible)
		*top = count - visible;
	if (*top < 0)
		*top = 0;
}

static void workers_draw(struct tui *tui, const struct layout *layout)
{
	int widths[TUI_COLUMNS_MAX];
	unsigned long hidden = tui->columns_hidden;
	if (!tui_slots_remote(tui->pool))
		hidden |= 1UL << TUI_WORKER_HOST_COLUMN;
	tui_columns_fit_shown(&tui_worker_table, hidden, COLS, widths);
	tui_look_set(tui, LOOK_TITLE);
	line_clear(layout->table_y);
	table_row_draw(&tui_worker_table, widths, layout->table_y, NULL);

	int slots = pool_slot_count(tui->pool);
	int visible = layout->table_rows - 1;
	worker_cursor_settle(tui, slots);
	tui_scroll_settle(&tui->worker_top, tui->worker_index, visible, slots);
	double now = loop_now();
	for (int line = 0; line < visible; line++) {
		int index = tui->worker_top + line;
		struct worker_row row;
		if (index >= slots || !tui_model_worker_row(&tui->model, index, now, &row))
			break;
		int y = layout->table_y + 1 + line;
		row_look_set(tui, LOOK_NORMAL, index == tui->worker_index, tui->focus == PANE_WORKERS, y);
		table_row_draw(&tui_worker_table, widths, y, &row);
	}
	tui_look_set(tui, LOOK_NORMAL);
}

/* --- the results pane ----------------------------------------------------- */

static void results_separator_draw(struct tui *tui, int y)
{
	tui_look_set(tui, tui->focus == PANE_RESULTS ? LOOK_TITLE : LOOK_NORMAL);
	mvhline(y, 0, ACS_HLINE, COLS);
	char title[64];
	snprintf(title, sizeof title, " results (%" PRIu64 ") ", tui->model.result_count);
	tui_text_put(y, 2, title, COLS);
	tui_look_set(tui, LOOK_NORMAL);
}

static void results_draw(struct tui *tui, const struct layout *layout)
{
	const struct tui_model *model = &tui->model;
	results_separator_draw(tui, layout->results_y);
	int visible = layout->results_rows - 1;
	int count = (int)tui_model_results_kept(model);
	int cursor = tui_model_result_position(model, tui->result_selected);
	int top = (int)tui->result_top;
	tui_scroll_settle(&top, cursor, visible, count);
	tui->result_top = (uint64_t)top;
	int widths[TUI_COLUMNS_MAX];
	tui_columns_fit(&tui_result_table, COLS, widths);
	for (int line = 0; line < visible && top + line < count; line++) {
		int position = top + line;
		const struct result_row *row = tui_model_result(model, model->result_count - (uint64_t)position);
		if (!row)
			break;
		enum look look = row->will_retry ? LOOK_RETRY : row->failed ? LOOK_FAILED : LOOK_NORMAL;
		int y = layout->results_y + 1 + line;
		row_look_set(tui, look, position == cursor, tui->focus == PANE_RESULTS, y);
		table_row_draw(&tui_result_table, widths, y, row);
	}
	tui_look_set(tui, LOOK_NORMAL);
}

/* --- message line and footer ---------------------------------------------- */

static void status_draw(struct tui *tui, int y, const struct pool_stats *stats)
{
	char text[320];
	enum look look = LOOK_NORMAL;
	switch (tui->mode) {
	case MODE_PROMPT_JOBS:
		snprintf(text, sizeof text, "Jobs (N, +N or -N), Enter to set, Esc to cancel: %s_",
			 tui->prompt);
		look = LOOK_NOTE;
		break;
	case MODE_ASK_QUIT:
		snprintf(text, sizeof text, "Quit with %d job%s running?  w wait for them  k kill them  "
			 "c cancel", stats->running, stats->running == 1 ? "" : "s");
		look = LOOK_NOTE;
		break;
	case MODE_ASK_SIGNAL:
		snprintf(text, sizeof text, "Send a signal to pid %d (%s): %s_   Enter sends it, "
			 "or type another (KILL, INT, 9...), Esc cancels", (int)tui->signal_pid,
			 tui->signal_command, tui->prompt);
		look = LOOK_NOTE;
		break;
	default:
		if (tui->finished && !tui->message[0]) {
			snprintf(text, sizeof text, "done \xe2\x80\x94 press q to quit");
			if (!tui->utf8)
				snprintf(text, sizeof text, "done - press q to quit");
			look = LOOK_NOTE;
		} else {
			snprintf(text, sizeof text, "%s", tui->message);
			look = tui->message_is_error ? LOOK_ERROR : LOOK_NORMAL;
		}
		break;
	}
	tui_look_set(tui, look);
	tui_text_put(y, 0, text, COLS);
	tui_look_set(tui, LOOK_NORMAL);
}

static void footer_draw(struct tui *tui, int y)
{
	static const char *const keys[][2] = {
		{ "F1", "Help" }, { "+/-", "jobs" }, { "j", "set" }, { "p", "pause" },
		{ "k", "kill" }, { "Enter", "detail" }, { "Tab", "pane" }, { "q", "quit" },
	};
	const char *const quit_only[][2] = { { "q", "quit" } };
	const char *const (*shown)[2] = tui->finished ? quit_only : keys;
	size_t count = tui->finished ? 1 : sizeof keys / sizeof keys[0];
	/* The last cell of the screen is left alone: writing it may scroll. */
	int end = COLS - 1, x = 0;
	for (size_t i = 0; i < count; i++) {
		int need = (int)strlen(shown[i][0]) + 1 + (int)strlen(shown[i][1]);
		if (x + need > end)
			break;
		tui_look_set(tui, LOOK_KEY);
		x = tui_text_put(y, x, shown[i][0], end);
		tui_look_set(tui, LOOK_NORMAL);
		x = tui_text_put(y, x, " ", end);
		x = tui_text_put(y, x, shown[i][1], end);
		x = tui_text_put(y, x, "  ", end);
	}
}

/* --- the whole screen ----------------------------------------------------- */

static void layout_decide(const struct tui *tui, struct layout *layout)
{
	int lines = LINES;
	layout->footer_y = lines - 1;
	layout->status_y = lines >= 6 ? lines - 2 : -1;
	int top = 1;
	layout->chart_rows = lines >= CHART_MIN_LINES ? CHART_ROWS : 0;
	layout->spark_y = lines >= 14 ? top : -1;
	top += layout->chart_rows ? layout->chart_rows : layout->spark_y >= 0;
	int bottom = layout->status_y >= 0 ? layout->status_y : layout->footer_y;
	int body = bottom - top;
	layout->table_y = top;
	layout->results_rows = 0;
	layout->table_rows = body;
	if (body >= 7) {
		int results_min = body / 3 > 2 ? body / 3 : 2;
		int wanted = 1 + pool_slot_count(tui->pool);
		int most = body - 1 - results_min;
		layout->table_rows = wanted < most ? (wanted < 2 ? 2 : wanted) : most;
		layout->results_y = top + layout->table_rows;
		layout->results_rows = body - layout->table_rows;
	}
}

void tui_draw(struct tui *tui)
{
	if (!tui->open || tui->suspended || tui->tty_lost)
		return;
	tui->drawn_at = loop_now();
	erase();
	if (LINES < 3 || COLS < 16) {
		mvaddnstr(0, 0, "pooltop: terminal too small", COLS);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	struct pool_stats stats;
	pool_get_stats(tui->pool, &stats);
	struct layout *layout = &tui->layout;
	layout_decide(tui, layout);
	header_draw(tui, &stats);
	if (layout->chart_rows)
		chart_draw(tui, layout->spark_y, layout->chart_rows);
	else if (layout->spark_y >= 0)
		spark_draw(tui, layout->spark_y);
	if (layout->table_rows >= 1)
		workers_draw(tui, layout);
	if (layout->results_rows >= 2)
		results_draw(tui, layout);
	if (tui->mode == MODE_HELP)
		tui_help_draw(tui);
	else if (tui->mode == MODE_DETAIL || tui->mode == MODE_ASK_SIGNAL)
		tui_detail_draw(tui);
	else if (tui->mode == MODE_SETUP)
		tui_setup_draw(tui);
	if (layout->status_y >= 0)
		status_draw(tui, layout->status_y, &stats);
	footer_draw(tui, layout->footer_y);
	wnoutrefresh(stdscr);
	doupdate();
}
