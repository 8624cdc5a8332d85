/* tui.c - the live terminal interface (see tui.h) and its one boundary to
 * curses: start-up on /dev/tty, colours, keys, suspend, resize and
 * shutdown.  It feeds the model (tui_model.c) every refresh and drives the
 * pool only through the command verbs (control_run), as the control socket
 * does; tui_draw.c draws. */
#include "tui_state.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "settings.h"
#include "text.h"
#include "xalloc.h"

/* The first draw comes soon after start-up, so started jobs show at once. */
#define FIRST_REFRESH_SECONDS 0.05
/* Engine messages redraw at once, but no more often than this: a burst of
 * them waits for the next refresh. */
#define MESSAGE_DRAW_SECONDS 0.1

/* One terminal, one interface: a static instance keeps tui_close safe to
 * call again (from atexit) after the first call. */
static struct tui the_tui;

/* --- start-up ------------------------------------------------------------- */

static bool locale_is_utf8(void)
{
	return !strcmp(nl_langinfo(CODESET), "UTF-8");
}

/* The device number of our controlling terminal (the one /dev/tty leads
 * to, though /dev/tty has a number of its own), from the tty_nr field of
 * /proc/self/stat; 0 if there is none. */
static dev_t controlling_terminal(void)
{
	char text[512];
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t length = read(fd, text, sizeof text - 1);
	close(fd);
	if (length <= 0)
		return 0;
	text[length] = '\0';
	/* The command name may hold anything: the fields start after its ')'. */
	const char *fields = strrchr(text, ')');
	unsigned int tty_nr;
	if (!fields || sscanf(fields + 1, " %*c %*d %*d %*d %u", &tty_nr) != 1 || !tty_nr)
		return 0;
	unsigned int major_number = (tty_nr >> 8) & 0xfff;
	unsigned int minor_number = (tty_nr & 0xff) | ((tty_nr >> 12) & 0xfff00);
	return makedev(major_number, minor_number);
}

enum color_pair { PAIR_TITLE = 1, PAIR_SELECTED, PAIR_FAILED, PAIR_RETRY, PAIR_KEY, PAIR_MARK,
		  PAIR_BAR, PAIR_CPU };

/* Chooses colours, or attributes when colours are off. */
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
		looks[LOOK_CPU] = A_BOLD;
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
	init_pair(PAIR_CPU, COLOR_MAGENTA, -1);
	looks[LOOK_TITLE] = COLOR_PAIR(PAIR_TITLE);
	looks[LOOK_SELECTED] = COLOR_PAIR(PAIR_SELECTED);
	looks[LOOK_FAILED] = COLOR_PAIR(PAIR_FAILED);
	looks[LOOK_RETRY] = COLOR_PAIR(PAIR_RETRY);
	looks[LOOK_KEY] = COLOR_PAIR(PAIR_KEY);
	looks[LOOK_MARK] = COLOR_PAIR(PAIR_MARK) | A_BOLD;
	looks[LOOK_BAR] = COLOR_PAIR(PAIR_BAR);
	looks[LOOK_ERROR] = COLOR_PAIR(PAIR_FAILED) | A_BOLD;
	looks[LOOK_NOTE] = COLOR_PAIR(PAIR_RETRY) | A_BOLD;
	looks[LOOK_CPU] = COLOR_PAIR(PAIR_CPU) | A_BOLD;
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

/* --- keys ----------------------------------------------------------------- */

void tui_message_set(struct tui *tui, const char *text, bool is_error)
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
	tui_message_set(tui, reply, status != 0);
	return REACT_REDRAW;
}

/* Each handler gets the key pressed; only the cursor keys tell apart. */

static enum reaction key_more(struct tui *tui, int key)
{
	(void)key;
	return verb_run(tui, "jobs +1");
}

static enum reaction key_fewer(struct tui *tui, int key)
{
	(void)key;
	return verb_run(tui, "jobs -1");
}

static enum reaction key_requeue(struct tui *tui, int key)
{
	(void)key;
	return verb_run(tui, "requeue");
}

static enum reaction key_quit_kill(struct tui *tui, int key)
{
	(void)key;
	return verb_run(tui, "quit kill");
}

static enum reaction key_pause(struct tui *tui, int key)
{
	(void)key;
	struct pool_stats stats;
	pool_get_stats(tui->pool, &stats);
	return verb_run(tui, stats.paused ? "resume" : "pause");
}

static enum reaction key_suspend(struct tui *tui, int key)
{
	(void)key;
	struct pool_stats stats;
	pool_get_stats(tui->pool, &stats);
	return verb_run(tui, stats.suspended ? "continue" : "suspend");
}

static enum reaction key_autotune(struct tui *tui, int key)
{
	(void)key;
	return verb_run(tui, control_autotune_enabled(tui->control) ? "autotune off" : "autotune on");
}

static enum reaction key_jobs_prompt(struct tui *tui, int key)
{
	(void)key;
	tui->mode = MODE_PROMPT_JOBS;
	tui->prompt[0] = '\0';
	return REACT_REDRAW;
}

static enum reaction key_quit(struct tui *tui, int key)
{
	(void)key;
	struct pool_stats stats;
	pool_get_stats(tui->pool, &stats);
	if (stats.running == 0 || tui->finished)
		return verb_run(tui, "quit");
	tui->mode = MODE_ASK_QUIT;
	return REACT_REDRAW;
}

static enum reaction key_kill(struct tui *tui, int key)
{
	(void)key;
	struct slot_view view;
	if (tui->focus != PANE_WORKERS) {
		tui_message_set(tui, "k kills the job of the selected worker: Tab to the workers first", true);
		return REACT_REDRAW;
	}
	if (!pool_slot_view(tui->pool, tui->worker_index, &view) || !view.seq) {
		tui_message_set(tui, "this worker has no job to kill", true);
		return REACT_REDRAW;
	}
	char line[48];
	snprintf(line, sizeof line, "kill %" PRIu64, view.seq);
	return verb_run(tui, line);
}

static void detail_forget(struct tui *tui)
{
	free(tui->detail_command);
	tui->detail_command = NULL;
}

/* The slot the detail view shows, by index, with its view; -1 when it
 * has left the pool. */
static int detail_slot_find(const struct tui *tui, struct slot_view *view)
{
	for (int index = 0; index < pool_slot_count(tui->pool); index++)
		if (pool_slot_view(tui->pool, index, view) && view->number == tui->detail_number)
			return index;
	return -1;
}

/* Reads the detail view's process tree again, and finds the process under
 * the cursor in it (or the row it was on, when that process is gone). */
static void detail_tree_update(struct tui *tui)
{
	struct slot_view view;
	pid_t root = 0;
	if (tui->detail_number && detail_slot_find(tui, &view) >= 0)
		root = view.pid;
	const struct process_tree *tree = &tui->model.detail;
	tui_model_detail_read(&tui->model, root, loop_now());
	if (root != tui->detail_root) {
		tui->detail_root = root;
		tui->detail_pid = 0;
		tui->detail_row = 0;
	}
	for (size_t row = 0; tui->detail_pid && row < tree->count; row++) {
		if (tree->rows[row].pid == tui->detail_pid) {
			tui->detail_row = (int)row;
			return;
		}
	}
	if (tui->detail_row >= (int)tree->count)
		tui->detail_row = tree->count ? (int)tree->count - 1 : 0;
	tui->detail_pid = tree->count ? tree->rows[tui->detail_row].pid : 0;
}

static enum reaction key_detail(struct tui *tui, int key)
{
	(void)key;
	detail_forget(tui);
	tui->detail_number = 0;
	tui->detail_result = 0;
	if (tui->focus == PANE_WORKERS) {
		struct slot_view view;
		if (!pool_slot_view(tui->pool, tui->worker_index, &view))
			return REACT_NONE;
		tui->detail_number = view.number;
		tui->detail_root = 0;
		detail_tree_update(tui);
	} else {
		const struct tui_model *model = &tui->model;
		if (!model->result_count)
			return REACT_NONE;
		int position = tui_model_result_position(model, tui->result_selected);
		tui->detail_result = model->result_count - (uint64_t)position;
	}
	tui->mode = MODE_DETAIL;
	return REACT_REDRAW;
}

static enum reaction key_setup(struct tui *tui, int key)
{
	(void)key;
	tui->mode = MODE_SETUP;
	tui->setup_row = 0;
	tui->setup_changed = false;
	return REACT_REDRAW;
}

static enum reaction key_help(struct tui *tui, int key)
{
	(void)key;
	tui->mode = MODE_HELP;
	return REACT_REDRAW;
}

static enum reaction key_pane(struct tui *tui, int key)
{
	(void)key;
	tui->focus = tui->focus == PANE_WORKERS && tui->layout.results_rows >= 2 ? PANE_RESULTS
										 : PANE_WORKERS;
	return REACT_REDRAW;
}

static enum reaction key_repaint(struct tui *tui, int key)
{
	(void)tui;
	(void)key;
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
	const struct tui_model *model = &tui->model;
	long position = (long)tui_model_result_position(model, tui->result_selected) + delta;
	long last = (long)tui_model_results_kept(model) - 1;
	position = position > last ? last : position;
	position = position < 0 ? 0 : position;
	/* At the top the cursor follows new results; elsewhere it stays put. */
	tui->result_selected = position == 0 ? 0 : model->result_count - (uint64_t)position;
	return REACT_REDRAW;
}

static int page_rows(const struct tui *tui)
{
	int rows = tui->focus == PANE_WORKERS ? tui->layout.table_rows - 1 : tui->layout.results_rows - 1;
	return rows > 1 ? rows : 1;
}

/* Far enough to reach either end of any pane. */
#define CURSOR_ENDS 1000000

static enum reaction key_cursor(struct tui *tui, int key)
{
	switch (key) {
	case KEY_UP:
		return cursor_move(tui, -1);
	case KEY_DOWN:
		return cursor_move(tui, 1);
	case KEY_PPAGE:
		return cursor_move(tui, -page_rows(tui));
	case KEY_NPAGE:
		return cursor_move(tui, page_rows(tui));
	case KEY_HOME:
		return cursor_move(tui, -CURSOR_ENDS);
	case KEY_END:
		return cursor_move(tui, CURSOR_ENDS);
	default:
		return REACT_NONE;
	}
}

#define KEY_CTRL(letter) ((letter) & 0x1f)
#define KEY_ESCAPE 27

const struct key_binding tui_key_bindings[] = {
	{ { '+', '=' }, key_more, "one worker more" },
	{ { '-' }, key_fewer, "one worker fewer" },
	{ { 'j' }, key_jobs_prompt, "set the number of workers" },
	{ { 'p' }, key_pause, "pause / resume starting items" },
	{ { 'S' }, key_suspend, "suspend / continue running jobs" },
	{ { 'k' }, key_kill, "kill the selected job (retried or failed)" },
	{ { 'r' }, key_requeue, "requeue failed items" },
	{ { 'a' }, key_autotune, "autotune on / off" },
	{ { '\r', '\n', KEY_ENTER }, key_detail,
	  "item, command line, process tree (k signals one) and output" },
	{ { '\t' }, key_pane, "switch between workers and results" },
	{ { KEY_UP, KEY_DOWN, KEY_PPAGE, KEY_NPAGE, KEY_HOME, KEY_END }, key_cursor, "move the cursor" },
	{ { 'c' }, key_setup, "choose the columns shown and the refresh interval" },
	{ { 'h', '?', KEY_F(1) }, key_help, "show this help" },
	{ { KEY_CTRL('L') }, key_repaint, "draw the screen again" },
	{ { 'q' }, key_quit, "quit (asks while jobs run)" },
	{ { 'Q' }, key_quit_kill, "quit and kill the running jobs" },
};

const size_t tui_key_binding_count = sizeof tui_key_bindings / sizeof tui_key_bindings[0];

static const struct key_binding *binding_find(int key)
{
	for (size_t i = 0; i < tui_key_binding_count; i++)
		for (size_t k = 0; k < BINDING_KEYS_MAX && tui_key_bindings[i].keys[k]; k++)
			if (tui_key_bindings[i].keys[k] == key)
				return &tui_key_bindings[i];
	return NULL;
}

static enum reaction prompt_key(struct tui *tui, int key)
{
	size_t length = strlen(tui->prompt);
	if (key == KEY_ESCAPE || key == KEY_CTRL('G')) {
		tui->mode = MODE_NORMAL;
	} else if (key == '\r' || key == '\n' || key == KEY_ENTER) {
		tui->mode = MODE_NORMAL;
		if (length) {
			char line[32];
			snprintf(line, sizeof line, "jobs %s", tui->prompt);
			return verb_run(tui, line);
		}
	} else if (key == KEY_BACKSPACE || key == 127 || key == KEY_CTRL('H')) {
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

/* --- the detail view: a process of the job's tree, and signals ----------- */

static enum reaction detail_key(struct tui *tui, int key)
{
	const struct process_tree *tree = &tui->model.detail;
	int last = tree->count ? (int)tree->count - 1 : 0, row = tui->detail_row;
	int page = LINES / 3 > 1 ? LINES / 3 : 1;
	switch (key) {
	case KEY_UP:
		row--;
		break;
	case KEY_DOWN:
		row++;
		break;
	case KEY_PPAGE:
		row -= page;
		break;
	case KEY_NPAGE:
		row += page;
		break;
	case KEY_HOME:
		row = 0;
		break;
	case KEY_END:
		row = last;
		break;
	case 'k':
		if (!tui->detail_number || !tui->detail_pid) {
			tui_message_set(tui, "no process to signal here", true);
			return REACT_REDRAW;
		}
		tui->mode = MODE_ASK_SIGNAL;
		tui->signal_pid = tui->detail_pid;
		tui->signal_root = tui->detail_root;
		const char *command = tree->rows[tui->detail_row].command;
		tui_text_fit(tui->signal_command, sizeof tui->signal_command, command, strlen(command), 24);
		snprintf(tui->prompt, sizeof tui->prompt, "TERM");
		tui->signal_prefilled = true;
		return REACT_REDRAW;
	default:
		tui->mode = MODE_NORMAL;
		detail_forget(tui);
		return REACT_REDRAW;
	}
	if (!tui->detail_number || !tree->count)
		return REACT_NONE;
	tui->detail_row = row < 0 ? 0 : row > last ? last : row;
	tui->detail_pid = tree->rows[tui->detail_row].pid;
	return REACT_REDRAW;
}

/* A signal as typed: a number, or a name with or without SIG. */
static int signal_parse(const char *text)
{
	if (text[0] >= '0' && text[0] <= '9') {
		char *end;
		long number = strtol(text, &end, 10);
		return !*end && number > 0 && number < 65 ? (int)number : 0;
	}
	if (!strncasecmp(text, "SIG", 3))
		text += 3;
	for (int number = 1; number < 32; number++) {
		char name[16];
		tui_signal_name(number, name, sizeof name);
		if (!strcasecmp(name, text))
			return number;
	}
	return 0;
}

/* Sends the signal asked for, once the process is found again in the
 * tree of the job the slot still runs. */
static void signal_send(struct tui *tui)
{
	char text[160], name[16];
	int signo = signal_parse(tui->prompt);
	if (!signo) {
		snprintf(text, sizeof text, "no signal is called '%s': nothing sent", tui->prompt);
		tui_message_set(tui, text, true);
		return;
	}
	tui_signal_name(signo, name, sizeof name);
	struct slot_view view;
	int status = 1;
	if (detail_slot_find(tui, &view) >= 0 && view.pid == tui->signal_root)
		status = tui_model_detail_signal(&tui->model, tui->signal_root, tui->signal_pid, signo,
						 loop_now());
	if (status == 0)
		snprintf(text, sizeof text, "sent %s to pid %d", name, (int)tui->signal_pid);
	else if (status > 0)
		snprintf(text, sizeof text, "pid %d is no longer in this job's tree: nothing sent",
			 (int)tui->signal_pid);
	else
		snprintf(text, sizeof text, "cannot send %s to pid %d: %s", name, (int)tui->signal_pid,
			 strerror(errno));
	tui_message_set(tui, text, status != 0);
}

static enum reaction ask_signal_key(struct tui *tui, int key)
{
	size_t length = strlen(tui->prompt);
	if (key == KEY_ESCAPE || key == KEY_CTRL('G')) {
		tui->mode = MODE_DETAIL;
		tui_message_set(tui, "no signal sent", false);
	} else if (key == '\r' || key == '\n' || key == KEY_ENTER) {
		tui->mode = MODE_DETAIL;
		signal_send(tui);
		detail_tree_update(tui);
	} else if (key == KEY_BACKSPACE || key == 127 || key == KEY_CTRL('H')) {
		if (tui->signal_prefilled)
			tui->prompt[0] = '\0';
		else if (length)
			tui->prompt[length - 1] = '\0';
		tui->signal_prefilled = false;
	} else if (((key >= '0' && key <= '9') || (key >= 'a' && key <= 'z') ||
		    (key >= 'A' && key <= 'Z'))) {
		if (tui->signal_prefilled)
			length = 0;
		tui->signal_prefilled = false;
		if (length + 1 < sizeof tui->prompt) {
			tui->prompt[length] = (char)(key >= 'a' && key <= 'z' ? key - 'a' + 'A' : key);
			tui->prompt[length + 1] = '\0';
		}
	}
	return REACT_REDRAW;
}

/* --- the setup screen: columns and the refresh interval ------------------ */


static enum reaction setup_key(struct tui *tui, int key)
{
	int columns = (int)tui_worker_table.count;  /* the refresh row comes after them */
	switch (key) {
	case KEY_UP:
		tui->setup_row = tui->setup_row > 0 ? tui->setup_row - 1 : 0;
		break;
	case KEY_DOWN:
		tui->setup_row = tui->setup_row < columns ? tui->setup_row + 1 : columns;
		break;
	case KEY_HOME:
		tui->setup_row = 0;
		break;
	case KEY_END:
		tui->setup_row = columns;
		break;
	case ' ':
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (tui->setup_row < columns) {
			unsigned long bit = 1UL << tui->setup_row;
			unsigned long all = (1UL << columns) - 1;
			if ((tui->columns_hidden | bit) == all && !(tui->columns_hidden & bit)) {
				tui_message_set(tui, "one column at least stays shown", true);
				break;
			}
			tui->columns_hidden ^= bit;
			tui->setup_changed = true;
		}
		break;
	case KEY_LEFT:
	case '-':
		tui_refresh_step(tui, -1);
		break;
	case KEY_RIGHT:
	case '+':
		tui_refresh_step(tui, 1);
		break;
	case KEY_ESCAPE:
	case 'q':
	case 'c':
	case KEY_F(10):
		tui->mode = MODE_NORMAL;
		if (tui->setup_changed)
			tui_settings_store(tui);
		break;
	default:
		break;
	}
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
	case MODE_DETAIL:
		return detail_key(tui, key);
	case MODE_ASK_SIGNAL:
		return ask_signal_key(tui, key);
	case MODE_SETUP:
		return setup_key(tui, key);
	case MODE_HELP:
		tui->mode = MODE_NORMAL;
		return REACT_REDRAW;
	case MODE_NORMAL:
		break;
	}
	const struct key_binding *binding = binding_find(key);
	return binding ? binding->run(tui, key) : REACT_NONE;
}

/* The terminal is readable: take every key waiting, then draw once. */
static void tty_readable(struct loop *loop, int fd, short revents, void *data)
{
	struct tui *tui = data;
	if (revents & (POLLHUP | POLLERR | POLLNVAL)) {
		/* The terminal is gone: stop watching it, or poll would spin,
		 * and quit as after a hangup (running jobs finish first). */
		loop_del_fd(loop, fd);
		tui->tty_lost = true;
		char reply[128];
		control_run(tui->control, "quit", reply, sizeof reply);
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

/* --- the refresh timer ---------------------------------------------------- */

static void refresh_due(struct loop *loop, void *data)
{
	struct tui *tui = data;
	tui->timer = 0;
	if (!tui->open)
		return;
	/* The rows on screen are read every time; the others take turns. */
	tui_model_set_visible(&tui->model, tui->worker_top, tui->layout.table_rows - 1);
	tui_model_sample(&tui->model, loop_now());
	if ((tui->mode == MODE_DETAIL || tui->mode == MODE_ASK_SIGNAL) && tui->detail_number)
		detail_tree_update(tui);
	tui_draw(tui);
	tui->timer = loop_add_timer(loop, tui->config.refresh, refresh_due, tui);
}

/* --- the interface of tui.h ----------------------------------------------- */

struct tui *tui_open(struct loop *loop, struct pool *pool, struct control *control,
		     const struct tui_config *config)
{
	struct tui *tui = &the_tui;
	if (tui->open)
		return NULL;
	*tui = (struct tui){
		.loop = loop, .pool = pool, .control = control, .config = *config,
		.tty_fd = -1,
	};
	if (!(tui->config.refresh > 0))
		tui->config.refresh = 1;
	tui->settings_path = config->settings_path ? xstrdup(config->settings_path) : NULL;
	tui->config.settings_path = NULL;
	const char *title = config->title ? config->title : "";
	text_sanitize(tui->title, sizeof tui->title, title, strlen(title), 0);
	tui->utf8 = locale_is_utf8();
	tui->tty_device = controlling_terminal();
	if (tui_model_init(&tui->model, pool) || !terminal_start(tui)) {
		tui_model_free(&tui->model);
		free(tui->settings_path);
		tui->settings_path = NULL;
		return NULL;
	}
	tui_settings_apply(tui);
	tui->open = true;
	loop_add_fd(loop, tui->tty_fd, POLLIN, tty_readable, tui);
	tui->timer = loop_add_timer(loop, FIRST_REFRESH_SECONDS, refresh_due, tui);
	tui_draw(tui);
	return tui;
}

bool tui_owns_fd(const struct tui *tui, int fd)
{
	struct stat file;
	if (!tui || !tui->open || !tui->tty_device || fstat(fd, &file))
		return false;
	return S_ISCHR(file.st_mode) && file.st_rdev == tui->tty_device;
}

void tui_result(struct tui *tui, const struct pool_result *result)
{
	if (!tui || !tui->open)
		return;
	tui_model_result_add(&tui->model, result);
	/* Drawn at the next refresh: results may come thousands a second. */
}

void tui_autotune_step(struct tui *tui, int target, const char *reason)
{
	if (tui && tui->open)
		tui_model_note_step(&tui->model, target, reason);
}

void tui_reaped(struct tui *tui, const struct pool_reaped *reaped)
{
	if (tui && tui->open)
		tui_model_reaped(&tui->model, reaped);
}

const struct cpu_account *tui_cpu_account(const struct tui *tui)
{
	return tui && tui->open ? &tui->model.account : NULL;
}

void tui_message(struct tui *tui, const char *text)
{
	if (!tui || !tui->open)
		return;
	tui_message_set(tui, text, false);
	if (loop_now() - tui->drawn_at >= MESSAGE_DRAW_SECONDS)
		tui_draw(tui);
}

bool tui_finished(struct tui *tui)
{
	if (!tui || !tui->open || !tui->config.hold)
		return false;
	tui->finished = true;
	tui->mode = MODE_NORMAL;
	tui->message[0] = '\0';
	tui_model_sample(&tui->model, loop_now());
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
	tui_model_free(&tui->model);
	detail_forget(tui);
	free(tui->settings_path);
	tui->settings_path = NULL;
}
