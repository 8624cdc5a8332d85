/* tui_draw.c - the view: everything the terminal interface draws (the
 * header, the throughput sparkline, the worker table, the results, the
 * message line, the footer and the overlays) from the model and the
 * cursors in tui_state.h.  It uses curses' drawing calls only; keys and
 * the terminal itself belong to tui.c, which this file never calls.  Each
 * draw erases and redraws the screen; curses sends only what changed. */
#include "tui_state.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "xalloc.h"

/* Bytes of a job's stderr the detail view shows at most. */
#define STDERR_TAIL_SIZE 4096

/* --- drawing helpers ------------------------------------------------------ */

static void look_set(const struct tui *tui, enum look look)
{
	attrset(tui->looks[look]);
}

/* Writes already-sanitized text at (y, x), no further than column `end`. */
static int text_put(int y, int x, const char *text, int end)
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
		look_set(tui, LOOK_SELECTED);
		if (look == LOOK_FAILED && !tui->color)
			attron(A_BOLD);
		line_clear(y);
		return;
	}
	look_set(tui, look);
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

enum header_part { PART_NAME, PART_JOBS, PART_NOTE, PART_BAR, PART_COUNT, PART_FAILED,
		   PART_RATE, PART_ETA, PART_CPU, PART_BUSY, PART_LOAD, PART_MEMORY, PART_ELAPSED,
		   PART_TITLE, PART_TOTAL };

/* How much each part of the header matters when the line is short.  The
 * pool comes first; the machine's figures (busy, load, memory) go before
 * the progress bar and the title do. */
static const int header_keep[PART_TOTAL] = {
	[PART_NAME] = 45, [PART_JOBS] = 100, [PART_NOTE] = 98, [PART_BAR] = 30,
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
	look_set(tui, LOOK_BAR);
	for (int i = 0; i < inner; i++)
		addch(i < filled ? '#' : '.');
	look_set(tui, LOOK_NORMAL);
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
	look_set(tui, LOOK_NORMAL);
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
		look_set(tui, look);
		if (part == PART_NAME)
			attron(A_BOLD);
		x = text_put(0, x, parts[part], COLS);
		look_set(tui, LOOK_NORMAL);
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
		look_set(tui, LOOK_BAR);
		addnstr(piece, (int)run);
		piece += run;
		if (*piece) {
			look_set(tui, LOOK_MARK);
			addch((unsigned char)*piece);
			piece++;
		}
	}
	look_set(tui, LOOK_NORMAL);
	int x = text_put(y, used, label + (used ? 0 : 2), COLS);
	look_set(tui, LOOK_MARK);
	text_put(y, x, legend, COLS);
	look_set(tui, LOOK_NORMAL);
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

static void scroll_settle(int *top, int cursor, int visible, int count)
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
	tui_columns_fit(&tui_worker_table, COLS, widths);
	look_set(tui, LOOK_TITLE);
	line_clear(layout->table_y);
	table_row_draw(&tui_worker_table, widths, layout->table_y, NULL);

	int slots = pool_slot_count(tui->pool);
	int visible = layout->table_rows - 1;
	worker_cursor_settle(tui, slots);
	scroll_settle(&tui->worker_top, tui->worker_index, visible, slots);
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
	look_set(tui, LOOK_NORMAL);
}

/* --- the results pane ----------------------------------------------------- */

static void results_separator_draw(struct tui *tui, int y)
{
	look_set(tui, tui->focus == PANE_RESULTS ? LOOK_TITLE : LOOK_NORMAL);
	mvhline(y, 0, ACS_HLINE, COLS);
	char title[64];
	snprintf(title, sizeof title, " results (%" PRIu64 ") ", tui->model.result_count);
	text_put(y, 2, title, COLS);
	look_set(tui, LOOK_NORMAL);
}

static void results_draw(struct tui *tui, const struct layout *layout)
{
	const struct tui_model *model = &tui->model;
	results_separator_draw(tui, layout->results_y);
	int visible = layout->results_rows - 1;
	int count = (int)tui_model_results_kept(model);
	int cursor = tui_model_result_position(model, tui->result_selected);
	int top = (int)tui->result_top;
	scroll_settle(&top, cursor, visible, count);
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
	look_set(tui, LOOK_NORMAL);
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
	look_set(tui, look);
	text_put(y, 0, text, COLS);
	look_set(tui, LOOK_NORMAL);
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
		look_set(tui, LOOK_KEY);
		x = text_put(y, x, shown[i][0], end);
		look_set(tui, LOOK_NORMAL);
		x = text_put(y, x, " ", end);
		x = text_put(y, x, shown[i][1], end);
		x = text_put(y, x, "  ", end);
	}
}

/* --- overlays ------------------------------------------------------------- */

/* Bytes of sanitized text s that fit in `width` columns, broken after a
 * space when there is one (at least one character, so wrapping always
 * moves on). */
static size_t wrap_length(const char *s, int width)
{
	size_t len = strlen(s), position = 0, after_space = 0;
	int used = 0;
	while (position < len) {
		int columns;
		size_t length = text_char_measure(s + position, len - position, &columns);
		if (used + columns > width && position > 0)
			return after_space ? after_space : position;
		used += columns;
		position += length;
		if (s[position - 1] == ' ')
			after_space = position;
	}
	return position;
}

struct box {
	int top, left, height, width;  /* the frame */
	int y;                         /* the next line to write inside it */
};

static void box_open(struct tui *tui, struct box *box, const char *title)
{
	box->top = 1;
	box->left = COLS > 84 ? (COLS - 80) / 2 : 1;
	box->width = COLS > 84 ? 80 : COLS - 2;
	box->height = LINES - 3 > 3 ? LINES - 3 : LINES;
	box->y = box->top + 1;
	look_set(tui, LOOK_NORMAL);
	for (int y = box->top; y < box->top + box->height; y++)
		mvhline(y, box->left, ' ', box->width);
	mvhline(box->top, box->left, ACS_HLINE, box->width);
	mvhline(box->top + box->height - 1, box->left, ACS_HLINE, box->width);
	mvvline(box->top, box->left, ACS_VLINE, box->height);
	mvvline(box->top, box->left + box->width - 1, ACS_VLINE, box->height);
	mvaddch(box->top, box->left, ACS_ULCORNER);
	mvaddch(box->top, box->left + box->width - 1, ACS_URCORNER);
	mvaddch(box->top + box->height - 1, box->left, ACS_LLCORNER);
	mvaddch(box->top + box->height - 1, box->left + box->width - 1, ACS_LRCORNER);
	look_set(tui, LOOK_TITLE);
	text_put(box->top, box->left + 2, title, box->left + box->width - 2);
	look_set(tui, LOOK_NORMAL);
}

static bool box_full(const struct box *box)
{
	return box->y >= box->top + box->height - 1;
}

/* Writes sanitized text inside the box from `indent` columns in, wrapped
 * at the box's width, each further line under the first. */
static void box_text_at(struct box *box, int indent, const char *text)
{
	int width = box->width - 4 - indent;
	if (width < 1)
		return;
	do {
		if (box_full(box))
			return;
		size_t length = wrap_length(text, width);
		char line[CELL_SIZE];
		snprintf(line, sizeof line, "%.*s", (int)length, text);
		mvaddstr(box->y++, box->left + 2 + indent, line);
		text += length;
	} while (*text);
}

static void box_text(struct box *box, const char *text)
{
	box_text_at(box, 0, text);
}

/* Writes a name and its text on a line of the box: the text from `column`
 * on, or two spaces after a longer name. */
static void box_pair(struct box *box, const char *name, const char *text, int column)
{
	if (box_full(box))
		return;
	int name_width = text_width(name);
	int text_x = name_width + 2 > column ? name_width + 2 : column;
	text_put(box->y, box->left + 2, name, box->left + box->width - 2);
	if (box->width - 4 - text_x < 1) {
		box->y++;  /* too narrow for the text: the name alone */
		return;
	}
	box_text_at(box, text_x, text);
}

static void box_field(struct tui *tui, struct box *box, const char *name, const char *value)
{
	if (box_full(box))
		return;
	look_set(tui, LOOK_NOTE);
	mvaddstr(box->y++, box->left + 2, name);
	look_set(tui, LOOK_NORMAL);
	box_text(box, value[0] ? value : "-");
}

/* The name a person knows a key by: "Enter", "PgUp", "F1", "Ctrl-L", or
 * the character itself. */
static void key_label(int key, char *out, size_t size)
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
		{ '\r', "Enter" },     { '\n', "Enter" },        { KEY_ENTER, "Enter" },
		{ '\t', "Tab" },       { 27, "Esc" },            { ' ', "Space" },
		{ KEY_UP, "Up" },      { KEY_DOWN, "Down" },     { KEY_LEFT, "Left" },
		{ KEY_RIGHT, "Right" }, { KEY_PPAGE, "PgUp" },   { KEY_NPAGE, "PgDn" },
		{ KEY_HOME, "Home" },  { KEY_END, "End" },       { KEY_BACKSPACE, "Backspace" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (names[i].key == key) {
			snprintf(out, size, "%s", names[i].name);
			return;
		}
	}
	if (key >= KEY_F(1) && key <= KEY_F(63))
		snprintf(out, size, "F%d", key - KEY_F0);
	else if (key > 0 && key < ' ')
		snprintf(out, size, "Ctrl-%c", key + '@');
	else if (key > ' ' && key < 127)
		snprintf(out, size, "%c", key);
	else
		snprintf(out, size, "key %d", key);
}

/* The keys of one binding as the help shows them, "h ? F1": each name
 * once (Enter is three key codes), one space between them. */
static void binding_keys_name(const struct key_binding *binding, char *out, size_t size)
{
	char names[BINDING_KEYS_MAX][16];
	size_t count = 0, used = 0;
	out[0] = '\0';
	for (size_t k = 0; k < BINDING_KEYS_MAX && binding->keys[k]; k++) {
		key_label(binding->keys[k], names[count], sizeof names[count]);
		bool repeated = false;
		for (size_t before = 0; before < count; before++)
			repeated |= !strcmp(names[before], names[count]);
		if (repeated)
			continue;
		int n = snprintf(out + used, size - used, "%s%s", count ? " " : "", names[count]);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
		count++;
	}
}

/* Where the help texts start, unless the key names take more room. */
#define HELP_TEXT_COLUMN 12

/* One line per key binding, from the key table, then a few notes. */
static void help_draw(struct tui *tui)
{
	static const char *const notes[] = {
		"",
		"CPU% and RSS are of each job's whole process tree (the job",
		"and its descendants), read every refresh; 100% is one core.",
		"TIME is the time on the current item; - means not known yet.",
		"",
		"Any key closes this help.",
	};
	struct box box;
	box_open(tui, &box, " pooltop keys ");
	for (size_t i = 0; i < tui_key_binding_count; i++) {
		char keys[96];
		binding_keys_name(&tui_key_bindings[i], keys, sizeof keys);
		box_pair(&box, keys, tui_key_bindings[i].help, HELP_TEXT_COLUMN);
	}
	for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++)
		box_text(&box, notes[i][0] ? notes[i] : " ");
}

static void detail_result_draw(struct tui *tui, struct box *box)
{
	const struct result_row *row = tui_model_result(&tui->model, tui->detail_result);
	if (!row) {
		box_text(box, "This result is no longer kept.");
		return;
	}
	char status[64], runtime[32], heading[160];
	tui_result_status(row, status, sizeof status);
	snprintf(heading, sizeof heading, "item #%" PRIu64 "  slot %d  pid %d  %s  %s  attempt %d",
		 row->seq, row->slot, (int)row->pid, status,
		 format_duration(runtime, sizeof runtime, row->runtime), row->attempt);
	box_text(box, heading);
	box_field(tui, box, "Item", row->item);
	box_field(tui, box, "First line of output", row->output);
	if (row->error[0])
		box_field(tui, box, "Error", row->error);
}

/* The last lines of the slot's stderr that fit in the box. */
static void detail_stderr_draw(struct tui *tui, struct box *box, int index)
{
	char tail[STDERR_TAIL_SIZE];
	size_t length = pool_slot_stderr_tail(tui->pool, index, tail, sizeof tail);
	if (box_full(box))
		return;
	look_set(tui, LOOK_NOTE);
	mvaddstr(box->y++, box->left + 2, "Last lines of stderr");
	look_set(tui, LOOK_NORMAL);
	while (length > 0 && tail[length - 1] == '\n')
		tail[--length] = '\0';
	if (length == 0) {
		box_text(box, "-");
		return;
	}
	int room = box->top + box->height - 1 - box->y;
	/* Walk back over `room` lines, then show them in order. */
	size_t start = length;
	for (int lines = 0; lines < room && start > 0; lines++) {
		char *newline = memrchr(tail, '\n', start - 1);
		start = newline ? (size_t)(newline - tail) + 1 : 0;
		if (!newline)
			break;
	}
	while (start < length && !box_full(box)) {
		char *newline = memchr(tail + start, '\n', length - start);
		size_t line_length = newline ? (size_t)(newline - (tail + start)) : length - start;
		char line[CELL_SIZE];
		tui_text_fit(line, sizeof line, tail + start, line_length, box->width - 4);
		mvaddstr(box->y++, box->left + 2, line);
		start += line_length + 1;
	}
}

static void detail_slot_draw(struct tui *tui, struct box *box)
{
	int index = -1;
	struct slot_view view;
	for (int i = 0; i < pool_slot_count(tui->pool); i++) {
		if (pool_slot_view(tui->pool, i, &view) && view.number == tui->detail_number) {
			index = i;
			break;
		}
	}
	if (index < 0) {
		box_text(box, "This slot has left the pool.");
		return;
	}
	if (view.seq != tui->detail_seq || !tui->detail_command) {
		/* The slot moved on to another item: read its command line again. */
		free(tui->detail_command);
		tui->detail_command = NULL;
		tui->detail_seq = view.seq;
		char *command = pool_slot_command(tui->pool, index);
		if (command) {
			/* Sanitized text is at most four bytes per byte (\xNN). */
			size_t size = strlen(command) * 4 + 1;
			tui->detail_command = xmalloc(size);
			text_sanitize(tui->detail_command, size, command, strlen(command), 0);
			free(command);
		}
	}
	char heading[160], item[RESULT_ITEM_SIZE * 4];
	snprintf(heading, sizeof heading, "slot %d  pid %d  %s  item #%" PRIu64, view.number,
		 (int)view.pid, tui_state_name(view.state), view.seq);
	box_text(box, heading);
	text_sanitize(item, sizeof item, view.item ? view.item : "", view.item ? view.item_len : 0, 0);
	box_field(tui, box, "Item", item);
	box_field(tui, box, "Command line", tui->detail_command ? tui->detail_command : "");
	detail_stderr_draw(tui, box, index);
}

static void detail_draw(struct tui *tui)
{
	struct box box;
	box_open(tui, &box, tui->detail_number ? " job detail " : " result detail ");
	if (tui->detail_number)
		detail_slot_draw(tui, &box);
	else
		detail_result_draw(tui, &box);
}

/* --- the whole screen ----------------------------------------------------- */

static void layout_decide(const struct tui *tui, struct layout *layout)
{
	int lines = LINES;
	layout->footer_y = lines - 1;
	layout->status_y = lines >= 6 ? lines - 2 : -1;
	int top = 1;
	layout->spark_y = lines >= 14 ? top++ : -1;
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
	if (layout->spark_y >= 0)
		spark_draw(tui, layout->spark_y);
	if (layout->table_rows >= 1)
		workers_draw(tui, layout);
	if (layout->results_rows >= 2)
		results_draw(tui, layout);
	if (tui->mode == MODE_HELP)
		help_draw(tui);
	else if (tui->mode == MODE_DETAIL)
		detail_draw(tui);
	if (layout->status_y >= 0)
		status_draw(tui, layout->status_y, &stats);
	footer_draw(tui, layout->footer_y);
	wnoutrefresh(stdscr);
	doupdate();
}
