/* throttle.h - GNU parallel's throttles: --load (no new job while too many
 * threads are running), --memfree (no new job while too little memory is
 * available; below half of it the youngest job is killed and its item
 * requeued) and --memsuspend (suspend the youngest jobs instead).  The
 * readings come from /proc, or from a probe tests inject; the decisions
 * are pure functions.  The scheduler asks throttle_allows_start() before
 * each start. */
#ifndef POOLTOP_THROTTLE_H
#define POOLTOP_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

/* The limits; each may be changed while the pool runs. */
struct throttle_limits {
	double load;             /* --load: no start while this many threads run; 0 = off */
	uint64_t memfree;        /* --memfree: bytes, 0 = off */
	uint64_t memsuspend;     /* --memsuspend: bytes, 0 = off */
};

/* One reading of the machine. */
struct throttle_reading {
	double running;          /* runnable threads besides pooltop's own; < 0 unknown */
	int64_t available;       /* MemAvailable in bytes; < 0 unknown */
};

/* Fills a reading; returns 0, or -1 when nothing could be read. */
typedef int throttle_probe_fn(void *data, struct throttle_reading *reading);

enum throttle_reason { THROTTLE_NONE, THROTTLE_LOAD, THROTTLE_MEMFREE, THROTTLE_MEMSUSPEND };

/* Seconds between two readings while jobs run or the pool is held. */
#define THROTTLE_INTERVAL 0.5

/* ---- the decisions (pure) ------------------------------------------------ */

/* "load", "memfree", "memsuspend", or NULL for THROTTLE_NONE. */
const char *throttle_reason_name(enum throttle_reason reason);
bool throttle_limits_active(const struct throttle_limits *limits);
/* Why no job may start, as GNU parallel decides: the load when the
 * running threads are at or above --load; memory when less than --memfree
 * (plus --memsuspend) is available.  Unknown figures hold nothing. */
enum throttle_reason throttle_decide(const struct throttle_limits *limits,
				     const struct throttle_reading *reading);
/* --memfree: below half of it, the youngest job is killed. */
bool throttle_memfree_kills(const struct throttle_limits *limits, const struct throttle_reading *reading);
/* --memsuspend SIZE: how many of `jobs` running jobs may run (the oldest;
 * the younger ones are suspended): all at or above 2 * SIZE, one below
 * SIZE, and floor(1 / (2 - available / SIZE)) + 1 in between, as GNU
 * parallel counts. */
int throttle_memsuspend_keep(uint64_t size, int64_t available, int jobs);

/* ---- parsing ------------------------------------------------------------- */

/* SIZE as GNU parallel: a number with an optional suffix, K M G T P for
 * powers of 1024, k m g t p for powers of 1000.  0 or -1. */
int throttle_parse_size(const char *text, uint64_t *bytes);
/* --load MAX: a number (decimals allowed) or N% of `cpus`; 0 means 0.01,
 * as GNU parallel reads it.  0 or -1. */
int throttle_parse_load(const char *text, int cpus, double *load);
/* The runnable threads of /proc/loadavg's text, less the reader itself. */
int throttle_parse_loadavg(const char *text, double *running);
/* MemAvailable of /proc/meminfo's text, in bytes. */
int throttle_parse_meminfo(const char *text, int64_t *available);
/* The default probe: /proc/loadavg and /proc/meminfo. */
int throttle_read_proc(void *data, struct throttle_reading *reading);

/* ---- the engine's throttle (throttle.c, driven by pool.c) ---------------- */

struct pool;
struct throttle;

struct throttle *throttle_new(struct pool *pool, const struct throttle_limits *limits);
void throttle_free(struct throttle *throttle);
/* Readings from fn instead of /proc (tests). */
void throttle_set_probe(struct throttle *throttle, throttle_probe_fn *fn, void *data);
void throttle_set_limits(struct throttle *throttle, const struct throttle_limits *limits);
void throttle_get_limits(const struct throttle *throttle, struct throttle_limits *limits);
/* May a job start now?  Reads the machine again only when the last
 * reading is older than THROTTLE_INTERVAL; keeps the timer going while
 * the pool is held. */
bool throttle_allows_start(struct throttle *throttle);
/* What held the pool at the last reading. */
enum throttle_reason throttle_holding(const struct throttle *throttle);
/* A job started or the limits changed: watch the machine while jobs run. */
void throttle_watch(struct throttle *throttle);
/* Read now and act: kill (--memfree) or suspend and resume (--memsuspend)
 * jobs, start jobs when the hold ends.  The timer runs this. */
void throttle_check(struct throttle *throttle);

#endif
