/* tui.c - the live terminal interface, and the only file that talks to
 * curses: start-up on /dev/tty, drawing, keys and shutdown.  It observes
 * the pool through its view functions and drives it only through the
 * command verbs (control_run), as the control socket does. */
#include "tui.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "sample.h"
#include "text.h"
#include "tui_columns.h"
#include "tui_history.h"

/* Finished attempts the results pane remembers; older ones drop off. */
#define RESULTS_KEPT 1000
/* Bytes of a job's stderr the detail view shows at most. */
#define STDERR_TAIL_SIZE 4096
/* The first draw comes soon after start-up, so started jobs show at once. */
#define FIRST_REFRESH_SECONDS 0.05

enum pane { PANE_WORKERS, PANE_RESULTS };

/* What the keyboard is doing: plain keys, typing a number, answering the
 * quit question, or reading an overlay. */
enum mode { MODE_NORMAL, MODE_PROMPT_JOBS, MODE_ASK_QUIT, MODE_HELP, MODE_DETAIL };

/* What a key handler asks of the loop, as flags (htop's "reactions"). */
enum reaction {
	REACT_NONE = 0,
	REACT_REDRAW = 1,        /* draw the screen again */
	REACT_REPAINT = 2,       /* ...from scratch, forgetting what is on the terminal */
};

/* The looks of the screen; each maps to colours or, without, attributes. */
enum look {
	LOOK_NORMAL,
	LOOK_TITLE,              /* column headings */
	LOOK_SELECTED,           /* the cursor row of the focused pane */
	LOOK_FAILED,
	LOOK_RETRY,
	LOOK_KEY,                /* a key name in the footer */
	LOOK_MARK,               /* pool size marks in the sparkline */
	LOOK_BAR,                /* progress bar and sparkline */
	LOOK_ERROR,              /* an error reply in the message line */
	LOOK_NOTE,               /* paused, suspended, done... */
	LOOK_COUNT
};

/* The last sample of one slot's process tree, kept by slot index. */
struct slot_sample {
	pid_t pid;               /* the tree root it belongs to, 0 when none */
	double cpu_percent;      /* -1 when not known */
	uint64_t rss_bytes;
	bool known;              /* the tree was alive when read */
};

/* The screen's division into areas, decided on each draw. */
struct layout {
	int spark_y;             /* the sparkline row, -1 when dropped */
	int table_y, table_rows; /* worker table: heading row plus rows */
	int results_y, results_rows;  /* results pane: separator plus rows; 0 rows when dropped */
	int status_y;            /* the message line, -1 when dropped */
	int footer_y;
};

struct tui {
	bool open;                      /* the terminal is ours */
	bool suspended;                 /* given back for Ctrl-Z */
	bool finished;                  /* every item is done, --hold keeps us up */
	bool tty_lost;                  /* the terminal hung up: draw no more */
	struct loop *loop;
	struct pool *pool;
	struct control *control;
	struct tui_config config;
	char title[64];                 /* config.title, sanitized */
	int tty_fd;                     /* /dev/tty, read for keys and written by curses */
	FILE *tty_file;                 /* the same fd as curses wants it */
	SCREEN *screen;
	bool color, utf8;
	attr_t looks[LOOK_COUNT];
	uint64_t timer;                 /* the refresh timer's id */

	struct sampler *sampler;
	struct tree_usage *trees;       /* sampler input/output, one per live slot */
	int *tree_slot;                 /* slot index of each tree */
	struct slot_sample *samples;    /* by slot index, as of the last sample */
	size_t sample_count, capacity;  /* samples filled; room in all three arrays */
	double total_cpu;               /* sum over all trees, -1 when none known */
	double last_sample_time;        /* monotonic seconds, 0 before the first */
	uint64_t last_done;             /* completions at the last sample */
	struct tui_history history;

	struct result_row *results;     /* ring of RESULTS_KEPT */
	uint64_t result_count;          /* results added in all */

	enum pane focus;
	enum mode mode;
	int worker_index;               /* cursor: slot index... */
	int worker_number;              /* ...and that slot's number, to follow it */
	int worker_top;                 /* first slot index shown */
	uint64_t result_selected;       /* cursor: result number (1-based), 0 = follow the newest */
	uint64_t result_top;            /* result number shown first (newest at the top) */
	struct layout layout;

	char prompt[16];                /* what is typed at the jobs prompt */
	char message[256];              /* the last reply or engine message, sanitized */
	bool message_is_error;

	int detail_number;              /* the slot shown in the detail view, 0: a result */
	uint64_t detail_seq;            /* the item it held when the command was read */
	char *detail_command;           /* its command line, sanitized; malloc'd */
	uint64_t detail_result;         /* the result shown, by number */
};

/* One terminal, one interface: a static instance keeps tui_close safe to
 * call again (from atexit) after the first call. */
static struct tui the_tui;

static void tui_draw(struct tui *tui);

/* --- start-up and looks ------------------------------------------------------ */

static bool locale_is_utf8(void)
{
	return !strcmp(nl_langinfo(CODESET), "UTF-8");
}

enum color_pair { PAIR_TITLE = 1, PAIR_SELECTED, PAIR_FAILED, PAIR_RETRY, PAIR_KEY, PAIR_MARK,
		  PAIR_BAR };

static void looks_set(struct tui *tui)
{
	attr_t *looks = tui->looks;
	for (int i = 0; i < LOOK_COUNT; i++)
		looks[i] = A_NORMAL;
	if (!tui->color) {
		looks[LOOK_TITLE] = A_BOLD | A_UNDERLINE;
		looks[LOOK_SELECTED] = A_REVERSE;
		looks[LOOK_FAILED] = A_BOLD;
		looks[LOOK_KEY] = A_REVERSE;
		looks[LOOK_MARK] = A_BOLD;
		looks[LOOK_ERROR] = A_BOLD;
		looks[LOOK_NOTE] = A_BOLD;
		return;
	}
	start_color();
	use_default_colors();
	init_pair(PAIR_TITLE, COLOR_BLACK, COLOR_GREEN);
	init_pair(PAIR_SELECTED, COLOR_BLACK, COLOR_CYAN);
	init_pair(PAIR_FAILED, COLOR_RED, -1);
	init_pair(PAIR_RETRY, COLOR_YELLOW, -1);
	init_pair(PAIR_KEY, COLOR_BLACK, COLOR_CYAN);
	init_pair(PAIR_MARK, COLOR_YELLOW, -1);
	init_pair(PAIR_BAR, COLOR_GREEN, -1);
	looks[LOOK_TITLE] = COLOR_PAIR(PAIR_TITLE);
	looks[LOOK_SELECTED] = COLOR_PAIR(PAIR_SELECTED);
	looks[LOOK_FAILED] = COLOR_PAIR(PAIR_FAILED);
	looks[LOOK_RETRY] = COLOR_PAIR(PAIR_RETRY);
	looks[LOOK_KEY] = COLOR_PAIR(PAIR_KEY);
	looks[LOOK_MARK] = COLOR_PAIR(PAIR_MARK) | A_BOLD;
	looks[LOOK_BAR] = COLOR_PAIR(PAIR_BAR);
	looks[LOOK_ERROR] = COLOR_PAIR(PAIR_FAILED) | A_BOLD;
	looks[LOOK_NOTE] = COLOR_PAIR(PAIR_RETRY) | A_BOLD;
}

/* Opens /dev/tty and starts curses on it; false when there is no usable
 * terminal. */
static bool terminal_start(struct tui *tui)
{
	const char *term = getenv("TERM");
	if (!term || !*term || !strcmp(term, "dumb"))
		return false;
	tui->tty_fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (tui->tty_fd < 0)
		return false;
	tui->tty_file = fdopen(tui->tty_fd, "r+");
	if (!tui->tty_file) {
		close(tui->tty_fd);
		return false;
	}
	tui->screen = newterm(term, tui->tty_file, tui->tty_file);
	if (!tui->screen) {
		fclose(tui->tty_file);
		return false;
	}
	set_term(tui->screen);
	/* cbreak, not raw: Ctrl-C and Ctrl-Z still raise SIGINT and SIGTSTP,
	 * which the loop handles like any other signal. */
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	leaveok(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	tui->color = tui->config.color && has_colors();
	looks_set(tui);
	return true;
}

static int grow_arrays(struct tui *tui, size_t needed)
{
	if (needed <= tui->capacity)
		return 0;
	size_t wanted = tui->capacity ? tui->capacity : 64;
	while (wanted < needed)
		wanted *= 2;
	struct tree_usage *trees = realloc(tui->trees, wanted * sizeof *trees);
	if (trees)
		tui->trees = trees;
	int *tree_slot = realloc(tui->tree_slot, wanted * sizeof *tree_slot);
	if (tree_slot)
		tui->tree_slot = tree_slot;
	struct slot_sample *samples = realloc(tui->samples, wanted * sizeof *samples);
	if (samples)
		tui->samples = samples;
	if (!trees || !tree_slot || !samples)
		return -1;
	tui->capacity = wanted;
	return 0;
}

/* --- sampling ----------------------------------------------------------------- */

/* Reads the CPU and memory of every slot's process tree (only ours, never
 * all of /proc) and the throughput since the last sample. */
static void tui_sample(struct tui *tui)
{
	double now = loop_now();
	int slots = pool_slot_count(tui->pool);
	tui->sample_count = 0;
	if (slots > 0 && grow_arrays(tui, (size_t)slots) < 0)
		slots = (int)tui->capacity;
	size_t trees = 0;
	for (int index = 0; index < slots; index++) {
		struct slot_view view;
		if (!pool_slot_view(tui->pool, index, &view))
			break;
		tui->samples[index] = (struct slot_sample){ .pid = view.pid, .cpu_percent = -1 };
		tui->sample_count = (size_t)index + 1;
		if (view.pid <= 0)
			continue;
		tui->trees[trees] = (struct tree_usage){ .root = view.pid };
		tui->tree_slot[trees++] = index;
	}
	sampler_update(tui->sampler, tui->trees, trees, now);
	tui->total_cpu = -1;
	for (size_t i = 0; i < trees; i++) {
		const struct tree_usage *tree = &tui->trees[i];
		struct slot_sample *sample = &tui->samples[tui->tree_slot[i]];
		sample->known = tree->processes > 0;
		sample->cpu_percent = sample->known ? tree->cpu_percent : -1;
		sample->rss_bytes = sample->known ? tree->rss_bytes : 0;
		if (sample->cpu_percent >= 0)
			tui->total_cpu = (tui->total_cpu < 0 ? 0 : tui->total_cpu) + sample->cpu_percent;
	}

	struct pool_stats stats;
	pool_get_stats(tui->pool, &stats);
	if (tui->last_sample_time > 0 && now > tui->last_sample_time) {
		double rate = (double)(stats.done - tui->last_done) / (now - tui->last_sample_time);
		tui_history_add(&tui->history, rate, stats.target, stats.elapsed);
	}
	tui->last_sample_time = now;
	tui->last_done = stats.done;
}

/* The slot's sample, if it is of the process the slot runs now. */
static const struct slot_sample *sample_for(const struct tui *tui, int index, pid_t pid)
{
	if (pid <= 0)
		return NULL;
	if ((size_t)index < tui->sample_count && tui->samples[index].pid == pid)
		return &tui->samples[index];
	/* Slots before this one left since the sample: look for the pid. */
	for (size_t i = 0; i < tui->sample_count; i++)
		if (tui->samples[i].pid == pid)
			return &tui->samples[i];
	return NULL;
}

static bool worker_row_read(const struct tui *tui, int index, double now, struct worker_row *row)
{
	if (!pool_slot_view(tui->pool, index, &row->view))
		return false;
	row->now = now;
	const struct slot_sample *sample = sample_for(tui, index, row->view.pid);
	row->sampled = sample && sample->known;
	row->cpu_percent = row->sampled ? sample->cpu_percent : -1;
	row->rss_bytes = row->sampled ? sample->rss_bytes : 0;
	return true;
}

/* --- drawing helpers ------------------------------------------------------------ */

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

/* --- the header ------------------------------------------------------------------ */

enum header_part { PART_NAME, PART_JOBS, PART_NOTE, PART_BAR, PART_COUNT, PART_FAILED,
		   PART_RATE, PART_ETA, PART_CPU, PART_ELAPSED, PART_TITLE, PART_TOTAL };

/* How much each part of the header matters when the line is short. */
static const int header_keep[PART_TOTAL] = {
	[PART_NAME] = 45, [PART_JOBS] = 100, [PART_NOTE] = 98, [PART_BAR] = 30,
	[PART_COUNT] = 95, [PART_FAILED] = 90, [PART_RATE] = 80, [PART_ETA] = 70,
	[PART_CPU] = 60, [PART_ELAPSED] = 50, [PART_TITLE] = 10,
};

#define BAR_MIN 8
#define BAR_MAX 30

static void header_parts(const struct tui *tui, const struct pool_stats *stats,
			 char parts[PART_TOTAL][64])
{
	char figure[32];
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
	double left = stats->total >= 0 && stats->items_per_s > 0
		? (double)((uint64_t)stats->total - stats->done) / stats->items_per_s : -1;
	if (stats->total >= 0 && stats->done >= (uint64_t)stats->total)
		left = 0;
	snprintf(parts[PART_ETA], 64, "ETA %s", format_eta(figure, sizeof figure, left));
	format_percent(figure, sizeof figure, tui->total_cpu);
	snprintf(parts[PART_CPU], 64, "CPU %s%s", figure, tui->total_cpu >= 0 ? "%" : "");
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

/* --- the throughput history --------------------------------------------------------- */

static void spark_draw(const struct tui *tui, int y)
{
	static const char label[] = "  items/s";
	char legend[256] = "", spark[HISTORY_SAMPLES * 4];
	int legend_width = 0;
	if (tui->history.change_count) {
		char changes[200];
		int width = tui_history_legend(&tui->history, COLS / 2, tui->utf8, changes, sizeof changes);
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
	int used = tui_history_sparkline(&tui->history, spark_width, tui->utf8, spark, sizeof spark);
	move(y, 0);
	/* The bars in one look, each pool size mark in another. */
	for (const char *piece = spark; *piece;) {
		size_t run = strcspn(piece, "|");
		look_set(tui, LOOK_BAR);
		addnstr(piece, (int)run);
		piece += run;
		if (*piece == '|') {
			look_set(tui, LOOK_MARK);
			addch('|');
			piece++;
		}
	}
	look_set(tui, LOOK_NORMAL);
	int x = text_put(y, used, label + (used ? 0 : 2), COLS);
	look_set(tui, LOOK_MARK);
	text_put(y, x, legend, COLS);
	look_set(tui, LOOK_NORMAL);
}

/* --- the worker table --------------------------------------------------------------- */

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
	int widths[16];
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
		if (index >= slots || !worker_row_read(tui, index, now, &row))
			break;
		int y = layout->table_y + 1 + line;
		row_look_set(tui, LOOK_NORMAL, index == tui->worker_index, tui->focus == PANE_WORKERS, y);
		table_row_draw(&tui_worker_table, widths, y, &row);
	}
	look_set(tui, LOOK_NORMAL);
}

/* --- the results pane ------------------------------------------------------------------ */

static uint64_t results_kept(const struct tui *tui)
{
	return tui->result_count < RESULTS_KEPT ? tui->result_count : RESULTS_KEPT;
}

/* Result by number (1-based, in arrival order), NULL when dropped off. */
static const struct result_row *result_get(const struct tui *tui, uint64_t number)
{
	if (number == 0 || number > tui->result_count ||
	    number + results_kept(tui) <= tui->result_count)
		return NULL;
	return &tui->results[(number - 1) % RESULTS_KEPT];
}

/* The cursor as a position from the top of the pane (0 = newest). */
static int result_cursor_position(const struct tui *tui)
{
	if (!tui->result_selected || tui->result_selected > tui->result_count)
		return 0;
	uint64_t position = tui->result_count - tui->result_selected;
	uint64_t last = results_kept(tui) ? results_kept(tui) - 1 : 0;
	return (int)(position > last ? last : position);
}

static void results_separator_draw(struct tui *tui, int y)
{
	look_set(tui, tui->focus == PANE_RESULTS ? LOOK_TITLE : LOOK_NORMAL);
	mvhline(y, 0, ACS_HLINE, COLS);
	char title[64];
	snprintf(title, sizeof title, " results (%" PRIu64 ") ", tui->result_count);
	text_put(y, 2, title, COLS);
	look_set(tui, LOOK_NORMAL);
}

static void results_draw(struct tui *tui, const struct layout *layout)
{
	results_separator_draw(tui, layout->results_y);
	int visible = layout->results_rows - 1;
	int count = (int)results_kept(tui);
	int cursor = result_cursor_position(tui);
	int top = (int)tui->result_top;
	scroll_settle(&top, cursor, visible, count);
	tui->result_top = (uint64_t)top;
	int widths[16];
	tui_columns_fit(&tui_result_table, COLS, widths);
	for (int line = 0; line < visible && top + line < count; line++) {
		int position = top + line;
		const struct result_row *row = result_get(tui, tui->result_count - (uint64_t)position);
		if (!row)
			break;
		enum look look = row->will_retry ? LOOK_RETRY : row->failed ? LOOK_FAILED : LOOK_NORMAL;
		int y = layout->results_y + 1 + line;
		row_look_set(tui, look, position == cursor, tui->focus == PANE_RESULTS, y);
		table_row_draw(&tui_result_table, widths, y, row);
	}
	look_set(tui, LOOK_NORMAL);
}

/* --- message line and footer ------------------------------------------------------------- */

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

/* --- overlays ------------------------------------------------------------------------------- */

/* Bytes of sanitized text s that fit in `width` columns, broken after a
 * space when there is one (at least one character, so wrapping always
 * moves on). */
static size_t wrap_length(const char *s, int width)
{
	mbstate_t state;
	memset(&state, 0, sizeof state);
	size_t position = 0, after_space = 0;
	int used = 0;
	while (s[position]) {
		wchar_t wide;
		size_t length = mbrtowc(&wide, s + position, MB_CUR_MAX, &state);
		if (length == (size_t)-1 || length == (size_t)-2 || length == 0)
			length = 1;
		int columns = wcwidth(wide);
		columns = columns < 0 ? 1 : columns;
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

/* Writes sanitized text inside the box, wrapped at its width. */
static void box_text(struct box *box, const char *text)
{
	int width = box->width - 4;
	if (width < 1)
		return;
	do {
		if (box_full(box))
			return;
		size_t length = wrap_length(text, width);
		char line[CELL_SIZE];
		snprintf(line, sizeof line, "%.*s", (int)length, text);
		mvaddstr(box->y++, box->left + 2, line);
		text += length;
	} while (*text);
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

static void help_draw(struct tui *tui)
{
	static const char *const lines[] = {
		"+ / -       one worker more / fewer",
		"j           set the number of workers",
		"p           pause / resume starting items",
		"S           suspend / continue running jobs",
		"k           kill the selected job (retried or failed)",
		"r           requeue failed items",
		"a           autotune on / off",
		"Enter       item, command line and stderr of the selection",
		"Tab         switch between workers and results",
		"Up Down PgUp PgDn Home End   move the cursor",
		"q           quit (asks while jobs run)   Q quit and kill",
		"",
		"CPU% and RSS are of each job's whole process tree (the job",
		"and its descendants), read every refresh; 100% is one core.",
		"TIME is the time on the current item; - means not known yet.",
		"",
		"Any key closes this help.",
	};
	struct box box;
	box_open(tui, &box, " pooltop keys ");
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		box_text(&box, lines[i][0] ? lines[i] : " ");
}

static void detail_result_draw(struct tui *tui, struct box *box)
{
	const struct result_row *row = result_get(tui, tui->detail_result);
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
			size_t size = strlen(command) * 4 + 1;
			tui->detail_command = malloc(size);
			if (tui->detail_command)
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

/* --- the whole screen ------------------------------------------------------------------------- */

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

static void tui_draw(struct tui *tui)
{
	if (!tui->open || tui->suspended || tui->tty_lost)
		return;
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

/* --- keys ------------------------------------------------------------------------------------- */

static void message_set(struct tui *tui, const char *text, bool is_error)
{
	text_sanitize(tui->message, sizeof tui->message, text, strlen(text), 0);
	tui->message_is_error = is_error;
}

/* Every key that changes the pool comes through here: the same verbs as
 * the control socket, and their reply in the message line. */
static enum reaction verb_run(struct tui *tui, const char *line)
{
	char reply[256];
	int status = control_run(tui->control, line, reply, sizeof reply);
	message_set(tui, reply, status != 0);
	return REACT_REDRAW;
}

static enum reaction key_more(struct tui *tui) { return verb_run(tui, "jobs +1"); }
static enum reaction key_fewer(struct tui *tui) { return verb_run(tui, "jobs -1"); }
static enum reaction key_requeue(struct tui *tui) { return verb_run(tui, "requeue"); }
static enum reaction key_quit_kill(struct tui *tui) { return verb_run(tui, "quit kill"); }

static enum reaction key_pause(struct tui *tui)
{
	struct pool_stats stats;
	pool_get_stats(tui->pool, &stats);
	return verb_run(tui, stats.paused ? "resume" : "pause");
}

static enum reaction key_suspend(struct tui *tui)
{
	struct pool_stats stats;
	pool_get_stats(tui->pool, &stats);
	return verb_run(tui, stats.suspended ? "continue" : "suspend");
}

static enum reaction key_autotune(struct tui *tui)
{
	const struct control_hooks *hooks = &tui->control->hooks;
	bool enabled = hooks->autotune_enabled && hooks->autotune_enabled(hooks->data);
	return verb_run(tui, enabled ? "autotune off" : "autotune on");
}

static enum reaction key_jobs_prompt(struct tui *tui)
{
	tui->mode = MODE_PROMPT_JOBS;
	tui->prompt[0] = '\0';
	return REACT_REDRAW;
}

static enum reaction key_quit(struct tui *tui)
{
	struct pool_stats stats;
	pool_get_stats(tui->pool, &stats);
	if (stats.running == 0 || tui->finished)
		return verb_run(tui, "quit");
	tui->mode = MODE_ASK_QUIT;
	return REACT_REDRAW;
}

static enum reaction key_kill(struct tui *tui)
{
	struct slot_view view;
	if (tui->focus != PANE_WORKERS) {
		message_set(tui, "k kills the job of the selected worker: Tab to the workers first", true);
		return REACT_REDRAW;
	}
	if (!pool_slot_view(tui->pool, tui->worker_index, &view) || !view.seq) {
		message_set(tui, "this worker has no job to kill", true);
		return REACT_REDRAW;
	}
	char line[48];
	snprintf(line, sizeof line, "kill %" PRIu64, view.seq);
	return verb_run(tui, line);
}

static enum reaction key_detail(struct tui *tui)
{
	free(tui->detail_command);
	tui->detail_command = NULL;
	tui->detail_number = 0;
	tui->detail_result = 0;
	if (tui->focus == PANE_WORKERS) {
		struct slot_view view;
		if (!pool_slot_view(tui->pool, tui->worker_index, &view))
			return REACT_NONE;
		tui->detail_number = view.number;
	} else {
		if (!tui->result_count)
			return REACT_NONE;
		tui->detail_result = tui->result_count - (uint64_t)result_cursor_position(tui);
	}
	tui->mode = MODE_DETAIL;
	return REACT_REDRAW;
}

static enum reaction key_help(struct tui *tui)
{
	tui->mode = MODE_HELP;
	return REACT_REDRAW;
}

static enum reaction key_pane(struct tui *tui)
{
	tui->focus = tui->focus == PANE_WORKERS && tui->layout.results_rows >= 2 ? PANE_RESULTS
										 : PANE_WORKERS;
	return REACT_REDRAW;
}

static enum reaction key_repaint(struct tui *tui)
{
	(void)tui;
	return REACT_REPAINT;
}

/* Moves the focused pane's cursor by delta rows (clamped). */
static enum reaction cursor_move(struct tui *tui, int delta)
{
	if (tui->focus == PANE_WORKERS) {
		int slots = pool_slot_count(tui->pool);
		long index = (long)tui->worker_index + delta;
		index = index >= slots ? slots - 1 : index;
		tui->worker_index = index < 0 ? 0 : (int)index;
		struct slot_view view;
		tui->worker_number = pool_slot_view(tui->pool, tui->worker_index, &view) ? view.number : 0;
		return REACT_REDRAW;
	}
	long position = (long)result_cursor_position(tui) + delta;
	long last = (long)results_kept(tui) - 1;
	position = position > last ? last : position;
	position = position < 0 ? 0 : position;
	/* At the top the cursor follows new results; elsewhere it stays put. */
	tui->result_selected = position == 0 ? 0 : tui->result_count - (uint64_t)position;
	return REACT_REDRAW;
}

static int page_rows(const struct tui *tui)
{
	int rows = tui->focus == PANE_WORKERS ? tui->layout.table_rows - 1 : tui->layout.results_rows - 1;
	return rows > 1 ? rows : 1;
}

static enum reaction key_up(struct tui *tui) { return cursor_move(tui, -1); }
static enum reaction key_down(struct tui *tui) { return cursor_move(tui, 1); }
static enum reaction key_page_up(struct tui *tui) { return cursor_move(tui, -page_rows(tui)); }
static enum reaction key_page_down(struct tui *tui) { return cursor_move(tui, page_rows(tui)); }
static enum reaction key_home(struct tui *tui) { return cursor_move(tui, -1000000); }
static enum reaction key_end(struct tui *tui) { return cursor_move(tui, 1000000); }

struct key_binding {
	int key;
	enum reaction (*run)(struct tui *tui);
};

static const struct key_binding key_bindings[] = {
	{ '+', key_more },        { '=', key_more },        { '-', key_fewer },
	{ 'j', key_jobs_prompt }, { 'p', key_pause },       { 'S', key_suspend },
	{ 'k', key_kill },        { 'r', key_requeue },     { 'a', key_autotune },
	{ '\r', key_detail },     { '\n', key_detail },     { KEY_ENTER, key_detail },
	{ '\t', key_pane },       { KEY_F(1), key_help },   { 'h', key_help },
	{ '?', key_help },        { 'q', key_quit },        { 'Q', key_quit_kill },
	{ KEY_UP, key_up },       { KEY_DOWN, key_down },   { KEY_PPAGE, key_page_up },
	{ KEY_NPAGE, key_page_down }, { KEY_HOME, key_home }, { KEY_END, key_end },
	{ 12 /* Ctrl-L */, key_repaint },
};

#define KEY_ESCAPE 27

static enum reaction prompt_key(struct tui *tui, int key)
{
	size_t length = strlen(tui->prompt);
	if (key == KEY_ESCAPE || key == 7 /* Ctrl-G */) {
		tui->mode = MODE_NORMAL;
	} else if (key == '\r' || key == '\n' || key == KEY_ENTER) {
		tui->mode = MODE_NORMAL;
		if (length) {
			char line[32];
			snprintf(line, sizeof line, "jobs %s", tui->prompt);
			return verb_run(tui, line);
		}
	} else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
		if (length)
			tui->prompt[length - 1] = '\0';
	} else if (((key >= '0' && key <= '9') || ((key == '+' || key == '-') && !length)) &&
		   length + 1 < 8) {
		tui->prompt[length] = (char)key;
		tui->prompt[length + 1] = '\0';
	}
	return REACT_REDRAW;
}

static enum reaction ask_quit_key(struct tui *tui, int key)
{
	tui->mode = MODE_NORMAL;
	if (key == 'w' || key == 'y' || key == 'q' || key == '\r' || key == '\n')
		return verb_run(tui, "quit");
	if (key == 'k' || key == 'Q')
		return verb_run(tui, "quit kill");
	return REACT_REDRAW;
}

static enum reaction key_handle(struct tui *tui, int key)
{
	if (key == KEY_RESIZE) {
		tui_resized(tui);
		return REACT_NONE;
	}
	switch (tui->mode) {
	case MODE_PROMPT_JOBS:
		return prompt_key(tui, key);
	case MODE_ASK_QUIT:
		return ask_quit_key(tui, key);
	case MODE_HELP:
	case MODE_DETAIL:
		tui->mode = MODE_NORMAL;
		free(tui->detail_command);
		tui->detail_command = NULL;
		return REACT_REDRAW;
	case MODE_NORMAL:
		break;
	}
	for (size_t i = 0; i < sizeof key_bindings / sizeof key_bindings[0]; i++)
		if (key_bindings[i].key == key)
			return key_bindings[i].run(tui);
	return REACT_NONE;
}

/* The terminal is readable: take every key waiting, then draw once. */
static void tty_readable(struct loop *loop, int fd, short revents, void *data)
{
	struct tui *tui = data;
	if (revents & (POLLHUP | POLLERR | POLLNVAL)) {
		/* The terminal is gone: stop watching it, or poll would spin. */
		loop_del_fd(loop, fd);
		tui->tty_lost = true;
		return;
	}
	unsigned reactions = REACT_NONE;
	int key;
	while (tui->open && !tui->suspended && (key = getch()) != ERR)
		reactions |= key_handle(tui, key);
	if (!tui->open)
		return;
	if (reactions & REACT_REPAINT)
		clearok(curscr, TRUE);
	if (reactions)
		tui_draw(tui);
}

/* --- the refresh timer ------------------------------------------------------------------------- */

static void refresh_due(struct loop *loop, void *data)
{
	struct tui *tui = data;
	tui->timer = 0;
	if (!tui->open)
		return;
	tui_sample(tui);
	tui_draw(tui);
	tui->timer = loop_add_timer(loop, tui->config.refresh, refresh_due, tui);
}

/* --- the interface of tui.h ---------------------------------------------------------------------- */

struct tui *tui_open(struct loop *loop, struct pool *pool, struct control *control,
		     const struct tui_config *config)
{
	struct tui *tui = &the_tui;
	if (tui->open)
		return NULL;
	*tui = (struct tui){
		.loop = loop, .pool = pool, .control = control, .config = *config,
		.tty_fd = -1, .total_cpu = -1,
	};
	if (!(tui->config.refresh > 0))
		tui->config.refresh = 1;
	const char *title = config->title ? config->title : "";
	text_sanitize(tui->title, sizeof tui->title, title, strlen(title), 0);
	tui->utf8 = locale_is_utf8();
	tui_history_init(&tui->history);
	tui->sampler = sampler_new();
	tui->results = calloc(RESULTS_KEPT, sizeof *tui->results);
	if (!tui->sampler || !tui->results || !terminal_start(tui)) {
		sampler_free(tui->sampler);
		free(tui->results);
		return NULL;
	}
	tui->open = true;
	if (loop_add_fd(loop, tui->tty_fd, POLLIN, tty_readable, tui) < 0) {
		tui_close(tui);
		return NULL;
	}
	tui->timer = loop_add_timer(loop, FIRST_REFRESH_SECONDS, refresh_due, tui);
	tui_draw(tui);
	return tui;
}

/* /dev/tty stands for the controlling terminal but has a device number of
 * its own, so the test is whether fd is a terminal that controls our
 * session: that is the one /dev/tty leads to. */
bool tui_owns_fd(const struct tui *tui, int fd)
{
	if (!tui || !tui->open || !isatty(fd))
		return false;
	pid_t session = tcgetsid(fd);
	return session > 0 && session == getsid(0);
}

void tui_result(struct tui *tui, const struct pool_result *result)
{
	if (!tui || !tui->open)
		return;
	char first[RESULT_OUTPUT_SIZE];
	size_t length = result->out ? spool_peek(result->out, first, sizeof first) : 0;
	struct result_row *row = &tui->results[tui->result_count % RESULTS_KEPT];
	tui_result_row_fill(row, result, first, length);
	tui->result_count++;
	/* Drawn at the next refresh: results may come thousands a second. */
}

void tui_message(struct tui *tui, const char *text)
{
	if (!tui || !tui->open)
		return;
	message_set(tui, text, false);
	tui_draw(tui);
}

bool tui_finished(struct tui *tui)
{
	if (!tui || !tui->open || !tui->config.hold)
		return false;
	tui->finished = true;
	tui->mode = MODE_NORMAL;
	tui->message[0] = '\0';
	tui_sample(tui);
	tui_draw(tui);
	return true;
}

void tui_resized(struct tui *tui)
{
	if (!tui || !tui->open || tui->suspended)
		return;
	struct winsize size;
	if (ioctl(tui->tty_fd, TIOCGWINSZ, &size) == 0 && size.ws_row > 0 && size.ws_col > 0)
		resize_term(size.ws_row, size.ws_col);
	clearok(curscr, TRUE);
	tui_draw(tui);
}

void tui_suspend(struct tui *tui)
{
	if (!tui || !tui->open || tui->suspended)
		return;
	def_prog_mode();
	endwin();
	tui->suspended = true;
}

void tui_resume(struct tui *tui)
{
	if (!tui || !tui->open || !tui->suspended)
		return;
	tui->suspended = false;
	reset_prog_mode();
	/* The size may have changed while we were stopped. */
	tui_resized(tui);
}

void tui_close(struct tui *tui)
{
	if (!tui || !tui->open)
		return;
	tui->open = false;
	loop_del_timer(tui->loop, tui->timer);
	tui->timer = 0;
	if (!tui->tty_lost)
		loop_del_fd(tui->loop, tui->tty_fd);
	if (!tui->suspended)
		endwin();
	delscreen(tui->screen);
	tui->screen = NULL;
	fclose(tui->tty_file);
	tui->tty_file = NULL;
	tui->tty_fd = -1;
	sampler_free(tui->sampler);
	tui->sampler = NULL;
	free(tui->trees);
	free(tui->tree_slot);
	free(tui->samples);
	free(tui->results);
	free(tui->detail_command);
	tui->trees = NULL;
	tui->tree_slot = NULL;
	tui->samples = NULL;
	tui->results = NULL;
	tui->detail_command = NULL;
	tui->capacity = tui->sample_count = 0;
}
