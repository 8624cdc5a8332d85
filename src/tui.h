/* tui.h - the live terminal interface: the only module that includes
 * curses.h.  It draws on /dev/tty (so stdin can carry items and stdout can
 * go to a file), observes the pool, and turns keys into control verbs. */
#ifndef POOLTOP_TUI_H
#define POOLTOP_TUI_H

#include <stdbool.h>

#include "control.h"
#include "cpu_account.h"
#include "loop.h"
#include "pool.h"

struct tui_config {
	double refresh;          /* seconds between redraws */
	bool color;              /* false with --no-color, NO_COLOR or a colourless terminal */
	bool hold;               /* keep the final screen until q */
	const char *title;       /* what runs, for the header (sanitized there) */
	bool refresh_given;      /* refresh came from the command line: the settings file's
				    refresh does not replace it */
	const char *settings_path;  /* the settings file to read and write, NULL: none
				       (--no-config) */
};

struct tui;

/* Take over the terminal.  NULL when there is no usable terminal (no
 * /dev/tty, TERM unset or dumb, curses failed): run in batch mode then. */
struct tui *tui_open(struct loop *loop, struct pool *pool, struct control *control,
		     const struct tui_config *config);
/* Does fd write to the terminal the TUI draws on (so its output must be held)? */
bool tui_owns_fd(const struct tui *tui, int fd);
void tui_result(struct tui *tui, const struct pool_result *result);
void tui_message(struct tui *tui, const char *text);
/* A job or worker process was reaped: its CPU and peak memory count. */
void tui_reaped(struct tui *tui, const struct pool_reaped *reaped);
/* The CPU and memory figures the TUI shows, for the control socket's status. */
const struct cpu_account *tui_cpu_account(const struct tui *tui);
/* Autotune changed the pool size to `target` for `reason` ("cpu"...): the
 * history line marks the change with it. */
void tui_autotune_step(struct tui *tui, int target, const char *reason);
/* Every item is done.  Returns true when the TUI stays up (--hold) until q. */
bool tui_finished(struct tui *tui);
/* SIGWINCH: redraw at the new size. */
void tui_resized(struct tui *tui);
/* Ctrl-Z: give the terminal back before pooltop stops / take it again. */
void tui_suspend(struct tui *tui);
void tui_resume(struct tui *tui);
/* Restore the terminal; safe to call more than once and on any exit path. */
void tui_close(struct tui *tui);

#endif
