/* pool_view.c - what the engine shows its front ends: the pool's figures
 * (counts, the completion rate over the last few seconds, the ETA) and a
 * read-only view of each slot, its bounds, how it ended. */
#include <string.h>

#include "feed.h"
#include "loop.h"
#include "slot.h"

/* Completions are counted in buckets of RATE_BUCKET_SECONDS; the rate is
 * taken over the last RATE_BUCKETS of them. */
void pool_count_completion(struct pool *pool, double now)
{
	int64_t bucket = (int64_t)(now / RATE_BUCKET_SECONDS);
	if (bucket != pool->rate_bucket) {
		for (int64_t b = pool->rate_bucket + 1; b <= bucket && b <= pool->rate_bucket + RATE_BUCKETS; b++)
			pool->rate_counts[b % RATE_BUCKETS] = 0;
		pool->rate_bucket = bucket;
	}
	pool->rate_counts[bucket % RATE_BUCKETS]++;
}

/* ---- views -------------------------------------------------------------- */

void pool_get_stats(const struct pool *pool, struct pool_stats *stats)
{
	double now = loop_now();
	int running = 0;
	uint64_t in_flight = 0;
	for (int i = 0; i < pool->nslots; i++) {
		running += pool->slots[i]->inflight_count > 0;
		in_flight += (uint64_t)pool->slots[i]->inflight_count;
	}

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
		uint64_t left = (uint64_t)total - pool->done;
		stats->queued = left > in_flight ? left - in_flight : 0;
	}
}

const char *pool_throttle(const struct pool *pool)
{
	if (pool->paused && !pool->stopping)
		return "paused";
	if (!pool_work_left(pool))
		return NULL;
	const char *held = pool->kind->held ? pool->kind->held(pool) : NULL;
	if (held)
		return held;
	const char *reason = throttle_reason_name(throttle_holding(pool->throttle));
	if (reason)
		return reason;
	if (pool->config.ulimit_jobs > 0 && pool->asked > pool->target && pool->target >= pool->config.ulimit_jobs)
		return "ulimit";
	return NULL;
}

void pool_get_throttle(const struct pool *pool, struct throttle_limits *limits)
{
	throttle_get_limits(pool->throttle, limits);
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
	if (slot->feed && oldest) {
		view->item = feed_label(slot->feed);
		view->item_len = strlen(view->item);
		view->fed = true;
		view->fed_bytes = feed_fed_bytes(slot->feed);
		view->feed_bytes = feed_total_bytes(slot->feed);
	}
	if (pool->kind->remote && pool->kind->remote(slot, &view->remote_pid))
		view->host = slot->host ? slot->host : "";
	return true;
}

char *pool_slot_command(const struct pool *pool, int index)
{
	if (index < 0 || index >= pool->nslots)
		return NULL;
	return pool->kind->command(pool->slots[index]);
}

/* The last bytes of one of the slot's output streams (1: stdout, 2: stderr). */
static size_t slot_tail(const struct pool *pool, int index, int stream, char *out, size_t size)
{
	if (index < 0 || index >= pool->nslots) {
		if (size)
			out[0] = '\0';
		return 0;
	}
	const struct slot *slot = pool->slots[index];
	return spool_tail(stream == 1 ? &slot->out : &slot->err, out, size);
}

size_t pool_slot_stdout_tail(const struct pool *pool, int index, char *out, size_t size)
{
	return slot_tail(pool, index, 1, out, size);
}

size_t pool_slot_stderr_tail(const struct pool *pool, int index, char *out, size_t size)
{
	return slot_tail(pool, index, 2, out, size);
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

bool pool_finished(const struct pool *pool)
{
	return pool->finished;
}

int pool_exit_status(const struct pool *pool)
{
	int halt_status = pool_halt_exit_status(pool);
	if (halt_status >= 0)
		return halt_status;
	return pool->failed > 100 ? 101 : (int)pool->failed;
}

const char *pool_fatal_error(const struct pool *pool)
{
	return pool->fatal;
}
