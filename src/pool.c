/* pool.c - the scheduler.  Slots take items from the queue (returned and
 * retried items first, then the item source, read only as needed) and run
 * them through their kind's operations (slot.h); the scheduler keeps the
 * queue, the slots, dispatch, resize and the statistics. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "slot.h"
#include "xalloc.h"

static void check_finished(struct pool *pool);
static void slot_remove(struct slot *slot);

void pool_message(struct pool *pool, const char *format, ...)
{
	char text[1024];
	va_list args;
	va_start(args, format);
	vsnprintf(text, sizeof text, format, args);
	va_end(args);
	log_debug("message: %s", text);
	if (pool->events.message)
		pool->events.message(pool->events.data, text);
}

void pool_fail(struct pool *pool, const char *format, ...)
{
	if (!pool->fatal) {
		char text[1024];
		va_list args;
		va_start(args, format);
		vsnprintf(text, sizeof text, format, args);
		va_end(args);
		pool->fatal = xstrdup(text);
		log_debug("fatal: %s", text);
	}
	pool_kill_all(pool);
}

/* Wall-clock time of a monotonic instant (for results and the joblog),
 * from one offset taken at start: no extra clock reads per item. */
double pool_wall_time(const struct pool *pool, double monotonic)
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
	struct pending *item = xmalloc(sizeof *item + len + 1);
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

void pool_return_item(struct pool *pool, struct pending *item)
{
	pool->started--;
	queue_push_front(pool, item);
}

static void items_ready(struct loop *loop, int fd, short revents, void *data)
{
	(void)fd;
	(void)revents;
	struct pool *pool = data;
	loop_del_fd(loop, items_fd(pool->items));
	pool->items_watched = false;
	pool_dispatch(pool);
}

/* -r: an item (or one of its arguments) that is empty or only white space. */
static bool item_is_blank(const char *text, size_t len)
{
	bool blank = true;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || text[i] == ITEMS_ARG_SEPARATOR) {
			if (blank)
				return true;
			blank = true;
		} else if (!strchr(" \t\n\r\v\f", text[i])) {
			blank = false;
		}
	}
	return false;
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
	while ((status = items_next(pool->items, &text, &len)) == ITEMS_READY) {
		/* -r: a blank item is dropped before it is numbered, as parallel. */
		if (pool->config.skip_blank && item_is_blank(text, len))
			continue;
		if (!pool->config.skip || !pool->config.skip(pool->config.skip_data, pool->next_seq + 1))
			break;
		pool->next_seq++;
		pool->skipped++;
	}
	switch (status) {
	case ITEMS_READY:
		pool->next_seq++;
		return pending_new(pool->next_seq, text, len);
	case ITEMS_WAIT:
		if (!pool->items_watched) {
			loop_add_fd(pool->loop, items_fd(pool->items), POLLIN, items_ready, pool);
			pool->items_watched = true;
		}
		return NULL;
	case ITEMS_ERROR:
		/* Unreadable input ends the run as a usage error would: running
		 * jobs finish, nothing new starts, the exit status is 255. */
		if (!pool->fatal)
			pool->fatal = xasprintf("cannot read items: %s", strerror(errno));
		log_debug("input: %s", pool->fatal);
		pool->input_done = true;
		pool->stopping = true;
		return NULL;
	case ITEMS_END:
		log_debug("input: end after %" PRIu64 " items", pool->next_seq);
		pool->input_done = true;
		return NULL;
	}
	return NULL;
}

/* ---- slots -------------------------------------------------------------- */

struct pending *slot_item_at(const struct slot *slot, int index)
{
	return slot->inflight[(slot->inflight_head + index) % slot->pool->config.inflight];
}

struct pending *slot_oldest(const struct slot *slot)
{
	return slot->inflight_count ? slot->inflight[slot->inflight_head] : NULL;
}

void slot_push_item(struct slot *slot, struct pending *item)
{
	int at = (slot->inflight_head + slot->inflight_count) % slot->pool->config.inflight;
	slot->inflight[at] = item;
	slot->inflight_count++;
}

struct pending *slot_pop_item(struct slot *slot)
{
	struct pending *item = slot->inflight[slot->inflight_head];
	slot->inflight_head = (slot->inflight_head + 1) % slot->pool->config.inflight;
	slot->inflight_count--;
	return item;
}

void slot_return_items(struct slot *slot)
{
	for (int k = slot->inflight_count - 1; k >= 0; k--) {
		struct pending *item = slot_item_at(slot, k);
		log_debug("slot %d: item %" PRIu64 " back to the queue", slot->number, item->seq);
		pool_return_item(slot->pool, item);
	}
	slot->inflight_count = 0;
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

static void slot_add(struct pool *pool)
{
	xgrow(&pool->slots, &pool->slots_cap, (size_t)pool->nslots + 1, sizeof *pool->slots);
	struct slot *slot = xcalloc(1, sizeof *slot);
	slot->inflight = xcalloc((size_t)pool->config.inflight, sizeof *slot->inflight);
	slot->pool = pool;
	slot->number = lowest_free_number(pool);
	slot->in_fd = slot->out_fd = slot->err_fd = -1;
	spool_init(&slot->out);
	spool_init(&slot->err);
	int at = slot->number - 1;  /* numbers below it are all taken, so this is its place */
	memmove(&pool->slots[at + 1], &pool->slots[at], (size_t)(pool->nslots - at) * sizeof *pool->slots);
	pool->slots[at] = slot;
	pool->nslots++;
	log_debug("slot %d: added (%d slots)", slot->number, pool->nslots);
	if (pool->kind->open)
		pool->kind->open(slot);
}

static void slot_remove(struct slot *slot)
{
	struct pool *pool = slot->pool;
	int at = 0;
	while (at < pool->nslots && pool->slots[at] != slot)
		at++;
	if (at == pool->nslots)
		return;
	memmove(&pool->slots[at], &pool->slots[at + 1], (size_t)(pool->nslots - at - 1) * sizeof *pool->slots);
	pool->nslots--;
	log_debug("slot %d: removed (%d slots)", slot->number, pool->nslots);
	if (pool->kind->close)
		pool->kind->close(slot);
	slot_close_fd(slot, &slot->in_fd);
	slot_close_fd(slot, &slot->out_fd);
	slot_close_fd(slot, &slot->err_fd);
	loop_del_timer(pool->loop, slot->timeout_timer);
	loop_del_timer(pool->loop, slot->kill_timer);
	while (slot->inflight_count)
		free(slot_pop_item(slot));
	spool_clear(&slot->out);
	spool_clear(&slot->err);
	free(slot->argv);
	free(slot->inflight);
	free(slot);
}

/* The process behind the slot is gone (reaped); a kind calls this once it
 * has read what it needs of the old process. */
void slot_process_gone(struct slot *slot)
{
	slot->pid = 0;
	slot->suspended = slot->killing = slot->requeue = slot->reaped = false;
	slot->error = NULL;
}

static int active_slots(const struct pool *pool)
{
	int active = 0;
	for (int i = 0; i < pool->nslots; i++)
		active += !pool->slots[i]->retiring;
	return active;
}

/* ---- signals, timeouts, kills ------------------------------------------- */

void slot_signal_process_group(struct slot *slot, int signo)
{
	kill(-slot->pid, signo);
	if (signo == SIGTERM)
		kill(-slot->pid, SIGCONT);  /* a stopped job must wake to die */
}

void slot_signal(struct slot *slot, int signo)
{
	if (!slot->pid || slot->reaped)
		return;
	if (signo == SIGTERM || signo == SIGKILL)
		slot->killing = true;
	if (signo == SIGSTOP)
		slot->suspended = true;
	if (signo == SIGCONT)
		slot->suspended = false;
	if (signo == SIGTERM || signo == SIGKILL)
		log_debug("slot %d: %s to pid %d", slot->number, signo == SIGTERM ? "TERM" : "KILL", (int)slot->pid);
	slot->pool->kind->signal(slot, signo);
}

/* A child started with vfork inherits pooltop's own high-water mark at
 * exec: its ru_maxrss says something of the child only when it is above
 * pooltop's.  Our peak is asked again only when a child passes it. */
static uint64_t child_max_rss(const struct rusage *usage)
{
	static long own_max_rss;  /* KiB, as ru_maxrss */
	if (usage->ru_maxrss > own_max_rss) {
		struct rusage own;
		if (getrusage(RUSAGE_SELF, &own) == 0)
			own_max_rss = own.ru_maxrss;
	}
	return usage->ru_maxrss > own_max_rss ? (uint64_t)usage->ru_maxrss * 1024 : 0;
}

static void report_reaped(struct pool *pool, const struct slot *slot, pid_t pid, const struct rusage *usage)
{
	if (!usage || !pool->events.reaped)
		return;
	struct pool_reaped reaped = {
		.slot = slot->number,
		.pid = pid,
		.cpu_seconds = (double)usage->ru_utime.tv_sec + (double)usage->ru_utime.tv_usec / 1e6 +
			       (double)usage->ru_stime.tv_sec + (double)usage->ru_stime.tv_usec / 1e6,
		.max_rss_bytes = child_max_rss(usage),
		.host = slot->host,
	};
	double elsewhere = pool->kind->cpu_seconds ? pool->kind->cpu_seconds(slot) : -1;
	if (elsewhere >= 0) {
		reaped.cpu_seconds = elsewhere;
		reaped.max_rss_bytes = 0;
	}
	pool->events.reaped(pool->events.data, &reaped);
}

void pool_child_exited(struct pool *pool, pid_t pid, int status, const struct rusage *usage)
{
	struct slot *slot = NULL;
	for (int i = 0; i < pool->nslots && !slot; i++)
		if (pool->slots[i]->pid == pid)
			slot = pool->slots[i];
	if (!slot)
		return;
	log_debug("slot %d: pid %d %s %d", slot->number, (int)pid,
		  WIFSIGNALED(status) ? "killed by signal" : "exited with status",
		  WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	/* No new item may reach the slot while its old process is handled. */
	bool dispatching = pool->dispatching;
	pool->dispatching = true;
	slot->reaped = true;  /* a halt its results cause must not signal it */
	slot_drain_output(slot);
	report_reaped(pool, slot, pid, usage);  /* a remote job's CPU is in its output */
	loop_del_timer(pool->loop, slot->timeout_timer);
	loop_del_timer(pool->loop, slot->kill_timer);
	slot->timeout_timer = slot->kill_timer = 0;
	if (slot->requeue) {
		/* A kill-shrink: its items run again elsewhere, uncounted. */
		slot_return_items(slot);
		spool_clear(&slot->out);
		spool_clear(&slot->err);
	}
	if (!pool->kind->exited(slot, status))
		slot_remove(slot);
	else if (slot->pid == pid)
		slot_process_gone(slot);
	pool->dispatching = dispatching;
	pool_dispatch(pool);
}

void pool_reap(struct pool *pool)
{
	int status;
	struct rusage usage;
	pid_t pid;
	while ((pid = wait4(-1, &status, WNOHANG, &usage)) > 0)
		pool_child_exited(pool, pid, status, &usage);
	pool_dispatch(pool);
}

/* ---- results ------------------------------------------------------------ */

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
	xgrow(&pool->failed_items, &pool->failed_items_cap, pool->nfailed_items + 1, sizeof *pool->failed_items);
	pool->failed_items[pool->nfailed_items++] = item;
}

void pool_finish_attempt(struct slot *slot, struct pending *item, int status, const char *error)
{
	struct pool *pool = slot->pool;
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
		.host = slot->host,
	};
	if (!will_retry) {
		pool->done++;
		slot->done++;
		pool_count_completion(pool, now);
		if (failed) {
			pool->failed++;
			slot->failed++;
		} else {
			pool->succeeded++;
		}
	}
	if (failed)
		log_debug("slot %d: item %" PRIu64 " attempt %d failed (%s)%s", slot->number, item->seq,
			  item->attempts, error ? error : "exit status", will_retry ? "; retried" : "");
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
	pool_policy_attempt(pool, result.runtime, failed, !will_retry);
	if (!will_retry)
		pool_check_halt(pool, status, failed);
}

/* ---- dispatch ----------------------------------------------------------- */

/* The slot that should take the next item: the one with the most room,
 * so that items in flight spread evenly; NULL when none takes one. */
static struct slot *free_slot(struct pool *pool)
{
	struct slot *best = NULL;
	int best_room = 0;
	for (int i = 0; i < pool->nslots; i++) {
		struct slot *slot = pool->slots[i];
		if (slot->retiring || slot->killing)
			continue;
		int room = pool->kind->accepts_more(slot);
		if (room > best_room) {
			best = slot;
			best_room = room;
			if (room >= pool->config.inflight)
				break;  /* an idle slot: none has more room */
		}
	}
	return best;
}

static void delay_done(struct loop *loop, void *data)
{
	(void)loop;
	struct pool *pool = data;
	pool->delay_timer = 0;
	pool_dispatch(pool);
}

/* Neither paused, stopping nor failed: items may still be run. */
static bool dispatch_allowed(const struct pool *pool)
{
	return !pool->paused && !pool->stopping && !pool->fatal;
}

/* May the next job start now?  The throttles have their say too. */
static bool may_dispatch(struct pool *pool)
{
	return dispatch_allowed(pool) && throttle_allows_start(pool->throttle);
}

/* --delay: true when the next start must wait; arms the timer then. */
static bool delay_pending(struct pool *pool)
{
	if (pool->config.delay <= 0 || pool->started == 0)
		return false;
	double wait = pool->last_start + pool->config.delay - loop_now();
	if (wait <= 0)
		return false;
	/* Wait only for an item there is: at the end of the input the run
	 * finishes now, not a delay later. */
	struct pending *item = next_item(pool);
	if (item) {
		queue_push_front(pool, item);
		if (!pool->delay_timer)
			pool->delay_timer = loop_add_timer(pool->loop, wait, delay_done, pool);
	}
	return true;
}

void pool_dispatch(struct pool *pool)
{
	if (pool->dispatching)
		return;
	pool->dispatching = true;
	uint64_t started = pool->started;
	while (dispatch_allowed(pool)) {
		struct slot *slot = free_slot(pool);
		if (!slot || delay_pending(pool) || !may_dispatch(pool))
			break;
		struct pending *item = next_item(pool);
		if (!item)
			break;
		item->started = loop_time(pool->loop);
		item->started_wall = pool_wall_time(pool, item->started);
		pool->started++;
		pool->last_start = item->started;
		log_debug("dispatch: item %" PRIu64 " (%s) to slot %d", item->seq, log_text(item->text, item->len),
			  slot->number);
		if (pool->events.started) {
			struct pool_started start = { item->seq, item->text, item->len, slot->number };
			pool->events.started(pool->events.data, &start);
		}
		pool->kind->start(slot, item);
	}
	if (pool->started != started)
		throttle_watch(pool->throttle);
	pool->dispatching = false;
	if (pool->kind->flush)
		for (int i = 0; i < pool->nslots; i++)
			pool->kind->flush(pool->slots[i]);
	check_finished(pool);
}

bool pool_work_left(const struct pool *pool)
{
	return dispatch_allowed(pool) && (pool->queue_head || !pool->input_done);
}

static void check_finished(struct pool *pool)
{
	if (pool->finish_reported)
		return;
	bool busy = false, more_work = pool_work_left(pool);
	for (int i = 0; i < pool->nslots; i++) {
		struct slot *slot = pool->slots[i];
		if (slot->inflight_count)
			busy = true;
		/* With nothing left to feed them, idle processes are asked to leave. */
		else if (slot->pid && !more_work && !pool->paused && pool->kind->stop)
			pool->kind->stop(slot);
		if (slot->pid)
			busy = true;
	}
	if (busy || more_work || (pool->paused && !pool->stopping && !pool->input_done) ||
	    (pool->paused && pool->queue_head))
		return;
	pool->finished = true;
	pool->finish_reported = true;
	log_debug("finished: %" PRIu64 " done, %" PRIu64 " failed", pool->done, pool->failed);
	if (pool->events.finished)
		pool->events.finished(pool->events.data);
}

/* ---- the API ------------------------------------------------------------ */

struct pool *pool_new_with_kind(const struct pool_config *config, struct loop *loop,
				struct items *items, const struct pool_events *events,
				const struct slot_kind *kind)
{
	/* Every job's stdin: opened once, and without it nothing can run. */
	int dev_null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (dev_null < 0)
		return NULL;
	struct pool *pool = xcalloc(1, sizeof *pool);
	pool->config = *config;
	pool->kind = kind;
	if (pool->config.inflight < 1)
		pool->config.inflight = 1;
	if (!pool->config.max_line)
		pool->config.max_line = 16 << 20;
	pool->loop = loop;
	pool->items = items;
	pool->events = *events;
	pool->dev_null = dev_null;
	pool->halt_status = -1;
	pool->throttle = throttle_new(pool, &config->throttle);
	proc_set_niceness(config->nice, config->niceness);
	proc_set_process_slot_var(config->process_slot_var);
	return pool;
}

struct pool *pool_new(const struct pool_config *config, struct loop *loop, struct items *items,
		      const struct pool_events *events)
{
	if (config->kind == POOL_WORKER)
		return pool_new_with_kind(config, loop, items, events, &worker_slot_kind);
	if (config->kind == POOL_DRY_RUN)
		return pool_new_with_kind(config, loop, items, events, &dryrun_slot_kind);
	struct pool_config one_at_a_time = *config;
	one_at_a_time.inflight = 1;  /* a job runs one item */
	return pool_new_with_kind(&one_at_a_time, loop, items, events, &job_slot_kind);
}

static void free_queue(struct pool *pool)
{
	while (pool->queue_head) {
		struct pending *item = pool->queue_head;
		pool->queue_head = item->next;
		free(item);
	}
	pool->queue_tail = NULL;
	pool->queue_len = 0;
}

void pool_free(struct pool *pool)
{
	if (!pool)
		return;
	while (pool->nslots)
		slot_remove(pool->slots[pool->nslots - 1]);
	free(pool->slots);
	free_queue(pool);
	for (size_t i = 0; i < pool->nfailed_items; i++)
		free(pool->failed_items[i]);
	free(pool->failed_items);
	if (pool->items_watched)
		loop_del_fd(pool->loop, items_fd(pool->items));
	loop_del_timer(pool->loop, pool->delay_timer);
	throttle_free(pool->throttle);
	if (pool->kind->release)
		pool->kind->release(pool);
	close(pool->dev_null);
	free(pool->fatal);
	free(pool->run_times);
	free(pool);
}

int pool_start(struct pool *pool)
{
	pool->start_time = loop_now();
	pool->wall_offset = wall_now_slow() - pool->start_time;
	pool->rate_bucket = (int64_t)(pool->start_time / RATE_BUCKET_SECONDS);
	log_debug("start: %s slots, %d jobs (bounds %d..%d)", pool->kind->name, pool->config.jobs,
		  pool->config.min_jobs, pool->config.max_jobs);
	pool_resize(pool, pool->config.jobs, SHRINK_GRACEFUL, NULL);
	pool_dispatch(pool);
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

static void slot_retire(struct slot *slot, enum shrink_mode mode)
{
	struct pool *pool = slot->pool;
	slot->retiring = true;
	log_debug("slot %d: retiring (%s)", slot->number, mode == SHRINK_KILL ? "kill" : "graceful");
	if (!slot->pid && !slot->inflight_count) {
		slot_remove(slot);
		return;
	}
	if (!slot->inflight_count) {
		if (pool->kind->stop)
			pool->kind->stop(slot);
		return;
	}
	if (mode == SHRINK_KILL) {
		slot->requeue = true;
		slot_signal(slot, SIGKILL);
	}
}

/* A retiring slot that can still go on is cheaper to keep than to replace. */
static bool slot_can_stay(const struct slot *slot)
{
	return slot->retiring && !slot->requeue && (!slot->pid || slot->pool->kind->accepts_more(slot) ||
						    slot->inflight_count);
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
	log_debug("resize: %d asked, %d set (was %d, %s shrink)%s", wanted, target, pool->target,
		  mode == SHRINK_KILL ? "kill" : "graceful", target != wanted ? ", clamped" : "");
	pool->target = target;
	pool->asked = wanted;
	int active = active_slots(pool);
	for (int i = pool->nslots - 1; i >= 0 && active < target; i--) {
		struct slot *slot = pool->slots[i];
		if (slot_can_stay(slot)) {
			slot->retiring = false;
			log_debug("slot %d: kept instead of retired", slot->number);
			active++;
		}
	}
	for (; active < target && !pool->stopping; active++)
		slot_add(pool);
	while (active > target) {
		struct slot *victim = shrink_victim(pool);
		if (!victim)
			break;
		slot_retire(victim, mode);
		active--;
	}
	pool_dispatch(pool);
	return target;
}

void pool_set_paused(struct pool *pool, bool paused)
{
	log_debug("%s", paused ? "paused" : "resumed");
	pool->paused = paused;
	pool_dispatch(pool);
}

void pool_set_output_paused(struct pool *pool, bool paused)
{
	if (pool->output_paused == paused)
		return;
	log_debug("%s", paused ? "output is behind its reader: jobs' output is not read"
			       : "output caught up: jobs' output is read again");
	pool->output_paused = paused;
	for (int i = 0; i < pool->nslots; i++)
		slot_pause_output(pool->slots[i], paused);
	/* A kind that waited for the reader (dry-run) goes on, from the loop. */
	if (!paused && !pool->delay_timer)
		pool->delay_timer = loop_add_timer(pool->loop, 0, delay_done, pool);
}

void pool_set_suspended(struct pool *pool, bool suspended)
{
	log_debug("%s", suspended ? "suspended" : "continued");
	pool->suspended = suspended;
	for (int i = 0; i < pool->nslots; i++)
		slot_signal(pool->slots[i], suspended ? SIGSTOP : SIGCONT);
}

void pool_set_throttle(struct pool *pool, const struct throttle_limits *limits)
{
	throttle_set_limits(pool->throttle, limits);
	pool_dispatch(pool);
}

void pool_set_throttle_probe(struct pool *pool, throttle_probe_fn *fn, void *data)
{
	throttle_set_probe(pool->throttle, fn, data);
}

int pool_kill_item(struct pool *pool, uint64_t seq)
{
	for (int i = 0; i < pool->nslots; i++) {
		struct slot *slot = pool->slots[i];
		for (int k = 0; k < slot->inflight_count; k++) {
			if (slot_item_at(slot, k)->seq != seq)
				continue;
			log_debug("kill: item %" PRIu64 " in slot %d, on request", seq, slot->number);
			pool->kind->abort(slot, "killed on request");
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
	log_debug("requeue: %zu failed items back in the queue", count);
	if (count && pool->finish_reported && !pool->stopping) {
		pool->finish_reported = pool->finished = false;
		pool_resize(pool, pool->target, SHRINK_GRACEFUL, NULL);
	}
	pool_dispatch(pool);
	return count;
}

void pool_stop(struct pool *pool)
{
	log_debug("stop: no new items; running ones finish");
	pool->stopping = true;
	if (pool->suspended)
		pool_set_suspended(pool, false);  /* stopped jobs could never finish */
	for (int i = 0; i < pool->nslots; i++)
		if (!pool->slots[i]->inflight_count && pool->slots[i]->pid && pool->kind->stop)
			pool->kind->stop(pool->slots[i]);
	pool_dispatch(pool);
}

void pool_kill_all(struct pool *pool)
{
	log_debug("kill: every job");
	pool->stopping = true;
	for (int i = 0; i < pool->nslots; i++) {
		struct slot *slot = pool->slots[i];
		if (!slot->error)
			slot->error = "killed: pooltop was stopped";
		slot_terminate(slot);
	}
	check_finished(pool);
}
