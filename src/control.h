/* control.h - the command verbs (jobs, pause, resume, status, kill, ...)
 * that keys, signals, the control socket and the jobs file all run, so
 * every path drives the engine the same way. */
#ifndef POOLTOP_CONTROL_H
#define POOLTOP_CONTROL_H

#include <stdbool.h>
#include <stddef.h>

#include "cpu_account.h"
#include "pool.h"

/* What the verbs need beyond the pool, supplied by main. */
struct control_hooks {
	void (*quit)(void *data, bool kill);        /* quit: let jobs finish, or kill them */
	void (*autotune)(void *data, bool on);      /* NULL when autotune is not available */
	bool (*autotune_enabled)(void *data);
	void *data;
};


struct control {
	struct pool *pool;
	struct control_hooks hooks;
	const struct cpu_account *account;  /* CPU and memory for status; NULL: not known */
	int cpus;                           /* online CPUs, for load N% */
};

/* The longest command line, newline included: the control socket's limit. */
#define CONTROL_MAX_LINE 4096

/* What control_execute() returns for `watch`: the caller sends
 * control_status_json() on a line of its own each refresh from now on. */
#define CONTROL_WATCH 1

/* Run one command line ("jobs +2", "status", ...).  The reply is one line
 * without a newline: "ok ..." or "error ...", cut to size.  Returns 0, -1
 * (error) or CONTROL_WATCH. */
int control_run(struct control *control, const char *line, char *reply, size_t size);
/* The same, with the whole reply, however long (malloc'd). */
char *control_execute(struct control *control, const char *line, int *status);

/* Items in the status JSON are sanitized as on the screen and cut to this. */
#define STATUS_ITEM_SIZE 256

/* The status object, one line of JSON (malloc'd): the pool's totals,
 * cpu_percent, rss_bytes, throttle, the limits and a workers array. */
char *control_status_json(struct control *control);

/* Is autotune on?  False when it is not available. */
bool control_autotune_enabled(const struct control *control);

/* Resize on autotune's behalf: the path `jobs N` takes, but autotune
 * stays on and a shrink is always graceful.  Returns the new target. */
int control_autotune_jobs(struct control *control, int target);

#endif
