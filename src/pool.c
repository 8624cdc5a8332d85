/* pool.c - the engine.  Slots take items from the queue (retried items
 * first, then the item source, read only as needed) and run them: one
 * process per item in command mode, or lines written to a long-lived
 * worker in worker mode.  Exits arrive through pool_reap(), output through
 * the loop; results and messages leave through pool_events. */
#include "pool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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
	pid_t pid;               /* the job or worker, 0 when none */
	int in_fd, out_fd, err_fd;  /* pipes to the process, -1 when closed */
	struct spool out, err;   /* current job's output (worker: stderr since the last result) */
	char **argv;             /* command mode: the running job's argv */
	const char *error;       /* why the current attempt failed, when pooltop knows */
	bool requeue;            /* killed by a kill-shrink: items go back uncounted */
	bool killing;            /* TERM already sent */
	uint64_t timeout_timer, kill_timer, respawn_timer;

	/* Items in flight, oldest first: a ring of capacity config.inflight. */
	struct pending **inflight;
	int inflight_head, inflight_count;

	/* Worker mode: the pipe to stdin and the partial line from stdout. */
	char *write_buffer;
	size_t write_len, write_offset, write_cap;
	char *read_buffer;
	size_t read_len, read_cap;
	bool stdin_closed;       /* EOF sent: the worker is asked to exit */
	uint64_t worker_items;   /* items this worker process answered */
	double spawned_at;       /* monotonic */

	uint64_t done, failed;   /* items this slot finished / failed */
};

#define RATE_BUCKETS 10
#define RATE_BUCKET_SECONDS 0.5

struct pool {
	struct pool_config config;
	struct loop *loop;
	struct items *items;
	struct pool_events events;

	struct slot **slots;     /* sorted by slot number */
	int nslots, slots_cap;
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
	double start_time, last_start;
	double wall_offset;      /* wall clock minus monotonic clock */
	uint64_t delay_timer;
	uint64_t deadlock_timer; /* worker mode: looks for workers waiting on input while holding items */
	int dev_null;
	char *fatal;
	int early_deaths;        /* consecutive workers that died before answering anything */

	uint64_t rate_counts[RATE_BUCKETS];
	int64_t rate_bucket;     /* index of the newest bucket, in absolute bucket numbers */
};

static void dispatch(struct pool *pool);
static bool work_left(const struct pool *pool);
static void deadlock_watch(struct pool *pool);
static void check_finished(struct pool *pool);
static void worker_spawn(struct pool *pool, struct slot *slot);
static void worker_close_stdin(struct pool *pool, struct slot *slot);
static void slot_signal(struct pool *pool, struct slot *slot, int signo);

static void pool_message(struct pool *pool, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

static void pool_message(struct pool *pool, const char *format, ...)
{
	char text[1024];
	va_list args;
	va_start(args, format);
	vsnprintf(text, sizeof text, format, args);
	va_end(args);
	if (pool->events.message)
		pool->events.message(pool->events.data, text);
}

/* Wall-clock time of a monotonic instant (for results and the joblog),
 * from one offset taken at start: no extra clock reads per item. */
static double wall_time(const struct pool *pool, double monotonic)
{
	return monotonic + pool->wall_offset;
}

static double wall_now_slow(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the queue ---------------------------------------------------------- */

static struct pending *pending_new(uint64_t seq, const char *text, size_t len)
{
	struct pending *item = malloc(sizeof *item + len + 1);
	if (!item)
		return NULL;
	*item = (struct pending){ .seq = seq, .len = len };
	memcpy(item->text, text, len);
	item->text[len] = '\0';
	return item;
}

static void queue_push_front(struct pool *pool, struct pending *item)
{
	item->next = pool->queue_head;
	pool->queue_head = item;
	if (!pool->queue_tail)
		pool->queue_tail = item;
	pool->queue_len++;
}

static void queue_push_back(struct pool *pool, struct pending *item)
{
	item->next = NULL;
	if (pool->queue_tail)
		pool->queue_tail->next = item;
	else
		pool->queue_head = item;
	pool->queue_tail = item;
	pool->queue_len++;
}

static void items_ready(struct loop *loop, int fd, short revents, void *data)
{
	(void)fd;
	(void)revents;
	struct pool *pool = data;
	loop_del_fd(loop, items_fd(pool->items));
	pool->items_watched = false;
	dispatch(pool);
}

/* The next item to run: a returned one first, then a fresh one. */
static struct pending *next_item(struct pool *pool)
{
	if (pool->queue_head) {
		struct pending *item = pool->queue_head;
		pool->queue_head = item->next;
		if (!pool->queue_head)
			pool->queue_tail = NULL;
		pool->queue_len--;
		return item;
	}
	if (pool->input_done)
		return NULL;
	const char *text;
	size_t len;
	enum items_status status;
	while ((status = items_next(pool->items, &text, &len)) == ITEMS_READY && pool->config.skip &&
	       pool->config.skip(pool->config.skip_data, pool->next_seq + 1)) {
		pool->next_seq++;
		pool->skipped++;
	}
	switch (status) {
	case ITEMS_READY: {
		struct pending *item = pending_new(pool->next_seq + 1, text, len);
		if (item)
			pool->next_seq++;
		return item;
	}
	case ITEMS_WAIT:
		if (!pool->items_watched) {
			loop_add_fd(pool->loop, items_fd(pool->items), POLLIN, items_ready, pool);
			pool->items_watched = true;
		}
		return NULL;
	case ITEMS_ERROR:
		/* Unreadable input ends the run as a usage error would: running
		 * jobs finish, nothing new starts, the exit status is 255. */
		if (!pool->fatal && asprintf(&pool->fatal, "cannot read items: %s", strerror(errno)) < 0)
			pool->fatal = NULL;
		pool->input_done = true;
		pool->stopping = true;
		return NULL;
	case ITEMS_END:
		pool->input_done = true;
		return NULL;
	}
	return NULL;
}

/* ---- slots -------------------------------------------------------------- */

static struct pending *slot_oldest(const struct slot *slot)
{
	return slot->inflight_count ? slot->inflight[slot->inflight_head] : NULL;
}

static void slot_push_item(struct pool *pool, struct slot *slot, struct pending *item)
{
	int at = (slot->inflight_head + slot->inflight_count) % pool->config.inflight;
	slot->inflight[at] = item;
	slot->inflight_count++;
}

static struct pending *slot_pop_item(struct pool *pool, struct slot *slot)
{
	struct pending *item = slot->inflight[slot->inflight_head];
	slot->inflight_head = (slot->inflight_head + 1) % pool->config.inflight;
	slot->inflight_count--;
	return item;
}

static int lowest_free_number(const struct pool *pool)
{
	int number = 1;
	for (int i = 0; i < pool->nslots; i++) {
		if (pool->slots[i]->number != number)
			break;
		number++;
	}
	return number;
}

static struct slot *slot_add(struct pool *pool)
{
	if (pool->nslots == pool->slots_cap) {
		int cap = pool->slots_cap ? pool->slots_cap * 2 : 16;
		struct slot **grown = realloc(pool->slots, (size_t)cap * sizeof *grown);
		if (!grown)
			return NULL;
		pool->slots = grown;
		pool->slots_cap = cap;
	}
	struct slot *slot = calloc(1, sizeof *slot);
	if (!slot || !(slot->inflight = calloc((size_t)pool->config.inflight, sizeof *slot->inflight))) {
		free(slot);
		return NULL;
	}
	slot->pool = pool;
	slot->number = lowest_free_number(pool);
	slot->in_fd = slot->out_fd = slot->err_fd = -1;
	spool_init(&slot->out);
	spool_init(&slot->err);
	int at = slot->number - 1;  /* numbers below it are all taken, so this is its place */
	memmove(&pool->slots[at + 1], &pool->slots[at], (size_t)(pool->nslots - at) * sizeof *pool->slots);
	pool->slots[at] = slot;
	pool->nslots++;
	if (pool->config.kind == POOL_WORKER)
		worker_spawn(pool, slot);
	return slot;
}

static void slot_remove(struct pool *pool, struct slot *slot)
{
	int at = 0;
	while (at < pool->nslots && pool->slots[at] != slot)
		at++;
	if (at == pool->nslots)
		return;
	memmove(&pool->slots[at], &pool->slots[at + 1], (size_t)(pool->nslots - at - 1) * sizeof *pool->slots);
	pool->nslots--;
	loop_del_timer(pool->loop, slot->timeout_timer);
	loop_del_timer(pool->loop, slot->kill_timer);
	loop_del_timer(pool->loop, slot->respawn_timer);
	spool_clear(&slot->out);
	spool_clear(&slot->err);
	free(slot->argv);
	free(slot->inflight);
	free(slot->write_buffer);
	free(slot->read_buffer);
	free(slot);
}

static int active_slots(const struct pool *pool)
{
	int active = 0;
	for (int i = 0; i < pool->nslots; i++)
		active += !pool->slots[i]->retiring;
	return active;
}

static void close_fd(struct pool *pool, int *fd)
{
	if (*fd < 0)
		return;
	loop_del_fd(pool->loop, *fd);
	close(*fd);
	*fd = -1;
}

/* ---- spawning ----------------------------------------------------------- */

/* Start argv in its own process group with the given stdin/stdout/stderr.
 * vfork keeps spawning cheap; the child only makes system calls before
 * exec, and reports an exec failure through *exec_errno (shared memory
 * until exec).  The job dies with pooltop (PR_SET_PDEATHSIG). */
static pid_t spawn(char *const argv[], int in_fd, int out_fd, int err_fd, int *exec_errno)
{
	volatile int child_errno = 0;
	pid_t parent = getpid();
	pid_t pid = vfork();
	if (pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
			_exit(127);
		sigprocmask(SIG_SETMASK, loop_original_sigmask(), NULL);
		execvp(argv[0], argv);
		child_errno = errno ? errno : ENOEXEC;
		_exit(127);
	}
	if (pid > 0 && child_errno) {
		waitpid(pid, NULL, 0);
		*exec_errno = child_errno;
		return 0;
	}
	*exec_errno = pid < 0 ? errno : 0;
	return pid;
}

/* A pipe from a job to pooltop.  Only pooltop's read end is non-blocking:
 * the job's write end must block when the pipe is full, or a job writing
 * faster than pooltop reads gets EAGAIN and loses output. */
static int make_pipe(int fds[2])
{
	if (pipe2(fds, O_CLOEXEC))
		return -1;
	return fcntl(fds[0], F_SETFL, O_NONBLOCK);
}

static const char *exec_error_text(int error, int *exit_code)
{
	switch (error) {
	case ENOENT:
		*exit_code = 127;
		return "command not found";
	case E2BIG:
		*exit_code = 126;
		return "argument too long: one argument may hold at most 128 KiB (MAX_ARG_STRLEN)";
	case EACCES:
		*exit_code = 126;
		return "permission denied: the command is not executable";
	default:
		*exit_code = 126;
		return strerror(error);
	}
}

/* ---- results ------------------------------------------------------------ */

static void count_rate(struct pool *pool, double now)
{
	int64_t bucket = (int64_t)(now / RATE_BUCKET_SECONDS);
	if (bucket != pool->rate_bucket) {
		for (int64_t b = pool->rate_bucket + 1; b <= bucket && b <= pool->rate_bucket + RATE_BUCKETS; b++)
			pool->rate_counts[b % RATE_BUCKETS] = 0;
		pool->rate_bucket = bucket;
	}
	pool->rate_counts[bucket % RATE_BUCKETS]++;
}

/* Failed items kept for pool_requeue_failed; beyond this many the oldest
 * is forgotten, so an endless stream of failures cannot grow memory. */
#define FAILED_ITEMS_KEPT 10000

static void remember_failed(struct pool *pool, struct pending *item)
{
	if (pool->nfailed_items == FAILED_ITEMS_KEPT) {
		/* Drop the older half at once: cheap when failures never stop. */
		size_t drop = FAILED_ITEMS_KEPT / 2;
		for (size_t i = 0; i < drop; i++)
			free(pool->failed_items[i]);
		memmove(pool->failed_items, pool->failed_items + drop,
			(FAILED_ITEMS_KEPT - drop) * sizeof *pool->failed_items);
		pool->nfailed_items -= drop;
	}
	if (pool->nfailed_items == pool->failed_items_cap) {
		size_t cap = pool->failed_items_cap ? pool->failed_items_cap * 2 : 16;
		struct pending **grown = realloc(pool->failed_items, cap * sizeof *grown);
		if (!grown) {
			free(item);
			return;
		}
		pool->failed_items = grown;
		pool->failed_items_cap = cap;
	}
	pool->failed_items[pool->nfailed_items++] = item;
}

static void check_halt(struct pool *pool)
{
	if (pool->config.halt == HALT_NEVER || pool->stopping)
		return;
	bool reached = (pool->config.halt_fail && pool->failed >= (uint64_t)pool->config.halt_fail) ||
		       (pool->config.halt_success && pool->succeeded >= (uint64_t)pool->config.halt_success);
	if (!reached)
		return;
	pool_message(pool, "halting: %s reached", pool->config.halt_fail &&
		     pool->failed >= (uint64_t)pool->config.halt_fail ? "failure limit" : "success limit");
	if (pool->config.halt == HALT_NOW)
		pool_kill_all(pool);
	else
		pool_stop(pool);
}

/* One attempt of item ended: report it, then retry, remember or free it. */
static void finish_attempt(struct pool *pool, struct slot *slot, struct pending *item, int status,
			   const char *error)
{
	double now = loop_time(pool->loop);
	item->attempts++;
	bool failed = error || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	bool will_retry = failed && item->attempts <= pool->config.retries && !pool->stopping;
	struct pool_result result = {
		.seq = item->seq,
		.item = item->text,
		.item_len = item->len,
		.slot = slot->number,
		.pid = slot->pid,
		.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0,
		.started_at = item->started_wall,
		.runtime = now - item->started,
		.attempt = item->attempts,
		.failed = failed,
		.will_retry = will_retry,
		.error = error,
		.argv = slot->argv,
		.out = &slot->out,
		.err = &slot->err,
	};
	if (!will_retry) {
		pool->done++;
		slot->done++;
		count_rate(pool, now);
		if (failed) {
			pool->failed++;
			slot->failed++;
		} else {
			pool->succeeded++;
		}
	}
	if (pool->events.result)
		pool->events.result(pool->events.data, &result);
	spool_clear(&slot->out);
	spool_clear(&slot->err);
	if (will_retry)
		queue_push_front(pool, item);
	else if (failed)
		remember_failed(pool, item);
	else
		free(item);
	if (!will_retry)
		check_halt(pool);
}

/* ---- command mode ------------------------------------------------------- */

/* A job's stdout or stderr, or a worker's stderr, is readable: spool it. */
static void pipe_readable(struct loop *loop, int fd, short revents, void *data)
{
	(void)loop;
	(void)revents;
	struct slot *slot = data;
	bool is_out = fd == slot->out_fd;
	char buffer[65536];
	ssize_t n = read(fd, buffer, sizeof buffer);
	if (n > 0) {
		spool_append(is_out ? &slot->out : &slot->err, buffer, (size_t)n);
		return;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	/* EOF: the job and its descendants closed it; the exit is reaped apart. */
	close_fd(slot->pool, is_out ? &slot->out_fd : &slot->err_fd);
}

/* Read what the job left in a pipe, then close it.  A descendant that
 * still holds the pipe open does not hold up the result. */
static void drain(struct pool *pool, int *fd, struct spool *spool)
{
	char buffer[65536];
	ssize_t n;
	while (*fd >= 0 && ((n = read(*fd, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)))
		if (n > 0)
			spool_append(spool, buffer, (size_t)n);
	close_fd(pool, fd);
}

static void slot_timeout(struct loop *loop, void *data);

static void job_start(struct pool *pool, struct slot *slot, struct pending *item)
{
	free(slot->argv);
	slot->argv = template_argv(pool->config.template, item->text, item->len, item->seq, slot->number);
	slot->error = NULL;
	slot->requeue = slot->killing = false;
	item->started = loop_time(pool->loop);
	item->started_wall = wall_time(pool, item->started);
	slot_push_item(pool, slot, item);
	pool->started++;
	pool->last_start = item->started;

	int out[2] = { -1, -1 }, err[2] = { -1, -1 }, exec_errno = 0;
	if (!slot->argv || make_pipe(out) || make_pipe(err)) {
		int saved = errno;
		for (int i = 0; i < 2; i++) {
			if (out[i] >= 0)
				close(out[i]);
			if (err[i] >= 0)
				close(err[i]);
		}
		slot_pop_item(pool, slot);
		finish_attempt(pool, slot, item, 126 << 8, strerror(saved));
		return;
	}
	pid_t pid = spawn(slot->argv, pool->dev_null, out[1], err[1], &exec_errno);
	close(out[1]);
	close(err[1]);
	if (pid <= 0) {
		close(out[0]);
		close(err[0]);
		int exit_code = 127;
		const char *error = exec_error_text(exec_errno, &exit_code);
		slot_pop_item(pool, slot);
		finish_attempt(pool, slot, item, exit_code << 8, error);
		return;
	}
	slot->pid = pid;
	slot->out_fd = out[0];
	slot->err_fd = err[0];
	loop_add_fd(pool->loop, slot->out_fd, POLLIN, pipe_readable, slot);
	loop_add_fd(pool->loop, slot->err_fd, POLLIN, pipe_readable, slot);
	if (pool->suspended)
		slot_signal(pool, slot, SIGSTOP);
	if (pool->config.timeout > 0)
		slot->timeout_timer = loop_add_timer(pool->loop, pool->config.timeout, slot_timeout, slot);
}

static void job_exited(struct pool *pool, struct slot *slot, int status)
{
	drain(pool, &slot->out_fd, &slot->out);
	drain(pool, &slot->err_fd, &slot->err);
	loop_del_timer(pool->loop, slot->timeout_timer);
	loop_del_timer(pool->loop, slot->kill_timer);
	slot->timeout_timer = slot->kill_timer = 0;
	struct pending *item = slot_pop_item(pool, slot);
	if (slot->requeue) {
		spool_clear(&slot->out);
		spool_clear(&slot->err);
		queue_push_front(pool, item);
		pool->started--;
	} else {
		finish_attempt(pool, slot, item, status, slot->error);
	}
	slot->pid = 0;
	slot->suspended = slot->killing = false;
	if (slot->retiring)
		slot_remove(pool, slot);
}

/* ---- worker mode -------------------------------------------------------- */

static void worker_flush(struct pool *pool, struct slot *slot)
{
	while (slot->write_offset < slot->write_len && slot->in_fd >= 0) {
		ssize_t n = write(slot->in_fd, slot->write_buffer + slot->write_offset,
				  slot->write_len - slot->write_offset);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			close_fd(pool, &slot->in_fd);  /* EPIPE: its exit will be reaped */
			return;
		}
		slot->write_offset += (size_t)n;
	}
	if (slot->in_fd < 0)
		return;
	if (slot->write_offset < slot->write_len) {
		loop_set_events(pool->loop, slot->in_fd, POLLOUT);
		return;
	}
	slot->write_offset = slot->write_len = 0;
	loop_set_events(pool->loop, slot->in_fd, 0);
	if (slot->stdin_closed)
		close_fd(pool, &slot->in_fd);
}

static void worker_writable(struct loop *loop, int fd, short revents, void *data)
{
	(void)loop;
	(void)fd;
	struct slot *slot = data;
	if (revents & (POLLERR | POLLHUP) && !(revents & POLLOUT))
		close_fd(slot->pool, &slot->in_fd);
	else
		worker_flush(slot->pool, slot);
}

static int worker_queue_line(struct slot *slot, const char *text, size_t len)
{
	if (slot->write_len + len + 1 > slot->write_cap) {
		size_t cap = slot->write_cap ? slot->write_cap : 4096;
		while (cap < slot->write_len + len + 1)
			cap *= 2;
		char *grown = realloc(slot->write_buffer, cap);
		if (!grown)
			return -1;
		slot->write_buffer = grown;
		slot->write_cap = cap;
	}
	memcpy(slot->write_buffer + slot->write_len, text, len);
	slot->write_buffer[slot->write_len + len] = '\n';
	slot->write_len += len + 1;
	return 0;
}

/* The timeout clock runs for the oldest item in flight only. */
static void worker_arm_timeout(struct pool *pool, struct slot *slot)
{
	loop_del_timer(pool->loop, slot->timeout_timer);
	slot->timeout_timer = 0;
	struct pending *oldest = slot_oldest(slot);
	if (pool->config.timeout > 0 && oldest) {
		double left = oldest->started + pool->config.timeout - loop_time(pool->loop);
		slot->timeout_timer = loop_add_timer(pool->loop, left > 0 ? left : 0, slot_timeout, slot);
	}
}

static void worker_send(struct pool *pool, struct slot *slot, struct pending *item)
{
	item->started = loop_time(pool->loop);
	item->started_wall = wall_time(pool, item->started);
	pool->started++;
	pool->last_start = item->started;
	if (memchr(item->text, '\n', item->len)) {
		finish_attempt(pool, slot, item, 1 << 8,
			       "item contains a newline: a worker reads one item per line");
		return;
	}
	if (worker_queue_line(slot, item->text, item->len)) {
		finish_attempt(pool, slot, item, 1 << 8, "out of memory");
		return;
	}
	slot_push_item(pool, slot, item);
	if (slot->inflight_count == 1)
		worker_arm_timeout(pool, slot);
	/* During a dispatch round, lines are gathered and written once at its
	 * end: one write() per worker per round, not one per item. */
	if (!pool->dispatching)
		worker_flush(pool, slot);
	deadlock_watch(pool);
}

static void worker_kill(struct pool *pool, struct slot *slot, const char *why)
{
	pool_message(pool, "worker %d (pid %d) %s: killed and replaced", slot->number, (int)slot->pid, why);
	slot->error = why;
	slot_signal(pool, slot, SIGKILL);
}

/* One result line arrived: it answers the oldest item in flight. */
static void worker_line(struct pool *pool, struct slot *slot, const char *line, size_t len)
{
	if (!slot->inflight_count) {
		worker_kill(pool, slot, "wrote a line with no item pending (one line per item expected)");
		return;
	}
	struct pending *item = slot_pop_item(pool, slot);
	spool_append(&slot->out, line, len);
	spool_append(&slot->out, "\n", 1);
	slot->worker_items++;
	pool->early_deaths = 0;
	finish_attempt(pool, slot, item, 0, NULL);
	struct pending *next = slot_oldest(slot);
	if (next) {
		next->started = loop_time(pool->loop);  /* the worker reaches it only now */
		next->started_wall = wall_time(pool, next->started);
	}
	worker_arm_timeout(pool, slot);
	bool restart_due = pool->config.max_items_per_worker &&
			   slot->worker_items >= (uint64_t)pool->config.max_items_per_worker;
	if (!slot->inflight_count && (slot->retiring || restart_due))
		worker_close_stdin(pool, slot);
}

static void worker_parse(struct pool *pool, struct slot *slot)
{
	size_t start = 0;
	char *newline;
	while (!slot->killing &&
	       (newline = memchr(slot->read_buffer + start, '\n', slot->read_len - start))) {
		size_t len = (size_t)(newline - (slot->read_buffer + start));
		worker_line(pool, slot, slot->read_buffer + start, len);
		start += len + 1;
	}
	if (start) {
		memmove(slot->read_buffer, slot->read_buffer + start, slot->read_len - start);
		slot->read_len -= start;
	}
	if (slot->read_len > pool->config.max_line && !slot->killing)
		worker_kill(pool, slot, "wrote a line longer than --max-line");
}

/* Reads what the worker wrote; false when nothing came (EOF, an error, or
 * nothing waiting), so the caller can drain until then. */
static bool worker_read(struct pool *pool, struct slot *slot)
{
	if (slot->read_cap - slot->read_len < 65536) {
		size_t cap = slot->read_cap ? slot->read_cap * 2 : 131072;
		char *grown = realloc(slot->read_buffer, cap);
		if (!grown)
			return false;
		slot->read_buffer = grown;
		slot->read_cap = cap;
	}
	ssize_t n = read(slot->out_fd, slot->read_buffer + slot->read_len, slot->read_cap - slot->read_len);
	if (n < 0)
		return false;
	if (n == 0) {
		/* Usually the worker is exiting; if it lingers without its
		 * output, it is killed after --grace. */
		close_fd(pool, &slot->out_fd);
		if (!slot->stdin_closed && !slot->killing) {
			slot->error = "closed its standard output";
			worker_close_stdin(pool, slot);
		}
		return false;
	}
	slot->read_len += (size_t)n;
	worker_parse(pool, slot);
	if (slot->read_len == 0 && slot->read_cap > 1048576) {
		free(slot->read_buffer);  /* one long line does not pin a big buffer */
		slot->read_buffer = NULL;
		slot->read_cap = 0;
	}
	return true;
}

static void worker_readable(struct loop *loop, int fd, short revents, void *data)
{
	(void)loop;
	(void)fd;
	(void)revents;
	struct slot *slot = data;
	worker_read(slot->pool, slot);
	dispatch(slot->pool);
}

static void worker_spawn(struct pool *pool, struct slot *slot)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 }, exec_errno = 0;
	if (pipe2(in, O_CLOEXEC) || make_pipe(out) || make_pipe(err)) {
		pool_message(pool, "cannot start worker %d: %s", slot->number, strerror(errno));
		for (int i = 0; i < 2; i++) {
			if (in[i] >= 0)
				close(in[i]);
			if (out[i] >= 0)
				close(out[i]);
			if (err[i] >= 0)
				close(err[i]);
		}
		return;
	}
	slot->error = NULL;
	pid_t pid = spawn(pool->config.worker_argv, in[0], out[1], err[1], &exec_errno);
	close(in[0]);
	close(out[1]);
	close(err[1]);
	if (pid <= 0) {
		close(in[1]);
		close(out[0]);
		close(err[0]);
		int exit_code;
		const char *error = exec_error_text(exec_errno, &exit_code);
		if (!pool->fatal && asprintf(&pool->fatal, "cannot start worker %s: %s",
					     pool->config.worker_argv[0], error) < 0)
			pool->fatal = NULL;
		pool_kill_all(pool);
		return;
	}
	if (fcntl(in[1], F_SETFL, O_NONBLOCK))
		slot->error = "cannot make the worker's stdin non-blocking";
	slot->pid = pid;
	slot->in_fd = in[1];
	slot->out_fd = out[0];
	slot->err_fd = err[0];
	slot->stdin_closed = slot->killing = false;
	slot->worker_items = 0;
	slot->read_len = slot->write_len = slot->write_offset = 0;
	slot->spawned_at = loop_now();
	loop_add_fd(pool->loop, slot->in_fd, 0, worker_writable, slot);
	loop_add_fd(pool->loop, slot->out_fd, POLLIN, worker_readable, slot);
	loop_add_fd(pool->loop, slot->err_fd, POLLIN, pipe_readable, slot);
	if (slot->error) {
		worker_kill(pool, slot, slot->error);
		return;
	}
	if (pool->suspended)
		slot_signal(pool, slot, SIGSTOP);
}

static void worker_kill_timer(struct loop *loop, void *data)
{
	(void)loop;
	struct slot *slot = data;
	slot->kill_timer = 0;
	if (slot->pid)
		worker_kill(slot->pool, slot, slot->error ? slot->error
				: "did not exit within --grace of its end of input");
}

/* Ask the worker to exit: EOF on its stdin once its queued lines are
 * written; KILL after --grace if it lingers. */
static void worker_close_stdin(struct pool *pool, struct slot *slot)
{
	if (slot->stdin_closed || !slot->pid)
		return;
	slot->stdin_closed = true;
	if (slot->write_offset == slot->write_len)
		close_fd(pool, &slot->in_fd);
	if (!slot->kill_timer)
		slot->kill_timer = loop_add_timer(pool->loop, pool->config.grace, worker_kill_timer, slot);
}

static void worker_respawn_timer(struct loop *loop, void *data)
{
	(void)loop;
	struct slot *slot = data;
	struct pool *pool = slot->pool;
	slot->respawn_timer = 0;
	if (!slot->pid && !pool->stopping && !slot->retiring)
		worker_spawn(pool, slot);
	dispatch(pool);
}

static void worker_exited(struct pool *pool, struct slot *slot, int status)
{
	/* Results the worker wrote before it died still count. */
	while (slot->out_fd >= 0 && worker_read(pool, slot))
		;
	close_fd(pool, &slot->in_fd);
	close_fd(pool, &slot->out_fd);
	drain(pool, &slot->err_fd, &slot->err);
	loop_del_timer(pool->loop, slot->timeout_timer);
	loop_del_timer(pool->loop, slot->kill_timer);
	slot->timeout_timer = slot->kill_timer = 0;
	bool expected = slot->stdin_closed && !slot->inflight_count;
	bool answered = slot->worker_items > 0;
	double lifetime = loop_now() - slot->spawned_at;

	/* The oldest item was being worked on: that attempt failed.  Items
	 * behind it never reached the worker's hands and go back uncounted. */
	bool requeue_only = slot->requeue;
	if (!slot->killing && !expected)
		pool_message(pool, "worker %d (pid %d) %s %d; %s", slot->number, (int)slot->pid,
			     WIFSIGNALED(status) ? "was killed by signal" : "exited with status",
			     WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
			     slot->inflight_count ? "its item is retried or failed" : "it is replaced");
	for (bool oldest = true; slot->inflight_count; oldest = false) {
		struct pending *item = slot_pop_item(pool, slot);
		if (oldest && !requeue_only) {
			char why[128];
			if (slot->killing && slot->error)
				snprintf(why, sizeof why, "%s", slot->error);
			else if (WIFSIGNALED(status))
				snprintf(why, sizeof why, "the worker was killed by signal %d while running this item",
					 WTERMSIG(status));
			else
				snprintf(why, sizeof why, "the worker exited with status %d while running this item",
					 WEXITSTATUS(status));
			finish_attempt(pool, slot, item, status ? status : 1 << 8, why);
		} else {
			pool->started--;
			queue_push_front(pool, item);
		}
	}
	spool_clear(&slot->err);
	slot->pid = 0;
	slot->read_len = slot->write_len = slot->write_offset = 0;
	slot->requeue = slot->suspended = slot->killing = false;
	/* Asked to exit: a restart (--max-items-per-worker) respawns only
	 * while there is work left; a retirement or the end removes the slot. */
	if (slot->retiring || pool->stopping || (expected && !work_left(pool))) {
		slot_remove(pool, slot);
		return;
	}
	if (!expected && !answered && lifetime < 1.0) {
		if (++pool->early_deaths >= 8) {
			if (!pool->fatal && asprintf(&pool->fatal,
				"worker %s keeps dying at start-up (last exit: %s %d); giving up",
				pool->config.worker_argv[0], WIFSIGNALED(status) ? "signal" : "status",
				WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status)) < 0)
				pool->fatal = NULL;
			pool_kill_all(pool);
			slot_remove(pool, slot);
			return;
		}
		double backoff = 0.05 * (double)(1 << pool->early_deaths);
		pool_message(pool, "worker %d died at start-up; restarting in %.1f s", slot->number, backoff);
		slot->respawn_timer = loop_add_timer(pool->loop, backoff, worker_respawn_timer, slot);
		return;
	}
	worker_spawn(pool, slot);
}

/* A worker blocked in read() on its stdin while it holds items we have
 * fully written can never answer them: it skipped a result line.  Python's
 * Pool hangs forever here; we read the leader's current system call from
 * /proc and replace the worker instead. */
static bool worker_waits_for_input(const struct slot *slot)
{
	char path[64], text[128];
	snprintf(path, sizeof path, "/proc/%d/syscall", (int)slot->pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	if (n <= 0)
		return false;
	text[n] = '\0';
	long number;
	unsigned long first_argument;
	return sscanf(text, "%ld 0x%lx", &number, &first_argument) == 2 && number == SYS_read &&
	       first_argument == 0;
}

/* The worker wrote something pooltop has not read yet.  Checked after
 * worker_waits_for_input(): a worker that answered and went back to
 * read() has its answer in the pipe, and is not stuck. */
static bool worker_output_unread(const struct slot *slot)
{
	struct pollfd readable = { .fd = slot->out_fd, .events = POLLIN };
	return slot->out_fd >= 0 && poll(&readable, 1, 0) > 0;
}

#define DEADLOCK_CHECK_SECONDS 1.0

static void deadlock_check(struct loop *loop, void *data)
{
	struct pool *pool = data;
	pool->deadlock_timer = 0;
	double now = loop_now();
	bool holding = false;
	for (int i = 0; i < pool->nslots; i++) {
		struct slot *slot = pool->slots[i];
		struct pending *oldest = slot_oldest(slot);
		if (!oldest || !slot->pid || slot->killing || slot->suspended)
			continue;
		holding = true;
		if (now - oldest->started >= DEADLOCK_CHECK_SECONDS && slot->write_offset == slot->write_len &&
		    worker_waits_for_input(slot) && !worker_output_unread(slot))
			worker_kill(pool, slot, "waits for input without answering its item "
				    "(one result line per item expected)");
	}
	if (holding)
		pool->deadlock_timer = loop_add_timer(loop, DEADLOCK_CHECK_SECONDS, deadlock_check, pool);
}

static void deadlock_watch(struct pool *pool)
{
	if (!pool->deadlock_timer)
		pool->deadlock_timer = loop_add_timer(pool->loop, DEADLOCK_CHECK_SECONDS, deadlock_check, pool);
}

/* ---- signals, timeouts, kills ------------------------------------------- */

static void slot_signal(struct pool *pool, struct slot *slot, int signo)
{
	(void)pool;
	if (!slot->pid)
		return;
	if (signo == SIGTERM || signo == SIGKILL)
		slot->killing = true;
	if (signo == SIGSTOP)
		slot->suspended = true;
	if (signo == SIGCONT)
		slot->suspended = false;
	kill(-slot->pid, signo);
	if (signo == SIGTERM)
		kill(-slot->pid, SIGCONT);  /* a stopped job must wake to die */
}

static void slot_kill_timer(struct loop *loop, void *data)
{
	(void)loop;
	struct slot *slot = data;
	slot->kill_timer = 0;
	slot_signal(slot->pool, slot, SIGKILL);
}

/* TERM now, KILL after --grace. */
static void slot_terminate(struct pool *pool, struct slot *slot)
{
	if (!slot->pid)
		return;
	slot_signal(pool, slot, SIGTERM);
	loop_del_timer(pool->loop, slot->kill_timer);
	slot->kill_timer = loop_add_timer(pool->loop, pool->config.grace, slot_kill_timer, slot);
}

static void slot_timeout(struct loop *loop, void *data)
{
	(void)loop;
	struct slot *slot = data;
	struct pool *pool = slot->pool;
	slot->timeout_timer = 0;
	if (!slot->pid || slot->killing)
		return;
	slot->error = "timed out (--timeout)";
	if (pool->config.kind == POOL_WORKER)
		worker_kill(pool, slot, "stalled past --timeout");
	else
		slot_terminate(pool, slot);
}

void pool_reap(struct pool *pool)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (int i = 0; i < pool->nslots; i++) {
			struct slot *slot = pool->slots[i];
			if (slot->pid != pid)
				continue;
			if (pool->config.kind == POOL_WORKER)
				worker_exited(pool, slot, status);
			else
				job_exited(pool, slot, status);
			break;
		}
	}
	dispatch(pool);
}

/* ---- dispatch ----------------------------------------------------------- */

/* The slot that should take the next item, or NULL. */
static struct slot *free_slot(struct pool *pool)
{
	struct slot *best = NULL;
	for (int i = 0; i < pool->nslots; i++) {
		struct slot *slot = pool->slots[i];
		if (slot->retiring || slot->killing)
			continue;
		if (pool->config.kind == POOL_COMMAND) {
			if (!slot->pid && !slot->inflight_count)
				return slot;
			continue;
		}
		if (!slot->pid || slot->stdin_closed || slot->inflight_count >= pool->config.inflight)
			continue;
		if (pool->config.max_items_per_worker &&
		    slot->worker_items + (uint64_t)slot->inflight_count >= (uint64_t)pool->config.max_items_per_worker)
			continue;  /* its replacement takes the next items */
		if (!best || slot->inflight_count < best->inflight_count)
			best = slot;
	}
	return best;
}

static void delay_done(struct loop *loop, void *data)
{
	(void)loop;
	struct pool *pool = data;
	pool->delay_timer = 0;
	dispatch(pool);
}

static bool may_dispatch(const struct pool *pool)
{
	return !pool->paused && !pool->stopping && !pool->fatal;
}

static void dispatch(struct pool *pool)
{
	if (pool->dispatching)
		return;
	pool->dispatching = true;
	while (may_dispatch(pool)) {
		struct slot *slot = free_slot(pool);
		if (!slot)
			break;
		if (pool->config.delay > 0 && pool->started > 0) {
			double wait = pool->last_start + pool->config.delay - loop_now();
			if (wait > 0) {
				/* Wait only for an item there is: at the end of the
				 * input the run finishes now, not a delay later. */
				struct pending *item = next_item(pool);
				if (item) {
					queue_push_front(pool, item);
					if (!pool->delay_timer)
						pool->delay_timer = loop_add_timer(pool->loop, wait, delay_done, pool);
				}
				break;
			}
		}
		struct pending *item = next_item(pool);
		if (!item)
			break;
		if (pool->config.kind == POOL_WORKER)
			worker_send(pool, slot, item);
		else
			job_start(pool, slot, item);
	}
	pool->dispatching = false;
	if (pool->config.kind == POOL_WORKER)
		for (int i = 0; i < pool->nslots; i++)
			if (pool->slots[i]->write_len > pool->slots[i]->write_offset)
				worker_flush(pool, pool->slots[i]);
	check_finished(pool);
}

static bool work_left(const struct pool *pool)
{
	return may_dispatch(pool) && (pool->queue_head || !pool->input_done);
}

static void check_finished(struct pool *pool)
{
	if (pool->finish_reported)
		return;
	bool busy = false, more_work = work_left(pool);
	for (int i = 0; i < pool->nslots; i++) {
		struct slot *slot = pool->slots[i];
		if (slot->inflight_count)
			busy = true;
		/* With nothing left to feed them, workers are asked to exit. */
		else if (pool->config.kind == POOL_WORKER && slot->pid && !more_work && !pool->paused)
			worker_close_stdin(pool, slot);
		if (slot->pid)
			busy = true;
	}
	if (busy || more_work || (pool->paused && !pool->stopping && !pool->input_done) ||
	    (pool->paused && pool->queue_head))
		return;
	pool->finished = true;
	pool->finish_reported = true;
	if (pool->events.finished)
		pool->events.finished(pool->events.data);
}

/* ---- the API ------------------------------------------------------------ */

struct pool *pool_new(const struct pool_config *config, struct loop *loop, struct items *items,
		      const struct pool_events *events)
{
	struct pool *pool = calloc(1, sizeof *pool);
	if (!pool)
		return NULL;
	pool->config = *config;
	if (pool->config.inflight < 1)
		pool->config.inflight = 1;
	if (pool->config.kind == POOL_COMMAND)
		pool->config.inflight = 1;
	if (!pool->config.max_line)
		pool->config.max_line = 16 << 20;
	pool->loop = loop;
	pool->items = items;
	pool->events = *events;
	/* Every job's stdin: opened once, and without it nothing can run. */
	pool->dev_null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (pool->dev_null < 0) {
		free(pool);
		return NULL;
	}
	return pool;
}

void pool_free(struct pool *pool)
{
	if (!pool)
		return;
	while (pool->nslots)
		slot_remove(pool, pool->slots[pool->nslots - 1]);
	free(pool->slots);
	while (pool->queue_head) {
		struct pending *item = pool->queue_head;
		pool->queue_head = item->next;
		free(item);
	}
	for (size_t i = 0; i < pool->nfailed_items; i++)
		free(pool->failed_items[i]);
	free(pool->failed_items);
	loop_del_timer(pool->loop, pool->delay_timer);
	loop_del_timer(pool->loop, pool->deadlock_timer);
	if (pool->dev_null >= 0)
		close(pool->dev_null);
	free(pool->fatal);
	free(pool);
}

int pool_start(struct pool *pool)
{
	pool->start_time = loop_now();
	pool->wall_offset = wall_now_slow() - pool->start_time;
	pool->rate_bucket = (int64_t)(pool->start_time / RATE_BUCKET_SECONDS);
	pool_resize(pool, pool->config.jobs, SHRINK_GRACEFUL, NULL);
	dispatch(pool);
	return pool->fatal ? -1 : 0;
}

/* The slot a shrink should take: idle first, then the newest item. */
static struct slot *shrink_victim(struct pool *pool)
{
	struct slot *victim = NULL;
	for (int i = pool->nslots - 1; i >= 0; i--) {
		struct slot *slot = pool->slots[i];
		if (slot->retiring)
			continue;
		if (!slot->inflight_count)
			return slot;
		if (!victim || slot_oldest(slot)->started > slot_oldest(victim)->started)
			victim = slot;
	}
	return victim;
}

static void slot_retire(struct pool *pool, struct slot *slot, enum shrink_mode mode)
{
	slot->retiring = true;
	if (!slot->pid && !slot->inflight_count) {
		slot_remove(pool, slot);
		return;
	}
	if (pool->config.kind == POOL_WORKER && !slot->inflight_count) {
		worker_close_stdin(pool, slot);
		return;
	}
	if (mode == SHRINK_KILL) {
		slot->requeue = true;
		slot_signal(pool, slot, SIGKILL);
	}
}

int pool_resize(struct pool *pool, int target, enum shrink_mode mode, bool *clamped)
{
	int wanted = target;
	if (target < pool->config.min_jobs)
		target = pool->config.min_jobs;
	if (target > pool->config.max_jobs)
		target = pool->config.max_jobs;
	if (target < 1)
		target = 1;
	if (clamped)
		*clamped = target != wanted;
	pool->target = target;
	int active = active_slots(pool);
	for (int i = pool->nslots - 1; i >= 0 && active < target; i--) {
		struct slot *slot = pool->slots[i];
		if (slot->retiring && !slot->requeue && !slot->stdin_closed) {
			slot->retiring = false;  /* cheaper to keep it than to start another */
			active++;
		}
	}
	while (active < target && !pool->stopping && slot_add(pool))
		active++;
	while (active > target) {
		struct slot *victim = shrink_victim(pool);
		if (!victim)
			break;
		slot_retire(pool, victim, mode);
		active--;
	}
	dispatch(pool);
	return target;
}

int pool_target(const struct pool *pool)
{
	return pool->target;
}

enum shrink_mode pool_shrink_mode(const struct pool *pool)
{
	return pool->config.shrink;
}

void pool_bounds(const struct pool *pool, int *min_jobs, int *max_jobs)
{
	*min_jobs = pool->config.min_jobs;
	*max_jobs = pool->config.max_jobs;
}

void pool_set_paused(struct pool *pool, bool paused)
{
	pool->paused = paused;
	dispatch(pool);
}

void pool_set_suspended(struct pool *pool, bool suspended)
{
	pool->suspended = suspended;
	for (int i = 0; i < pool->nslots; i++)
		slot_signal(pool, pool->slots[i], suspended ? SIGSTOP : SIGCONT);
}

int pool_kill_item(struct pool *pool, uint64_t seq)
{
	for (int i = 0; i < pool->nslots; i++) {
		struct slot *slot = pool->slots[i];
		for (int k = 0; k < slot->inflight_count; k++) {
			struct pending *item = slot->inflight[(slot->inflight_head + k) % pool->config.inflight];
			if (item->seq != seq)
				continue;
			slot->error = "killed on request";
			if (pool->config.kind == POOL_WORKER)
				worker_kill(pool, slot, "was killed on request");
			else
				slot_terminate(pool, slot);
			return 0;
		}
	}
	return -1;
}

size_t pool_requeue_failed(struct pool *pool)
{
	size_t count = pool->nfailed_items;
	for (size_t i = 0; i < count; i++) {
		struct pending *item = pool->failed_items[i];
		item->attempts = 0;
		queue_push_back(pool, item);
	}
	pool->nfailed_items = 0;
	pool->failed -= count;
	pool->done -= count;
	if (count && pool->finish_reported && !pool->stopping) {
		pool->finish_reported = pool->finished = false;
		pool_resize(pool, pool->target, SHRINK_GRACEFUL, NULL);
	}
	dispatch(pool);
	return count;
}

void pool_stop(struct pool *pool)
{
	pool->stopping = true;
	if (pool->suspended)
		pool_set_suspended(pool, false);  /* stopped jobs could never finish */
	for (int i = 0; i < pool->nslots; i++)
		if (!pool->slots[i]->inflight_count && pool->slots[i]->pid &&
		    pool->config.kind == POOL_WORKER)
			worker_close_stdin(pool, pool->slots[i]);
	dispatch(pool);
}

void pool_kill_all(struct pool *pool)
{
	pool->stopping = true;
	for (int i = 0; i < pool->nslots; i++) {
		struct slot *slot = pool->slots[i];
		if (!slot->error)
			slot->error = "killed: pooltop was stopped";
		slot_terminate(pool, slot);
	}
	check_finished(pool);
}

bool pool_finished(const struct pool *pool)
{
	return pool->finished;
}

int pool_exit_status(const struct pool *pool)
{
	return pool->failed > 100 ? 101 : (int)pool->failed;
}

const char *pool_fatal_error(const struct pool *pool)
{
	return pool->fatal;
}

void pool_get_stats(const struct pool *pool, struct pool_stats *stats)
{
	double now = loop_now();
	int running = 0;
	for (int i = 0; i < pool->nslots; i++)
		running += pool->slots[i]->inflight_count > 0;

	/* Completions over the last few full buckets (fewer early on). */
	int64_t bucket = (int64_t)(now / RATE_BUCKET_SECONDS);
	uint64_t completed = 0;
	int buckets = 0;
	for (int64_t b = bucket - 1; b > bucket - RATE_BUCKETS; b--) {
		if ((double)(b + 1) * RATE_BUCKET_SECONDS <= pool->start_time)
			break;
		if (b <= pool->rate_bucket && b > pool->rate_bucket - RATE_BUCKETS)
			completed += pool->rate_counts[b % RATE_BUCKETS];
		buckets++;
	}
	double window = buckets * RATE_BUCKET_SECONDS;

	/* A range or ::: knows its size at once; a stream only at its end. */
	int64_t known = pool->input_done ? (int64_t)pool->next_seq : items_total(pool->items);
	int64_t total = known >= 0 ? known - (int64_t)pool->skipped : -1;
	*stats = (struct pool_stats){
		.target = pool->target,
		.slots = pool->nslots,
		.running = running,
		.started = pool->started,
		.done = pool->done,
		.failed = pool->failed,
		.total = total,
		.queued = pool->queue_len,
		.items_per_s = window > 0 ? (double)completed / window : 0,
		.elapsed = now - pool->start_time,
		.paused = pool->paused,
		.suspended = pool->suspended,
		.input_done = pool->input_done,
		.stopping = pool->stopping,
	};
	stats->seconds_left = -1;
	if (total >= 0 && pool->done >= (uint64_t)total)
		stats->seconds_left = 0;
	else if (total >= 0 && stats->items_per_s > 0)
		stats->seconds_left = (double)((uint64_t)total - pool->done) / stats->items_per_s;
	if (total >= 0 && (uint64_t)total > pool->done) {
		uint64_t in_flight = 0;
		for (int i = 0; i < pool->nslots; i++)
			in_flight += (uint64_t)pool->slots[i]->inflight_count;
		uint64_t left = (uint64_t)total - pool->done;
		stats->queued = left > in_flight ? left - in_flight : 0;
	}
}

int pool_slot_count(const struct pool *pool)
{
	return pool->nslots;
}

bool pool_slot_view(const struct pool *pool, int index, struct slot_view *view)
{
	if (index < 0 || index >= pool->nslots)
		return false;
	const struct slot *slot = pool->slots[index];
	const struct pending *oldest = slot_oldest(slot);
	enum slot_state state = SLOT_IDLE;
	if (slot->suspended)
		state = SLOT_STOP;
	else if (slot->retiring)
		state = SLOT_RETIRE;
	else if (oldest)
		state = SLOT_RUN;
	*view = (struct slot_view){
		.number = slot->number,
		.state = state,
		.pid = slot->pid,
		.seq = oldest ? oldest->seq : 0,
		.item = oldest ? oldest->text : NULL,
		.item_len = oldest ? oldest->len : 0,
		.queued = slot->inflight_count > 1 ? slot->inflight_count - 1 : 0,
		.item_started = oldest ? oldest->started : 0,
		.done = slot->done,
		.failed = slot->failed,
	};
	return true;
}

char *pool_slot_command(const struct pool *pool, int index)
{
	if (index < 0 || index >= pool->nslots)
		return NULL;
	const struct slot *slot = pool->slots[index];
	if (pool->config.kind == POOL_WORKER)
		return template_join(pool->config.worker_argv);
	return slot->argv && slot->inflight_count ? template_join(slot->argv) : NULL;
}

size_t pool_slot_stderr_tail(const struct pool *pool, int index, char *out, size_t size)
{
	if (index < 0 || index >= pool->nslots) {
		if (size)
			out[0] = '\0';
		return 0;
	}
	return spool_tail(&pool->slots[index]->err, out, size);
}
