/* output_live.c - job output on its way to the queues: the tag before
 * every line (--tag, --tagstring), complete lines of running jobs as they
 * come (--line-buffer) and bytes as they come (-u). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "output_internal.h"
#include "output_lines.h"
#include "xalloc.h"

/* A running job whose output is passed on as it comes. */
struct live_job {
	uint64_t seq;
	char *tag;                   /* its tag with the TAB, or NULL */
	struct spool unfinished[2];  /* --line-buffer: a line begun and not yet ended */
	bool line_start[2];          /* the next byte starts a line (tagging state) */
};

/* Where tagged bytes are queued, and whether all of them were kept. */
struct queue_target {
	struct stream *stream;
	bool intact;
};

static void emit_to_queue(void *data, const char *bytes, size_t len)
{
	struct queue_target *target = data;
	target->intact = output_queue_bytes(target->stream, bytes, len) && target->intact;
}

static void emit_to_spool(void *data, const char *bytes, size_t len)
{
	spool_append(data, bytes, len);
}

void output_set_mode(struct output *output, enum output_mode mode)
{
	output->mode = mode;
}

void output_set_tagger(struct output *output, const struct output_tagger *tagger)
{
	output->tagger = tagger;
}

/* The job's entry; made on its first bytes when create is true. */
static struct live_job *live_find(struct output *output, uint64_t seq, bool create, const char *item,
				  size_t item_len, int slot)
{
	for (size_t i = 0; i < output->live_len; i++)
		if (output->live[i].seq == seq)
			return &output->live[i];
	if (!create)
		return NULL;
	xgrow(&output->live, &output->live_cap, output->live_len + 1, sizeof *output->live);
	struct live_job *job = &output->live[output->live_len++];
	*job = (struct live_job){ .seq = seq, .line_start = { true, true } };
	spool_init(&job->unfinished[0]);
	spool_init(&job->unfinished[1]);
	if (output->tagger && output->mode != OUTPUT_UNGROUP)
		job->tag = output_tagger_tag(output->tagger, item, item_len, seq, slot);
	return job;
}

static void live_forget(struct output *output, struct live_job *job)
{
	free(job->tag);
	spool_clear(&job->unfinished[0]);
	spool_clear(&job->unfinished[1]);
	*job = output->live[--output->live_len];
}

/* Queue bytes of the job on stream index (0 stdout, 1 stderr), tagged. */
static bool live_queue(struct output *output, struct live_job *job, int index, const char *data, size_t len)
{
	struct queue_target target = { &output->streams[index], true };
	if (job->tag)
		output_tag_lines(job->tag, strlen(job->tag), &job->line_start[index], data, len, emit_to_queue,
				 &target);
	else
		emit_to_queue(&target, data, len);
	return target.intact;
}

/* Queue what a spool holds as more of the job's output; false when some
 * of it could not be read back or kept. */
static bool live_queue_spool(struct output *output, struct live_job *job, int index, struct spool *spool)
{
	bool intact = output_spool_intact(output, spool);
	char buffer[65536];
	size_t size = spool_size(spool);
	for (size_t at = 0; at < size;) {
		size_t want = size - at < sizeof buffer ? size - at : sizeof buffer;
		errno = 0;
		size_t n = spool_read(spool, (off_t)at, buffer, want);
		if (!n) {
			output_lose(output, "read back output held in a temporary file", errno ? errno : EIO);
			intact = false;
			break;
		}
		intact = live_queue(output, job, index, buffer, n) && intact;
		at += n;
	}
	spool_clear(spool);
	return intact;
}

void output_live(struct output *output, const struct pool_live_output *live)
{
	struct live_job *job = live_find(output, live->seq, true, live->item, live->item_len, live->slot);
	int index = live->stream == 2;
	if (output->mode == OUTPUT_UNGROUP) {
		live_queue(output, job, index, live->data, live->len);
	} else {
		size_t complete = output_complete_lines(live->data, live->len);
		if (complete) {
			live_queue_spool(output, job, index, &job->unfinished[index]);
			live_queue(output, job, index, live->data, complete);
		}
		/* The start of a line waits for its end, or the job's. */
		if (complete < live->len)
			spool_append(&job->unfinished[index], live->data + complete, live->len - complete);
	}
	output_stream_kick(&output->streams[index]);
}

/* Queue the job's unfinished lines, and whatever its result still holds. */
static bool live_finish_job(struct output *output, struct live_job *job, struct pool_result *result)
{
	bool intact = true;
	struct spool *spools[2] = { result->out, result->err };
	for (int index = 0; index < 2; index++) {
		intact = live_queue_spool(output, job, index, &job->unfinished[index]) && intact;
		intact = live_queue_spool(output, job, index, spools[index]) && intact;
		output_stream_kick(&output->streams[index]);
	}
	return intact;
}

void output_attempt_retried(struct output *output, const struct pool_result *result)
{
	struct live_job *job = output->mode == OUTPUT_GROUP ? NULL : live_find(output, result->seq, false, NULL, 0, 0);
	if (!job)
		return;
	struct pool_result rest = *result;
	struct spool empty[2] = { SPOOL_INIT, SPOOL_INIT };
	rest.out = &empty[0];
	rest.err = &empty[1];
	live_finish_job(output, job, &rest);
	live_forget(output, job);
}

/* A grouped result's spool, tagged line by line. */
static void tag_spool(struct spool *spool, const char *tag)
{
	if (spool_empty(spool))
		return;
	struct spool tagged = SPOOL_INIT;
	bool line_start = true;
	char buffer[65536];
	size_t size = spool_size(spool);
	for (size_t at = 0; at < size;) {
		size_t want = size - at < sizeof buffer ? size - at : sizeof buffer;
		errno = 0;
		size_t n = spool_read(spool, (off_t)at, buffer, want);
		if (!n) {
			tagged.error = errno ? errno : EIO;
			break;
		}
		output_tag_lines(tag, strlen(tag), &line_start, buffer, n, emit_to_spool, &tagged);
		at += n;
	}
	if (spool->error && !tagged.error)
		tagged.error = spool->error;
	spool_clear(spool);
	spool_move(spool, &tagged);
}

bool output_live_result(struct output *output, struct pool_result *result, void *token)
{
	if (output->mode == OUTPUT_GROUP) {
		if (output->tagger) {
			char *tag = output_tagger_tag(output->tagger, result->item, result->item_len, result->seq,
						      result->slot);
			tag_spool(result->out, tag);
			tag_spool(result->err, tag);
			free(tag);
		}
		return false;
	}
	uint64_t from[2];
	output_mark_begin(output, from);
	struct live_job *job = live_find(output, result->seq, true, result->item, result->item_len, result->slot);
	bool intact = live_finish_job(output, job, result);
	live_forget(output, job);
	output_mark_end(output, token, from, intact);
	return true;
}

void output_live_free(struct output *output)
{
	while (output->live_len)
		live_forget(output, &output->live[0]);
	free(output->live);
	output->live = NULL;
}
