/* autotune.h - --autotune: searches the worker count with the most
 * completed items per second.  The search is a pure hill climb over
 * measured windows (unit-tested), told also what the pool's CPU and the
 * machine say: a pool that fills every core while tasks wait for one
 * steps down, pressure stops growth.  The driver measures and resizes. */
#ifndef POOLTOP_AUTOTUNE_H
#define POOLTOP_AUTOTUNE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "control.h"
#include "loop.h"
#include "machine.h"

/* ---- the search: windows in, worker counts out ---------------------------- */

struct autotune_tuning {
	int min_jobs, max_jobs;  /* the range searched */
	double gain;             /* a move up must beat the current rate by this fraction */
	double knee;             /* ...and each worker it adds must bring this fraction of
				    what a worker brings now: past the knee, more do not pay */
	double tolerance;        /* a move down may cost this fraction of the climb's rate */
	double shift;            /* settled: a rate change by this fraction restarts the search */
	int reprobe_windows;     /* settled: windows before probing a neighbour (grows to 4x) */
};

/* The defaults: 8% gain, a knee at 25%, 5% tolerance, 25% shift, a probe
 * every 8 windows. */
void autotune_default_tuning(struct autotune_tuning *tuning, int min_jobs, int max_jobs);

/* What a window measured.  A figure not known is negative. */
struct autotune_reading {
	int jobs;                /* the workers it was measured with */
	double rate;             /* items completed per second */
	double pool_cpu;         /* the pool's CPU%, 100 = one core */
	double machine_busy;     /* the machine's CPU busy %, 100 = one core */
	int cores;               /* the machine's cores, 0 unknown */
	double load;             /* the machine's 1-minute load average */
	double task_compute;     /* share of their time the jobs run when not waiting for a
				    core: run / (run + sleep), from /proc/PID/schedstat */
	double task_wait;        /* share of their time the jobs wait for a core */
	struct machine_pressure pressure;  /* PSI some avg10 %, -1 without PSI */
};

/* Why the search chose the count it returned. */
enum autotune_reason {
	AUTOTUNE_REASON_THROUGHPUT,  /* items/s: measuring, probing, keeping the best */
	AUTOTUNE_REASON_CPU,         /* the pool fills the machine's cores and tasks wait */
	AUTOTUNE_REASON_PRESSURE,    /* memory or I/O pressure rose: no more workers */
};

/* The word for a reason: "throughput", "cpu", "pressure". */
const char *autotune_reason_name(enum autotune_reason reason);
/* The figures behind a reason, for a step's note and the log. */
void autotune_reason_figures(const struct autotune_reading *reading, enum autotune_reason reason, char *out,
			     size_t size);

enum autotune_phase {
	AUTOTUNE_MEASURE,        /* measuring where it starts (two windows) */
	AUTOTUNE_PROBE,          /* trying probe_jobs against base_jobs (twice when close) */
	AUTOTUNE_SETTLED,        /* holding base_jobs, watching the rate */
};

struct autotune_search {
	struct autotune_tuning tuning;
	enum autotune_phase phase;
	int base_jobs;           /* the best count found */
	double base_rate;        /* its measured items/s */
	double reference_rate;   /* mean rate of the counts this climb took: moves down answer to it */
	int accepted;            /* counts taken in this climb */
	int probe_jobs;          /* the count on trial */
	int direction;           /* +1 adds workers, -1 removes them */
	int step;                /* workers per move: doubles while moves pay, halves when not */
	bool climbed;            /* a move paid in this climb (so the other side is worse) */
	bool measured;           /* MEASURE: first_rate holds the first window */
	bool confirming;         /* PROBE: a close verdict, measured once more */
	double first_rate;       /* the first of two windows measured together */
	bool reprobing;          /* the probe on trial is a periodic one */
	bool trimming;           /* after a climb: one worker fewer at a time, while the
				    best rate (reference_rate) holds */
	int settled_windows;     /* windows since settling or the last probe */
	int reprobe_after;       /* settled windows before the next probe: grows while probes fail */
	int next_reprobe;        /* side of the next periodic probe */

	enum autotune_reason reason;  /* why the last count returned was chosen */
	bool saturated;          /* the last reading: the pool fills the cores and tasks wait */
	bool contended;          /* the last reading: pressure forbids more workers */
	double base_cpu;         /* pool CPU% measured at base_jobs, -1 unknown */
	bool base_saturated;     /* base_jobs was measured saturated */
	int cores;               /* the machine's, as last read; 0 unknown */
	double calm_memory, calm_io;  /* lowest memory / I/O pressure seen in this climb */
};

void autotune_search_init(struct autotune_search *search, const struct autotune_tuning *tuning);
/* One full window measured `rate` items/s with `jobs` workers: returns the
 * count to run next (jobs itself to stay).  Nothing else is known. */
int autotune_search_next(struct autotune_search *search, int jobs, double rate);
/* The same with all a window measured; search->reason says why. */
int autotune_search_step(struct autotune_search *search, const struct autotune_reading *reading);
/* Does this reading show a pool that overfills the machine's cores? */
bool autotune_reading_overcommitted(const struct autotune_reading *reading);
/* Is the next verdict already known from this reading (an overcommitted
 * pool, or a step down from one that keeps the cores busy), so that the
 * window may be judged before it is full? */
bool autotune_search_sure(const struct autotune_search *search, const struct autotune_reading *reading);

/* A window is long enough to judge when it spans 1.5 s and about five
 * item-times: five completions per worker, for up to 8 workers (40 say
 * enough of a rate), and two per worker beyond 20, so that a large pool
 * of slow items is not judged once a minute. */
/* After a change, measuring waits this long at least, and for about one
 * completion per worker: retiring and new jobs first come and go. */
#define AUTOTUNE_WARMUP_SECONDS 0.5
#define AUTOTUNE_WINDOW_SECONDS 1.5
#define AUTOTUNE_WINDOW_ITEMS_PER_JOB 5
#define AUTOTUNE_WINDOW_FULL_JOBS 8
#define AUTOTUNE_WINDOW_ITEMS_BEYOND 2
bool autotune_window_full(double seconds, uint64_t completed, int jobs);

/* ---- a measuring window, as the drivers keep one ---------------------------- */

/* After a change the window warms up (AUTOTUNE_WARMUP_SECONDS and one
 * completion per worker, with full work), then counts ticks until it is
 * full, or is dropped when the workers lacked work in over a quarter of
 * its ticks.  `done` is the completions so far of what is measured. */
struct autotune_window {
	int jobs;                /* the count measured */
	bool warming;
	double changed_at;       /* when the count last changed */
	uint64_t done_at_change; /* completions then */
	double start;            /* when the window began */
	uint64_t done_at_start;
	int ticks, starved_ticks;/* samples in it, and those without full work */
};

enum autotune_window_event {
	AUTOTUNE_WINDOW_WAIT,    /* warming up, or not long enough yet */
	AUTOTUNE_WINDOW_WARMED,  /* the warm-up ended: a window starts now */
	AUTOTUNE_WINDOW_DROPPED, /* the workers lacked work: a window starts now */
	AUTOTUNE_WINDOW_FULL,    /* long enough to judge */
	AUTOTUNE_WINDOW_EARLY,   /* not full, but a verdict may be sure already */
};

void autotune_window_restart(struct autotune_window *window, int jobs, uint64_t done, double now);
void autotune_window_warmup(struct autotune_window *window, int jobs, uint64_t done, double now);
/* One tick (four a second); starved: the workers lacked work. */
enum autotune_window_event autotune_window_tick(struct autotune_window *window, uint64_t done, bool starved,
						double now);

/* ---- the driver ------------------------------------------------------------ */

/* Without MIN..MAX, autotune searches the pool's bounds up to this many
 * workers (--autotune, and `autotune on` in a run started without it). */
#define AUTOTUNE_DEFAULT_MAX 64

/* A step autotune took, for the front ends. */
struct autotune_step {
	int from, to;            /* worker counts */
	enum autotune_reason reason;
	const char *text;        /* one line: "autotune: jobs 8 -> 2 (cpu: ...)" */
};

typedef void autotune_note_fn(void *data, const struct autotune_step *step);

struct autotune;

/* Tune through control (the `jobs` path, autotune kept on) within the
 * tuning's range; each step is also told to note.  Starts enabled. */
struct autotune *autotune_new(struct loop *loop, struct control *control, const struct autotune_tuning *tuning,
			      autotune_note_fn *note, void *data);
void autotune_free(struct autotune *autotune);
/* A job or worker was reaped: its CPU counts toward the pool's. */
void autotune_reaped(struct autotune *autotune, const struct pool_reaped *reaped);
/* Off stops the search (a manual change does this); on restarts it from
 * the current count. */
void autotune_set_enabled(struct autotune *autotune, bool on);
bool autotune_enabled(const struct autotune *autotune);

#endif
