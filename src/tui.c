/* tui.c - the live terminal interface (see tui.h): start-up on /dev/tty,
 * sampling each job's process tree every refresh, keys, suspend, resize
 * and shutdown.  It observes the pool through its view functions and
 * drives it only through the command verbs (control_run), as the control
 * socket does; tui_draw.c draws. */
#include "tui_state.h"

#include <fcntl.h>
#include <inttypes.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "text.h"

/* The first draw comes soon after start-up, so started jobs show at once. */
#define FIRST_REFRESH_SECONDS 0.05
/* Engine messages redraw at once, but no more often than this: a burst of
 * them waits for the next refresh. */
#define MESSAGE_DRAW_SECONDS 0.1

/* What a key handler asks of the loop, as flags (htop's "reactions"). */
enum reaction {
	REACT_NONE = 0,
	REACT_REDRAW = 1,        /* draw the screen again */
	REACT_REPAINT = 2,       /* ...from scratch, forgetting what is on the terminal */
};

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
	tui_looks_set(tui);
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

/* --- sampling ------------------------------------------------------------- */

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
		uint64_t finished = stats.done > tui->last_done ? stats.done - tui->last_done : 0;
		double rate = (double)finished / (now - tui->last_sample_time);
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

bool tui_worker_row_read(const struct tui *tui, int index, double now, struct worker_row *row)
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

/* --- the results ring ----------------------------------------------------- */

uint64_t tui_results_kept(const struct tui *tui)
{
	return tui->result_count < RESULTS_KEPT ? tui->result_count : RESULTS_KEPT;
}

const struct result_row *tui_result_get(const struct tui *tui, uint64_t number)
{
	if (number == 0 || number > tui->result_count ||
	    number + tui_results_kept(tui) <= tui->result_count)
		return NULL;
	return &tui->results[(number - 1) % RESULTS_KEPT];
}

int tui_result_cursor(const struct tui *tui)
{
	if (!tui->result_selected || tui->result_selected > tui->result_count)
		return 0;
	uint64_t position = tui->result_count - tui->result_selected;
	uint64_t last = tui_results_kept(tui) ? tui_results_kept(tui) - 1 : 0;
	return (int)(position > last ? last : position);
}

/* --- keys ----------------------------------------------------------------- */

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
	return verb_run(tui, control_autotune_enabled(tui->control) ? "autotune off" : "autotune on");
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
		tui->detail_result = tui->result_count - (uint64_t)tui_result_cursor(tui);
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
	long position = (long)tui_result_cursor(tui) + delta;
	long last = (long)tui_results_kept(tui) - 1;
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
	tui_sample(tui);
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
		.tty_fd = -1, .total_cpu = -1,
	};
	if (!(tui->config.refresh > 0))
		tui->config.refresh = 1;
	const char *title = config->title ? config->title : "";
	text_sanitize(tui->title, sizeof tui->title, title, strlen(title), 0);
	tui->utf8 = locale_is_utf8();
	tui->tty_device = controlling_terminal();
	tui_history_init(&tui->history);
	tui->sampler = sampler_new();
	tui->results = calloc(RESULTS_KEPT, sizeof *tui->results);
	if (!tui->sampler || !tui->results || !terminal_start(tui)) {
		sampler_free(tui->sampler);
		free(tui->results);
		return NULL;
	}
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
