/* control.c - one table of command verbs.  Each verb parses its words,
 * calls the engine and writes a one-line reply; the TUI's keys, SIGUSR1/2,
 * the control socket and the jobs file all come through control_run().
 * The status object is built with jansson. */
#include "control.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "loop.h"
#include "text.h"
#include "throttle.h"
#include "remote.h"
#include "xalloc.h"

#define MAX_WORDS 4

struct verb {
	const char *name;
	int min_args, max_args;
	const char *usage;
	int (*run)(struct control *control, int argc, char **argv, char **reply);
};

static int reply_ok(char **reply, const char *format, ...) __attribute__((format(printf, 2, 3)));
static int reply_error(char **reply, const char *format, ...) __attribute__((format(printf, 2, 3)));

static char *vformat(const char *prefix, const char *format, va_list args) __attribute__((format(printf, 2, 0)));

/* prefix, then format filled in (malloc'd). */
static char *vformat(const char *prefix, const char *format, va_list args)
{
	va_list copy;
	va_copy(copy, args);
	int len = vsnprintf(NULL, 0, format, copy);
	va_end(copy);
	if (len < 0)
		len = 0;
	size_t prefix_len = strlen(prefix);
	char *text = xmalloc(prefix_len + (size_t)len + 1);
	memcpy(text, prefix, prefix_len);
	vsnprintf(text + prefix_len, (size_t)len + 1, format, args);
	return text;
}

static int reply_ok(char **reply, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	*reply = vformat(*format ? "ok " : "ok", format, args);
	va_end(args);
	return 0;
}

static int reply_error(char **reply, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	*reply = vformat("error ", format, args);
	va_end(args);
	return -1;
}

static bool parse_count(const char *text, long *value)
{
	char *end;
	errno = 0;
	long n = strtol(text, &end, 10);
	if (errno || end == text || *end || n < -1000000 || n > 1000000)
		return false;
	*value = n;
	return true;
}

bool control_autotune_enabled(const struct control *control)
{
	return control->hooks.autotune_enabled && control->hooks.autotune_enabled(control->hooks.data);
}

/* A manual change of the worker count turns autotune off. */
static void autotune_off(struct control *control)
{
	if (control->hooks.autotune && control_autotune_enabled(control))
		control->hooks.autotune(control->hooks.data, false);
}

/* Every worker count change, whatever its origin, ends here. */
static int resize(struct control *control, long target, enum shrink_mode mode, bool *clamped)
{
	int bounded = target < 0 ? 0 : target > 1000000 ? 1000000 : (int)target;
	return pool_resize(control->pool, bounded, mode, clamped);
}

int control_autotune_jobs(struct control *control, int target)
{
	return resize(control, target, SHRINK_GRACEFUL, NULL);
}

static int verb_jobs(struct control *control, int argc, char **argv, char **reply)
{
	(void)argc;
	char text[32];
	size_t len = strlen(argv[1]);
	/* A longer word is no count: cut short, "0...02x" would read as 2. */
	if (len >= sizeof text)
		return reply_error(reply, "jobs wants N, +N or -N (and ! to kill), not '%.20s...'", argv[1]);
	memcpy(text, argv[1], len + 1);
	bool forced = len > 0 && text[len - 1] == '!';  /* jobs -2! kills, whatever --shrink says */
	if (forced)
		text[--len] = '\0';
	long n;
	if (!parse_count(text, &n))
		return reply_error(reply, "jobs wants N, +N or -N (and ! to kill), not '%s'", argv[1]);
	int current = pool_target(control->pool);
	long target = (text[0] == '+' || text[0] == '-') ? current + n : n;
	enum shrink_mode mode = forced ? SHRINK_KILL : pool_shrink_mode(control->pool);
	autotune_off(control);
	bool clamped = false;
	int now = resize(control, target, mode, &clamped);
	if (clamped) {
		int min_jobs, max_jobs;
		pool_bounds(control->pool, &min_jobs, &max_jobs);
		return reply_ok(reply, "jobs %d (clamped to %d..%d)", now, min_jobs, max_jobs);
	}
	return reply_ok(reply, "jobs %d", now);
}

static int verb_pause(struct control *control, int argc, char **argv, char **reply)
{
	(void)argc;
	bool pause = !strcmp(argv[0], "pause");
	pool_set_paused(control->pool, pause);
	return reply_ok(reply, "%s", pause ? "paused" : "resumed");
}

static int verb_suspend(struct control *control, int argc, char **argv, char **reply)
{
	(void)argc;
	bool suspend = !strcmp(argv[0], "suspend");
	pool_set_suspended(control->pool, suspend);
	return reply_ok(reply, "%s", suspend ? "suspended" : "continued");
}

/* Numbers as JSON: a figure not known yet is null. */
static json_t *number_or_null(double value)
{
	return value >= 0 ? json_real(value) : json_null();
}

static const char *const state_names[] = {
	[SLOT_IDLE] = "idle", [SLOT_RUN] = "run", [SLOT_RETIRE] = "retire", [SLOT_STOP] = "stop",
};

/* The workers array: one object per slot, figures from the CPU account
 * when there is one. */
static json_t *workers_json(const struct control *control, double now)
{
	json_t *workers = json_array();
	int slots = pool_slot_count(control->pool);
	for (int index = 0; index < slots; index++) {
		struct slot_view view;
		if (!pool_slot_view(control->pool, index, &view))
			break;
		struct slot_usage usage = { .cpu_percent = -1 };
		if (control->account)
			cpu_account_slot(control->account, index, &view, &usage);
		json_t *item = json_null();
		if (view.item) {
			char text[STATUS_ITEM_SIZE];
			char *joined = text_join_args(view.item, view.item_len);
			text_sanitize(text, sizeof text, joined, view.item_len, 0);
			free(joined);
			item = json_string(text);
		}
		json_t *worker = json_object();
		json_object_set_new(worker, "slot", json_integer(view.number));
		/* A job on another host: its pid there, and the host's login. */
		pid_t pid = view.host ? view.remote_pid : view.pid;
		json_object_set_new(worker, "pid", pid > 0 && view.pid > 0 ? json_integer(pid) : json_null());
		char host[STATUS_ITEM_SIZE];
		text_sanitize(host, sizeof host, view.host ? view.host : ":", strlen(view.host ? view.host : ":"), 0);
		json_object_set_new(worker, "host", host[0] ? json_string(host) : json_null());
		json_object_set_new(worker, "state", json_string(state_names[view.state]));
		json_object_set_new(worker, "item", item ? item : json_null());
		json_object_set_new(worker, "elapsed", view.item ? json_real(now - view.item_started) : json_null());
		json_object_set_new(worker, "cpu_percent", view.pid > 0 ? number_or_null(usage.cpu_percent)
								     : json_null());
		json_object_set_new(worker, "rss_bytes", json_integer((json_int_t)usage.rss_bytes));
		json_object_set_new(worker, "done", json_integer((json_int_t)view.done));
		json_object_set_new(worker, "failed", json_integer((json_int_t)view.failed));
		/* --pipe: bytes of the block written to the job's stdin so far. */
		if (view.fed)
			json_object_set_new(worker, "fed_bytes", json_integer((json_int_t)view.fed_bytes));
		json_array_append_new(workers, worker);
	}
	return workers;
}

/* The limits of the throttles: null when off. */
static json_t *limits_json(const struct control *control)
{
	struct throttle_limits limits;
	pool_get_throttle(control->pool, &limits);
	json_t *object = json_object();
	json_object_set_new(object, "load", limits.load > 0 ? json_real(limits.load) : json_null());
	json_object_set_new(object, "memfree", limits.memfree ? json_integer((json_int_t)limits.memfree)
							   : json_null());
	json_object_set_new(object, "memsuspend", limits.memsuspend ? json_integer((json_int_t)limits.memsuspend)
								  : json_null());
	return object;
}

/* Hosts of a run over -S: omitted for a plain pool.  Logins and reasons
 * are sanitized as the workers' are. */
static json_t *sanitized_string(const char *text)
{
	char clean[STATUS_ITEM_SIZE];
	text_sanitize(clean, sizeof clean, text, strlen(text), 0);
	return json_string(clean);
}

static json_t *hosts_json(const struct control *control)
{
	json_t *hosts = json_array();
	struct remote_host_stats host;
	for (int index = 0; remote_pool_host_stats(control->pool, index, &host); index++) {
		json_t *object = json_object();
		json_object_set_new(object, "login", sanitized_string(host.login));
		json_object_set_new(object, "state", json_string(host.state));
		json_object_set_new(object, "reason", host.reason ? sanitized_string(host.reason) : json_null());
		json_object_set_new(object, "slots", json_integer(host.slots));
		json_object_set_new(object, "running", json_integer(host.running));
		json_object_set_new(object, "done", json_integer((json_int_t)host.done));
		json_object_set_new(object, "cpus", host.cores ? json_integer(host.cores) : json_null());
		json_array_append_new(hosts, object);
	}
	return hosts;
}

/* jansson allocates through xalloc.h: it never sees NULL. */
static void json_use_xalloc(void)
{
	static bool done;
	if (!done)
		json_set_alloc_funcs(xmalloc, free);
	done = true;
}

char *control_status_json(struct control *control)
{
	json_use_xalloc();
	struct pool_stats stats;
	pool_get_stats(control->pool, &stats);
	const char *throttle = pool_throttle(control->pool);
	const struct cpu_account *account = control->account;
	json_t *status = json_object();
	json_object_set_new(status, "target", json_integer(stats.target));
	json_object_set_new(status, "running", json_integer(stats.running));
	json_object_set_new(status, "done", json_integer((json_int_t)stats.done));
	json_object_set_new(status, "failed", json_integer((json_int_t)stats.failed));
	json_object_set_new(status, "queued", json_integer((json_int_t)stats.queued));
	json_object_set_new(status, "total", stats.total >= 0 ? json_integer(stats.total) : json_null());
	json_object_set_new(status, "items_per_s", json_real(round(stats.items_per_s * 100) / 100));
	json_object_set_new(status, "paused", json_boolean(stats.paused));
	json_object_set_new(status, "autotune", json_boolean(control_autotune_enabled(control)));
	json_object_set_new(status, "cpu_percent", account ? number_or_null(account->total_cpu) : json_null());
	json_object_set_new(status, "rss_bytes", json_integer(account ? (json_int_t)account->total_rss : 0));
	json_object_set_new(status, "throttle", throttle ? json_string(throttle) : json_null());
	json_object_set_new(status, "limits", limits_json(control));
	json_object_set_new(status, "workers", workers_json(control, loop_now()));
	if (remote_pool_host_count(control->pool))
		json_object_set_new(status, "hosts", hosts_json(control));
	char *text = json_dumps(status, JSON_COMPACT | JSON_REAL_PRECISION(6));
	json_decref(status);
	return text;
}

static int verb_status(struct control *control, int argc, char **argv, char **reply)
{
	(void)argc;
	(void)argv;
	char *json = control_status_json(control);
	reply_ok(reply, "%s", json);
	free(json);
	return 0;
}

static int verb_watch(struct control *control, int argc, char **argv, char **reply)
{
	(void)control;
	(void)argc;
	(void)argv;
	reply_ok(reply, "watching");
	return CONTROL_WATCH;
}

/* load N|off, memfree SIZE|off, memsuspend SIZE|off: the throttles, live. */
static int verb_throttle(struct control *control, int argc, char **argv, char **reply)
{
	(void)argc;
	struct throttle_limits limits;
	pool_get_throttle(control->pool, &limits);
	bool off = !strcmp(argv[1], "off");
	if (!strcmp(argv[0], "load")) {
		if (off)
			limits.load = 0;
		else if (throttle_parse_load(argv[1], control->cpus > 0 ? control->cpus : 1, &limits.load))
			return reply_error(reply, "load wants a number of running threads, N%% of CPUs, or off");
	} else {
		uint64_t *size = !strcmp(argv[0], "memfree") ? &limits.memfree : &limits.memsuspend;
		uint64_t bytes = 0;
		if (!off && (throttle_parse_size(argv[1], &bytes) || !bytes))
			return reply_error(reply, "%s wants a size such as 512M or 2G, or off", argv[0]);
		*size = bytes;
	}
	pool_set_throttle(control->pool, &limits);
	return reply_ok(reply, "%s %s", argv[0], off ? "off" : argv[1]);
}

static int verb_kill(struct control *control, int argc, char **argv, char **reply)
{
	(void)argc;
	long seq;
	if (!parse_count(argv[1], &seq) || seq < 1)
		return reply_error(reply, "kill wants the sequence number of a running item");
	if (pool_kill_item(control->pool, (uint64_t)seq))
		return reply_error(reply, "no running item has sequence number %ld", seq);
	return reply_ok(reply, "killed %ld", seq);
}

static int verb_requeue(struct control *control, int argc, char **argv, char **reply)
{
	(void)argc;
	(void)argv;
	size_t count = pool_requeue_failed(control->pool);
	return reply_ok(reply, "requeued %zu", count);
}

static int verb_autotune(struct control *control, int argc, char **argv, char **reply)
{
	(void)argc;
	if (!control->hooks.autotune)
		return reply_error(reply, "autotune is not available");
	bool on;
	if (!strcmp(argv[1], "on"))
		on = true;
	else if (!strcmp(argv[1], "off"))
		on = false;
	else
		return reply_error(reply, "autotune wants on or off");
	control->hooks.autotune(control->hooks.data, on);
	return reply_ok(reply, "autotune %s", on ? "on" : "off");
}

static int verb_quit(struct control *control, int argc, char **argv, char **reply)
{
	bool kill = argc > 1;
	if (kill && strcmp(argv[1], "kill"))
		return reply_error(reply, "quit takes no argument but kill");
	if (control->hooks.quit)
		control->hooks.quit(control->hooks.data, kill);
	return reply_ok(reply, "%s", kill ? "quitting, killing jobs" : "quitting when running jobs finish");
}

/* host add|drain|remove LOGIN: hosts join or leave a run over -S hosts. */
static int verb_host(struct control *control, int argc, char **argv, char **reply)
{
	(void)argc;
	char message[512];
	if (remote_pool_host(control->pool, argv[1], argv[2], message, sizeof message))
		return reply_error(reply, "%s", message);
	return reply_ok(reply, "%s", message);
}

static const struct verb verbs[] = {
	{ "jobs", 1, 1, "jobs N|+N|-N[!]", verb_jobs },
	{ "pause", 0, 0, "pause", verb_pause },
	{ "resume", 0, 0, "resume", verb_pause },
	{ "suspend", 0, 0, "suspend", verb_suspend },
	{ "continue", 0, 0, "continue", verb_suspend },
	{ "status", 0, 0, "status", verb_status },
	{ "watch", 0, 0, "watch", verb_watch },
	{ "kill", 1, 1, "kill SEQ", verb_kill },
	{ "requeue", 0, 0, "requeue", verb_requeue },
	{ "autotune", 1, 1, "autotune on|off", verb_autotune },
	{ "quit", 0, 1, "quit [kill]", verb_quit },
	{ "load", 1, 1, "load N|N%|off", verb_throttle },
	{ "memfree", 1, 1, "memfree SIZE|off", verb_throttle },
	{ "memsuspend", 1, 1, "memsuspend SIZE|off", verb_throttle },
	{ "host", 2, 2, "host add|drain|remove LOGIN", verb_host },
};

/* "jobs, pause, ...": every verb of the table, so a new verb is named in
 * the reply to an unknown one without anyone remembering to add it. */
static void verb_names(char *out, size_t size)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0] && used < size; i++) {
		int n = snprintf(out + used, size - used, "%s%s", i ? ", " : "", verbs[i].name);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

char *control_execute(struct control *control, const char *line, int *status)
{
	char *reply;
	*status = -1;
	char copy[CONTROL_MAX_LINE];
	size_t len = strlen(line);
	if (len >= sizeof copy) {
		reply_error(&reply, "command too long");
		return reply;
	}
	memcpy(copy, line, len + 1);
	char *argv[MAX_WORDS + 1];
	int argc = 0;
	for (char *save = NULL, *word = strtok_r(copy, " \t\r\n", &save); word;
	     word = strtok_r(NULL, " \t\r\n", &save)) {
		if (argc == MAX_WORDS) {
			reply_error(&reply, "too many words");
			return reply;
		}
		argv[argc++] = word;
	}
	if (!argc) {
		reply_error(&reply, "empty command");
		return reply;
	}
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
		const struct verb *verb = &verbs[i];
		if (strcmp(verb->name, argv[0]))
			continue;
		if (argc - 1 < verb->min_args || argc - 1 > verb->max_args)
			reply_error(&reply, "usage: %s", verb->usage);
		else
			*status = verb->run(control, argc, argv, &reply);
		return reply;
	}
	char names[512];
	verb_names(names, sizeof names);
	reply_error(&reply, "unknown command '%.40s' (verbs: %s)", argv[0], names);
	return reply;
}

int control_run(struct control *control, const char *line, char *reply, size_t size)
{
	int status;
	char *text = control_execute(control, line, &status);
	snprintf(reply, size, "%s", text);
	free(text);
	return status;
}
