/* control.c - one table of command verbs.  Each verb parses its words,
 * calls the engine and writes a one-line reply; the TUI's keys, SIGUSR1/2,
 * the control socket and the jobs file all come through control_run(). */
#include "control.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 4

struct verb {
	const char *name;
	int min_args, max_args;
	const char *usage;
	int (*run)(struct control *control, int argc, char **argv, char *reply, size_t size);
};

static int reply_ok(char *reply, size_t size, const char *format, ...)
	__attribute__((format(printf, 3, 4)));
static int reply_error(char *reply, size_t size, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

static int reply_ok(char *reply, size_t size, const char *format, ...)
{
	int n = snprintf(reply, size, "ok");
	if (format && *format && n > 0 && (size_t)n < size) {
		reply[n++] = ' ';
		reply[n] = '\0';
		va_list args;
		va_start(args, format);
		vsnprintf(reply + n, size - (size_t)n, format, args);
		va_end(args);
	}
	return 0;
}

static int reply_error(char *reply, size_t size, const char *format, ...)
{
	int n = snprintf(reply, size, "error ");
	va_list args;
	va_start(args, format);
	if (n > 0 && (size_t)n < size)
		vsnprintf(reply + n, size - (size_t)n, format, args);
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

static int verb_jobs(struct control *control, int argc, char **argv, char *reply, size_t size)
{
	(void)argc;
	char text[32];
	size_t len = strlen(argv[1]);
	/* A longer word is no count: cut short, "0...02x" would read as 2. */
	if (len >= sizeof text)
		return reply_error(reply, size, "jobs wants N, +N or -N (and ! to kill), not '%.20s...'", argv[1]);
	memcpy(text, argv[1], len + 1);
	bool forced = len > 0 && text[len - 1] == '!';  /* jobs -2! kills, whatever --shrink says */
	if (forced)
		text[--len] = '\0';
	long n;
	if (!parse_count(text, &n))
		return reply_error(reply, size, "jobs wants N, +N or -N (and ! to kill), not '%s'", argv[1]);
	int current = pool_target(control->pool);
	long target = (text[0] == '+' || text[0] == '-') ? current + n : n;
	enum shrink_mode mode = forced ? SHRINK_KILL : pool_shrink_mode(control->pool);
	autotune_off(control);
	bool clamped = false;
	int now = resize(control, target, mode, &clamped);
	if (clamped) {
		int min_jobs, max_jobs;
		pool_bounds(control->pool, &min_jobs, &max_jobs);
		return reply_ok(reply, size, "jobs %d (clamped to %d..%d)", now, min_jobs, max_jobs);
	}
	return reply_ok(reply, size, "jobs %d", now);
}

static int verb_pause(struct control *control, int argc, char **argv, char *reply, size_t size)
{
	(void)argc;
	bool pause = !strcmp(argv[0], "pause");
	pool_set_paused(control->pool, pause);
	return reply_ok(reply, size, "%s", pause ? "paused" : "resumed");
}

static int verb_suspend(struct control *control, int argc, char **argv, char *reply, size_t size)
{
	(void)argc;
	bool suspend = !strcmp(argv[0], "suspend");
	pool_set_suspended(control->pool, suspend);
	return reply_ok(reply, size, "%s", suspend ? "suspended" : "continued");
}

/* The status object: one line of JSON. */
static void status_json(struct control *control, char *out, size_t size)
{
	struct pool_stats stats;
	pool_get_stats(control->pool, &stats);
	char total[32];
	if (stats.total >= 0)
		snprintf(total, sizeof total, "%" PRId64, stats.total);
	else
		snprintf(total, sizeof total, "null");
	bool autotune = control_autotune_enabled(control);
	snprintf(out, size,
		 "{\"target\":%d,\"running\":%d,\"done\":%" PRIu64 ",\"failed\":%" PRIu64
		 ",\"queued\":%" PRIu64 ",\"total\":%s,\"items_per_s\":%.2f,\"paused\":%s,\"autotune\":%s}",
		 stats.target, stats.running, stats.done, stats.failed, stats.queued, total,
		 stats.items_per_s, stats.paused ? "true" : "false", autotune ? "true" : "false");
}

static int verb_status(struct control *control, int argc, char **argv, char *reply, size_t size)
{
	(void)argc;
	(void)argv;
	char json[512];
	status_json(control, json, sizeof json);
	return reply_ok(reply, size, "%s", json);
}

static int verb_kill(struct control *control, int argc, char **argv, char *reply, size_t size)
{
	(void)argc;
	long seq;
	if (!parse_count(argv[1], &seq) || seq < 1)
		return reply_error(reply, size, "kill wants the sequence number of a running item");
	if (pool_kill_item(control->pool, (uint64_t)seq))
		return reply_error(reply, size, "no running item has sequence number %ld", seq);
	return reply_ok(reply, size, "killed %ld", seq);
}

static int verb_requeue(struct control *control, int argc, char **argv, char *reply, size_t size)
{
	(void)argc;
	(void)argv;
	size_t count = pool_requeue_failed(control->pool);
	return reply_ok(reply, size, "requeued %zu", count);
}

static int verb_autotune(struct control *control, int argc, char **argv, char *reply, size_t size)
{
	(void)argc;
	if (!control->hooks.autotune)
		return reply_error(reply, size, "autotune is not available");
	bool on;
	if (!strcmp(argv[1], "on"))
		on = true;
	else if (!strcmp(argv[1], "off"))
		on = false;
	else
		return reply_error(reply, size, "autotune wants on or off");
	control->hooks.autotune(control->hooks.data, on);
	return reply_ok(reply, size, "autotune %s", on ? "on" : "off");
}

static int verb_quit(struct control *control, int argc, char **argv, char *reply, size_t size)
{
	bool kill = argc > 1;
	if (kill && strcmp(argv[1], "kill"))
		return reply_error(reply, size, "quit takes no argument but kill");
	if (control->hooks.quit)
		control->hooks.quit(control->hooks.data, kill);
	return reply_ok(reply, size, "%s", kill ? "quitting, killing jobs" : "quitting when running jobs finish");
}

static const struct verb verbs[] = {
	{ "jobs", 1, 1, "jobs N|+N|-N[!]", verb_jobs },
	{ "pause", 0, 0, "pause", verb_pause },
	{ "resume", 0, 0, "resume", verb_pause },
	{ "suspend", 0, 0, "suspend", verb_suspend },
	{ "continue", 0, 0, "continue", verb_suspend },
	{ "status", 0, 0, "status", verb_status },
	{ "kill", 1, 1, "kill SEQ", verb_kill },
	{ "requeue", 0, 0, "requeue", verb_requeue },
	{ "autotune", 1, 1, "autotune on|off", verb_autotune },
	{ "quit", 0, 1, "quit [kill]", verb_quit },
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

int control_run(struct control *control, const char *line, char *reply, size_t size)
{
	char copy[CONTROL_MAX_LINE];
	size_t len = strlen(line);
	if (len >= sizeof copy)
		return reply_error(reply, size, "command too long");
	memcpy(copy, line, len + 1);
	char *argv[MAX_WORDS + 1];
	int argc = 0;
	for (char *save = NULL, *word = strtok_r(copy, " \t\r\n", &save); word;
	     word = strtok_r(NULL, " \t\r\n", &save)) {
		if (argc == MAX_WORDS)
			return reply_error(reply, size, "too many words");
		argv[argc++] = word;
	}
	if (!argc)
		return reply_error(reply, size, "empty command");
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
		const struct verb *verb = &verbs[i];
		if (strcmp(verb->name, argv[0]))
			continue;
		if (argc - 1 < verb->min_args || argc - 1 > verb->max_args)
			return reply_error(reply, size, "usage: %s", verb->usage);
		return verb->run(control, argc, argv, reply, size);
	}
	char names[256];
	verb_names(names, sizeof names);
	return reply_error(reply, size, "unknown command '%.40s' (verbs: %s)", argv[0], names);
}
