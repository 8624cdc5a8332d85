/* check_pool.c - unit tests of the scheduler (pool.c) with no process at
 * all: a fake slot kind hands out made-up pids and only records signals,
 * and each test ends its "processes" itself through pool_child_exited(). */
#include "slot.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "items.h"
#include "loop.h"
#include "pool.h"

/* Fake pids start above PID_MAX_LIMIT (4194304 on 64-bit Linux), so none
 * can ever name a real process even if a signal slipped through. */
#define FIRST_FAKE_PID 5000000

#define MAX_RECORDS 512
#define MAX_ITEMS 256

struct start_record {
	uint64_t seq;
	int slot;
	pid_t pid;
	int attempt;          /* the attempt this start begins, 1 for the first */
	bool least_loaded;    /* no other open slot held fewer items in flight */
};

struct result_record {
	uint64_t seq;
	int slot;
	pid_t pid;
	int exit_code, signal;
	int attempt;
	bool failed, will_retry;
	bool has_error;
	char item[32];
};

struct signal_record {
	int slot;
	pid_t pid;
	int signo;
};

struct slot_record {      /* an abort, a stop or a timeout */
	int slot;
	pid_t pid;
	char why[128];
};

/* Everything the fake kind and the events saw; cleared before each test. */
static struct {
	struct loop *loop;
	struct items *items;
	struct pool *pool;
	pid_t next_pid;

	struct start_record starts[MAX_RECORDS];
	int nstarts;
	struct result_record results[MAX_RECORDS];
	int nresults;
	struct signal_record signals[MAX_RECORDS];
	int nsignals;
	struct slot_record aborts[MAX_RECORDS], stops[MAX_RECORDS], timeouts[MAX_RECORDS];
	int naborts, nstops, ntimeouts;
	char messages[32][256];
	int nmessages;
	int finished;
	int opens, closes, releases, flushes;
	bool fail_open;       /* open() fails the run, as a worker that cannot start does */

	/* run_until(): the condition that stops the loop, and whether the
	 * guard timer had to stop it instead. */
	bool (*until)(void);
	bool gave_up;
} fake;

static char item_names[MAX_ITEMS][16];
static char *item_words[MAX_ITEMS];

/* ---- the fake slot kinds -------------------------------------------------
 *
 * Job-like: one item at a time, a fresh pid per item, no process between
 * items.  Worker-like: a pid from open() on, up to config.inflight items,
 * answered one by one with answer(); its "process" is replaced when it
 * dies while the slot stays. */

struct fake_slot {
	bool stopped;         /* stop() was called: its stdin is at end */
};

static const struct slot_kind fake_job_kind;
static const struct slot_kind fake_worker_kind;

static bool is_worker(const struct slot *slot)
{
	return slot->pool->kind == &fake_worker_kind;
}

static struct fake_slot *fake_of(const struct slot *slot)
{
	return slot->kind_data;
}

static void maybe_stop_loop(void)
{
	if (fake.until && fake.until())
		loop_stop(fake.loop);
}

static void record_on(struct slot_record *records, int *count, const struct slot *slot, const char *why)
{
	ck_assert_int_lt(*count, MAX_RECORDS);
	struct slot_record *record = &records[(*count)++];
	record->slot = slot->number;
	record->pid = slot->pid;
	snprintf(record->why, sizeof record->why, "%s", why ? why : "");
}

static void fake_open(struct slot *slot)
{
	fake.opens++;
	slot->kind_data = calloc(1, sizeof(struct fake_slot));
	ck_assert_ptr_nonnull(slot->kind_data);
	if (fake.fail_open) {
		pool_fail(slot->pool, "cannot start fake worker %d", slot->number);
		return;
	}
	if (is_worker(slot))
		slot->pid = fake.next_pid++;
}

static int fake_accepts_more(const struct slot *slot)
{
	if (!is_worker(slot))
		return !slot->pid && !slot->inflight_count;
	const struct fake_slot *state = fake_of(slot);
	if (!slot->pid || slot->killing || (state && state->stopped))
		return 0;
	return slot->pool->config.inflight - slot->inflight_count;
}

static void fake_start(struct slot *slot, struct pending *item)
{
	struct pool *pool = slot->pool;
	ck_assert_int_lt(fake.nstarts, MAX_RECORDS);
	struct start_record *record = &fake.starts[fake.nstarts++];
	record->seq = item->seq;
	record->slot = slot->number;
	record->attempt = item->attempts + 1;
	record->least_loaded = true;
	for (int i = 0; i < pool->nslots; i++) {
		const struct slot *other = pool->slots[i];
		if (other != slot && !other->retiring && fake_accepts_more(other) > 0 &&
		    other->inflight_count < slot->inflight_count)
			record->least_loaded = false;
	}
	slot_push_item(slot, item);
	if (!is_worker(slot))
		slot->pid = fake.next_pid++;
	record->pid = slot->pid;
	if (slot->inflight_count == 1 && pool->config.timeout > 0)
		slot_arm_timeout(slot, item->started);
	maybe_stop_loop();
}

static void fake_flush(struct slot *slot)
{
	(void)slot;
	fake.flushes++;
}

static void fake_output(struct slot *slot, int stream, const char *data, size_t len)
{
	(void)slot;
	(void)stream;
	(void)data;
	(void)len;
}

/* A job's exit ends its one item.  A worker's exit fails the oldest item
 * it held; the others never reached it and go back to the queue uncounted,
 * oldest at the head, so that tests can tell a retried item from them.  A
 * new worker then takes the slot unless it is leaving.  A kill-shrink's
 * items are the scheduler's to return before this is called. */
static bool fake_exited(struct slot *slot, int status)
{
	struct pool *pool = slot->pool;
	if (!is_worker(slot)) {
		if (slot->inflight_count)
			pool_finish_attempt(slot, slot_pop_item(slot), status, slot->error);
		return !slot->retiring;
	}
	if (slot->inflight_count) {
		struct pending *oldest = slot_pop_item(slot);
		slot_return_items(slot);
		pool_finish_attempt(slot, oldest, status ? status : W_EXITCODE(1, 0),
				    slot->error ? slot->error : "the worker exited while running this item");
	}
	bool stopped = fake_of(slot)->stopped;
	slot_process_gone(slot);
	if (slot->retiring || pool->stopping || (stopped && !pool_work_left(pool)))
		return false;
	slot->pid = fake.next_pid++;
	fake_of(slot)->stopped = false;
	return true;
}

static void fake_timeout(struct slot *slot)
{
	record_on(fake.timeouts, &fake.ntimeouts, slot, "timeout");
	slot->error = "timed out (--timeout)";
	if (is_worker(slot))
		slot_signal(slot, SIGKILL);
	else
		slot_terminate(slot);
	maybe_stop_loop();
}

static void fake_abort(struct slot *slot, const char *why)
{
	record_on(fake.aborts, &fake.naborts, slot, why);
	slot->error = why;
	if (is_worker(slot))
		slot_signal(slot, SIGKILL);
	else
		slot_terminate(slot);
	maybe_stop_loop();
}

static void fake_stop(struct slot *slot)
{
	record_on(fake.stops, &fake.nstops, slot, "stop");
	if (fake_of(slot))
		fake_of(slot)->stopped = true;
	maybe_stop_loop();
}

/* Records only: a fake pid must never reach kill(). */
static void fake_signal(struct slot *slot, int signo)
{
	ck_assert_int_lt(fake.nsignals, MAX_RECORDS);
	fake.signals[fake.nsignals++] = (struct signal_record){
		.slot = slot->number, .pid = slot->pid, .signo = signo,
	};
	maybe_stop_loop();
}

static char *fake_command(const struct slot *slot)
{
	const struct pending *oldest = slot_oldest(slot);
	char *text = NULL;
	if (oldest && asprintf(&text, "fake %s", oldest->text) < 0)
		text = NULL;
	return text;
}

static void fake_close(struct slot *slot)
{
	fake.closes++;
	free(slot->kind_data);
	slot->kind_data = NULL;
}

static void fake_release(struct pool *pool)
{
	(void)pool;
	fake.releases++;
}

static const struct slot_kind fake_job_kind = {
	.name = "fake job",
	.open = fake_open,
	.accepts_more = fake_accepts_more,
	.start = fake_start,
	.flush = fake_flush,
	.output = fake_output,
	.exited = fake_exited,
	.timeout = fake_timeout,
	.abort = fake_abort,
	.stop = fake_stop,
	.signal = fake_signal,
	.command = fake_command,
	.close = fake_close,
	.release = fake_release,
};

static const struct slot_kind fake_worker_kind = {
	.name = "fake worker",
	.open = fake_open,
	.accepts_more = fake_accepts_more,
	.start = fake_start,
	.flush = fake_flush,
	.output = fake_output,
	.exited = fake_exited,
	.timeout = fake_timeout,
	.abort = fake_abort,
	.stop = fake_stop,
	.signal = fake_signal,
	.command = fake_command,
	.close = fake_close,
	.release = fake_release,
};

/* ---- the events ------------------------------------------------------- */

static void on_result(void *data, struct pool_result *result)
{
	(void)data;
	ck_assert_int_lt(fake.nresults, MAX_RECORDS);
	struct result_record *record = &fake.results[fake.nresults++];
	*record = (struct result_record){
		.seq = result->seq,
		.slot = result->slot,
		.pid = result->pid,
		.exit_code = result->exit_code,
		.signal = result->signal,
		.attempt = result->attempt,
		.failed = result->failed,
		.will_retry = result->will_retry,
		.has_error = result->error != NULL,
	};
	snprintf(record->item, sizeof record->item, "%s", result->item);
	maybe_stop_loop();
}

static void on_message(void *data, const char *text)
{
	(void)data;
	if (fake.nmessages < 32)
		snprintf(fake.messages[fake.nmessages++], sizeof fake.messages[0], "%s", text);
}

static void on_finished(void *data)
{
	(void)data;
	fake.finished++;
	maybe_stop_loop();
}

/* ---- helpers ------------------------------------------------------------ */

static void setup(void)
{
	memset(&fake, 0, sizeof fake);
	fake.next_pid = FIRST_FAKE_PID;
	fake.loop = loop_new();
	for (int i = 0; i < MAX_ITEMS; i++) {
		snprintf(item_names[i], sizeof item_names[i], "item%d", i + 1);
		item_words[i] = item_names[i];
	}
}

static void teardown(void)
{
	pool_free(fake.pool);
	items_free(fake.items);
	loop_free(fake.loop);
	fake.pool = NULL;
	fake.items = NULL;
	fake.loop = NULL;
}

/* Job mode defaults: no retries, no timers that could fire unasked (grace
 * is long; tests that want the KILL set it to 0 and run the loop). */
static struct pool_config job_config(int jobs)
{
	return (struct pool_config){
		.kind = POOL_COMMAND,
		.jobs = jobs,
		.min_jobs = 1,
		.max_jobs = POOL_MAX_JOBS,
		.shrink = SHRINK_GRACEFUL,
		.grace = 30,
		.inflight = 1,
	};
}

static struct pool_config worker_config(int jobs, int inflight)
{
	struct pool_config config = job_config(jobs);
	config.kind = POOL_WORKER;
	config.inflight = inflight;
	return config;
}

/* A pool of `kind` over items (which the fixture frees); what
 * pool_start() returned. */
static int start_pool_over(const struct slot_kind *kind, const struct pool_config *config,
			   struct items *items)
{
	ck_assert_ptr_nonnull(items);
	fake.items = items;
	struct pool_events events = {
		.result = on_result, .message = on_message, .finished = on_finished,
	};
	fake.pool = pool_new_with_kind(config, fake.loop, fake.items, &events, kind);
	ck_assert_ptr_nonnull(fake.pool);
	return pool_start(fake.pool);
}

/* A pool of `kind` over item1..itemN, started. */
static void start_pool(const struct slot_kind *kind, const struct pool_config *config, int nitems)
{
	ck_assert_int_le(nitems, MAX_ITEMS);
	ck_assert_int_eq(start_pool_over(kind, config, items_from_array(item_words, nitems)), 0);
}

static struct slot *slot_numbered(int number)
{
	for (int i = 0; i < fake.pool->nslots; i++)
		if (fake.pool->slots[i]->number == number)
			return fake.pool->slots[i];
	return NULL;
}

static pid_t pid_of(int number)
{
	struct slot *slot = slot_numbered(number);
	ck_assert_msg(slot != NULL, "there is no slot %d", number);
	ck_assert_msg(slot->pid != 0, "slot %d has no process", number);
	return slot->pid;
}

static struct slot_view view_of(int number)
{
	struct slot_view view;
	for (int i = 0; pool_slot_view(fake.pool, i, &view); i++)
		if (view.number == number)
			return view;
	ck_abort_msg("no view of slot %d", number);
	return view;
}

static int exit_code(int code)
{
	return W_EXITCODE(code, 0);
}

static int killed_by(int signo)
{
	return W_EXITCODE(0, signo);
}

/* The process pid ended with status: what pool_reap() does for it. */
static void end_pid(pid_t pid, int status)
{
	pool_child_exited(fake.pool, pid, status, NULL);
	pool_dispatch(fake.pool);
}

static void end_slot(int number, int status)
{
	end_pid(pid_of(number), status);
}

/* A worker-like slot writes the result line of its oldest item. */
static void answer(int number, int code)
{
	struct slot *slot = slot_numbered(number);
	ck_assert_msg(slot && slot->inflight_count, "slot %d holds no item to answer", number);
	struct pending *item = slot_pop_item(slot);
	pool_finish_attempt(slot, item, exit_code(code), NULL);
	pool_dispatch(fake.pool);
}

/* Make the oldest item of slot `number` look started at `when`, so which
 * item is the newest does not hang on clock reads. */
static void set_started(int number, double when)
{
	struct slot *slot = slot_numbered(number);
	ck_assert_msg(slot && slot_oldest(slot), "slot %d holds no item", number);
	slot_oldest(slot)->started = when;
}

static void give_up(struct loop *loop, void *data)
{
	(void)data;
	fake.gave_up = true;
	loop_stop(loop);
}

/* Run the loop until condition holds, stopped from the callback that made
 * it hold; a guard timer bounds the wait should it never come. */
static bool run_until(bool (*condition)(void))
{
	if (condition())
		return true;
	fake.until = condition;
	fake.gave_up = false;
	uint64_t guard = loop_add_timer(fake.loop, 5.0, give_up, NULL);
	loop_run(fake.loop);
	loop_del_timer(fake.loop, guard);
	fake.until = NULL;
	return !fake.gave_up && condition();
}

static int signals_to(pid_t pid, int signo)
{
	int count = 0;
	for (int i = 0; i < fake.nsignals; i++)
		count += fake.signals[i].pid == pid && fake.signals[i].signo == signo;
	return count;
}

static int results_for(uint64_t seq)
{
	int count = 0;
	for (int i = 0; i < fake.nresults; i++)
		count += fake.results[i].seq == seq;
	return count;
}

static const struct result_record *last_result(void)
{
	ck_assert_int_gt(fake.nresults, 0);
	return &fake.results[fake.nresults - 1];
}

static const struct start_record *last_start(void)
{
	ck_assert_int_gt(fake.nstarts, 0);
	return &fake.starts[fake.nstarts - 1];
}

static struct pool_stats stats(void)
{
	struct pool_stats now;
	pool_get_stats(fake.pool, &now);
	return now;
}

/* How many times slot `number` was asked to stop (asking twice is harmless). */
static int stops_of(int number)
{
	int count = 0;
	for (int i = 0; i < fake.nstops; i++)
		count += fake.stops[i].slot == number;
	return count;
}

static bool saw_message(const char *part)
{
	for (int i = 0; i < fake.nmessages; i++)
		if (strstr(fake.messages[i], part))
			return true;
	return false;
}

/* End every job-like slot's process with status until the pool finishes;
 * bounded by the number of items. */
static void run_jobs_to_the_end(int status)
{
	for (int round = 0; round < MAX_RECORDS && !pool_finished(fake.pool); round++) {
		bool ended = false;
		for (int i = 0; i < fake.pool->nslots; i++) {
			struct slot *slot = fake.pool->slots[i];
			if (slot->pid) {
				end_pid(slot->pid, status);
				ended = true;
				break;
			}
		}
		if (!ended)
			break;
	}
}

/* ---- retries ------------------------------------------------------------ */

START_TEST(with_no_retries_a_failing_item_runs_once_and_counts_as_failed)
{
	struct pool_config config = job_config(1);
	start_pool(&fake_job_kind, &config, 1);
	ck_assert_int_eq(fake.nstarts, 1);
	end_slot(1, exit_code(3));

	ck_assert_int_eq(fake.nstarts, 1);
	ck_assert_int_eq(fake.nresults, 1);
	const struct result_record *result = last_result();
	ck_assert_uint_eq(result->seq, 1);
	ck_assert_str_eq(result->item, "item1");
	ck_assert_int_eq(result->attempt, 1);
	ck_assert(result->failed);
	ck_assert(!result->will_retry);
	ck_assert_int_eq(result->exit_code, 3);
	ck_assert_int_eq(result->signal, 0);
	ck_assert_int_eq(result->slot, 1);
	ck_assert_int_eq(result->pid, FIRST_FAKE_PID);
	ck_assert_int_eq(fake.finished, 1);
	ck_assert_int_eq(pool_exit_status(fake.pool), 1);
}
END_TEST

START_TEST(with_one_retry_a_failing_item_runs_twice)
{
	struct pool_config config = job_config(1);
	config.retries = 1;
	start_pool(&fake_job_kind, &config, 1);

	end_slot(1, exit_code(1));
	ck_assert_int_eq(fake.nresults, 1);
	ck_assert_int_eq(fake.results[0].attempt, 1);
	ck_assert(fake.results[0].failed);
	ck_assert(fake.results[0].will_retry);
	/* The retried attempt is not yet counted as done, nor as failed. */
	ck_assert_uint_eq(stats().done, 0);
	ck_assert_uint_eq(stats().failed, 0);
	ck_assert_int_eq(fake.finished, 0);

	ck_assert_int_eq(fake.nstarts, 2);
	ck_assert_uint_eq(last_start()->seq, 1);
	ck_assert_int_eq(last_start()->attempt, 2);
	end_slot(1, exit_code(1));

	ck_assert_int_eq(fake.nresults, 2);
	ck_assert_int_eq(fake.results[1].attempt, 2);
	ck_assert(fake.results[1].failed);
	ck_assert(!fake.results[1].will_retry);
	ck_assert_int_eq(fake.nstarts, 2);
	ck_assert_uint_eq(stats().done, 1);
	ck_assert_uint_eq(stats().failed, 1);
	ck_assert_int_eq(fake.finished, 1);
	ck_assert_int_eq(pool_exit_status(fake.pool), 1);
}
END_TEST

START_TEST(a_retried_item_that_then_succeeds_counts_as_done_not_failed)
{
	struct pool_config config = job_config(1);
	config.retries = 3;
	start_pool(&fake_job_kind, &config, 1);
	end_slot(1, killed_by(SIGSEGV));
	ck_assert(fake.results[0].will_retry);
	ck_assert_int_eq(fake.results[0].signal, SIGSEGV);
	ck_assert_int_eq(fake.results[0].exit_code, -1);
	end_slot(1, exit_code(0));

	ck_assert_int_eq(fake.nresults, 2);
	ck_assert_int_eq(fake.results[1].attempt, 2);
	ck_assert(!fake.results[1].failed);
	ck_assert(!fake.results[1].will_retry);
	/* Two retries were left unused. */
	ck_assert_int_eq(fake.nstarts, 2);
	ck_assert_uint_eq(stats().done, 1);
	ck_assert_uint_eq(stats().failed, 0);
	ck_assert_int_eq(pool_exit_status(fake.pool), 0);
	ck_assert_int_eq(fake.finished, 1);
}
END_TEST

START_TEST(a_retried_item_runs_again_before_the_items_behind_it)
{
	struct pool_config config = job_config(1);
	config.retries = 1;
	start_pool(&fake_job_kind, &config, 3);
	end_slot(1, exit_code(1));
	ck_assert_uint_eq(last_start()->seq, 1);
	ck_assert_int_eq(last_start()->attempt, 2);
	end_slot(1, exit_code(0));
	ck_assert_uint_eq(last_start()->seq, 2);
	ck_assert_int_eq(last_start()->attempt, 1);
}
END_TEST

START_TEST(a_stopping_pool_does_not_retry)
{
	struct pool_config config = job_config(1);
	config.retries = 3;
	start_pool(&fake_job_kind, &config, 2);
	pool_stop(fake.pool);
	end_slot(1, exit_code(1));

	ck_assert_int_eq(fake.nresults, 1);
	ck_assert(fake.results[0].failed);
	ck_assert(!fake.results[0].will_retry);
	ck_assert_int_eq(fake.nstarts, 1);
	ck_assert_uint_eq(stats().failed, 1);
	ck_assert_int_eq(fake.finished, 1);
}
END_TEST

/* ---- requeue ------------------------------------------------------------ */

START_TEST(requeueing_failed_items_runs_them_again_and_restarts_a_finished_pool)
{
	struct pool_config config = job_config(2);
	start_pool(&fake_job_kind, &config, 4);
	end_slot(1, exit_code(1));   /* item1 fails */
	end_slot(2, exit_code(0));   /* item2 succeeds */
	end_slot(1, exit_code(2));   /* item3 fails */
	end_slot(2, exit_code(0));   /* item4 succeeds */
	ck_assert_int_eq(fake.finished, 1);
	ck_assert(pool_finished(fake.pool));
	ck_assert_uint_eq(stats().done, 4);
	ck_assert_uint_eq(stats().failed, 2);
	ck_assert_int_eq(pool_exit_status(fake.pool), 2);

	ck_assert_uint_eq(pool_requeue_failed(fake.pool), 2);
	ck_assert_uint_eq(stats().done, 2);
	ck_assert_uint_eq(stats().failed, 0);
	ck_assert(!pool_finished(fake.pool));
	ck_assert_int_eq(pool_exit_status(fake.pool), 0);
	/* Both come back, in the order they failed, as first attempts. */
	ck_assert_int_eq(fake.nstarts, 6);
	ck_assert_uint_eq(fake.starts[4].seq, 1);
	ck_assert_uint_eq(fake.starts[5].seq, 3);
	ck_assert_int_eq(fake.starts[4].attempt, 1);
	ck_assert_int_eq(fake.starts[5].attempt, 1);

	end_slot(1, exit_code(0));
	ck_assert_int_eq(fake.finished, 1);
	end_slot(2, exit_code(0));
	ck_assert_int_eq(fake.results[fake.nresults - 1].attempt, 1);
	ck_assert_int_eq(fake.finished, 2);
	ck_assert_uint_eq(stats().done, 4);
	ck_assert_uint_eq(stats().failed, 0);
	ck_assert_int_eq(pool_exit_status(fake.pool), 0);
}
END_TEST

START_TEST(requeueing_with_nothing_failed_changes_nothing)
{
	struct pool_config config = job_config(1);
	start_pool(&fake_job_kind, &config, 1);
	end_slot(1, exit_code(0));
	ck_assert_int_eq(fake.finished, 1);
	ck_assert_uint_eq(pool_requeue_failed(fake.pool), 0);
	ck_assert(pool_finished(fake.pool));
	ck_assert_int_eq(fake.finished, 1);
	ck_assert_int_eq(fake.nstarts, 1);
}
END_TEST

/* ---- shrinking ---------------------------------------------------------- */

START_TEST(a_graceful_shrink_lets_the_slot_finish_its_item_then_it_leaves)
{
	struct pool_config config = job_config(2);
	start_pool(&fake_job_kind, &config, 5);
	set_started(1, 100);
	set_started(2, 200);
	pid_t retiring_pid = pid_of(2);
	bool clamped = true;
	ck_assert_int_eq(pool_resize(fake.pool, 1, SHRINK_GRACEFUL, &clamped), 1);
	ck_assert(!clamped);

	ck_assert_int_eq(pool_slot_count(fake.pool), 2);
	ck_assert_int_eq(view_of(2).state, SLOT_RETIRE);
	ck_assert_uint_eq(view_of(2).seq, 2);
	ck_assert_int_eq(view_of(1).state, SLOT_RUN);
	ck_assert_int_eq(fake.nsignals, 0);
	ck_assert_int_eq(stats().target, 1);

	end_pid(retiring_pid, exit_code(0));
	ck_assert_int_eq(fake.nresults, 1);
	ck_assert_uint_eq(fake.results[0].seq, 2);
	ck_assert(!fake.results[0].failed);
	ck_assert_int_eq(fake.results[0].slot, 2);
	ck_assert_int_eq(pool_slot_count(fake.pool), 1);
	ck_assert_ptr_null(slot_numbered(2));
	ck_assert_int_eq(fake.nstarts, 2);  /* slot 1 is still busy: nothing new yet */
	ck_assert_uint_eq(stats().done, 1);

	run_jobs_to_the_end(exit_code(0));
	ck_assert_int_eq(fake.nresults, 5);
	for (int i = 2; i < fake.nstarts; i++)
		ck_assert_int_eq(fake.starts[i].slot, 1);
	ck_assert_int_eq(fake.finished, 1);
}
END_TEST

START_TEST(a_shrink_takes_idle_slots_first_and_they_leave_at_once)
{
	struct pool_config config = job_config(4);
	start_pool(&fake_job_kind, &config, 2);
	ck_assert_int_eq(pool_slot_count(fake.pool), 4);
	ck_assert_int_eq(view_of(3).state, SLOT_IDLE);
	int closes = fake.closes;

	pool_resize(fake.pool, 2, SHRINK_GRACEFUL, NULL);
	ck_assert_int_eq(pool_slot_count(fake.pool), 2);
	ck_assert_int_eq(fake.closes, closes + 2);
	ck_assert_int_eq(view_of(1).state, SLOT_RUN);
	ck_assert_int_eq(view_of(2).state, SLOT_RUN);
	ck_assert_int_eq(fake.nsignals, 0);

	/* One busy slot must go now: it is marked, not killed. */
	pool_resize(fake.pool, 1, SHRINK_GRACEFUL, NULL);
	ck_assert_int_eq(pool_slot_count(fake.pool), 2);
	ck_assert_int_eq(fake.nsignals, 0);
	end_slot(1, exit_code(0));
	end_slot(2, exit_code(0));
	ck_assert_int_eq(pool_slot_count(fake.pool), 1);
	ck_assert_int_eq(fake.nresults, 2);
	ck_assert_int_eq(fake.finished, 1);
}
END_TEST

START_TEST(a_shrink_of_busy_slots_takes_the_one_with_the_newest_item)
{
	struct pool_config config = job_config(3);
	start_pool(&fake_job_kind, &config, 6);
	set_started(1, 100);
	set_started(2, 300);  /* the newest: least work lost, if any */
	set_started(3, 200);
	pool_resize(fake.pool, 2, SHRINK_GRACEFUL, NULL);
	ck_assert_int_eq(view_of(1).state, SLOT_RUN);
	ck_assert_int_eq(view_of(2).state, SLOT_RETIRE);
	ck_assert_int_eq(view_of(3).state, SLOT_RUN);

	pool_resize(fake.pool, 1, SHRINK_GRACEFUL, NULL);
	ck_assert_int_eq(view_of(1).state, SLOT_RUN);
	ck_assert_int_eq(view_of(3).state, SLOT_RETIRE);
}
END_TEST

START_TEST(a_kill_shrink_kills_the_slot_and_its_item_runs_again_uncounted)
{
	struct pool_config config = job_config(2);
	start_pool(&fake_job_kind, &config, 4);
	set_started(1, 100);
	set_started(2, 200);
	pid_t victim = pid_of(2);
	ck_assert_uint_eq(stats().started, 2);

	pool_resize(fake.pool, 1, SHRINK_KILL, NULL);
	ck_assert_int_eq(signals_to(victim, SIGKILL), 1);
	ck_assert_int_eq(signals_to(pid_of(1), SIGKILL), 0);
	ck_assert_int_eq(view_of(2).state, SLOT_RETIRE);

	end_pid(victim, killed_by(SIGKILL));
	/* No result: the item never counted, and it waits at the head. */
	ck_assert_int_eq(fake.nresults, 0);
	ck_assert_int_eq(pool_slot_count(fake.pool), 1);
	struct pool_stats now = stats();
	ck_assert_uint_eq(now.started, 1);
	ck_assert_uint_eq(now.done, 0);
	ck_assert_uint_eq(now.failed, 0);
	ck_assert_uint_eq(now.queued, 3);
	ck_assert_int_eq(now.running, 1);

	end_slot(1, exit_code(0));
	ck_assert_uint_eq(last_start()->seq, 2);
	ck_assert_int_eq(last_start()->attempt, 1);
	ck_assert_int_eq(last_start()->slot, 1);
	run_jobs_to_the_end(exit_code(0));
	ck_assert_int_eq(fake.nresults, 4);
	for (uint64_t seq = 1; seq <= 4; seq++)
		ck_assert_int_eq(results_for(seq), 1);
	for (int i = 0; i < fake.nresults; i++) {
		ck_assert(!fake.results[i].failed);
		ck_assert_int_eq(fake.results[i].attempt, 1);
	}
	ck_assert_uint_eq(stats().started, 4);
	ck_assert_int_eq(pool_exit_status(fake.pool), 0);
	ck_assert_int_eq(fake.finished, 1);
}
END_TEST

START_TEST(a_kill_shrink_of_a_worker_returns_the_items_it_held_in_order)
{
	struct pool_config config = worker_config(2, 3);
	start_pool(&fake_worker_kind, &config, 6);
	/* Slots take items 1,3,5 and 2,4,6 in turn. */
	set_started(1, 100);
	set_started(2, 200);
	pid_t victim = pid_of(2);
	pool_resize(fake.pool, 1, SHRINK_KILL, NULL);
	ck_assert_int_eq(signals_to(victim, SIGKILL), 1);
	end_pid(victim, killed_by(SIGKILL));
	ck_assert_int_eq(fake.nresults, 0);
	ck_assert_uint_eq(stats().queued, 3);
	answer(1, 0);
	answer(1, 0);
	answer(1, 0);
	/* The survivor gets them back oldest first. */
	int first_again = fake.nstarts - 3;
	ck_assert_uint_eq(fake.starts[first_again].seq, 2);
	ck_assert_uint_eq(fake.starts[first_again + 1].seq, 4);
	ck_assert_uint_eq(fake.starts[first_again + 2].seq, 6);
}
END_TEST

/* ---- halting ------------------------------------------------------------ */

START_TEST(halt_now_at_one_failure_exits_with_that_jobs_status)
{
	struct pool_config config = job_config(1);
	config.halt = HALT_NOW;
	config.halt_fail = 1;
	start_pool(&fake_job_kind, &config, 3);
	end_slot(1, exit_code(0));
	end_slot(1, exit_code(7));
	ck_assert(saw_message("halting"));
	ck_assert_int_eq(fake.finished, 1);
	ck_assert_int_eq(fake.nstarts, 2);
	ck_assert_int_eq(pool_exit_status(fake.pool), 7);
}
END_TEST

START_TEST(halt_done_counts_every_finished_job)
{
	struct pool_config config = job_config(1);
	config.halt = HALT_SOON;
	config.halt_done = 3;
	start_pool(&fake_job_kind, &config, 6);
	end_slot(1, exit_code(0));
	end_slot(1, exit_code(2));
	ck_assert(!saw_message("halting"));
	end_slot(1, exit_code(0));
	ck_assert(saw_message("halting"));
	ck_assert_int_eq(fake.nstarts, 3);
	ck_assert_int_eq(fake.finished, 1);
	ck_assert_int_eq(pool_exit_status(fake.pool), 1);  /* the failures, as parallel */
}
END_TEST

START_TEST(halt_at_a_percentage_of_the_jobs_exits_with_the_failed_share)
{
	/* 10 items known from the start: 20% is 2 failures; status ceil(2/10 * 100). */
	struct pool_config config = job_config(1);
	config.halt = HALT_SOON;
	config.halt_fail = 20;
	config.halt_percent = true;
	start_pool(&fake_job_kind, &config, 10);
	end_slot(1, exit_code(1));
	ck_assert(!saw_message("halting"));
	end_slot(1, exit_code(0));
	end_slot(1, exit_code(1));
	ck_assert(saw_message("halting"));
	ck_assert_int_eq(fake.finished, 1);
	ck_assert_int_eq(pool_exit_status(fake.pool), 20);
}
END_TEST

START_TEST(delay_auto_grows_after_a_failure)
{
	struct pool_config config = job_config(1);
	config.delay = 1.0;
	config.delay_auto = true;
	start_pool(&fake_job_kind, &config, 3);
	end_slot(1, exit_code(1));
	ck_assert_double_eq_tol(fake.pool->config.delay, 1.3, 1e-9);
	ck_assert_int_eq(fake.nstarts, 1);  /* the next start waits for the delay */
}
END_TEST

START_TEST(delay_auto_shrinks_after_a_success)
{
	struct pool_config config = job_config(1);
	config.delay = 1.0;
	config.delay_auto = true;
	start_pool(&fake_job_kind, &config, 3);
	end_slot(1, exit_code(0));
	ck_assert_double_eq_tol(fake.pool->config.delay, 0.9, 1e-9);
}
END_TEST

static bool killed_in_sequence(void)
{
	return signals_to(FIRST_FAKE_PID, SIGKILL) >= 1;
}

START_TEST(a_termseq_sends_its_signals_in_turn_to_a_job_that_stays)
{
	struct pool_config config = job_config(1);
	config.term_seq[0] = (struct pool_term_step){ .signo = SIGINT, .wait = 0.01 };
	config.term_seq[1] = (struct pool_term_step){ .signo = SIGHUP, .wait = 0.01 };
	config.term_seq[2] = (struct pool_term_step){ .signo = SIGKILL, .wait = 0.01 };
	config.term_steps = 3;
	start_pool(&fake_job_kind, &config, 1);
	ck_assert_int_eq(pool_kill_item(fake.pool, 1), 0);
	ck_assert_int_eq(signals_to(FIRST_FAKE_PID, SIGINT), 1);
	ck_assert_int_eq(signals_to(FIRST_FAKE_PID, SIGTERM), 0);
	ck_assert_msg(run_until(killed_in_sequence), "no KILL at the end of the sequence");
	ck_assert_int_eq(signals_to(FIRST_FAKE_PID, SIGHUP), 1);
	end_slot(1, killed_by(SIGKILL));
	ck_assert_int_eq(fake.nresults, 1);
	ck_assert(fake.results[0].failed);
}
END_TEST

START_TEST(halt_soon_at_the_failure_limit_starts_nothing_and_lets_running_items_finish)
{
	struct pool_config config = job_config(2);
	config.halt = HALT_SOON;
	config.halt_fail = 1;
	start_pool(&fake_job_kind, &config, 5);
	pid_t running = pid_of(2);
	end_slot(1, exit_code(1));

	ck_assert(saw_message("halting"));
	ck_assert_int_eq(fake.nstarts, 2);
	ck_assert_int_eq(fake.nsignals, 0);
	ck_assert(stats().stopping);
	ck_assert_int_eq(fake.finished, 0);

	end_pid(running, exit_code(0));
	ck_assert_int_eq(fake.nresults, 2);
	ck_assert(!fake.results[1].failed);
	ck_assert_int_eq(fake.nstarts, 2);
	ck_assert_int_eq(fake.finished, 1);
	ck_assert_uint_eq(stats().done, 2);
	ck_assert_uint_eq(stats().failed, 1);
	ck_assert_int_eq(pool_exit_status(fake.pool), 1);
}
END_TEST

START_TEST(halt_now_at_the_success_limit_terminates_the_running_items)
{
	struct pool_config config = job_config(3);
	config.halt = HALT_NOW;
	config.halt_success = 1;
	config.retries = 2;
	start_pool(&fake_job_kind, &config, 6);
	pid_t first = pid_of(1), second = pid_of(2), third = pid_of(3);
	end_slot(1, exit_code(0));

	ck_assert(saw_message("halting"));
	ck_assert_int_eq(fake.nstarts, 3);
	/* The job whose result reached the limit is gone: it is not signalled. */
	ck_assert_int_eq(signals_to(first, SIGTERM), 0);
	ck_assert_int_eq(signals_to(second, SIGTERM), 1);
	ck_assert_int_eq(signals_to(third, SIGTERM), 1);
	ck_assert_int_eq(fake.finished, 0);

	end_pid(second, killed_by(SIGTERM));
	end_pid(third, killed_by(SIGTERM));
	ck_assert_int_eq(fake.nresults, 3);
	for (int i = 1; i < 3; i++) {
		ck_assert(fake.results[i].failed);
		ck_assert(!fake.results[i].will_retry);  /* halting: no retries */
		ck_assert_int_eq(fake.results[i].signal, SIGTERM);
		ck_assert_int_eq(fake.results[i].exit_code, -1);
	}
	ck_assert_int_eq(fake.nstarts, 3);
	ck_assert_int_eq(fake.finished, 1);
	/* GNU parallel's status when a success limit halts the run: 0, the
	 * jobs it killed notwithstanding. */
	ck_assert_int_eq(pool_exit_status(fake.pool), 0);
}
END_TEST

/* ---- items in flight (worker-like) ------------------------------------ */

START_TEST(items_go_to_the_least_loaded_worker)
{
	struct pool_config config = worker_config(2, 3);
	start_pool(&fake_worker_kind, &config, 10);
	ck_assert_int_eq(fake.nstarts, 6);
	for (int i = 0; i < fake.nstarts; i++)
		ck_assert_msg(fake.starts[i].least_loaded, "item %llu went to the busier slot %d",
			      (unsigned long long)fake.starts[i].seq, fake.starts[i].slot);
	ck_assert_int_eq(slot_numbered(1)->inflight_count, 3);
	ck_assert_int_eq(slot_numbered(2)->inflight_count, 3);
	ck_assert_int_ge(fake.flushes, 1);

	struct slot_view one = view_of(1), two = view_of(2);
	ck_assert_int_eq(one.queued, 2);
	ck_assert_int_eq(two.queued, 2);
	ck_assert_uint_eq(one.seq, 1);  /* the first item of all went to slot 1 */
	ck_assert_int_eq(one.state, SLOT_RUN);
	struct pool_stats now = stats();
	ck_assert_uint_eq(now.started, 6);
	ck_assert_int_eq(now.running, 2);
	ck_assert_uint_eq(now.queued, 4);

	/* A freed place goes to the slot that freed it: the other is full. */
	answer(2, 0);
	ck_assert_int_eq(fake.nstarts, 7);
	ck_assert_int_eq(last_start()->slot, 2);
	ck_assert_uint_eq(last_start()->seq, 7);
}
END_TEST

START_TEST(a_worker_answers_oldest_first_and_its_view_shows_the_oldest)
{
	struct pool_config config = worker_config(1, 3);
	start_pool(&fake_worker_kind, &config, 8);
	ck_assert_int_eq(fake.nstarts, 3);
	ck_assert_uint_eq(view_of(1).seq, 1);
	ck_assert_str_eq(view_of(1).item, "item1");
	ck_assert_int_eq(view_of(1).queued, 2);

	/* Eight answers go three times round the ring of three places. */
	for (int n = 1; n <= 8; n++) {
		answer(1, 0);
		ck_assert_uint_eq(last_result()->seq, (uint64_t)n);
		ck_assert_str_eq(last_result()->item, item_names[n - 1]);
		int left = 8 - n < 3 ? 8 - n : 3;
		struct slot_view view = view_of(1);
		ck_assert_uint_eq(view.seq, left ? (uint64_t)n + 1 : 0);
		ck_assert_int_eq(view.queued, left > 1 ? left - 1 : 0);
	}
	ck_assert_int_eq(fake.nresults, 8);
	ck_assert_int_eq(view_of(1).state, SLOT_IDLE);
}
END_TEST

START_TEST(an_idle_worker_is_stopped_when_the_work_runs_out_and_the_pool_finishes_after_it_exits)
{
	struct pool_config config = worker_config(2, 2);
	start_pool(&fake_worker_kind, &config, 3);
	answer(1, 0);
	answer(2, 0);
	answer(1, 0);
	ck_assert_int_eq(fake.nresults, 3);
	ck_assert_int_ge(stops_of(1), 1);
	ck_assert_int_ge(stops_of(2), 1);
	ck_assert_int_eq(fake.finished, 0);  /* their processes are still there */

	pid_t first = pid_of(1), second = pid_of(2);
	end_pid(first, exit_code(0));
	ck_assert_int_eq(fake.finished, 0);
	end_pid(second, exit_code(0));
	ck_assert_int_eq(fake.finished, 1);
	ck_assert_int_eq(pool_slot_count(fake.pool), 0);
	ck_assert_int_eq(fake.nresults, 3);
	ck_assert_int_eq(pool_exit_status(fake.pool), 0);
}
END_TEST

START_TEST(a_dying_worker_fails_its_oldest_item_and_the_others_run_again_uncounted)
{
	struct pool_config config = worker_config(1, 3);
	start_pool(&fake_worker_kind, &config, 5);
	pid_t dying = pid_of(1);
	end_pid(dying, exit_code(1));

	ck_assert_int_eq(fake.nresults, 1);
	ck_assert_uint_eq(fake.results[0].seq, 1);
	ck_assert(fake.results[0].failed);
	ck_assert_int_eq(fake.results[0].pid, dying);
	/* The replacement gets items 2 and 3 back first, in order. */
	ck_assert_int_eq(fake.nstarts, 6);
	ck_assert_uint_eq(fake.starts[3].seq, 2);
	ck_assert_uint_eq(fake.starts[4].seq, 3);
	ck_assert_uint_eq(fake.starts[5].seq, 4);
	ck_assert_int_eq(fake.starts[3].attempt, 1);
	ck_assert_int_ne(fake.starts[3].pid, dying);
	ck_assert_uint_eq(stats().started, 4);
	ck_assert_uint_eq(stats().failed, 1);
}
END_TEST

START_TEST(a_dying_workers_retried_item_runs_before_the_items_it_held)
{
	struct pool_config config = worker_config(1, 3);
	config.retries = 1;
	start_pool(&fake_worker_kind, &config, 5);
	end_pid(pid_of(1), killed_by(SIGSEGV));
	ck_assert_int_eq(fake.nresults, 1);
	ck_assert(fake.results[0].will_retry);
	ck_assert_int_eq(fake.results[0].signal, SIGSEGV);
	/* Item 1 goes back to the head of the queue, ahead of items 2 and 3. */
	ck_assert_int_eq(fake.nstarts, 6);
	ck_assert_uint_eq(fake.starts[3].seq, 1);
	ck_assert_int_eq(fake.starts[3].attempt, 2);
	ck_assert_uint_eq(fake.starts[4].seq, 2);
	ck_assert_uint_eq(fake.starts[5].seq, 3);
}
END_TEST

START_TEST(stopping_lets_workers_answer_what_they_hold_then_asks_them_to_leave)
{
	struct pool_config config = worker_config(2, 2);
	start_pool(&fake_worker_kind, &config, 10);
	ck_assert_int_eq(fake.nstarts, 4);
	pool_stop(fake.pool);
	ck_assert_int_eq(fake.nstops, 0);  /* both hold items */
	ck_assert_int_eq(fake.nsignals, 0);

	answer(1, 0);
	ck_assert_int_eq(fake.nstarts, 4);
	ck_assert_int_eq(stops_of(1), 0);
	answer(1, 0);
	ck_assert_int_ge(stops_of(1), 1);
	ck_assert_int_eq(stops_of(2), 0);
	answer(2, 0);
	answer(2, 0);
	ck_assert_int_ge(stops_of(2), 1);
	ck_assert_int_eq(fake.nstarts, 4);

	end_pid(pid_of(1), exit_code(0));
	end_pid(pid_of(2), exit_code(0));
	ck_assert_int_eq(pool_slot_count(fake.pool), 0);
	ck_assert_int_eq(fake.nresults, 4);
	ck_assert_int_eq(fake.finished, 1);
}
END_TEST

START_TEST(a_finished_worker_pool_opens_a_worker_again_for_requeued_items)
{
	struct pool_config config = worker_config(1, 2);
	start_pool(&fake_worker_kind, &config, 2);
	answer(1, 1);
	answer(1, 0);
	end_pid(pid_of(1), exit_code(0));
	ck_assert_int_eq(fake.finished, 1);
	ck_assert_int_eq(pool_slot_count(fake.pool), 0);

	ck_assert_uint_eq(pool_requeue_failed(fake.pool), 1);
	ck_assert_int_eq(pool_slot_count(fake.pool), 1);
	ck_assert_int_eq(fake.opens, 2);
	ck_assert_int_eq(fake.nstarts, 3);
	ck_assert_uint_eq(last_start()->seq, 1);
	ck_assert_int_eq(last_start()->attempt, 1);
	answer(1, 0);
	end_pid(pid_of(1), exit_code(0));
	ck_assert_int_eq(fake.finished, 2);
	ck_assert_uint_eq(stats().failed, 0);
	ck_assert_uint_eq(stats().done, 2);
}
END_TEST

START_TEST(a_retiring_worker_gets_no_new_items_and_leaves_when_it_exits)
{
	struct pool_config config = worker_config(2, 2);
	start_pool(&fake_worker_kind, &config, 8);
	ck_assert_int_eq(fake.nstarts, 4);
	set_started(1, 100);
	set_started(2, 200);
	pool_resize(fake.pool, 1, SHRINK_GRACEFUL, NULL);
	ck_assert_int_eq(view_of(2).state, SLOT_RETIRE);
	ck_assert_int_eq(fake.nsignals, 0);

	answer(2, 0);
	ck_assert_int_eq(fake.nstarts, 4);  /* slot 1 is full, slot 2 takes no more */
	answer(1, 0);
	ck_assert_int_eq(fake.nstarts, 5);
	ck_assert_int_eq(last_start()->slot, 1);
	answer(2, 0);
	ck_assert_int_eq(slot_numbered(2)->inflight_count, 0);
	for (int i = 4; i < fake.nstarts; i++)
		ck_assert_int_eq(fake.starts[i].slot, 1);

	end_pid(pid_of(2), exit_code(0));
	ck_assert_int_eq(pool_slot_count(fake.pool), 1);
	ck_assert_int_eq(fake.nresults, 3);
}
END_TEST

START_TEST(an_idle_worker_that_retires_is_stopped_and_leaves_when_it_exits)
{
	struct pool_config config = worker_config(2, 1);
	start_pool(&fake_worker_kind, &config, 4);
	/* Paused, slot 2 stays idle after its answer while work is left. */
	pool_set_paused(fake.pool, true);
	answer(2, 0);
	ck_assert_int_eq(slot_numbered(2)->inflight_count, 0);
	ck_assert_int_eq(stops_of(2), 0);
	pid_t idle = pid_of(2);

	pool_resize(fake.pool, 1, SHRINK_GRACEFUL, NULL);
	ck_assert_int_ge(stops_of(2), 1);
	ck_assert_int_eq(stops_of(1), 0);
	ck_assert_int_eq(view_of(2).state, SLOT_RETIRE);
	ck_assert_int_eq(pool_slot_count(fake.pool), 2);  /* until its process is gone */
	ck_assert_int_eq(fake.nsignals, 0);

	end_pid(idle, exit_code(0));
	ck_assert_int_eq(pool_slot_count(fake.pool), 1);
	ck_assert_int_eq(view_of(1).state, SLOT_RUN);
	ck_assert_int_eq(fake.nresults, 1);
	pool_set_paused(fake.pool, false);
	answer(1, 0);
	ck_assert_uint_eq(last_start()->seq, 3);
	ck_assert_int_eq(last_start()->slot, 1);
}
END_TEST

/* ---- resize races -------------------------------------------------------- */

START_TEST(growing_while_a_slot_retires_takes_it_back_instead_of_opening_another)
{
	struct pool_config config = job_config(2);
	start_pool(&fake_job_kind, &config, 4);
	set_started(1, 100);
	set_started(2, 200);
	pool_resize(fake.pool, 1, SHRINK_GRACEFUL, NULL);
	ck_assert_int_eq(view_of(2).state, SLOT_RETIRE);
	int opens = fake.opens;

	ck_assert_int_eq(pool_resize(fake.pool, 2, SHRINK_GRACEFUL, NULL), 2);
	ck_assert_int_eq(fake.opens, opens);
	ck_assert_int_eq(pool_slot_count(fake.pool), 2);
	ck_assert_int_eq(view_of(2).state, SLOT_RUN);
	ck_assert_int_eq(fake.nstarts, 2);

	end_slot(2, exit_code(0));
	ck_assert_int_eq(pool_slot_count(fake.pool), 2);
	ck_assert_int_eq(last_start()->slot, 2);
	ck_assert_uint_eq(last_start()->seq, 3);
	run_jobs_to_the_end(exit_code(0));
	ck_assert_int_eq(fake.nresults, 4);
	ck_assert_int_eq(fake.finished, 1);
}
END_TEST

START_TEST(a_kill_shrink_then_a_grow_before_the_exit_still_runs_every_item_once)
{
	struct pool_config config = job_config(2);
	start_pool(&fake_job_kind, &config, 5);
	set_started(1, 100);
	set_started(2, 200);
	pid_t victim = pid_of(2);
	pool_resize(fake.pool, 1, SHRINK_KILL, NULL);
	ck_assert_int_eq(signals_to(victim, SIGKILL), 1);

	/* Already killed, the slot cannot be taken back: a new one opens. */
	pool_resize(fake.pool, 2, SHRINK_GRACEFUL, NULL);
	ck_assert_int_eq(stats().target, 2);
	ck_assert_int_eq(stats().slots, 3);
	ck_assert_int_eq(fake.nstarts, 3);
	ck_assert_uint_eq(last_start()->seq, 3);

	end_pid(victim, killed_by(SIGKILL));
	ck_assert_int_eq(fake.nresults, 0);
	ck_assert_int_eq(stats().slots, 2);
	ck_assert_int_eq(stats().running, 2);
	end_slot(1, exit_code(0));
	ck_assert_uint_eq(last_start()->seq, 2);

	run_jobs_to_the_end(exit_code(0));
	ck_assert_int_eq(fake.nresults, 5);
	for (uint64_t seq = 1; seq <= 5; seq++)
		ck_assert_int_eq(results_for(seq), 1);
	ck_assert_uint_eq(stats().started, 5);
	ck_assert_uint_eq(stats().done, 5);
	ck_assert_int_eq(fake.finished, 1);
}
END_TEST

START_TEST(a_resize_beyond_the_bounds_is_clamped_and_says_so)
{
	struct pool_config config = job_config(8);
	config.min_jobs = 2;
	config.max_jobs = 4;
	start_pool(&fake_job_kind, &config, 20);
	/* The initial count obeys the bounds too. */
	ck_assert_int_eq(pool_slot_count(fake.pool), 4);
	ck_assert_int_eq(pool_target(fake.pool), 4);
	int min_jobs = 0, max_jobs = 0;
	pool_bounds(fake.pool, &min_jobs, &max_jobs);
	ck_assert_int_eq(min_jobs, 2);
	ck_assert_int_eq(max_jobs, 4);

	bool clamped = false;
	ck_assert_int_eq(pool_resize(fake.pool, 10, SHRINK_GRACEFUL, &clamped), 4);
	ck_assert(clamped);
	ck_assert_int_eq(pool_target(fake.pool), 4);
	ck_assert_int_eq(pool_slot_count(fake.pool), 4);

	clamped = false;
	ck_assert_int_eq(pool_resize(fake.pool, 0, SHRINK_GRACEFUL, &clamped), 2);
	ck_assert(clamped);
	ck_assert_int_eq(pool_target(fake.pool), 2);

	clamped = true;
	ck_assert_int_eq(pool_resize(fake.pool, 3, SHRINK_GRACEFUL, &clamped), 3);
	ck_assert(!clamped);
	ck_assert_int_eq(pool_target(fake.pool), 3);
}
END_TEST

START_TEST(a_resize_while_paused_opens_slots_that_wait_for_the_resume)
{
	struct pool_config config = job_config(1);
	start_pool(&fake_job_kind, &config, 6);
	pool_set_paused(fake.pool, true);
	pool_resize(fake.pool, 3, SHRINK_GRACEFUL, NULL);
	ck_assert_int_eq(pool_slot_count(fake.pool), 3);
	ck_assert_int_eq(fake.nstarts, 1);
	ck_assert_int_eq(view_of(2).state, SLOT_IDLE);

	pool_set_paused(fake.pool, false);
	ck_assert_int_eq(fake.nstarts, 3);
	ck_assert_int_eq(stats().running, 3);
}
END_TEST

START_TEST(shrinking_to_one_while_every_slot_is_busy_keeps_the_oldest_item_running)
{
	struct pool_config config = job_config(4);
	start_pool(&fake_job_kind, &config, 8);
	set_started(1, 400);
	set_started(2, 300);
	set_started(3, 100);  /* the oldest */
	set_started(4, 200);
	pool_resize(fake.pool, 1, SHRINK_GRACEFUL, NULL);
	ck_assert_int_eq(view_of(1).state, SLOT_RETIRE);
	ck_assert_int_eq(view_of(2).state, SLOT_RETIRE);
	ck_assert_int_eq(view_of(3).state, SLOT_RUN);
	ck_assert_int_eq(view_of(4).state, SLOT_RETIRE);
	ck_assert_int_eq(fake.nsignals, 0);
	ck_assert_int_eq(stats().target, 1);
	ck_assert_int_eq(stats().slots, 4);

	end_slot(1, exit_code(0));
	end_slot(4, exit_code(0));
	end_slot(2, exit_code(0));
	ck_assert_int_eq(pool_slot_count(fake.pool), 1);
	ck_assert_int_eq(fake.nstarts, 4);
	end_slot(3, exit_code(0));
	ck_assert_int_eq(fake.nstarts, 5);
	ck_assert_int_eq(last_start()->slot, 3);

	run_jobs_to_the_end(exit_code(0));
	ck_assert_int_eq(fake.nresults, 8);
	for (int i = 4; i < fake.nstarts; i++)
		ck_assert_int_eq(fake.starts[i].slot, 3);
	ck_assert_int_eq(fake.finished, 1);
}
END_TEST

START_TEST(a_new_slot_takes_the_lowest_free_number)
{
	struct pool_config config = job_config(3);
	start_pool(&fake_job_kind, &config, 10);
	set_started(1, 100);
	set_started(2, 300);
	set_started(3, 200);
	pool_resize(fake.pool, 2, SHRINK_GRACEFUL, NULL);
	end_slot(2, exit_code(0));
	ck_assert_ptr_null(slot_numbered(2));

	pool_resize(fake.pool, 3, SHRINK_GRACEFUL, NULL);
	ck_assert_ptr_nonnull(slot_numbered(2));
	ck_assert_int_eq(last_start()->slot, 2);
	ck_assert_uint_eq(last_start()->seq, 4);
	struct slot_view view;
	ck_assert(pool_slot_view(fake.pool, 1, &view));
	ck_assert_int_eq(view.number, 2);  /* views come in slot number order */
}
END_TEST

/* ---- pause, suspend, kill, stop --------------------------------------- */

START_TEST(pause_holds_new_starts_and_resume_lets_them_go)
{
	struct pool_config config = job_config(1);
	start_pool(&fake_job_kind, &config, 3);
	pool_set_paused(fake.pool, true);
	ck_assert(stats().paused);
	end_slot(1, exit_code(0));
	ck_assert_int_eq(fake.nstarts, 1);
	ck_assert_int_eq(fake.finished, 0);
	ck_assert_int_eq(stats().running, 0);

	pool_set_paused(fake.pool, false);
	ck_assert(!stats().paused);
	ck_assert_int_eq(fake.nstarts, 2);
	ck_assert_uint_eq(last_start()->seq, 2);
	run_jobs_to_the_end(exit_code(0));
	ck_assert_int_eq(fake.finished, 1);
}
END_TEST

START_TEST(suspend_stops_the_running_slots_and_resume_continues_them)
{
	struct pool_config config = job_config(3);
	start_pool(&fake_job_kind, &config, 2);
	pid_t first = pid_of(1), second = pid_of(2);
	pool_set_suspended(fake.pool, true);
	ck_assert_int_eq(signals_to(first, SIGSTOP), 1);
	ck_assert_int_eq(signals_to(second, SIGSTOP), 1);
	ck_assert_int_eq(view_of(1).state, SLOT_STOP);
	ck_assert(stats().suspended);

	pool_set_suspended(fake.pool, false);
	ck_assert_int_eq(signals_to(first, SIGCONT), 1);
	ck_assert_int_eq(signals_to(second, SIGCONT), 1);
	ck_assert_int_eq(view_of(1).state, SLOT_RUN);
	ck_assert(!stats().suspended);
	ck_assert_int_eq(signals_to(first, SIGTERM) + signals_to(first, SIGKILL), 0);
}
END_TEST

START_TEST(stopping_a_suspended_pool_wakes_its_jobs_so_they_can_finish)
{
	struct pool_config config = job_config(2);
	start_pool(&fake_job_kind, &config, 3);
	pid_t first = pid_of(1), second = pid_of(2);
	pool_set_suspended(fake.pool, true);
	pool_stop(fake.pool);
	ck_assert_int_eq(signals_to(first, SIGCONT), 1);
	ck_assert_int_eq(signals_to(second, SIGCONT), 1);
	ck_assert(!stats().suspended);
	ck_assert_int_eq(view_of(2).state, SLOT_RUN);
	end_slot(1, exit_code(0));
	end_slot(2, exit_code(0));
	ck_assert_int_eq(fake.finished, 1);
	ck_assert_int_eq(fake.nstarts, 2);
}
END_TEST

START_TEST(killing_one_item_calls_the_kinds_abort_and_the_item_is_retried)
{
	struct pool_config config = job_config(2);
	config.retries = 1;
	start_pool(&fake_job_kind, &config, 3);
	pid_t target = pid_of(2);
	ck_assert_int_eq(pool_kill_item(fake.pool, 2), 0);
	ck_assert_int_eq(fake.naborts, 1);
	ck_assert_int_eq(fake.aborts[0].slot, 2);
	ck_assert_str_ne(fake.aborts[0].why, "");
	ck_assert_int_eq(signals_to(target, SIGTERM), 1);
	ck_assert_int_eq(signals_to(pid_of(1), SIGTERM), 0);

	end_pid(target, killed_by(SIGTERM));
	ck_assert_int_eq(fake.nresults, 1);
	ck_assert_uint_eq(fake.results[0].seq, 2);
	ck_assert(fake.results[0].failed);
	ck_assert(fake.results[0].will_retry);
	ck_assert(fake.results[0].has_error);
	ck_assert_int_eq(fake.results[0].signal, SIGTERM);
	ck_assert_uint_eq(last_start()->seq, 2);
	ck_assert_int_eq(last_start()->attempt, 2);
}
END_TEST

START_TEST(killing_an_item_that_is_not_running_fails_with_minus_one)
{
	struct pool_config config = job_config(1);
	start_pool(&fake_job_kind, &config, 3);
	ck_assert_int_eq(pool_kill_item(fake.pool, 2), -1);   /* still queued */
	ck_assert_int_eq(pool_kill_item(fake.pool, 99), -1);  /* does not exist */
	ck_assert_int_eq(fake.naborts, 0);
	ck_assert_int_eq(fake.nsignals, 0);
}
END_TEST

START_TEST(stop_starts_nothing_new_and_running_items_finish)
{
	struct pool_config config = job_config(2);
	start_pool(&fake_job_kind, &config, 5);
	pool_stop(fake.pool);
	ck_assert(stats().stopping);
	ck_assert_int_eq(fake.nsignals, 0);
	end_slot(1, exit_code(0));
	ck_assert_int_eq(fake.nstarts, 2);
	ck_assert_int_eq(fake.finished, 0);
	end_slot(2, exit_code(0));
	ck_assert_int_eq(fake.finished, 1);
	ck_assert_int_eq(fake.nresults, 2);
	ck_assert_uint_eq(stats().done, 2);
	ck_assert_int_eq(pool_exit_status(fake.pool), 0);
}
END_TEST

static bool both_killed(void)
{
	return signals_to(FIRST_FAKE_PID, SIGKILL) >= 1 && signals_to(FIRST_FAKE_PID + 1, SIGKILL) >= 1;
}

START_TEST(kill_all_terminates_every_running_item_and_kills_after_the_grace)
{
	struct pool_config config = job_config(3);
	config.grace = 0;
	start_pool(&fake_job_kind, &config, 2);
	ck_assert_int_eq(pid_of(1), FIRST_FAKE_PID);
	ck_assert_int_eq(pid_of(2), FIRST_FAKE_PID + 1);
	pool_kill_all(fake.pool);
	ck_assert_int_eq(signals_to(FIRST_FAKE_PID, SIGTERM), 1);
	ck_assert_int_eq(signals_to(FIRST_FAKE_PID + 1, SIGTERM), 1);
	ck_assert(stats().stopping);

	ck_assert_msg(run_until(both_killed), "no KILL after a grace of 0");
	end_slot(1, killed_by(SIGKILL));
	end_slot(2, killed_by(SIGKILL));
	ck_assert_int_eq(fake.nresults, 2);
	ck_assert(fake.results[0].failed);
	ck_assert_int_eq(fake.results[0].signal, SIGKILL);
	ck_assert_int_eq(fake.finished, 1);
	ck_assert_int_eq(pool_exit_status(fake.pool), 2);
}
END_TEST

static bool timed_out(void)
{
	return fake.ntimeouts >= 1;
}

START_TEST(an_item_past_its_timeout_is_handed_to_the_kind_and_fails)
{
	struct pool_config config = job_config(1);
	config.timeout = 0.001;
	start_pool(&fake_job_kind, &config, 1);
	pid_t running = pid_of(1);
	ck_assert_msg(run_until(timed_out), "the timeout never came");
	ck_assert_int_eq(fake.timeouts[0].slot, 1);
	ck_assert_int_eq(signals_to(running, SIGTERM), 1);

	end_pid(running, killed_by(SIGTERM));
	ck_assert_int_eq(fake.nresults, 1);
	ck_assert(fake.results[0].failed);
	ck_assert(fake.results[0].has_error);
	ck_assert_int_eq(fake.finished, 1);
}
END_TEST

START_TEST(with_a_long_delay_one_item_starts_and_a_stop_does_not_wait_for_the_rest)
{
	struct pool_config config = job_config(3);
	config.delay = 3600;
	start_pool(&fake_job_kind, &config, 3);
	ck_assert_int_eq(fake.nstarts, 1);
	ck_assert_int_eq(stats().running, 1);
	pool_stop(fake.pool);
	end_slot(1, exit_code(0));
	ck_assert_int_eq(fake.nstarts, 1);
	ck_assert_int_eq(fake.finished, 1);
}
END_TEST

static bool three_started(void)
{
	return fake.nstarts >= 3;
}

START_TEST(with_a_short_delay_every_item_still_starts)
{
	struct pool_config config = job_config(3);
	config.delay = 0.001;
	start_pool(&fake_job_kind, &config, 3);
	ck_assert_msg(run_until(three_started), "only %d of 3 items started", fake.nstarts);
	for (int i = 0; i < 3; i++)
		ck_assert_uint_eq(fake.starts[i].seq, (uint64_t)i + 1);
	ck_assert_int_eq(stats().running, 3);
}
END_TEST

static bool one_started(void)
{
	return fake.nstarts >= 1;
}

static bool two_started(void)
{
	return fake.nstarts >= 2;
}

static bool finished(void)
{
	return fake.finished >= 1;
}

static void write_all(int fd, const char *text)
{
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
}

START_TEST(items_from_a_pipe_start_as_they_arrive)
{
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	struct pool_config config = job_config(1);
	ck_assert_int_eq(start_pool_over(&fake_job_kind, &config, items_from_fd(fds[0], '\n', true)), 0);
	ck_assert_int_eq(fake.nstarts, 0);
	ck_assert_int_eq(stats().total, -1);
	ck_assert_int_eq(fake.finished, 0);

	write_all(fds[1], "first\n");
	ck_assert_msg(run_until(one_started), "the first item never started");
	ck_assert_uint_eq(fake.starts[0].seq, 1);
	end_slot(1, exit_code(0));
	ck_assert_str_eq(fake.results[0].item, "first");

	write_all(fds[1], "second\n");
	ck_assert_msg(run_until(two_started), "the second item never started");
	close(fds[1]);
	end_slot(1, exit_code(0));
	ck_assert_msg(run_until(finished), "the end of the input was never seen");
	ck_assert_int_eq(fake.nresults, 2);
	ck_assert_str_eq(fake.results[1].item, "second");
	ck_assert_int_eq(stats().total, 2);
}
END_TEST

/* ---- finishing, counts and stats ---------------------------------------- */

START_TEST(the_finished_event_fires_exactly_once)
{
	struct pool_config config = job_config(2);
	start_pool(&fake_job_kind, &config, 2);
	end_slot(1, exit_code(0));
	ck_assert_int_eq(fake.finished, 0);
	end_slot(2, exit_code(0));
	ck_assert_int_eq(fake.finished, 1);
	ck_assert(pool_finished(fake.pool));

	/* Whatever comes after, it is not reported again. */
	pool_dispatch(fake.pool);
	pool_resize(fake.pool, 4, SHRINK_GRACEFUL, NULL);
	pool_set_paused(fake.pool, true);
	pool_set_paused(fake.pool, false);
	pool_requeue_failed(fake.pool);
	pool_stop(fake.pool);
	pool_kill_all(fake.pool);
	end_pid(FIRST_FAKE_PID + 100, exit_code(0));
	ck_assert_int_eq(fake.finished, 1);
	ck_assert(pool_finished(fake.pool));
	ck_assert_int_eq(fake.nstarts, 2);
}
END_TEST

START_TEST(an_empty_input_finishes_at_once)
{
	struct pool_config config = job_config(2);
	start_pool(&fake_job_kind, &config, 0);
	ck_assert_int_eq(fake.finished, 1);
	ck_assert(pool_finished(fake.pool));
	ck_assert_int_eq(fake.nstarts, 0);
	struct pool_stats now = stats();
	ck_assert_int_eq(now.total, 0);
	ck_assert_uint_eq(now.queued, 0);
	ck_assert(now.seconds_left == 0);
	ck_assert_int_eq(pool_exit_status(fake.pool), 0);
}
END_TEST

START_TEST(a_fatal_error_from_the_kind_stops_the_run_before_anything_starts)
{
	struct pool_config config = worker_config(2, 1);
	fake.fail_open = true;
	ck_assert_int_eq(start_pool_over(&fake_worker_kind, &config, items_from_array(item_words, 3)), -1);
	ck_assert_ptr_nonnull(pool_fatal_error(fake.pool));
	ck_assert_ptr_nonnull(strstr(pool_fatal_error(fake.pool), "cannot start fake worker 1"));
	ck_assert_int_eq(fake.nstarts, 0);
	ck_assert_int_eq(fake.finished, 1);
	ck_assert(stats().stopping);
}
END_TEST

START_TEST(the_exit_status_counts_failures_up_to_100_then_says_101)
{
	struct pool_config config = job_config(3);
	start_pool(&fake_job_kind, &config, 150);
	for (int n = 0; n < 100; n++) {
		ck_assert_int_eq(pool_exit_status(fake.pool), n);
		ck_assert_int_gt(stats().running, 0);
		end_slot(1, exit_code(1));
	}
	ck_assert_int_eq(pool_exit_status(fake.pool), 100);
	end_slot(1, exit_code(1));
	ck_assert_int_eq(pool_exit_status(fake.pool), 101);
	run_jobs_to_the_end(exit_code(1));
	ck_assert_int_eq(fake.nresults, 150);
	ck_assert_uint_eq(stats().failed, 150);
	ck_assert_int_eq(pool_exit_status(fake.pool), 101);
	ck_assert_int_eq(fake.finished, 1);
}
END_TEST

START_TEST(the_stats_follow_every_start_and_end)
{
	struct pool_config config = job_config(2);
	start_pool(&fake_job_kind, &config, 5);
	struct pool_stats now = stats();
	ck_assert_int_eq(now.target, 2);
	ck_assert_int_eq(now.slots, 2);
	ck_assert_int_eq(now.running, 2);
	ck_assert_uint_eq(now.started, 2);
	ck_assert_uint_eq(now.done, 0);
	ck_assert_uint_eq(now.failed, 0);
	ck_assert_int_eq(now.total, 5);
	ck_assert_uint_eq(now.queued, 3);

	end_slot(1, exit_code(1));
	now = stats();
	ck_assert_uint_eq(now.started, 3);
	ck_assert_uint_eq(now.done, 1);
	ck_assert_uint_eq(now.failed, 1);
	ck_assert_int_eq(now.running, 2);
	ck_assert_uint_eq(now.queued, 2);

	end_slot(2, exit_code(0));
	now = stats();
	ck_assert_uint_eq(now.started, 4);
	ck_assert_uint_eq(now.done, 2);
	ck_assert_uint_eq(now.failed, 1);
	ck_assert_uint_eq(now.queued, 1);

	ck_assert_uint_eq(view_of(1).done, 1);
	ck_assert_uint_eq(view_of(1).failed, 1);
	ck_assert_uint_eq(view_of(2).done, 1);
	ck_assert_uint_eq(view_of(2).failed, 0);

	run_jobs_to_the_end(exit_code(0));
	now = stats();
	ck_assert_uint_eq(now.started, 5);
	ck_assert_uint_eq(now.done, 5);
	ck_assert_uint_eq(now.failed, 1);
	ck_assert_int_eq(now.running, 0);
	ck_assert_uint_eq(now.queued, 0);
	ck_assert_int_eq(now.total, 5);
	ck_assert(now.input_done);
	ck_assert(now.seconds_left == 0);
}
END_TEST

START_TEST(an_exit_from_an_unknown_pid_changes_nothing)
{
	struct pool_config config = job_config(2);
	start_pool(&fake_job_kind, &config, 3);
	struct pool_stats before = stats();
	end_pid(FIRST_FAKE_PID + 1000, exit_code(1));
	struct pool_stats after = stats();
	ck_assert_int_eq(fake.nresults, 0);
	ck_assert_int_eq(fake.nstarts, 2);
	ck_assert_uint_eq(after.started, before.started);
	ck_assert_uint_eq(after.done, before.done);
	ck_assert_int_eq(after.running, before.running);
}
END_TEST

START_TEST(every_slot_opened_is_closed_and_the_kind_released_with_the_pool)
{
	struct pool_config config = job_config(3);
	start_pool(&fake_job_kind, &config, 4);
	ck_assert_int_eq(fake.opens, 3);
	char *command = pool_slot_command(fake.pool, 0);
	ck_assert_ptr_nonnull(command);
	ck_assert_str_eq(command, "fake item1");
	free(command);

	pool_resize(fake.pool, 5, SHRINK_GRACEFUL, NULL);
	ck_assert_int_eq(fake.opens, 5);
	pool_free(fake.pool);
	fake.pool = NULL;
	ck_assert_int_eq(fake.closes, fake.opens);
	ck_assert_int_eq(fake.releases, 1);
}
END_TEST

/* ---- throttles ------------------------------------------------------------ */

/* The machine as the throttle reads it: tests set it and let the
 * throttle's timer (or the next start) read it. */
static struct throttle_reading machine;

static int read_fake_machine(void *data, struct throttle_reading *reading)
{
	(void)data;
	*reading = machine;
	return 0;
}

/* A pool of kind over item1..itemN that reads `machine`, started. */
static void start_throttled_pool(const struct slot_kind *kind, const struct pool_config *config, int nitems)
{
	fake.items = items_from_array(item_words, nitems);
	struct pool_events events = {
		.result = on_result, .message = on_message, .finished = on_finished,
	};
	fake.pool = pool_new_with_kind(config, fake.loop, fake.items, &events, kind);
	ck_assert_ptr_nonnull(fake.pool);
	pool_set_throttle_probe(fake.pool, read_fake_machine, NULL);
	ck_assert_int_eq(pool_start(fake.pool), 0);
}

static bool one_terminated(void)
{
	for (int i = 0; i < fake.nsignals; i++)
		if (fake.signals[i].signo == SIGTERM)
			return true;
	return false;
}

#define GIB (1024LL * 1024 * 1024)

START_TEST(a_load_limit_holds_every_start_until_the_load_falls)
{
	struct pool_config config = job_config(2);
	config.throttle.load = 2;
	machine = (struct throttle_reading){ .running = 3, .available = -1 };
	start_throttled_pool(&fake_job_kind, &config, 3);
	ck_assert_int_eq(fake.nstarts, 0);
	ck_assert_str_eq(pool_throttle(fake.pool), "load");
	ck_assert_int_eq(fake.finished, 0);

	machine.running = 1;
	ck_assert_msg(run_until(one_started), "the throttle's timer lets jobs start once the load falls");
	ck_assert_int_eq(fake.nstarts, 2);
	ck_assert_ptr_null(pool_throttle(fake.pool));
	run_jobs_to_the_end(exit_code(0));
	ck_assert_int_eq(fake.finished, 1);
}
END_TEST

START_TEST(a_held_pool_still_resizes_and_starts_when_the_limit_is_lifted)
{
	struct pool_config config = job_config(1);
	config.throttle.load = 0.01;
	machine = (struct throttle_reading){ .running = 1, .available = -1 };
	start_throttled_pool(&fake_job_kind, &config, 5);
	ck_assert_int_eq(pool_resize(fake.pool, 3, SHRINK_GRACEFUL, NULL), 3);
	ck_assert_int_eq(stats().slots, 3);
	ck_assert_int_eq(fake.nstarts, 0);
	ck_assert_str_eq(pool_throttle(fake.pool), "load");

	struct throttle_limits off = { 0 };
	pool_set_throttle(fake.pool, &off);
	ck_assert_int_eq(fake.nstarts, 3);
	ck_assert_ptr_null(pool_throttle(fake.pool));
}
END_TEST

START_TEST(below_memfree_nothing_starts_and_below_half_the_youngest_job_goes_back_to_the_queue)
{
	struct pool_config config = job_config(2);
	config.throttle.memfree = 2 * GIB;
	machine = (struct throttle_reading){ .running = 0, .available = 3 * GIB };
	start_throttled_pool(&fake_job_kind, &config, 3);
	ck_assert_int_eq(fake.nstarts, 2);
	set_started(1, 1.0);
	set_started(2, 2.0);
	pid_t oldest = pid_of(1), youngest = pid_of(2);
	uint64_t youngest_seq = slot_oldest(slot_numbered(2))->seq;

	machine.available = GIB / 2;
	ck_assert_msg(run_until(one_terminated), "the youngest job is terminated");
	ck_assert_int_eq(signals_to(oldest, SIGTERM), 0);
	end_pid(youngest, killed_by(SIGTERM));
	ck_assert_int_eq(results_for(youngest_seq), 0);
	ck_assert_uint_eq(stats().done, 0);
	ck_assert_int_eq(fake.nstarts, 2);
	ck_assert_str_eq(pool_throttle(fake.pool), "memfree");

	machine.available = 3 * GIB;
	ck_assert_msg(run_until(three_started), "with memory back, the item runs again");
	ck_assert_uint_eq(last_start()->seq, youngest_seq);
}
END_TEST

static int stopped_pids;

static bool enough_stopped(void)
{
	int count = 0;
	for (int i = 0; i < fake.nsignals; i++)
		count += fake.signals[i].signo == SIGSTOP;
	return count >= stopped_pids;
}

static pid_t resumed_pid;

static bool resumed(void)
{
	return signals_to(resumed_pid, SIGCONT) >= 1;
}

START_TEST(memsuspend_stops_the_youngest_jobs_and_resumes_them_one_at_a_time)
{
	struct pool_config config = job_config(3);
	config.throttle.memsuspend = GIB;
	machine = (struct throttle_reading){ .running = 0, .available = 4 * GIB };
	start_throttled_pool(&fake_job_kind, &config, 3);
	ck_assert_int_eq(fake.nstarts, 3);
	set_started(1, 1.0);
	set_started(2, 2.0);
	set_started(3, 3.0);
	pid_t first = pid_of(1), second = pid_of(2), third = pid_of(3);

	/* 1.25 * SIZE: the two oldest run (floor(1 / 0.75) + 1). */
	machine.available = 5 * GIB / 4;
	stopped_pids = 1;
	ck_assert(run_until(enough_stopped));
	ck_assert_int_eq(signals_to(third, SIGSTOP), 1);
	ck_assert_int_eq(view_of(3).state, SLOT_STOP);
	ck_assert_int_eq(signals_to(second, SIGSTOP), 0);

	/* Below SIZE: only the oldest runs. */
	machine.available = GIB / 2;
	stopped_pids = 2;
	ck_assert(run_until(enough_stopped));
	ck_assert_int_eq(signals_to(second, SIGSTOP), 1);
	ck_assert_int_eq(signals_to(first, SIGSTOP), 0);

	/* Plenty again: the oldest stopped job resumes first. */
	machine.available = 4 * GIB;
	resumed_pid = second;
	ck_assert(run_until(resumed));
	ck_assert_int_eq(signals_to(third, SIGCONT), 0);
	resumed_pid = third;
	ck_assert(run_until(resumed));
	ck_assert_int_eq(view_of(3).state, SLOT_RUN);
}
END_TEST

START_TEST(the_resource_limits_holding_the_pool_below_the_count_asked_say_ulimit)
{
	struct pool_config config = job_config(5);
	config.max_jobs = 2;
	config.ulimit_jobs = 2;
	start_pool(&fake_job_kind, &config, 4);
	ck_assert_int_eq(stats().target, 2);
	ck_assert_str_eq(pool_throttle(fake.pool), "ulimit");
	pool_resize(fake.pool, 2, SHRINK_GRACEFUL, NULL);
	ck_assert_ptr_null(pool_throttle(fake.pool));
}
END_TEST

static Suite *pool_suite(void)
{
	Suite *suite = suite_create("pool");
	TCase *retries = tcase_create("retries");
	TCase *shrink = tcase_create("shrink");
	TCase *inflight = tcase_create("inflight");
	TCase *resize = tcase_create("resize");
	TCase *control = tcase_create("control");
	TCase *counts = tcase_create("counts");
	TCase *halt = tcase_create("halt");
	TCase *throttle = tcase_create("throttle");
	TCase *cases[] = { retries, shrink, halt, inflight, resize, control, counts, throttle };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		tcase_add_checked_fixture(cases[i], setup, teardown);

	tcase_add_test(retries, with_no_retries_a_failing_item_runs_once_and_counts_as_failed);
	tcase_add_test(retries, with_one_retry_a_failing_item_runs_twice);
	tcase_add_test(retries, a_retried_item_that_then_succeeds_counts_as_done_not_failed);
	tcase_add_test(retries, a_retried_item_runs_again_before_the_items_behind_it);
	tcase_add_test(retries, a_stopping_pool_does_not_retry);
	tcase_add_test(retries, requeueing_failed_items_runs_them_again_and_restarts_a_finished_pool);
	tcase_add_test(retries, requeueing_with_nothing_failed_changes_nothing);
	suite_add_tcase(suite, retries);

	tcase_add_test(shrink, a_graceful_shrink_lets_the_slot_finish_its_item_then_it_leaves);
	tcase_add_test(shrink, a_shrink_takes_idle_slots_first_and_they_leave_at_once);
	tcase_add_test(shrink, a_shrink_of_busy_slots_takes_the_one_with_the_newest_item);
	tcase_add_test(shrink, a_kill_shrink_kills_the_slot_and_its_item_runs_again_uncounted);
	tcase_add_test(shrink, a_kill_shrink_of_a_worker_returns_the_items_it_held_in_order);
	suite_add_tcase(suite, shrink);

	tcase_add_test(halt, halt_soon_at_the_failure_limit_starts_nothing_and_lets_running_items_finish);
	tcase_add_test(halt, halt_now_at_the_success_limit_terminates_the_running_items);
	tcase_add_test(halt, halt_now_at_one_failure_exits_with_that_jobs_status);
	tcase_add_test(halt, halt_done_counts_every_finished_job);
	tcase_add_test(halt, halt_at_a_percentage_of_the_jobs_exits_with_the_failed_share);
	tcase_add_test(halt, a_termseq_sends_its_signals_in_turn_to_a_job_that_stays);
	tcase_add_test(halt, delay_auto_grows_after_a_failure);
	tcase_add_test(halt, delay_auto_shrinks_after_a_success);
	suite_add_tcase(suite, halt);

	tcase_add_test(inflight, items_go_to_the_least_loaded_worker);
	tcase_add_test(inflight, a_worker_answers_oldest_first_and_its_view_shows_the_oldest);
	tcase_add_test(inflight, an_idle_worker_is_stopped_when_the_work_runs_out_and_the_pool_finishes_after_it_exits);
	tcase_add_test(inflight, a_dying_worker_fails_its_oldest_item_and_the_others_run_again_uncounted);
	tcase_add_test(inflight, a_dying_workers_retried_item_runs_before_the_items_it_held);
	tcase_add_test(inflight, stopping_lets_workers_answer_what_they_hold_then_asks_them_to_leave);
	tcase_add_test(inflight, a_finished_worker_pool_opens_a_worker_again_for_requeued_items);
	tcase_add_test(inflight, a_retiring_worker_gets_no_new_items_and_leaves_when_it_exits);
	tcase_add_test(inflight, an_idle_worker_that_retires_is_stopped_and_leaves_when_it_exits);
	suite_add_tcase(suite, inflight);

	tcase_add_test(resize, growing_while_a_slot_retires_takes_it_back_instead_of_opening_another);
	tcase_add_test(resize, a_kill_shrink_then_a_grow_before_the_exit_still_runs_every_item_once);
	tcase_add_test(resize, a_resize_beyond_the_bounds_is_clamped_and_says_so);
	tcase_add_test(resize, a_resize_while_paused_opens_slots_that_wait_for_the_resume);
	tcase_add_test(resize, shrinking_to_one_while_every_slot_is_busy_keeps_the_oldest_item_running);
	tcase_add_test(resize, a_new_slot_takes_the_lowest_free_number);
	suite_add_tcase(suite, resize);

	tcase_add_test(control, pause_holds_new_starts_and_resume_lets_them_go);
	tcase_add_test(control, suspend_stops_the_running_slots_and_resume_continues_them);
	tcase_add_test(control, stopping_a_suspended_pool_wakes_its_jobs_so_they_can_finish);
	tcase_add_test(control, killing_one_item_calls_the_kinds_abort_and_the_item_is_retried);
	tcase_add_test(control, killing_an_item_that_is_not_running_fails_with_minus_one);
	tcase_add_test(control, stop_starts_nothing_new_and_running_items_finish);
	tcase_add_test(control, kill_all_terminates_every_running_item_and_kills_after_the_grace);
	tcase_add_test(control, an_item_past_its_timeout_is_handed_to_the_kind_and_fails);
	tcase_add_test(control, with_a_long_delay_one_item_starts_and_a_stop_does_not_wait_for_the_rest);
	tcase_add_test(control, with_a_short_delay_every_item_still_starts);
	tcase_add_test(control, items_from_a_pipe_start_as_they_arrive);
	suite_add_tcase(suite, control);

	tcase_add_test(throttle, a_load_limit_holds_every_start_until_the_load_falls);
	tcase_add_test(throttle, a_held_pool_still_resizes_and_starts_when_the_limit_is_lifted);
	tcase_add_test(throttle, below_memfree_nothing_starts_and_below_half_the_youngest_job_goes_back_to_the_queue);
	tcase_add_test(throttle, memsuspend_stops_the_youngest_jobs_and_resumes_them_one_at_a_time);
	tcase_add_test(throttle, the_resource_limits_holding_the_pool_below_the_count_asked_say_ulimit);
	suite_add_tcase(suite, throttle);

	tcase_add_test(counts, the_finished_event_fires_exactly_once);
	tcase_add_test(counts, an_empty_input_finishes_at_once);
	tcase_add_test(counts, a_fatal_error_from_the_kind_stops_the_run_before_anything_starts);
	tcase_add_test(counts, the_exit_status_counts_failures_up_to_100_then_says_101);
	tcase_add_test(counts, the_stats_follow_every_start_and_end);
	tcase_add_test(counts, an_exit_from_an_unknown_pid_changes_nothing);
	tcase_add_test(counts, every_slot_opened_is_closed_and_the_kind_released_with_the_pool);
	suite_add_tcase(suite, counts);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(pool_suite());
	int failed;

	srunner_run_all(runner, CK_ENV);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
