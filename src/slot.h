/* slot.h - the seam inside the engine: the scheduler (pool.c) drives every
 * slot through a table of operations, and each kind of slot implements it
 * in a file of its own (job.c: one process per item; worker.c: a long-lived
 * worker fed one item per line).  Internal to the engine and its tests. */
#ifndef POOLTOP_SLOT_H
#define POOLTOP_SLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "pool.h"
#include "spool.h"

/* An item on its way: queued, in flight, or waiting for a retry. */
struct pending {
	struct pending *next;    /* queue link */
	uint64_t seq;            /* 1-based input position */
	int attempts;            /* attempts finished so far */
	double started;          /* monotonic start of the current attempt */
	double started_wall;     /* wall clock start, for results */
	size_t len;
	char text[];             /* NUL-terminated */
};

struct slot {
	struct pool *pool;       /* back-pointer for the loop's handlers */
	int number;              /* 1-based slot number, {%} */
	bool retiring;           /* leaves once its current work is done */
	bool suspended;          /* SIGSTOP sent to its process group */
	bool killing;            /* TERM or KILL sent: no new items */
	bool requeue;            /* killed by a kill-shrink: items go back uncounted */
	bool reaped;             /* its process is gone; pid is kept for the results */
	pid_t pid;               /* the job or worker, 0 when none */
	int in_fd, out_fd, err_fd;  /* pipes to the process, -1 when closed */
	struct spool out, err;   /* the current attempt's output */
	char **argv;             /* the command the attempt runs, for its result, or NULL */
	const char *error;       /* why the current attempt failed, when pooltop knows */
	uint64_t timeout_timer;  /* --timeout of the oldest item in flight */
	uint64_t kill_timer;     /* KILL after --grace */

	/* Items in flight, oldest first: a ring of capacity config.inflight. */
	struct pending **inflight;
	int inflight_head, inflight_count;

	uint64_t done, failed;   /* items this slot finished / failed */
	void *kind_data;         /* the slot kind's own state */
	int term_step;           /* the --termseq step last taken */
	const char *host;        /* the login the slot runs on (remote.c), NULL: this machine */
	struct feed *feed;       /* --pipe: writes the item to the job's stdin (feed.h), or NULL */
};

/* What a kind of slot does.  The scheduler calls these and never asks
 * which kind a slot is; a new kind is one new table.  open, flush, stop,
 * close and release may be NULL when a kind has nothing to do there. */
struct slot_kind {
	const char *name;
	/* A slot joined the pool (a worker starts its process here). */
	void (*open)(struct slot *slot);
	/* How many more items the slot takes now; 0 when it takes none. */
	int (*accepts_more)(const struct slot *slot);
	/* Run item: push it in flight (slot_push_item) and start it, or end
	 * the attempt at once with pool_finish_attempt. */
	void (*start)(struct slot *slot, struct pending *item);
	/* A dispatch round ended: send what start() gathered (may be NULL). */
	void (*flush)(struct slot *slot);
	/* Bytes from the slot's process (stream 1: stdout, 2: stderr); len 0
	 * means that stream reached its end. */
	void (*output)(struct slot *slot, int stream, const char *data, size_t len);
	/* The slot's process ended with wait status `status`, its output
	 * drained.  Returns false when the slot leaves the pool. */
	bool (*exited)(struct slot *slot, int status);
	/* The oldest item in flight ran past --timeout. */
	void (*timeout)(struct slot *slot);
	/* End the items in flight now (kill verb, --halt now); why is kept. */
	void (*abort)(struct slot *slot, const char *why);
	/* Nothing more comes: leave once idle (a worker gets EOF on stdin). */
	void (*stop)(struct slot *slot);
	/* Deliver signo to the slot's process (group). */
	void (*signal)(struct slot *slot, int signo);
	/* The command line shown in the detail view (malloc'd), or NULL. */
	char *(*command)(const struct slot *slot);
	/* Free what open() and start() kept in kind_data. */
	void (*close)(struct slot *slot);
	/* Free the kind's per-pool state (pool->kind_state), may be NULL. */
	void (*release)(struct pool *pool);
	/* Why no slot can take an item although items wait ("hosts down"),
	 * or NULL; may be NULL. */
	const char *(*held)(const struct pool *pool);
	/* Does the slot's job run on another host (slot->host)?  *remote_pid
	 * is then its pid there, 0 while not known.  For the views; NULL when
	 * every slot of the kind runs here. */
	bool (*remote)(const struct slot *slot, pid_t *remote_pid);
	/* CPU seconds the slot's process just reaped used where it ran, when
	 * its local rusage does not tell (-1: it does); may be NULL. */
	double (*cpu_seconds)(const struct slot *slot);
};

extern const struct slot_kind job_slot_kind;
extern const struct slot_kind worker_slot_kind;
extern const struct slot_kind dryrun_slot_kind;
extern const struct slot_kind remote_slot_kind;

#define RATE_BUCKETS 10
#define RATE_BUCKET_SECONDS 0.5

struct pool {
	struct pool_config config;
	const struct slot_kind *kind;
	void *kind_state;        /* the kind's per-pool state */
	struct loop *loop;
	struct items *items;
	struct pool_events events;

	struct slot **slots;     /* sorted by slot number */
	int nslots;
	size_t slots_cap;
	int target;

	struct pending *queue_head, *queue_tail;  /* retried or returned items */
	uint64_t queue_len;
	struct pending **failed_items;            /* for pool_requeue_failed */
	size_t nfailed_items, failed_items_cap;

	uint64_t next_seq;       /* seq of the last item taken from the source */
	uint64_t skipped;        /* items config.skip said not to run */
	uint64_t started, done, failed, succeeded;
	bool input_done, items_watched, paused, suspended, stopping;
	bool dispatching, finished, finish_reported;
	bool output_paused;      /* jobs' output is not read: its reader is behind */
	double start_time, last_start;
	double wall_offset;      /* wall clock minus monotonic clock */
	uint64_t delay_timer;
	int dev_null;            /* every job's stdin */
	char *fatal;             /* why the run cannot go on, or NULL */

	uint64_t rate_counts[RATE_BUCKETS];
	int64_t rate_bucket;     /* index of the newest bucket, in absolute bucket numbers */

	struct throttle *throttle;  /* --load, --memfree, --memsuspend (throttle.c) */
	int asked;               /* the worker count last asked for, before clamping */

	/* GNU parallel's policies (pool_policy.c). */
	int halt_status;         /* the exit status --halt decided, -1 until then */
	double *run_times;       /* --timeout N%: run times of the latest jobs that succeeded */
	int run_times_count, run_times_next;
	double timeout_from_median;  /* --timeout N%: the limit now, 0 until a job succeeded */
};

/* ---- what the scheduler offers the kinds (pool.c) ---------------------- */

/* A pool whose slots are of the given kind; pool_new picks job or worker
 * from config->kind.  Tests drive the scheduler with a kind of their own. */
struct pool *pool_new_with_kind(const struct pool_config *config, struct loop *loop,
				struct items *items, const struct pool_events *events,
				const struct slot_kind *kind);
/* A child exited: drain its slot's output and hand the status to its kind.
 * pool_reap() calls this for every child wait4() returns; usage may be
 * NULL when the figures are not known. */
void pool_child_exited(struct pool *pool, pid_t pid, int status, const struct rusage *usage);

void pool_dispatch(struct pool *pool);
/* Items are left to run (and the pool may run them, throttles aside). */
bool pool_work_left(const struct pool *pool);
/* Readings of the machine from fn instead of /proc (tests). */
void pool_set_throttle_probe(struct pool *pool, throttle_probe_fn *fn, void *data);
/* One attempt of item ended: report it, then retry, remember or free it. */
void pool_finish_attempt(struct slot *slot, struct pending *item, int status, const char *error);
/* Put an item that never really ran back at the head of the queue. */
void pool_return_item(struct pool *pool, struct pending *item);
/* A line for the front end's messages (stderr or the TUI). */
void pool_message(struct pool *pool, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* The run cannot go on: keep the first reason and kill every job. */
void pool_fail(struct pool *pool, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* An item is done (pool_view.c keeps the completion rate). */
void pool_count_completion(struct pool *pool, double now);
/* Wall-clock time of a monotonic instant. */
double pool_wall_time(const struct pool *pool, double monotonic);

struct pending *slot_oldest(const struct slot *slot);
struct pending *slot_item_at(const struct slot *slot, int index);  /* 0: the oldest */
void slot_push_item(struct slot *slot, struct pending *item);
struct pending *slot_pop_item(struct slot *slot);
/* Put every item in flight back at the head of the queue, in order. */
void slot_return_items(struct slot *slot);
/* Send signo, keeping the killing / suspended flags right. */
void slot_signal(struct slot *slot, int signo);
/* The signal operation of process-backed kinds: signo to the process
 * group, and SIGCONT after SIGTERM so that a stopped job wakes to die. */
void slot_signal_process_group(struct slot *slot, int signo);
/* The slot's process was reaped: no pid, no kill or stop pending.  The
 * scheduler calls it after `exited` unless the kind started a new one. */
void slot_process_gone(struct slot *slot);
/* TERM now, KILL after --grace. */
void slot_terminate(struct slot *slot);
/* Arm --timeout for an item started at `started` (monotonic); 0 disarms. */
void slot_arm_timeout(struct slot *slot, double started);

/* ---- the policies (pool_policy.c) -------------------------------------- */

/* An attempt ended (final: not retried): --delay auto and --timeout N% learn. */
void pool_policy_attempt(struct pool *pool, double runtime, bool failed, bool final);
/* A final result: halt when --halt's condition is met; status is the
 * attempt's wait status. */
void pool_check_halt(struct pool *pool, int status, bool failed);
/* The exit status --halt decided, or -1 when it decides none. */
int pool_halt_exit_status(const struct pool *pool);

/* ---- process plumbing (proc.c) ---------------------------------------- */

/* Start argv in its own process group with the given stdin, stdout and
 * stderr, dying with pooltop.  Returns the pid, or 0 with *exec_errno set
 * when it could not be started (fork or exec failed). */
pid_t proc_spawn(char *const argv[], int in_fd, int out_fd, int err_fd, int *exec_errno);
/* Who a job is, for its environment: PARALLEL_SEQ (left out when seq is
 * 0), PARALLEL_JOBSLOT and --process-slot-var's variable (slot - 1). */
struct proc_job {
	uint64_t seq;
	int slot;
};
/* proc_spawn for a job of the pool: its environment is pooltop's plus
 * PARALLEL_SEQ, PARALLEL_JOBSLOT, PARALLEL_PID and --process-slot-var's
 * variable (job NULL: pooltop's environment as it is). */
pid_t proc_spawn_job(char *const argv[], const struct proc_job *job, int in_fd, int out_fd, int err_fd,
		     int *exec_errno);
/* --process-slot-var=NAME: jobs spawned from now on see NAME (NULL: none). */
void proc_set_process_slot_var(const char *name);
/* --nice: jobs spawned from now on run at niceness (when it is above
 * pooltop's own, as GNU parallel does locally); without nice, at pooltop's. */
void proc_set_niceness(bool nice, int niceness);
/* Forget the paths proc_spawn found for command names. */
void proc_forget_paths(void);
/* A pipe whose read end (fds[0]) is non-blocking; both close on exec. */
int proc_pipe(int fds[2]);
/* One malloc'd, NULL-terminated argv (free() it): the words of head[0..
 * heads-1], then those of tail (NULL-terminated, may be NULL). */
char **proc_argv_join(const char *const head[], size_t heads, char *const tail[]);
/* What a failed exec means for the user, and the exit code it stands for. */
const char *proc_exec_error(int error, int *exit_code);
/* The process is blocked reading its stdin (from /proc/PID/syscall). */
bool proc_waits_for_stdin(pid_t pid);

/* Watch the slot's out_fd and err_fd: what arrives goes to kind->output
 * (unless the pool's output is paused). */
void slot_watch_output(struct slot *slot);
/* The slot's item now runs in process pid (its group) writing to out_fd
 * and err_fd: the slot watches them, stops the process if the pool is
 * suspended, and times the item from `started`. */
void slot_run_process(struct slot *slot, pid_t pid, int out_fd, int err_fd, double started);
/* Stop or resume reading the slot's out_fd and err_fd. */
void slot_pause_output(struct slot *slot, bool paused);
/* Read what is left in the output pipes, then close them. */
void slot_drain_output(struct slot *slot);
/* Stop watching *fd and close it (no-op when -1). */
void slot_close_fd(struct slot *slot, int *fd);

#endif
