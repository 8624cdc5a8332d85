/* main.c - wires the parts together: options, the item source, the
 * engine, the output, one front end (TUI or batch) and the signals.
 * Nothing else lives here. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "autotune.h"
#include "batch.h"
#include "control.h"
#include "ctlsock.h"
#include "demo.h"
#include "items.h"
#include "joblog.h"
#include "jobsfile.h"
#include "log.h"
#include "loop.h"
#include "options.h"
#include "output.h"
#include "pool.h"
#include "rlimits.h"
#include "template.h"
#include "text.h"
#include "tui.h"
#include "xalloc.h"

struct app {
	struct options options;
	struct loop *loop;
	struct items *items;
	struct template *template;
	struct pool *pool;
	struct output *output;
	struct control control;
	struct tui *tui;
	struct batch *batch;
	struct demo *demo;
	struct joblog *joblog;   /* --joblog, or NULL */
	struct ctlsock *ctlsock; /* --control, or NULL */
	struct jobsfile *jobsfile;  /* --jobs-file, or NULL */
	struct autotune *autotune;  /* --autotune or `autotune on`, else NULL */
	int stop_signals;        /* SIGINT/SIGTERM/SIGHUP received so far */
	int exit_signal_status;  /* 130 or 143 once a signal ended the run */
	bool quitting;           /* quit asked: leave once the pool finishes */
};

static struct app *the_app;  /* for atexit: the terminal is restored on every path */

/* Also the out-of-memory hook (xalloc.h): the terminal is left sane. */
static void restore_terminal(void)
{
	if (the_app && the_app->tui)
		tui_close(the_app->tui);
	if (the_app)
		ctlsock_unlink(the_app->ctlsock);  /* also when exit() is called on the way */
}

static void app_message(void *data, const char *text)
{
	struct app *app = data;
	if (app->tui)
		tui_message(app->tui, text);
	else
		batch_message(app->batch, text);
}

/* As xargs: one warning once an item was cut at a NUL byte. */
static void app_warn_about_nul(struct app *app)
{
	uint64_t seq = items_take_nul_warning(app->items);
	if (!seq)
		return;
	char text[256];
	snprintf(text, sizeof text, "warning: a NUL character occurred in the input (item %" PRIu64
		 "): the item was cut there, as an argument cannot carry one; did you mean -0 (--null)?", seq);
	app_message(app, text);
}

static void app_result(void *data, struct pool_result *result)
{
	struct app *app = data;
	app_warn_about_nul(app);
	if (app->tui)
		tui_result(app->tui, result);
	if (result->will_retry)
		return;
	jobsfile_item_done(app->jobsfile);
	joblog_write(app->joblog, result);
	/* Jobs killed because stdout's reader left need no word each. */
	if (result->error && !app->tui && app->exit_signal_status != 128 + SIGPIPE) {
		char text[512];
		if (result->argv && result->pid == 0)  /* it never ran: name the command */
			snprintf(text, sizeof text, "item %" PRIu64 ": %s: %s", result->seq, result->argv[0],
				 result->error);
		else
			snprintf(text, sizeof text, "item %" PRIu64 ": %s", result->seq, result->error);
		batch_message(app->batch, text);
	}
	if (app->demo)
		demo_result(app->demo, result);
	else
		output_result(app->output, result);
}

/* Close the TUI (leaving a summary line) and write what was held. */
static void app_leave_screen(struct app *app)
{
	if (!app->tui)
		return;
	struct pool_stats stats;
	pool_get_stats(app->pool, &stats);
	tui_close(app->tui);
	app->tui = NULL;
	char elapsed[32];
	fprintf(stderr, "pooltop: %" PRIu64 " done, %" PRIu64 " failed, %s\n", stats.done, stats.failed,
		format_duration(elapsed, sizeof elapsed, stats.elapsed));
}

static void app_finished(void *data)
{
	struct app *app = data;
	if (app->tui && !app->quitting && tui_finished(app->tui))
		return;  /* --hold: the TUI stays until q */
	loop_stop(app->loop);
}

static void app_quit(void *data, bool kill)
{
	struct app *app = data;
	app->quitting = true;
	if (pool_finished(app->pool)) {
		loop_stop(app->loop);
		return;
	}
	if (kill)
		pool_kill_all(app->pool);
	else
		pool_stop(app->pool);
}

/* Autotune steps show on the --progress line (the TUI sees them in its
 * history line, as changes of the target). */
static void app_autotune_note(void *data, const char *text)
{
	struct app *app = data;
	if (app->batch)
		batch_note(app->batch, text);
}

/* The search covers --autotune's range within the pool's bounds; without
 * --autotune, `autotune on` searches the bounds (up to AUTOTUNE_DEFAULT_MAX). */
static struct autotune *app_autotune_new(struct app *app)
{
	struct options *options = &app->options;
	int min_jobs, max_jobs;
	pool_bounds(app->pool, &min_jobs, &max_jobs);
	int low = options->autotune ? options->autotune_min : min_jobs;
	int high = options->autotune ? options->autotune_max
				     : max_jobs < AUTOTUNE_DEFAULT_MAX ? max_jobs : AUTOTUNE_DEFAULT_MAX;
	struct autotune_tuning tuning;
	autotune_default_tuning(&tuning, low > min_jobs ? low : min_jobs, high < max_jobs ? high : max_jobs);
	return autotune_new(app->loop, &app->control, &tuning, app_autotune_note, app);
}

static void app_autotune(void *data, bool on)
{
	struct app *app = data;
	if (!app->autotune && on)
		app->autotune = app_autotune_new(app);
	else if (app->autotune)
		autotune_set_enabled(app->autotune, on);
}

static bool app_autotune_enabled(void *data)
{
	struct app *app = data;
	return autotune_enabled(app->autotune);
}

/* Whoever read pooltop's output is gone (`| head`): the results have
 * nowhere to go, so the run ends as a filter killed by SIGPIPE would. */
static void app_stdout_closed(void *data)
{
	struct app *app = data;
	if (!app->exit_signal_status)
		app->exit_signal_status = 128 + SIGPIPE;
	pool_kill_all(app->pool);
}

/* A verb from a signal has nobody to answer: errors and clamped counts
 * are told as messages. */
static void app_run_verb(struct app *app, const char *line, const char *signal_name)
{
	char reply[256];
	int status = control_run(&app->control, line, reply, sizeof reply);
	log_debug("%s asks for '%s': %s", signal_name, line, reply);
	if (status || strstr(reply, "clamped"))
		app_message(app, reply);
}

/* First INT/TERM/HUP: no new items, running jobs finish.  Second: kill them. */
static void app_stop_signal(struct app *app, int signo)
{
	app->exit_signal_status = 128 + (signo == SIGINT ? SIGINT : SIGTERM);
	log_debug("signal %d (%s): %s", signo, strsignal(signo),
		  pool_finished(app->pool) ? "closing the final screen"
		  : app->stop_signals == 0 ? "no new items, running jobs finish" : "killing the running jobs");
	if (pool_finished(app->pool)) {
		loop_stop(app->loop);  /* only the --hold screen was left: close it */
		return;
	}
	if (++app->stop_signals == 1) {
		app_message(app, "stopping: running jobs finish (signal again to kill them)");
		pool_stop(app->pool);
	} else {
		pool_kill_all(app->pool);
	}
}

/* Ctrl-Z stops the jobs with pooltop; fg wakes them, unless they were
 * already suspended on purpose (S) before. */
static void app_suspend(struct app *app)
{
	struct pool_stats stats;
	pool_get_stats(app->pool, &stats);
	if (app->tui)
		tui_suspend(app->tui);
	pool_set_suspended(app->pool, true);
	kill(getpid(), SIGSTOP);
	/* Continued (fg): take the terminal back and wake the jobs. */
	pool_set_suspended(app->pool, stats.suspended);
	if (app->tui)
		tui_resume(app->tui);
}

static void app_signal(struct loop *loop, int signo, void *data)
{
	(void)loop;
	struct app *app = data;
	switch (signo) {
	case SIGCHLD:
		pool_reap(app->pool);
		break;
	case SIGINT:
	case SIGTERM:
	case SIGHUP:
		app_stop_signal(app, signo);
		break;
	case SIGUSR1:
		app_run_verb(app, "jobs +1", "SIGUSR1");
		break;
	case SIGUSR2:
		app_run_verb(app, "jobs -1", "SIGUSR2");
		break;
	case SIGWINCH:
		if (app->tui)
			tui_resized(app->tui);
		break;
	case SIGTSTP:
		app_suspend(app);
		break;
	default:
		break;
	}
}

/* Without a terminal on fds 0-2, pipes could take those numbers.  The
 * fds opened here are meant to be inherited: no O_CLOEXEC. */
static void ensure_standard_fds(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			exit(255);
}

/* --jobs-file: the file's count, when it holds one, is the initial count;
 * --autotune starts inside its range. */
static int choose_initial_jobs(struct app *app)
{
	struct options *options = &app->options;
	struct pool_config *pool = &options->pool;
	if (options->jobs_file) {
		app->jobsfile = jobsfile_new(options->jobs_file, options_online_cpus());
		int jobs;
		char message[512];
		enum jobsfile_change change = jobsfile_poll(app->jobsfile, &jobs, message, sizeof message);
		if (change == JOBSFILE_COUNT) {
			log_debug("jobs file '%s' asks for %d workers to start with", options->jobs_file, jobs);
			pool->jobs = jobs;
		} else if (change == JOBSFILE_BAD) {
			fprintf(stderr, "pooltop: %s\n", message);
		}
	}
	if (options->autotune) {
		if (pool->jobs < options->autotune_min)
			pool->jobs = options->autotune_min;
		if (pool->jobs > options->autotune_max)
			pool->jobs = options->autotune_max;
	}
	return 0;  /* pool_start() clamps the count to the bounds, as every resize does */
}

/* The control socket opens before any job starts: if it cannot, the run
 * does not begin. */
static int open_control_socket(struct app *app)
{
	if (!app->options.control_path)
		return 0;
	char error[512];
	app->ctlsock = ctlsock_open(app->loop, &app->control, app->options.control_path, error, sizeof error);
	if (app->ctlsock)
		return 0;
	fprintf(stderr, "pooltop: %s\n", error);
	return -1;
}

/* Once the pool runs: follow the jobs file, start autotune. */
static void start_tuning(struct app *app)
{
	if (app->jobsfile)
		jobsfile_follow(app->jobsfile, app->loop, &app->control, app_message, app);
	if (app->options.autotune)
		app->autotune = app_autotune_new(app);
}

static struct items *open_items(const struct options *options)
{
	if (options->inline_items)
		return items_from_array(options->inline_items, options->inline_count);
	if (options->has_range)
		return items_from_range(options->range_first, options->range_last, options->range_step);
	int fd;
	if (options->arg_file) {
		fd = open(options->arg_file, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			char message[512];
			snprintf(message, sizeof message, "cannot read items from '%s': %s", options->arg_file,
				 strerror(errno));
			batch_message(NULL, message);
			return NULL;
		}
	} else {
		if (isatty(0)) {
			fputs("pooltop: no items: pipe them into standard input, or give -a FILE, "
			      "--range=A..B or ::: ITEM...\n", stderr);
			return NULL;
		}
		/* Jobs get /dev/null as stdin; pooltop reads items from a copy. */
		fd = fcntl(0, F_DUPFD_CLOEXEC, 3);
		int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		bool moved = fd >= 0 && null_fd >= 0 && dup2(null_fd, 0) == 0;
		int saved = errno;
		if (null_fd >= 0)
			close(null_fd);
		if (!moved) {
			if (fd >= 0)
				close(fd);
			fprintf(stderr, "pooltop: cannot set up standard input: %s\n", strerror(saved));
			return NULL;
		}
	}
	struct items *items = items_from_fd(fd, options->delimiter, true);
	if (!items) {
		fprintf(stderr, "pooltop: cannot read items: %s\n", strerror(errno));
		close(fd);
		return NULL;
	}
	items_set_max_length(items, options->pool.max_line);
	return items;
}

/* --resume: an item the joblog shows as done is read but not run; -k
 * must then move past it. */
static bool app_skip(void *data, uint64_t seq)
{
	struct app *app = data;
	if (!joblog_should_skip(app->joblog, seq))
		return false;
	output_skip(app->output, seq);
	return true;
}

static int open_joblog(struct app *app)
{
	struct options *options = &app->options;
	if (!options->joblog)
		return 0;
	enum joblog_resume resume = options->resume ? JOBLOG_RESUME
				  : options->resume_failed ? JOBLOG_RESUME_FAILED : JOBLOG_FRESH;
	char error[512];
	app->joblog = joblog_open(options->joblog, resume, options->pool.worker_argv, error, sizeof error);
	if (!app->joblog) {
		batch_message(NULL, error);
		return -1;
	}
	if (joblog_skip_count(app->joblog)) {
		options->pool.skip = app_skip;
		options->pool.skip_data = app;
	}
	return 0;
}

static void start_front_end(struct app *app)
{
	const struct options *options = &app->options;
	if (!options->batch) {
		struct tui_config config = {
			.refresh = options->refresh,
			.color = !options->no_color && !getenv("NO_COLOR"),
			.hold = options->hold,
			.title = options->mode == MODE_DEMO ? "demo: Pool(3).map(square, range(10))"
							   : options->command[0],
		};
		app->tui = tui_open(app->loop, app->pool, &app->control, &config);
	}
	if (app->tui) {
		output_hold(app->output, tui_owns_fd(app->tui, 1), tui_owns_fd(app->tui, 2));
		return;
	}
	app->batch = batch_new(app->loop, app->pool, options->refresh, options->progress);
}

static int watch_signals(struct app *app)
{
	sigset_t set;
	sigemptyset(&set);
	int watched[] = { SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGWINCH, SIGTSTP };
	for (size_t i = 0; i < sizeof watched / sizeof watched[0]; i++)
		sigaddset(&set, watched[i]);
	/* A write to a closed pipe should fail with EPIPE, not kill pooltop;
	 * blocking SIGPIPE (not ignoring it) keeps children's default. */
	sigset_t pipe_set;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, NULL);
	return loop_watch_signals(app->loop, &set, app_signal, app);
}

/* Lost output or joblog lines and an engine failure are each told once,
 * and end the run with 255; else a signal's status or the failures' count.
 * The messages may quote a command or an item: batch_message escapes them. */
static int exit_status(struct app *app)
{
	int status = 0;
	char message[512];
	if (output_error(app->output, message, sizeof message)) {
		batch_message(app->batch, message);
		status = 255;
	}
	if (joblog_error(app->joblog, message, sizeof message)) {
		batch_message(app->batch, message);
		status = 255;
	}
	/* A failed input is the engine's failure too: the item source words it best. */
	const char *fatal = pool_fatal_error(app->pool);
	if (items_error(app->items, message, sizeof message))
		fatal = message;
	if (fatal) {
		batch_message(app->batch, fatal);
		status = 255;
	}
	if (status)
		return status;
	if (app->exit_signal_status)
		return app->exit_signal_status;
	return pool_exit_status(app->pool);
}

static int run(struct app *app)
{
	struct options *options = &app->options;
	/* Signals are routed through the loop before anything else, so that
	 * an early SIGUSR1 or SIGINT waits for it instead of killing pooltop;
	 * they are read only once the pool exists. */
	app->loop = loop_new();
	if (watch_signals(app))
		return 255;
	char note[256];
	if (rlimits_raise_fd_limit(&options->pool, note, sizeof note))
		fprintf(stderr, "pooltop: %s\n", note);
	if (rlimits_clamp_to_process_limit(&options->pool, note, sizeof note))
		fprintf(stderr, "pooltop: %s\n", note);
	if (!(app->items = open_items(options)))
		return 255;
	if (options->mode == MODE_DEMO) {
		options->pool.worker_argv = demo_worker_argv();
	} else if (options->mode == MODE_WORKER) {
		char **argv = xcalloc((size_t)options->command_argc + 1, sizeof *argv);
		memcpy(argv, options->command, (size_t)options->command_argc * sizeof *argv);
		options->pool.worker_argv = argv;
	} else {
		app->template = template_new(options->command, options->command_argc, options->shell);
		options->pool.template = app->template;
	}
	struct pool_events events = {
		.result = app_result, .message = app_message, .finished = app_finished, .data = app,
	};
	app->output = output_new(app->loop, options->keep_order);
	if (open_joblog(app) || choose_initial_jobs(app))
		return 255;
	app->pool = pool_new(&options->pool, app->loop, app->items, &events);
	if (!app->pool)
		return 255;
	output_on_closed(app->output, app_stdout_closed, app);
	app->control = (struct control){
		.pool = app->pool,
		.hooks = {
			.quit = app_quit,
			.autotune = app_autotune,
			.autotune_enabled = app_autotune_enabled,
			.data = app,
		},
	};
	if (open_control_socket(app))
		return 255;
	if (options->mode == MODE_DEMO)
		app->demo = demo_new(app->output);
	start_front_end(app);
	log_debug("run starts: %d workers (bounds %d to %d)%s%s", options->pool.jobs, options->pool.min_jobs,
		  options->pool.max_jobs, options->pool.kind == POOL_WORKER ? ", persistent workers" : "",
		  options->keep_order ? ", in input order" : "");
	pool_start(app->pool);
	start_tuning(app);
	if (!pool_finished(app->pool))
		loop_run(app->loop);

	struct pool_stats stats;
	pool_get_stats(app->pool, &stats);
	app_leave_screen(app);
	if (app->batch)
		batch_finish(app->batch);
	if (app->demo)
		demo_finish(app->demo, stats.elapsed);
	app_warn_about_nul(app);
	output_finish(app->output);
	output_release(app->output);
	log_debug("run ends: %" PRIu64 " done, %" PRIu64 " failed, %.3f s", stats.done, stats.failed,
		  stats.elapsed);
	return exit_status(app);
}

/* --help and --version answer on stdout; a failed write is an error. */
static int print_and_exit(const char *text)
{
	fputs(text, stdout);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "pooltop: cannot write standard output: %s\n", strerror(errno));
		return 255;
	}
	return 0;
}

/* --log=FILE, else POOLTOP_LOG: opened before anything runs, or nothing does. */
static int open_debug_log(const struct options *options)
{
	const char *path = options->log_path;
	if (!path)
		path = getenv("POOLTOP_LOG");
	if (!path || !*path)
		return 0;
	if (log_open(path) == 0)
		return 0;
	fprintf(stderr, "pooltop: cannot open the log '%s': %s\n", path, strerror(errno));
	return -1;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], DEMO_WORKER_FLAG))
		return demo_worker_main();
	setlocale(LC_ALL, "");
	ensure_standard_fds();
	static struct app app;
	char error[512];
	switch (options_parse(argc, argv, &app.options, error, sizeof error)) {
	case OPTIONS_ERROR:
		batch_message(NULL, error);  /* it may quote an argument: escaped */
		return 255;
	case OPTIONS_HELP:
		return print_and_exit(options_help_text());
	case OPTIONS_VERSION:
		return print_and_exit(options_version_text());
	case OPTIONS_RUN:
		break;
	}
	if (app.options.mode == MODE_CTL)
		return ctlsock_client(app.options.ctl_socket, app.options.ctl_words, app.options.ctl_count);
	if (open_debug_log(&app.options))
		return 255;
	the_app = &app;
	atexit(restore_terminal);
	xalloc_set_fatal_hook(restore_terminal);
	int status = run(&app);
	if (app.options.mode == MODE_WORKER)
		free((void *)app.options.pool.worker_argv);
	ctlsock_close(app.ctlsock);
	app.ctlsock = NULL;
	autotune_free(app.autotune);
	jobsfile_free(app.jobsfile);
	pool_free(app.pool);
	output_free(app.output);
	batch_free(app.batch);
	demo_free(app.demo);
	joblog_close(app.joblog);
	template_free(app.template);
	items_free(app.items);
	loop_free(app.loop);
	log_debug("exit status %d", status);  /* last: after the engine's own last words */
	log_close();
	return status;
}
