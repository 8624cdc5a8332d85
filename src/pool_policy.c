/* pool_policy.c - the engine's policies, as GNU parallel defines them:
 * how a job is killed (--grace, --termseq), when it times out (--timeout,
 * also N% of the median run time), when the run halts (--halt) and with
 * which status, and how --delay auto adapts. */
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "log.h"
#include "slot.h"
#include "xalloc.h"

/* ---- killing a job --------------------------------------------------------- */

/* The next step of the kill: KILL after --grace, or the next signal of
 * --termseq.  A job that ended meanwhile gets nothing more. */
static void slot_kill_timer(struct loop *loop, void *data)
{
	(void)loop;
	struct slot *slot = data;
	struct pool *pool = slot->pool;
	slot->kill_timer = 0;
	if (!slot->pid || slot->reaped)
		return;
	if (!pool->config.term_steps) {
		slot_signal(slot, SIGKILL);
		return;
	}
	int step = ++slot->term_step;
	if (step >= pool->config.term_steps)
		return;
	const struct pool_term_step *next = &pool->config.term_seq[step];
	log_debug("slot %d: --termseq step %d, signal %d to pid %d", slot->number, step + 1, next->signo,
		  (int)slot->pid);
	slot_signal(slot, next->signo);
	if (step + 1 < pool->config.term_steps)
		slot->kill_timer = loop_add_timer(pool->loop, next->wait, slot_kill_timer, slot);
}

void slot_terminate(struct slot *slot)
{
	struct pool *pool = slot->pool;
	if (!slot->pid || slot->reaped)
		return;
	loop_del_timer(pool->loop, slot->kill_timer);
	slot->kill_timer = 0;
	if (!pool->config.term_steps) {
		slot_signal(slot, SIGTERM);
		slot->kill_timer = loop_add_timer(pool->loop, pool->config.grace, slot_kill_timer, slot);
		return;
	}
	/* --termseq: whatever its signals, the job is being killed. */
	slot->killing = true;
	slot->term_step = 0;
	slot_signal(slot, pool->config.term_seq[0].signo);
	if (pool->config.term_steps > 1)
		slot->kill_timer = loop_add_timer(pool->loop, pool->config.term_seq[0].wait, slot_kill_timer, slot);
}

/* ---- --timeout ------------------------------------------------------------- */

/* Run times of the jobs that succeeded, for --timeout N%: the latest this
 * many, so that memory stays flat however many jobs run. */
#define RUN_TIMES_KEPT 999

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The timeout in force: --timeout's seconds, or N% of the median run time
 * of the jobs that succeeded (none until one did, as parallel). */
static double timeout_now(const struct pool *pool)
{
	return pool->config.timeout_percent > 0 ? pool->timeout_from_median : pool->config.timeout;
}

static void record_run_time(struct pool *pool, double runtime)
{
	if (!pool->run_times)
		pool->run_times = xcalloc(RUN_TIMES_KEPT, sizeof *pool->run_times);
	pool->run_times[pool->run_times_next] = runtime;
	pool->run_times_next = (pool->run_times_next + 1) % RUN_TIMES_KEPT;
	if (pool->run_times_count < RUN_TIMES_KEPT)
		pool->run_times_count++;
	double sorted[RUN_TIMES_KEPT];
	memcpy(sorted, pool->run_times, (size_t)pool->run_times_count * sizeof *sorted);
	qsort(sorted, (size_t)pool->run_times_count, sizeof *sorted, compare_doubles);
	double median = sorted[(pool->run_times_count - 1) / 2];
	pool->timeout_from_median = median * pool->config.timeout_percent / 100;
	if (pool->timeout_from_median <= 0)
		pool->timeout_from_median = 1e-3;  /* 0 would mean no limit */
	log_debug("timeout: %.3f s (%g%% of the median run time %.3f s)", pool->timeout_from_median,
		  pool->config.timeout_percent, median);
	/* Jobs already running are held to the new limit too. */
	for (int i = 0; i < pool->nslots; i++) {
		struct slot *slot = pool->slots[i];
		if (slot->pid && !slot->killing && slot_oldest(slot))
			slot_arm_timeout(slot, slot_oldest(slot)->started);
	}
}

static void slot_timeout(struct loop *loop, void *data)
{
	(void)loop;
	struct slot *slot = data;
	slot->timeout_timer = 0;
	if (!slot->pid || slot->killing)
		return;
	log_debug("slot %d: item %" PRIu64 " timed out", slot->number,
		  slot_oldest(slot) ? slot_oldest(slot)->seq : 0);
	slot->pool->kind->timeout(slot);
}

void slot_arm_timeout(struct slot *slot, double started)
{
	struct pool *pool = slot->pool;
	loop_del_timer(pool->loop, slot->timeout_timer);
	slot->timeout_timer = 0;
	double timeout = timeout_now(pool);
	if (timeout <= 0 || started <= 0)
		return;
	double left = started + timeout - loop_time(pool->loop);
	slot->timeout_timer = loop_add_timer(pool->loop, left > 0 ? left : 0, slot_timeout, slot);
}

/* ---- a finished attempt ------------------------------------------------------ */

void pool_policy_attempt(struct pool *pool, double runtime, bool failed, bool final)
{
	/* --delay auto: parallel lengthens the delay by 30% after a failure and
	 * shortens it by 10% after a success (a delay of 0 stays 0). */
	if (pool->config.delay_auto && pool->config.delay > 0) {
		pool->config.delay *= failed ? 1.3 : 0.9;
		log_debug("delay: %.3f s (--delay auto, after a %s)", pool->config.delay,
			  failed ? "failure" : "success");
	}
	if (final && !failed && pool->config.timeout_percent > 0)
		record_run_time(pool, runtime);
}

/* ---- --halt -------------------------------------------------------------------- */

/* The jobs a percentage is of: all of them once the input ended (as
 * parallel, which reads them all first), else those read so far. */
static double jobs_in_all(const struct pool *pool)
{
	int64_t total = items_total(pool->items);
	uint64_t jobs = total >= 0 ? (uint64_t)total : pool->next_seq;
	return jobs > pool->skipped ? (double)(jobs - pool->skipped) : 1;
}

/* The status a job ended with, as a shell shows it. */
static int job_status(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}

void pool_check_halt(struct pool *pool, int status, bool failed)
{
	const struct pool_config *config = &pool->config;
	if (config->halt == HALT_NEVER || pool->stopping)
		return;
	const char *why;
	uint64_t count;
	int limit;
	if (config->halt_done) {
		why = "done", count = pool->done, limit = config->halt_done;
	} else if (failed && config->halt_fail) {
		why = "failure", count = pool->failed, limit = config->halt_fail;
	} else if (!failed && config->halt_success) {
		why = "success", count = pool->succeeded, limit = config->halt_success;
	} else {
		return;
	}
	double threshold = config->halt_percent ? jobs_in_all(pool) * limit / 100 : limit;
	if ((double)count < threshold)
		return;
	/* The exit status parallel gives: 0 for a success limit; for a
	 * percentage, the failed jobs' share; for a limit of one job, its own
	 * status; else the number of failures. */
	if (config->halt_success)
		pool->halt_status = 0;
	else if (config->halt_percent)
		pool->halt_status = (int)ceil((double)pool->failed * 100 / jobs_in_all(pool) - 1e-9);
	else if (limit == 1)
		pool->halt_status = failed ? job_status(status) : 0;
	else
		pool->halt_status = pool->failed > 101 ? 101 : (int)pool->failed;
	if (pool->halt_status > 255)
		pool->halt_status = 255;
	pool_message(pool, "halting: %s limit reached (--halt %s)", why,
		     config->halt == HALT_NOW ? "now: running jobs are killed" : "soon: running jobs finish");
	if (config->halt == HALT_NOW)
		pool_kill_all(pool);
	else
		pool_stop(pool);
}

int pool_halt_exit_status(const struct pool *pool)
{
	if (pool->halt_status >= 0)
		return pool->halt_status;
	/* A percentage that was never reached still sets the status, as the
	 * share of the started jobs that failed. */
	if (pool->config.halt != HALT_NEVER && pool->config.halt_percent && pool->failed)
		return (int)ceil((double)pool->failed * 100 / (double)(pool->started ? pool->started : 1) - 1e-9);
	return -1;
}
