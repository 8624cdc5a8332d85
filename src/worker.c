/* worker.c - the worker-mode slot kind: a long-lived process reads one item
 * per line on stdin and answers each with one line on stdout, several
 * items in flight at once.  Dead, stalled, silent or chatty workers are
 * killed and replaced; workers that die at start-up are retried with a
 * back-off, then given up. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "slot.h"
#include "template.h"
#include "xalloc.h"

struct worker {
	char *to_send;            /* lines not yet written to its stdin */
	size_t to_send_len, sent, to_send_cap;
	char *partial;            /* the start of a result line still being read */
	size_t partial_len, partial_cap;
	bool stdin_closed;        /* EOF sent: the worker is asked to exit */
	uint64_t answered;        /* items this process answered */
	double spawned_at;        /* monotonic */
	uint64_t respawn_timer;
};

/* Shared by the pool's workers. */
struct worker_pool_state {
	uint64_t deadlock_timer;  /* looks for workers waiting on input while holding items */
	int early_deaths;         /* consecutive workers that died before answering anything */
};

/* Workers that die this many times in a row before answering anything
 * make the run give up; between tries the wait doubles from 0.1 s. */
#define EARLY_DEATHS_FATAL 8
#define EARLY_DEATH_SECONDS 1.0
#define DEADLOCK_CHECK_SECONDS 1.0
/* A partial-line buffer larger than this is freed once empty. */
#define PARTIAL_KEPT_BYTES ((size_t)1 << 20)

static void worker_spawn(struct slot *slot);
static void worker_close_stdin(struct slot *slot);
static void deadlock_check(struct loop *loop, void *data);

static struct worker_pool_state *pool_state(struct pool *pool)
{
	if (!pool->kind_state)
		pool->kind_state = xcalloc(1, sizeof(struct worker_pool_state));
	return pool->kind_state;
}

static void worker_kill(struct slot *slot, const char *why)
{
	log_debug("slot %d: worker pid %d killed: %s", slot->number, (int)slot->pid, why);
	pool_message(slot->pool, "worker %d (pid %d) %s: killed and replaced", slot->number, (int)slot->pid, why);
	slot->error = why;
	slot_signal(slot, SIGKILL);
}

/* ---- stdin: the items ---------------------------------------------------- */

static void worker_flush(struct slot *slot)
{
	struct worker *worker = slot->kind_data;
	while (worker->sent < worker->to_send_len && slot->in_fd >= 0) {
		ssize_t n = write(slot->in_fd, worker->to_send + worker->sent, worker->to_send_len - worker->sent);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			slot_close_fd(slot, &slot->in_fd);  /* EPIPE: its exit will be reaped */
			return;
		}
		worker->sent += (size_t)n;
	}
	if (slot->in_fd < 0)
		return;
	if (worker->sent < worker->to_send_len) {
		loop_set_events(slot->pool->loop, slot->in_fd, POLLOUT);
		return;
	}
	worker->sent = worker->to_send_len = 0;
	loop_set_events(slot->pool->loop, slot->in_fd, 0);
	if (worker->stdin_closed)
		slot_close_fd(slot, &slot->in_fd);
}

static void worker_writable(struct loop *loop, int fd, short revents, void *data)
{
	(void)loop;
	(void)fd;
	struct slot *slot = data;
	if (revents & (POLLERR | POLLHUP) && !(revents & POLLOUT))
		slot_close_fd(slot, &slot->in_fd);
	else
		worker_flush(slot);
}

/* Lines are gathered during a dispatch round and written once at its end
 * (the flush operation): one write() per worker per round, not per item. */
static void worker_start(struct slot *slot, struct pending *item)
{
	struct worker *worker = slot->kind_data;
	if (memchr(item->text, '\n', item->len)) {
		pool_finish_attempt(slot, item, 1 << 8, "item contains a newline: a worker reads one item per line");
		return;
	}
	if (worker->to_send_len + item->len + 1 > worker->to_send_cap)
		xgrow(&worker->to_send, &worker->to_send_cap, worker->to_send_len + item->len + 1, 1);
	memcpy(worker->to_send + worker->to_send_len, item->text, item->len);
	worker->to_send[worker->to_send_len + item->len] = '\n';
	worker->to_send_len += item->len + 1;
	slot_push_item(slot, item);
	if (slot->inflight_count == 1)
		slot_arm_timeout(slot, item->started);
	struct worker_pool_state *state = pool_state(slot->pool);
	if (!state->deadlock_timer)
		state->deadlock_timer = loop_add_timer(slot->pool->loop, DEADLOCK_CHECK_SECONDS, deadlock_check,
						       slot->pool);
}

static void worker_flush_round(struct slot *slot)
{
	struct worker *worker = slot->kind_data;
	if (worker->to_send_len > worker->sent)
		worker_flush(slot);
}

static int worker_accepts_more(const struct slot *slot)
{
	const struct pool *pool = slot->pool;
	const struct worker *worker = slot->kind_data;
	if (!slot->pid || worker->stdin_closed)
		return 0;
	int room = pool->config.inflight - slot->inflight_count;
	if (pool->config.max_items_per_worker) {
		/* Its replacement takes the items beyond the limit. */
		uint64_t limit = (uint64_t)pool->config.max_items_per_worker;
		uint64_t promised = worker->answered + (uint64_t)slot->inflight_count;
		if (promised >= limit)
			return 0;
		if ((uint64_t)room > limit - promised)
			room = (int)(limit - promised);
	}
	return room > 0 ? room : 0;
}

/* ---- stdout: the results ------------------------------------------------- */

/* One result line arrived: it answers the oldest item in flight. */
static void worker_line(struct slot *slot, const char *line, size_t len)
{
	struct pool *pool = slot->pool;
	struct worker *worker = slot->kind_data;
	if (!slot->inflight_count) {
		worker_kill(slot, "wrote a line with no item pending (one line per item expected)");
		return;
	}
	struct pending *item = slot_pop_item(slot);
	spool_append(&slot->out, line, len);
	spool_append(&slot->out, "\n", 1);
	worker->answered++;
	pool_state(pool)->early_deaths = 0;
	pool_finish_attempt(slot, item, 0, NULL);
	struct pending *next = slot_oldest(slot);
	if (next) {
		next->started = loop_time(pool->loop);  /* the worker reaches it only now */
		next->started_wall = pool_wall_time(pool, next->started);
	}
	slot_arm_timeout(slot, next ? next->started : 0);
	bool restart_due = pool->config.max_items_per_worker &&
			   worker->answered >= (uint64_t)pool->config.max_items_per_worker;
	if (!slot->inflight_count && (slot->retiring || restart_due))
		worker_close_stdin(slot);
}

static void worker_partial_append(struct worker *worker, const char *data, size_t len)
{
	if (worker->partial_len + len > worker->partial_cap)
		xgrow(&worker->partial, &worker->partial_cap, worker->partial_len + len, 1);
	memcpy(worker->partial + worker->partial_len, data, len);
	worker->partial_len += len;
}

/* Lines are parsed where they arrived; only a line cut by the end of a
 * read is copied, to be completed by the next. */
static void worker_read_lines(struct slot *slot, const char *data, size_t len)
{
	struct worker *worker = slot->kind_data;
	const char *end = data + len;
	const char *newline;
	while (!slot->killing && (newline = memchr(data, '\n', (size_t)(end - data)))) {
		if (worker->partial_len) {
			worker_partial_append(worker, data, (size_t)(newline - data));
			size_t line_len = worker->partial_len;
			worker->partial_len = 0;  /* the bytes stay readable while worker_line runs */
			worker_line(slot, worker->partial, line_len);
		} else {
			worker_line(slot, data, (size_t)(newline - data));
		}
		data = newline + 1;
	}
	if (slot->killing)
		return;  /* what a killed worker still says is not believed */
	if (data < end)
		worker_partial_append(worker, data, (size_t)(end - data));
	if (worker->partial_len > slot->pool->config.max_line)
		worker_kill(slot, "wrote a line longer than --max-line");
	else if (!worker->partial_len && worker->partial_cap > PARTIAL_KEPT_BYTES) {
		free(worker->partial);  /* one long line does not pin a big buffer */
		worker->partial = NULL;
		worker->partial_cap = 0;
	}
}

static void worker_output(struct slot *slot, int stream, const char *data, size_t len)
{
	struct worker *worker = slot->kind_data;
	if (stream == 2) {
		if (len)
			spool_append(&slot->err, data, len);  /* stderr since the last result */
		return;
	}
	if (!len) {
		/* Usually the worker is exiting; if it lingers without its
		 * output, it is killed after --grace. */
		if (!worker->stdin_closed && !slot->killing) {
			slot->error = "closed its standard output";
			worker_close_stdin(slot);
		}
		return;
	}
	worker_read_lines(slot, data, len);
	pool_dispatch(slot->pool);
}

/* ---- the process --------------------------------------------------------- */

static void worker_spawn(struct slot *slot)
{
	struct pool *pool = slot->pool;
	struct worker *worker = slot->kind_data;
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 }, exec_errno = 0;
	if (pipe2(in, O_CLOEXEC) || proc_pipe(out) || proc_pipe(err)) {
		pool_message(pool, "cannot start worker %d: %s", slot->number, strerror(errno));
		for (int i = 0; i < 2; i++) {
			if (in[i] >= 0)
				close(in[i]);
			if (out[i] >= 0)
				close(out[i]);
		}
		return;
	}
	slot->error = NULL;
	struct proc_job job = { .slot = slot->number };  /* no seq: a worker runs many items */
	pid_t pid = proc_spawn_job(pool->config.worker_argv, &job, in[0], out[1], err[1], &exec_errno);
	close(in[0]);
	close(out[1]);
	close(err[1]);
	if (!pid) {
		close(in[1]);
		close(out[0]);
		close(err[0]);
		int exit_code;
		pool_fail(pool, "cannot start worker %s: %s", pool->config.worker_argv[0],
			  proc_exec_error(exec_errno, &exit_code));
		return;
	}
	slot->pid = pid;
	slot->in_fd = in[1];
	slot->out_fd = out[0];
	slot->err_fd = err[0];
	worker->stdin_closed = false;
	worker->answered = 0;
	worker->partial_len = worker->to_send_len = worker->sent = 0;
	worker->spawned_at = loop_now();
	log_debug("slot %d: worker pid %d started", slot->number, (int)pid);
	loop_add_fd(pool->loop, slot->in_fd, 0, worker_writable, slot);
	slot_watch_output(slot);
	if (fcntl(slot->in_fd, F_SETFL, O_NONBLOCK)) {
		worker_kill(slot, "cannot make the worker's stdin non-blocking");
		return;
	}
	if (pool->suspended)
		slot_signal(slot, SIGSTOP);
}

static void worker_open(struct slot *slot)
{
	slot->kind_data = xcalloc(1, sizeof(struct worker));
	worker_spawn(slot);
}

static void worker_kill_timer(struct loop *loop, void *data)
{
	(void)loop;
	struct slot *slot = data;
	slot->kill_timer = 0;
	if (slot->pid)
		worker_kill(slot, slot->error ? slot->error : "did not exit within --grace of its end of input");
}

/* Ask the worker to exit: EOF on its stdin once its queued lines are
 * written; KILL after --grace if it lingers. */
static void worker_close_stdin(struct slot *slot)
{
	struct worker *worker = slot->kind_data;
	if (worker->stdin_closed || !slot->pid)
		return;
	worker->stdin_closed = true;
	if (worker->sent == worker->to_send_len)
		slot_close_fd(slot, &slot->in_fd);
	if (!slot->kill_timer)
		slot->kill_timer = loop_add_timer(slot->pool->loop, slot->pool->config.grace, worker_kill_timer, slot);
}

static void worker_respawn_timer(struct loop *loop, void *data)
{
	(void)loop;
	struct slot *slot = data;
	struct pool *pool = slot->pool;
	struct worker *worker = slot->kind_data;
	worker->respawn_timer = 0;
	if (!slot->pid && !pool->stopping && !slot->retiring)
		worker_spawn(slot);
	pool_dispatch(pool);
}

/* The oldest item was being worked on: that attempt failed.  Items behind
 * it never reached the worker's hands and go back uncounted, in order, and
 * a retry of the oldest goes ahead of them. */
static void worker_fail_items(struct slot *slot, int status)
{
	if (!slot->inflight_count)
		return;
	struct pending *oldest = slot_pop_item(slot);
	slot_return_items(slot);
	char why[128];
	if (slot->killing && slot->error)
		snprintf(why, sizeof why, "%s", slot->error);
	else if (WIFSIGNALED(status))
		snprintf(why, sizeof why, "the worker was killed by signal %d while running this item",
			 WTERMSIG(status));
	else
		snprintf(why, sizeof why, "the worker exited with status %d while running this item",
			 WEXITSTATUS(status));
	pool_finish_attempt(slot, oldest, status ? status : 1 << 8, why);
}

static bool worker_exited(struct slot *slot, int status)
{
	struct pool *pool = slot->pool;
	struct worker *worker = slot->kind_data;
	struct worker_pool_state *state = pool_state(pool);
	slot_close_fd(slot, &slot->in_fd);
	bool expected = worker->stdin_closed && !slot->inflight_count;
	bool answered = worker->answered > 0;
	double lifetime = loop_now() - worker->spawned_at;
	if (!slot->killing && !expected)
		pool_message(pool, "worker %d (pid %d) %s %d; %s", slot->number, (int)slot->pid,
			     WIFSIGNALED(status) ? "was killed by signal" : "exited with status",
			     WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
			     slot->inflight_count ? "its item is retried or failed" : "it is replaced");
	worker_fail_items(slot, status);
	spool_clear(&slot->err);
	worker->partial_len = worker->to_send_len = worker->sent = 0;
	slot_process_gone(slot);

	/* Asked to exit: a restart (--max-items-per-worker) respawns only
	 * while there is work left; a retirement or the end removes the slot. */
	if (slot->retiring || pool->stopping || (expected && !pool_work_left(pool)))
		return false;
	if (!expected && !answered && lifetime < EARLY_DEATH_SECONDS) {
		if (++state->early_deaths >= EARLY_DEATHS_FATAL) {
			pool_fail(pool, "worker %s keeps dying at start-up (last exit: %s %d); giving up",
				  pool->config.worker_argv[0], WIFSIGNALED(status) ? "signal" : "status",
				  WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
			return false;
		}
		double backoff = 0.05 * (double)(1 << state->early_deaths);
		pool_message(pool, "worker %d died at start-up; restarting in %.1f s", slot->number, backoff);
		log_debug("slot %d: worker died at start-up, restart in %.2f s", slot->number, backoff);
		worker->respawn_timer = loop_add_timer(pool->loop, backoff, worker_respawn_timer, slot);
		return true;
	}
	log_debug("slot %d: worker restarted (%s)", slot->number, expected ? "as asked" : "after it died");
	worker_spawn(slot);
	return true;
}

static void worker_timeout(struct slot *slot)
{
	worker_kill(slot, "stalled past --timeout");
}

static void worker_abort(struct slot *slot, const char *why)
{
	worker_kill(slot, why);
}

static char *worker_command(const struct slot *slot)
{
	return template_join(slot->pool->config.worker_argv);
}

static void worker_close(struct slot *slot)
{
	struct worker *worker = slot->kind_data;
	if (!worker)
		return;
	loop_del_timer(slot->pool->loop, worker->respawn_timer);
	free(worker->to_send);
	free(worker->partial);
	free(worker);
	slot->kind_data = NULL;
}

/* ---- a worker that can never answer --------------------------------------- */

/* The worker wrote something pooltop has not read yet.  Checked after
 * proc_waits_for_stdin(): a worker that answered and went back to read()
 * has its answer in the pipe, and is not stuck. */
static bool worker_output_unread(const struct slot *slot)
{
	struct pollfd readable = { .fd = slot->out_fd, .events = POLLIN };
	return slot->out_fd >= 0 && poll(&readable, 1, 0) > 0;
}

/* A worker blocked in read() on its stdin while it holds items we have
 * fully written can never answer them: it skipped a result line.  Python's
 * Pool hangs forever here; we replace the worker instead. */
static void deadlock_check(struct loop *loop, void *data)
{
	struct pool *pool = data;
	struct worker_pool_state *state = pool_state(pool);
	state->deadlock_timer = 0;
	double now = loop_now();
	bool holding = false;
	for (int i = 0; i < pool->nslots; i++) {
		struct slot *slot = pool->slots[i];
		struct worker *worker = slot->kind_data;
		struct pending *oldest = slot_oldest(slot);
		if (!oldest || !slot->pid || slot->killing || slot->suspended)
			continue;
		holding = true;
		if (now - oldest->started >= DEADLOCK_CHECK_SECONDS && worker->sent == worker->to_send_len &&
		    proc_waits_for_stdin(slot->pid) && !worker_output_unread(slot))
			worker_kill(slot, "waits for input without answering its item "
				    "(one result line per item expected)");
	}
	if (holding)
		state->deadlock_timer = loop_add_timer(loop, DEADLOCK_CHECK_SECONDS, deadlock_check, pool);
}

static void worker_release(struct pool *pool)
{
	struct worker_pool_state *state = pool->kind_state;
	if (!state)
		return;
	loop_del_timer(pool->loop, state->deadlock_timer);
	free(state);
	pool->kind_state = NULL;
}

const struct slot_kind worker_slot_kind = {
	.name = "worker",
	.open = worker_open,
	.accepts_more = worker_accepts_more,
	.start = worker_start,
	.flush = worker_flush_round,
	.output = worker_output,
	.exited = worker_exited,
	.timeout = worker_timeout,
	.abort = worker_abort,
	.stop = worker_close_stdin,
	.signal = slot_signal_process_group,
	.command = worker_command,
	.close = worker_close,
	.release = worker_release,
};
