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
#include "command_setup.h"
#include "control.h"
#include "cpu_account.h"
#include "ctlsock.h"
#include "demo.h"
#include "guardian.h"
#include "items.h"
#include "joblog.h"
#include "jobsfile.h"
#include "log.h"
#include "loop.h"
#include "options.h"
#include "output.h"
#include "output_format.h"
#include "pool.h"
#include "remote_run.h"
#include "rlimits.h"
#include "sources.h"
#include "spool.h"
#include "template.h"
#include "text.h"
#include "settings.h"
#include "tui.h"
#include "xalloc.h"

struct app {
	struct options options;
	struct loop *loop;
	struct items *items;
	char **command_words;    /* the command, --header's names made positions */
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
	struct output_format *format;  /* --tag, --line-buffer, --results... */
	struct remote_run *remote;  /* -S/--sshlogin: the hosts, or NULL */
	struct cpu_account account; /* CPU and memory for status when no TUI counts them */
	bool account_open;       /* account is in use */
	uint64_t account_timer;  /* its next sample */
	int stop_signals;        /* SIGINT/SIGTERM/SIGHUP received so far */
	int exit_signal_status;  /* 128 + the signal that ended the run, or 0 */
	int control_clients;     /* control connections the fds leave room for */
	bool quitting;           /* quit asked: leave once the pool finishes */
	bool output_loss_told;   /* lost output was told on stderr already */
	bool joblog_loss_told;   /* so were lost joblog lines */
	bool output_overflow;    /* output could be neither spooled nor held: the run was stopped */
	bool leaving;            /* the run is over: waiting for stdout's reader */
	bool output_abandoned;   /* ...and the wait was given up */
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

/* A message about lost output or joblog lines: in the TUI it is repeated
 * on stderr at the end; in batch mode, stderr has it already. */
static void app_loss_message(struct app *app, const char *text, bool *told)
{
	app_message(app, text);
	if (!app->tui)
		*told = true;
}

/* Append an item's joblog line once its output was written; a line
 * whose output was lost is not logged, so --resume runs the item again. */
static void app_log_line(struct app *app, char *line, bool output_written)
{
	if (output_written && joblog_append(app->joblog, line) && !app->joblog_loss_told) {
		char message[512];
		if (joblog_first_error(app->joblog, message, sizeof message))
			app_loss_message(app, message, &app->joblog_loss_told);
	}
	free(line);
}

static void app_output_written(void *data, void *token, bool written)
{
	app_log_line(data, token, written);
}

static void app_output_lost(void *data, const char *message)
{
	struct app *app = data;
	if (app->output_overflow)
		return;  /* the overflow's message said it */
	app_loss_message(app, message, &app->output_loss_told);
}

/* Pooltop's own output is behind its reader: stop reading the jobs'
 * output until it catches up (their writes block meanwhile). */
static void app_output_backlog(void *data, bool full)
{
	struct app *app = data;
	pool_set_output_paused(app->pool, full);
}

/* Output could be neither spooled to a file nor held in memory any more:
 * going on would lose more of it, so the jobs are stopped. */
static void app_output_overflow(void)
{
	struct app *app = the_app;
	if (!app || !app->pool || app->output_overflow)
		return;
	app->output_overflow = true;
	char text[512];
	snprintf(text, sizeof text,
		 "output cannot be spooled to a temporary file in '%s' and %zu MiB of it is held in memory "
		 "already: stopping the jobs",
		 spool_directory(), SPOOL_MEMORY_ONLY_CAP / (1024 * 1024));
	app_loss_message(app, text, &app->output_loss_told);
	pool_kill_all(app->pool);
}

/* A spill file could not be written: nothing is lost (the output is held
 * in memory), but the user should know before the cap is reached. */
static void app_spool_no_file(int error)
{
	struct app *app = the_app;
	if (!app || !app->pool)
		return;
	char text[512];
	snprintf(text, sizeof text,
		 "cannot write a temporary file in '%s': %s; output is held in memory instead "
		 "(at most %zu MiB)",
		 spool_directory(), strerror(error), SPOOL_MEMORY_ONLY_CAP / (1024 * 1024));
	app_message(app, text);
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

static void app_started(void *data, const struct pool_started *started)
{
	struct app *app = data;
	output_format_started(app->format, started);
}

static void app_live_output(void *data, const struct pool_live_output *live)
{
	struct app *app = data;
	output_live(app->output, live);
}

static void app_result(void *data, struct pool_result *result)
{
	struct app *app = data;
	app_warn_about_nul(app);
	if (app->tui)
		tui_result(app->tui, result);
	if (result->will_retry) {
		output_attempt_retried(app->output, result);
		return;
	}
	jobsfile_item_done(app->jobsfile);
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
	/* The joblog line waits for the output: a record means the output is there. */
	char *line = joblog_line(app->joblog, result), message[512];
	/* --results, --files: an item whose files were lost gets no joblog line. */
	if (output_format_store(app->format, result, message, sizeof message)) {
		app_message(app, message);
		free(line);
		line = NULL;
	}
	if (app->demo) {
		demo_result(app->demo, result);
		app_log_line(app, line, true);
	} else {
		output_result(app->output, result, line);
	}
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

static void app_reaped(void *data, const struct pool_reaped *reaped)
{
	struct app *app = data;
	tui_reaped(app->tui, reaped);
	autotune_reaped(app->autotune, reaped);
	if (app->account_open)
		cpu_account_reaped(&app->account, reaped);
}

/* Without a TUI, the control socket's status counts CPU and memory the
 * TUI's way, sampled once per refresh. */
static void app_account_due(struct loop *loop, void *data)
{
	struct app *app = data;
	cpu_account_sample(&app->account, loop_now());
	app->account_timer = loop_add_timer(loop, app->options.refresh, app_account_due, app);
}

static void open_account(struct app *app)
{
	if (app->tui) {
		app->control.account = tui_cpu_account(app->tui);
		return;
	}
	if (!app->ctlsock || cpu_account_init(&app->account, app->pool))
		return;
	app->account_open = true;
	app->control.account = &app->account;
	app->account_timer = loop_add_timer(app->loop, app->options.refresh, app_account_due, app);
}

static void close_account(struct app *app)
{
	app->control.account = NULL;
	if (!app->account_open)
		return;
	loop_del_timer(app->loop, app->account_timer);
	cpu_account_free(&app->account);
	app->account_open = false;
}

static void app_output_drained(void *data)
{
	struct app *app = data;
	loop_stop(app->loop);
}

/* The run is over: the loop ends once the reader of stdout took every
 * byte, and the control socket, signals and the TUI answer until then.
 * Asked again meanwhile (a signal, quit), pooltop stops waiting for a
 * reader that does not read: what it did not take is output lost. */
static void app_leave_loop(struct app *app)
{
	if (app->leaving) {
		log_debug("the run is over: no more waiting for the reader of the output");
		app->output_abandoned = true;
		loop_stop(app->loop);
		return;
	}
	app->leaving = true;
	output_drain(app->output, app_output_drained, app);
}

static void app_finished(void *data)
{
	struct app *app = data;
	if (app->tui && !app->quitting && tui_finished(app->tui))
		return;  /* --hold: the TUI stays until q */
	app_leave_loop(app);
}

static void app_quit(void *data, bool kill)
{
	struct app *app = data;
	app->quitting = true;
	if (pool_finished(app->pool)) {
		app_leave_loop(app);
		return;
	}
	if (kill)
		pool_kill_all(app->pool);
	else
		pool_stop(app->pool);
}

/* Autotune steps show on the --progress line, and with their reason in
 * the TUI's history line. */
static void app_autotune_note(void *data, const struct autotune_step *step)
{
	struct app *app = data;
	if (app->batch)
		batch_note(app->batch, step->text);
	if (app->tui)
		tui_autotune_step(app->tui, step->to, autotune_reason_name(step->reason));
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

/* First INT/TERM/HUP: no new items, running jobs finish.  Second: kill
 * them.  The status is a shell's for a program the signal killed. */
static void app_stop_signal(struct app *app, int signo)
{
	app->exit_signal_status = 128 + signo;
	log_debug("signal %d (%s): %s", signo, strsignal(signo),
		  pool_finished(app->pool) ? "closing the final screen"
		  : app->stop_signals == 0 ? "no new items, running jobs finish" : "killing the running jobs");
	if (pool_finished(app->pool)) {
		app_leave_loop(app);  /* only the --hold screen or output was left */
		return;
	}
	if (++app->stop_signals == 1) {
		app_message(app, "stopping: running jobs finish (signal again to kill them)");
		pool_stop(app->pool);
	} else {
		pool_kill_all(app->pool);
	}
}

/* SIGQUIT (Ctrl-\) means leave now, but in order: the jobs are killed
 * (TERM, then KILL after --grace) and reaped, the output they left is
 * written, the terminal and the socket are cleaned up; status 131. */
static void app_quit_signal(struct app *app)
{
	app->exit_signal_status = 128 + SIGQUIT;
	log_debug("signal %d (%s): %s", SIGQUIT, strsignal(SIGQUIT),
		  pool_finished(app->pool) ? "closing the final screen" : "killing the running jobs");
	if (pool_finished(app->pool)) {
		loop_stop(app->loop);
		return;
	}
	app_message(app, "quitting: killing the running jobs");
	pool_kill_all(app->pool);
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
	case SIGQUIT:
		app_quit_signal(app);
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
			batch_message(NULL, message);  /* it quotes the file: escaped */
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
	struct ctlsock_limits limits = { .max_clients = app->control_clients };
	char error[512];
	if (ctlsock_idle_seconds_from_env(&limits.idle_seconds, error, sizeof error)) {
		batch_message(NULL, error);  /* it quotes the variable's value: escaped */
		return -1;
	}
	app->ctlsock = ctlsock_open(app->loop, &app->control, app->options.control_path, &limits, error,
				    sizeof error);
	if (app->ctlsock)
		return 0;
	batch_message(NULL, error);  /* it quotes the path: escaped */
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

static struct items *open_items(struct app *app)
{
	struct options *options = &app->options;
	char message[512];
	if (options->pipe) {
		struct items *blocks = command_setup_pipe(options, message, sizeof message);
		if (!blocks)
			batch_message(NULL, message);
		return blocks;
	}
	options->sources.delimiter = options->delimiter;
	options->sources.max_length = options->pool.max_line;
	struct sources *sources = sources_open(&options->sources, message, sizeof message);
	if (!sources) {
		batch_message(NULL, message);
		return NULL;
	}
	app->command_words = sources_rename_placeholders(sources, options->command, options->command_argc);
	options->command = app->command_words;
	options->item_arguments = sources_argument_count(sources);
	return sources_items(sources);
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
				  : options->resume_failed ? JOBLOG_RESUME_FAILED
				  : options->retry_failed ? JOBLOG_RETRY_FAILED : JOBLOG_FRESH;
	char error[512];
	if (!app->joblog)
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

/* --retry-failed: the items are the failed commands of the joblog, each
 * run by the shell, as GNU parallel runs them; the command line's own
 * command and items are ignored, as there. */
static struct items *open_retry_failed(struct app *app)
{
	static char shell[] = "sh", dash_c[] = "-c", item[] = "{}";
	static char *shell_command[] = { shell, dash_c, item };
	struct options *options = &app->options;
	if (open_joblog(app))
		return NULL;
	options->command = shell_command;
	options->command_argc = 3;
	options->shell = false;
	return joblog_retry_items(app->joblog);
}

static void start_front_end(struct app *app)
{
	const struct options *options = &app->options;
	if (!options->batch) {
		char *settings_file = options->no_config ? NULL : settings_path();
		struct tui_config config = {
			.refresh = options->refresh,
			.refresh_given = options->refresh_given,
			.settings_path = settings_file,
			.color = !options->no_color && !getenv("NO_COLOR"),
			.hold = options->hold,
			.title = options->mode == MODE_DEMO ? "demo: Pool(3).map(square, range(10))"
							   : options->command[0],
		};
		app->tui = tui_open(app->loop, app->pool, &app->control, &config);
		free(settings_file);
	}
	if (app->tui) {
		output_hold(app->output, tui_owns_fd(app->tui, 1), tui_owns_fd(app->tui, 2));
		return;
	}
	app->batch = batch_new(app->loop, app->pool, options->refresh, options->progress);
}

/* Signals the caller ignored stay ignored (nohup's SIGHUP, SIGINT and
 * SIGQUIT in a script's background job), but for the two pooltop cannot
 * do without: SIGCHLD tells jobs' ends, SIGWINCH the terminal's size. */
static int watch_signals(struct app *app)
{
	sigset_t set, needed;
	sigemptyset(&set);
	sigemptyset(&needed);
	int watched[] = { SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGTSTP };
	for (size_t i = 0; i < sizeof watched / sizeof watched[0]; i++)
		sigaddset(&set, watched[i]);
	sigaddset(&needed, SIGCHLD);
	sigaddset(&needed, SIGWINCH);
	/* A write to a closed pipe should fail with EPIPE, not kill pooltop,
	 * and one past the file size limit with EFBIG; blocking SIGPIPE and
	 * SIGXFSZ (not ignoring them) keeps children's default. */
	sigset_t pipe_set;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigaddset(&pipe_set, SIGXFSZ);
	sigprocmask(SIG_BLOCK, &pipe_set, NULL);
	return loop_watch_signals(app->loop, &set, &needed, app_signal, app);
}

/* Lost output or joblog lines and an engine failure are each told once,
 * and end the run with 255; else a signal's status or the failures' count.
 * The messages may quote a command or an item: batch_message escapes them. */
static int exit_status(struct app *app)
{
	int status = 0;
	char message[512];
	if (output_error(app->output, message, sizeof message)) {
		if (!app->output_loss_told)
			batch_message(app->batch, message);
		status = 255;
	}
	if (output_format_error(app->format, message, sizeof message))
		status = 255;  /* told when it happened */
	if (joblog_error(app->joblog, message, sizeof message)) {
		if (!app->joblog_loss_told)
			batch_message(app->batch, message);
		status = 255;
	}
	if (app->output_overflow)
		status = 255;
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
	/* Before any job: the guardian kills the jobs' process groups if
	 * pooltop is killed.  Without one, only the jobs' leaders die. */
	if (guardian_start())
		fprintf(stderr, "pooltop: cannot start the guardian process (%s): if pooltop is killed, "
			"its jobs' children may keep running\n", strerror(errno));
	char note[256];
	int asked_jobs = options->pool.jobs, asked_max = options->pool.max_jobs;
	app->control_clients = options->control_path ? CTLSOCK_MAX_CLIENTS : 0;
	if (rlimits_raise_fd_limit(&options->pool, &app->control_clients, note, sizeof note))
		fprintf(stderr, "pooltop: %s\n", note);
	if (rlimits_clamp_to_process_limit(&options->pool, note, sizeof note))
		fprintf(stderr, "pooltop: %s\n", note);
	/* The limits lowered the bounds: the pool is asked for the count the
	 * user gave, clamps it, and its status says "ulimit". */
	if (options->pool.max_jobs < asked_max) {
		options->pool.ulimit_jobs = options->pool.max_jobs;
		options->pool.jobs = asked_jobs;
	}
	if (options->mode == MODE_COMMAND)
		app->items = command_setup_group(options, app->template, app->items);
	if (options->mode == MODE_DEMO) {
		options->pool.worker_argv = demo_worker_argv();
	} else if (options->mode == MODE_WORKER) {
		char **argv = xcalloc((size_t)options->command_argc + 1, sizeof *argv);
		memcpy(argv, options->command, (size_t)options->command_argc * sizeof *argv);
		options->pool.worker_argv = argv;
	} else {
		options->pool.template = app->template;
	}
	struct pool_events events = {
		.result = app_result, .reaped = app_reaped, .message = app_message,
		.finished = app_finished, .data = app,
	};
	app->output = output_new(app->loop, options->keep_order);
	app->format = output_format_new(app->output, options, app->template);
	if (output_format_live(app->format))
		events.live_output = app_live_output;
	if (output_format_prints_commands(app->format))
		events.started = app_started;
	if (open_joblog(app) || choose_initial_jobs(app))
		return 255;
	char error[512] = "";
	if (options->sshlogin_count || options->sshlogin_file) {
		app->remote = remote_run_open(options, app->loop, app->items, &events, error, sizeof error);
		app->pool = app->remote ? remote_run_pool(app->remote) : NULL;
	} else
		app->pool = pool_new(&options->pool, app->loop, app->items, &events);
	if (!app->pool) {
		if (*error)
			batch_message(NULL, error);
		return 255;
	}
	output_on_closed(app->output, app_stdout_closed, app);
	output_on_lost(app->output, app_output_lost, app);
	output_on_backlog(app->output, app_output_backlog, app);
	output_on_written(app->output, app_output_written, app);
	spool_set_overflow_hook(app_output_overflow);
	spool_set_no_file_hook(app_spool_no_file);
	app->control = (struct control){
		.pool = app->pool,
		.hooks = {
			.quit = app_quit,
			.autotune = app_autotune,
			.autotune_enabled = app_autotune_enabled,
			.data = app,
		},
		.cpus = options_online_cpus(),
	};
	if (open_control_socket(app))
		return 255;
	if (options->mode == MODE_DEMO)
		app->demo = demo_new(app->output);
	start_front_end(app);
	ctlsock_set_refresh(app->ctlsock, options->refresh);
	open_account(app);
	log_debug("run starts: %d workers (bounds %d to %d)%s%s", options->pool.jobs, options->pool.min_jobs,
		  options->pool.max_jobs, options->pool.kind == POOL_WORKER ? ", persistent workers" : "",
		  options->keep_order ? ", in input order" : "");
	if (app->remote && remote_run_connect(app->remote, error, sizeof error)) {
		batch_message(app->batch, error);  /* before any job: a host's slots wait for it */
		return 255;
	}
	pool_start(app->pool);
	start_tuning(app);
	if (!pool_finished(app->pool))
		loop_run(app->loop);
	remote_run_close(app->remote);  /* the remote sessions end, and what still ran there */

	struct pool_stats stats;
	pool_get_stats(app->pool, &stats);
	close_account(app);
	app_leave_screen(app);
	if (app->batch)
		batch_finish(app->batch);
	if (app->demo)
		demo_finish(app->demo, stats.elapsed);
	if (app->output_abandoned)
		output_abandon(app->output);
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
	char message[512];
	snprintf(message, sizeof message, "cannot open the log '%.300s': %s", path, strerror(errno));
	batch_message(NULL, message);
	return -1;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], DEMO_WORKER_FLAG))
		return demo_worker_main();
	if (argc == 2 && !strcmp(argv[1], GUARDIAN_FLAG))
		return guardian_main();
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
	/* The sources first: their header lines name placeholders.  A
	 * placeholder pooltop refuses is a usage error: nothing starts. */
	if (!(app.items = app.options.retry_failed ? open_retry_failed(&app) : open_items(&app)) ||
	    (app.options.mode == MODE_COMMAND &&
	     !(app.template = command_setup_template(&app.options, error, sizeof error)))) {
		if (app.items)
			batch_message(NULL, error);  /* it quotes the command: escaped */
		items_free(app.items);
		sources_free_words(app.command_words, app.options.command_argc);
		return 255;
	}
	the_app = &app;
	atexit(restore_terminal);
	xalloc_set_fatal_hook(restore_terminal);
	int status = run(&app);
	guardian_release();  /* an orderly end: what jobs left running is theirs */
	if (app.options.mode == MODE_WORKER)
		free((void *)app.options.pool.worker_argv);
	ctlsock_close(app.ctlsock);
	app.ctlsock = NULL;
	autotune_free(app.autotune);
	jobsfile_free(app.jobsfile);
	pool_free(app.pool);
	remote_run_free(app.remote);  /* after the pool: its slots leave their hosts */
	output_free(app.output);
	output_format_free(app.format);
	batch_free(app.batch);
	demo_free(app.demo);
	joblog_close(app.joblog);
	template_free(app.template);
	items_free(app.items);
	sources_free_words(app.command_words, app.options.command_argc);
	loop_free(app.loop);
	log_debug("exit status %d", status);  /* last: after the engine's own last words */
	log_close();
	return status;
}
