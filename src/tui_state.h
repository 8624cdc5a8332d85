/* tui_state.h - what the files of the terminal interface share: the
 * state of the one TUI, the looks of the screen, and the few functions one
 * file offers the other.  Included only by tui*.c, the files that may use
 * curses; the rest of pooltop sees tui.h alone. */
#ifndef POOLTOP_TUI_STATE_H
#define POOLTOP_TUI_STATE_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "pool.h"
#include "sample.h"
#include "tui.h"
#include "tui_columns.h"
#include "tui_history.h"

/* Finished attempts the results pane remembers; older ones drop off. */
#define RESULTS_KEPT 1000

enum pane { PANE_WORKERS, PANE_RESULTS };

/* What the keyboard is doing: plain keys, typing a number, answering the
 * quit question, or reading an overlay. */
enum mode { MODE_NORMAL, MODE_PROMPT_JOBS, MODE_ASK_QUIT, MODE_HELP, MODE_DETAIL };

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
	dev_t tty_device;               /* the terminal's device number, for tui_owns_fd */
	SCREEN *screen;
	bool color, utf8;
	attr_t looks[LOOK_COUNT];
	uint64_t timer;                 /* the refresh timer's id */
	double drawn_at;                /* monotonic seconds of the last draw */

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
	uint64_t result_top;            /* position of the first result shown (0 = the newest) */
	struct layout layout;

	char prompt[16];                /* what is typed at the jobs prompt */
	char message[256];              /* the last reply or engine message, sanitized */
	bool message_is_error;

	int detail_number;              /* the slot shown in the detail view, 0: a result */
	uint64_t detail_seq;            /* the item it held when the command was read */
	char *detail_command;           /* its command line, sanitized; malloc'd */
	uint64_t detail_result;         /* the result shown, by number */
};

/* Offered by tui.c: the results ring and the worker rows. */
uint64_t tui_results_kept(const struct tui *tui);
/* Result by number (1-based, in arrival order), NULL when dropped off. */
const struct result_row *tui_result_get(const struct tui *tui, uint64_t number);
/* The results cursor as a position from the top of the pane (0 = newest). */
int tui_result_cursor(const struct tui *tui);
/* Slot index's row: the engine's view now, with the last sample of its tree. */
bool tui_worker_row_read(const struct tui *tui, int index, double now, struct worker_row *row);

/* Offered by tui_draw.c. */
/* Chooses colours, or attributes when colours are off. */
void tui_looks_set(struct tui *tui);
/* Draws the whole screen (the terminal gets only what changed). */
void tui_draw(struct tui *tui);

#endif
