/* tui_state.h - what the files of the terminal interface share: the
 * state of the one TUI (its model, the cursors and the mode), the looks of
 * the screen and the key table.  Included only by tui.c and tui_draw.c,
 * the files that may use curses; the rest of pooltop sees tui.h alone. */
#ifndef POOLTOP_TUI_STATE_H
#define POOLTOP_TUI_STATE_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "pool.h"
#include "tui.h"
#include "tui_columns.h"
#include "tui_model.h"

enum pane { PANE_WORKERS, PANE_RESULTS };

/* What the keyboard is doing: plain keys, typing a number, answering the
 * quit question, reading an overlay, choosing a process of the detail
 * view's tree, asking which signal to send it, or choosing columns. */
enum mode { MODE_NORMAL, MODE_PROMPT_JOBS, MODE_ASK_QUIT, MODE_HELP, MODE_DETAIL, MODE_ASK_SIGNAL,
	    MODE_SETUP };

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
	LOOK_CPU,                /* the pool's CPU in the chart */
	LOOK_COUNT
};

/* The screen's division into areas, decided on each draw. */
struct layout {
	int spark_y;             /* the sparkline row, or the chart's first, -1 when dropped */
	int chart_rows;          /* rows of the chart (title included), 0: the one-row sparkline */
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

	struct tui_model model;         /* results and samples: the drawing only reads them */

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
	pid_t detail_pid;               /* the process of the tree under the cursor, 0: none */
	int detail_row;                 /* ...and its row in the tree */
	pid_t detail_root;              /* the tree's leader read last */
	pid_t signal_pid;               /* the process the signal question is about */
	pid_t signal_root;              /* ...in the tree of this leader */
	char signal_command[64];        /* its command, sanitized, for the question */
	bool signal_prefilled;          /* the prompt still holds the proposed TERM */

	unsigned long columns_hidden;   /* bit i: column i of the worker table is hidden */
	int setup_row;                  /* the setup screen's cursor: a column, or the refresh */
	bool setup_changed;             /* something changed there since it opened */
	double file_refresh;            /* the settings file's refresh, 0 when it has none */
	char *settings_path;            /* the settings file (malloc'd), NULL with --no-config */
};

/* What a key handler asks of the loop, as flags (htop's "reactions"). */
enum reaction {
	REACT_NONE = 0,
	REACT_REDRAW = 1,        /* draw the screen again */
	REACT_REPAINT = 2,       /* ...from scratch, forgetting what is on the terminal */
};

/* Most keys one binding answers to. */
#define BINDING_KEYS_MAX 6

/* One entry of the key table: the keys, what they do and the help text
 * that says so.  The help overlay is drawn from this table, so it lists
 * every key of normal mode and no other (the jobs prompt and the quit
 * question say their keys on the message line). */
struct key_binding {
	int keys[BINDING_KEYS_MAX];     /* curses key codes; a 0 ends the list early */
	enum reaction (*run)(struct tui *tui, int key);  /* key: the one pressed */
	const char *help;
};

/* The keys of normal mode, in the order the help lists them (tui.c). */
extern const struct key_binding tui_key_bindings[];
extern const size_t tui_key_binding_count;

/* Draws the whole screen (the terminal gets only what changed); the one
 * entry point of tui_draw.c, which calls nothing in tui.c. */
void tui_draw(struct tui *tui);

/* tui.c: a line for the message line (an error shows as one). */
void tui_message_set(struct tui *tui, const char *text, bool is_error);

/* tui_settings.c: read the settings file (a broken one is told and
 * ignored), save the setup list's choice, step the refresh interval up
 * (direction 1) or down (-1). */
void tui_settings_apply(struct tui *tui);
void tui_settings_store(struct tui *tui);
void tui_refresh_step(struct tui *tui, int direction);

/* Drawing helpers tui_draw.c shares with the overlays (tui_overlay.c). */
void tui_look_set(const struct tui *tui, enum look look);
int tui_text_put(int y, int x, const char *text, int end);
void tui_scroll_settle(int *top, int cursor, int visible, int count);
void tui_help_draw(struct tui *tui);
void tui_detail_draw(struct tui *tui);
void tui_setup_draw(struct tui *tui);

#endif
