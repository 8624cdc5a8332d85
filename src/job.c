/* job.c - the command-mode slot kind: one fresh process per item, its argv
 * built from the command template, its stdout and stderr spooled whole
 * until it exits.  A job slot holds no process while idle, so it needs no
 * open, stop or close operations. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feed.h"
#include "log.h"
#include "slot.h"
#include "template.h"

static int job_accepts_more(const struct slot *slot)
{
	return !slot->pid && !slot->inflight_count;
}

/* --pipe: the feed that wrote the item to the job's stdin is done with. */
static void job_stop_feed(struct slot *slot)
{
	feed_free(slot->feed);
	slot->feed = NULL;
}

/* The job's stdin: /dev/null, or with --pipe a pipe the item is fed to. */
static int job_stdin(struct slot *slot, struct pending *item)
{
	struct pool *pool = slot->pool;
	if (!pool->config.feed)
		return pool->dev_null;
	int read_end = -1;
	slot->feed = feed_new(pool->loop, pool->config.feed, item->seq, item->text, item->len, &read_end);
	return read_end;
}

static void job_start(struct slot *slot, struct pending *item)
{
	struct pool *pool = slot->pool;
	free(slot->argv);
	bool fed = pool->config.feed != NULL;  /* --pipe: the item is stdin, {} is empty */
	slot->argv = template_argv(pool->config.template, fed ? "" : item->text, fed ? 0 : item->len,
				   item->seq, slot->number);
	slot_push_item(slot, item);

	int out[2] = { -1, -1 }, err[2] = { -1, -1 }, exec_errno = 0;
	int in = -1;
	if (!slot->argv || proc_pipe(out) || proc_pipe(err) || (in = job_stdin(slot, item)) < 0) {
		int saved = errno;
		for (int i = 0; i < 2; i++) {
			if (out[i] >= 0)
				close(out[i]);
			if (err[i] >= 0)
				close(err[i]);
		}
		job_stop_feed(slot);
		pool_finish_attempt(slot, slot_pop_item(slot), 126 << 8, strerror(saved));
		return;
	}
	struct proc_job job = { .seq = item->seq, .slot = slot->number };
	pid_t pid = proc_spawn_job(slot->argv, &job, in, out[1], err[1], &exec_errno);
	close(out[1]);
	close(err[1]);
	if (fed)
		close(in);
	if (pid && fed)
		feed_start(slot->feed);
	if (!pid) {
		job_stop_feed(slot);
		close(out[0]);
		close(err[0]);
		int exit_code;
		const char *error = proc_exec_error(exec_errno, &exit_code);
		pool_finish_attempt(slot, slot_pop_item(slot), exit_code << 8, error);
		return;
	}
	slot_run_process(slot, pid, out[0], err[0], item->started);
}

static void job_output(struct slot *slot, int stream, const char *data, size_t len)
{
	struct pool *pool = slot->pool;
	struct pending *item = slot_oldest(slot);
	if (len && pool->events.live_output && item) {
		/* --line-buffer, -u: the output leaves as it comes, unspooled. */
		struct pool_live_output live = { item->seq, item->text, item->len, slot->number, stream, data, len };
		pool->events.live_output(pool->events.data, &live);
		return;
	}
	if (len)
		spool_append(stream == 1 ? &slot->out : &slot->err, data, len);
}

static bool job_exited(struct slot *slot, int status)
{
	job_stop_feed(slot);
	if (slot->inflight_count)
		pool_finish_attempt(slot, slot_pop_item(slot), status, slot->error);
	return !slot->retiring;
}

static void job_timeout(struct slot *slot)
{
	slot->error = "timed out (--timeout)";
	slot_terminate(slot);
}

static void job_abort(struct slot *slot, const char *why)
{
	slot->error = why;
	slot_terminate(slot);
}

static char *job_command(const struct slot *slot)
{
	return slot->argv && slot->inflight_count ? template_join(slot->argv) : NULL;
}

const struct slot_kind job_slot_kind = {
	.name = "job",
	.accepts_more = job_accepts_more,
	.start = job_start,
	.output = job_output,
	.exited = job_exited,
	.timeout = job_timeout,
	.abort = job_abort,
	.signal = slot_signal_process_group,
	.command = job_command,
	.close = job_stop_feed,
};
