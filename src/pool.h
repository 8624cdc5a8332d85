/* pool.h - the engine: a pool of slots running items, either one fresh
 * process per item (command mode) or long-lived workers fed one item per
 * line (worker mode).  No terminal code: front ends observe it through
 * pool_events and the view functions, and drive it through the
 * operations below (one resize operation for every control path). */
#ifndef POOLTOP_POOL_H
#define POOLTOP_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "items.h"
#include "loop.h"
#include "spool.h"
#include "template.h"
#include "throttle.h"

enum pool_kind { POOL_COMMAND, POOL_WORKER, POOL_DRY_RUN };

struct feed_source;  /* feed.h */
enum shrink_mode { SHRINK_GRACEFUL, SHRINK_KILL };
enum halt_mode { HALT_NEVER, HALT_SOON, HALT_NOW };

#define POOL_MAX_JOBS 1024

/* One step of --termseq: send signo, then give the job wait seconds to end
 * before the next step. */
struct pool_term_step {
	int signo;
	double wait;
};
#define POOL_TERM_STEPS 16

struct pool_config {
	enum pool_kind kind;
	const struct template *template; /* command mode: argv per item */
	char *const *worker_argv;        /* worker mode: the worker command */
	int jobs;                        /* initial target */
	int min_jobs, max_jobs;          /* bounds for every resize */
	enum shrink_mode shrink;         /* default mode of a shrink */
	int retries;                     /* attempts per item = retries + 1 (0: one attempt) */
	double timeout;                  /* seconds per item, 0 = none */
	double grace;                    /* seconds from TERM to KILL */
	double delay;                    /* seconds between job starts */
	enum halt_mode halt;             /* what to do when halt_fail/halt_success is reached */
	int halt_fail, halt_success;     /* 0 = not set */
	int max_items_per_worker;        /* 0 = unlimited */
	int inflight;                    /* items outstanding per worker (>= 1) */
	size_t max_line;                 /* longest result line a worker may write */
	/* Items for which skip(skip_data, seq) is true are read but never run
	 * (--resume); NULL runs every item. */
	bool (*skip)(void *skip_data, uint64_t seq);
	void *skip_data;
	struct throttle_limits throttle; /* --load, --memfree, --memsuspend */
	bool nice;                       /* --nice was given: jobs run at niceness */
	int niceness;
	int ulimit_jobs;                 /* the most workers the open-file and process
					    limits leave room for, when below --max-jobs; 0 = none */

	/* GNU parallel's policies (options_policies.c, pool_policy.c). */
	int halt_done;                   /* --halt WHEN,done=N: 0 = not set */
	bool halt_percent;               /* halt_fail, halt_success or halt_done is a
					    percentage of the jobs, not a count */
	double timeout_percent;          /* --timeout N%: of the median run time of the
					    jobs that succeeded; 0 = none */
	bool delay_auto;                 /* --delay ...auto: +30% after a failure, -10%
					    after a success */
	struct pool_term_step term_seq[POOL_TERM_STEPS];  /* --termseq */
	int term_steps;                  /* 0: TERM, then KILL after grace */
	bool skip_blank;                 /* -r: empty or blank items are not run */
	const char *process_slot_var;    /* --process-slot-var=NAME: jobs see their slot
					    number minus one in NAME; NULL = none */
	/* --pipe / --pipepart (command mode): each item is written to its
	 * job's stdin from this source; NULL: jobs read /dev/null. */
	const struct feed_source *feed;
};

/* One finished attempt of an item, handed to the result event. */
struct pool_result {
	uint64_t seq;            /* 1-based input position */
	const char *item;        /* the item's text (NUL-terminated) */
	size_t item_len;
	int slot;                /* slot number, 1-based */
	pid_t pid;               /* the job or worker that ran it (0: never started) */
	int exit_code;           /* exit status, or -1 when killed by a signal */
	int signal;              /* the signal that ended it, or 0 */
	double started_at;       /* wall clock (epoch seconds) */
	double runtime;          /* seconds */
	int attempt;             /* 1 for the first attempt */
	bool failed;             /* this attempt failed */
	bool will_retry;         /* ...and the item goes back to the queue */
	const char *error;       /* pooltop's own explanation (exec failure...), or NULL */
	char *const *argv;       /* the command run (command mode), or NULL */
	struct spool *out, *err; /* the attempt's output; take it with spool_move */
	const char *host;        /* the login it ran on (-S), NULL: this machine */
};

/* A job or worker process was reaped: what it used in all, from wait4's
 * rusage (its waited-for descendants included), so that CPU spent
 * between two samples of the process trees is never lost. */
struct pool_reaped {
	int slot;                /* slot number, 1-based */
	pid_t pid;
	double cpu_seconds;      /* user + system */
	uint64_t max_rss_bytes;  /* peak resident memory of the process or a descendant,
				    0 when not above pooltop's own (see child_max_rss) */
	const char *host;        /* the login of the host it ran on, NULL for a plain pool */
};

/* An item is about to start on a slot (-t prints its command). */
struct pool_started {
	uint64_t seq;            /* 1-based input position */
	const char *item;        /* the item's text (NUL-terminated) */
	size_t item_len;
	int slot;                /* slot number, 1-based */
};

/* Bytes a running job wrote (--line-buffer, -u): given as they come
 * instead of being spooled for the result. */
struct pool_live_output {
	uint64_t seq;            /* the item the job runs */
	const char *item;
	size_t item_len;
	int slot;                /* slot number, 1-based */
	int stream;              /* 1 stdout, 2 stderr */
	const char *data;
	size_t len;
};

struct pool_events {
	void (*result)(void *data, struct pool_result *result);
	void (*reaped)(void *data, const struct pool_reaped *reaped);  /* may be NULL */
	void (*message)(void *data, const char *text);  /* a line for the log / stderr */
	void (*finished)(void *data);                   /* nothing runs and nothing will */
	void (*started)(void *data, const struct pool_started *started);  /* may be NULL */
	/* When set, command jobs' output comes here as it arrives (may be NULL). */
	void (*live_output)(void *data, const struct pool_live_output *output);
	void *data;
};

enum slot_state { SLOT_IDLE, SLOT_RUN, SLOT_RETIRE, SLOT_STOP };

struct slot_view {
	int number;              /* 1-based, {%} */
	enum slot_state state;
	pid_t pid;               /* job or worker process, 0 when none */
	uint64_t seq;            /* the oldest item in flight, 0 when none */
	const char *item;        /* its text, or NULL */
	size_t item_len;
	int queued;              /* further items in flight behind it (worker mode) */
	double item_started;     /* monotonic seconds */
	uint64_t done, failed;   /* items this slot finished / failed */
	/* --pipe: item is the block's label ("block 3 (1.0M)") and these
	 * count the bytes written to the job's stdin. */
	bool fed;                /* the item is being (or was) fed to stdin */
	uint64_t fed_bytes, feed_bytes;  /* written so far / in all */
	/* Where the slot runs (see slot_kind.remote). */
	const char *host;        /* the host's login, NULL for this machine, "" while
				    the slot waits for a host with room */
	pid_t remote_pid;        /* the job's pid on that host, 0 while not known */
};

struct pool_stats {
	int target;              /* the worker count asked for */
	int slots;               /* slots that exist (including retiring) */
	int running;             /* slots holding an item */
	uint64_t started, done, failed;  /* done counts failures too; retried attempts excluded */
	int64_t total;           /* items in all, -1 until the input ends */
	uint64_t queued;         /* items waiting to be dispatched, as far as known */
	double items_per_s;      /* completions over the last few seconds */
	double seconds_left;     /* ETA at that rate: 0 when all is done, -1 when unknown */
	double elapsed;          /* seconds since pool_start */
	bool paused, suspended, input_done, stopping;
};

struct pool *pool_new(const struct pool_config *config, struct loop *loop, struct items *items,
		      const struct pool_events *events);
void pool_free(struct pool *pool);
int pool_start(struct pool *pool);

/* Reap exited children; call on SIGCHLD. */
void pool_reap(struct pool *pool);

/* The one resize operation.  target is clamped to the bounds (*clamped
 * says so).  Growing starts jobs at once; shrinking retires slots as mode
 * says: graceful lets a slot finish its item, kill puts its item back at
 * the head of the queue.  Returns the new target. */
int pool_resize(struct pool *pool, int target, enum shrink_mode mode, bool *clamped);
int pool_target(const struct pool *pool);
/* The shrink mode --shrink chose. */
enum shrink_mode pool_shrink_mode(const struct pool *pool);
void pool_bounds(const struct pool *pool, int *min_jobs, int *max_jobs);

void pool_set_paused(struct pool *pool, bool paused);
/* Stop reading the jobs' stdout and stderr (their writes then block) while
 * pooltop's own output is behind its reader; resume when it caught up. */
void pool_set_output_paused(struct pool *pool, bool paused);
/* SIGSTOP / SIGCONT every running job's process group. */
void pool_set_suspended(struct pool *pool, bool suspended);
/* Kill the job running item seq (its item is retried or fails). -1 if none. */
int pool_kill_item(struct pool *pool, uint64_t seq);
/* Put every failed item back in the queue; returns how many. */
size_t pool_requeue_failed(struct pool *pool);
/* Stop dispatching; running jobs finish. */
void pool_stop(struct pool *pool);
/* Stop dispatching and kill every job: TERM to its process group, KILL after grace. */
void pool_kill_all(struct pool *pool);
bool pool_finished(const struct pool *pool);
/* As GNU parallel: 0, failed count up to 100, 101 beyond. */
int pool_exit_status(const struct pool *pool);
/* The run could not go on (e.g. workers that die at start-up): message or NULL. */
const char *pool_fatal_error(const struct pool *pool);

void pool_get_stats(const struct pool *pool, struct pool_stats *stats);
/* Why no new job starts although items wait: "paused", or the name of what
 * holds the pool back ("load", "memfree", "memsuspend", or "ulimit" when
 * the resource limits keep the pool below the count asked for); NULL when
 * nothing does. */
const char *pool_throttle(const struct pool *pool);
/* The throttles' limits, now and changed live (load N, memfree SIZE...). */
void pool_get_throttle(const struct pool *pool, struct throttle_limits *limits);
void pool_set_throttle(struct pool *pool, const struct throttle_limits *limits);
int pool_slot_count(const struct pool *pool);
bool pool_slot_view(const struct pool *pool, int index, struct slot_view *view);
/* Detail for slot index: its command line (malloc'd, or NULL) and the last
 * bytes of stdout and of stderr of its current item (NUL-terminated in
 * out; the length is returned). */
char *pool_slot_command(const struct pool *pool, int index);
size_t pool_slot_stdout_tail(const struct pool *pool, int index, char *out, size_t size);
size_t pool_slot_stderr_tail(const struct pool *pool, int index, char *out, size_t size);

#endif
