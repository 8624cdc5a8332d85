/* output.c - grouped job output.  Small outputs are gathered in one buffer
 * and written together a few milliseconds later; with -k, results that
 * arrive early wait in a min-heap keyed by sequence number, and only they
 * are held, their bytes in one store (one spill file for them all). */
#include "output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spool.h"
#include "xalloc.h"

/* Where a held result's bytes lie in the store. */
struct held_result {
	uint64_t seq;
	off_t out_at, out_len, err_at, err_len;
};

struct stream {
	int fd;                /* 1 or 2 */
	bool closed;           /* a write failed (reader gone, disk full): drop the rest */
	char *buffer;          /* small writes gathered here (BUFFER_LIMIT bytes once used) */
	size_t len;            /* bytes gathered */
	bool held;             /* spool everything until output_release */
	struct spool hold;     /* what is held */
};

struct output {
	struct loop *loop;
	bool keep_order;
	uint64_t next_seq;             /* -k: the next sequence number to write */
	struct held_result *heap;      /* -k: results waiting for earlier ones */
	size_t heap_len, heap_cap;
	struct spool store;            /* -k: the held results' bytes, one after another */
	uint64_t *skipped;             /* -k: skipped seqs not yet reached (unsorted, few) */
	size_t skipped_len, skipped_cap;
	struct stream streams[2];      /* stdout, stderr */
	uint64_t flush_timer;
	void (*on_closed)(void *data); /* told once when stdout's reader is gone */
	void *on_closed_data;
	const char *lost_what;         /* what could not be done when output was first lost, or NULL */
	int lost_errno;                /* and why */
};

#define BUFFER_LIMIT 65536
/* Small outputs wait this long to share one write(): unnoticeable to a
 * person or a pipe reader, and it spares a system call per result. */
#define OUTPUT_FLUSH_DELAY 0.01

struct output *output_new(struct loop *loop, bool keep_order)
{
	struct output *output = xcalloc(1, sizeof *output);
	output->loop = loop;
	output->keep_order = keep_order;
	output->next_seq = 1;
	for (int i = 0; i < 2; i++) {
		output->streams[i].fd = i + 1;
		spool_init(&output->streams[i].hold);
	}
	spool_init(&output->store);
	return output;
}

/* Output was lost: the first loss is kept for output_error(). */
static void output_lost(struct output *output, const char *what, int error)
{
	if (output->lost_what)
		return;
	output->lost_what = what;
	output->lost_errno = error;
}

/* Bytes a spool lost before it got here are output lost, too. */
static void check_spool(struct output *output, const struct spool *spool)
{
	if (spool->error)
		output_lost(output, "read back output held in a temporary file", spool->error);
}

/* A write failed: the stream ends for good.  A reader that went away (as
 * with `| head`) is no loss, only the end of the run: stdout's end is
 * told.  Any other failure (a full disk, an I/O error) lost output. */
static void stream_failed(struct output *output, struct stream *stream)
{
	if (stream->closed)
		return;
	stream->closed = true;
	if (errno != EPIPE) {
		output_lost(output, stream->fd == 1 ? "write standard output" : "write standard error", errno);
		return;
	}
	if (stream == &output->streams[0] && output->on_closed)
		output->on_closed(output->on_closed_data);
}

static void stream_write(struct output *output, struct stream *stream, const void *data, size_t len)
{
	if (!stream->closed && spool_write_all(stream->fd, data, len))
		stream_failed(output, stream);
}

static void stream_flush(struct output *output, struct stream *stream)
{
	if (!stream->len)
		return;
	stream_write(output, stream, stream->buffer, stream->len);
	stream->len = 0;
}

static void flush_timer_fired(struct loop *loop, void *data)
{
	(void)loop;
	struct output *output = data;
	output->flush_timer = 0;
	stream_flush(output, &output->streams[0]);
	stream_flush(output, &output->streams[1]);
}

static void stream_append(struct output *output, struct stream *stream, const char *data, size_t len)
{
	if (stream->held) {
		spool_append(&stream->hold, data, len);
		return;
	}
	if (stream->len + len > BUFFER_LIMIT)
		stream_flush(output, stream);
	if (len > BUFFER_LIMIT) {
		stream_write(output, stream, data, len);
		return;
	}
	if (!stream->buffer)
		stream->buffer = xmalloc(BUFFER_LIMIT);
	memcpy(stream->buffer + stream->len, data, len);
	stream->len += len;
	if (!output->flush_timer)
		output->flush_timer = loop_add_timer(output->loop, OUTPUT_FLUSH_DELAY, flush_timer_fired, output);
}

/* Write a spool out; what its spill file could not give back is lost. */
static void write_spool(struct output *output, struct stream *stream, struct spool *spool)
{
	if (!stream->closed && spool_write_to(spool, stream->fd))
		stream_failed(output, stream);
	check_spool(output, spool);
}

static void stream_append_spool(struct output *output, struct stream *stream, struct spool *spool)
{
	check_spool(output, spool);
	if (spool->fd < 0) {
		stream_append(output, stream, spool->data, spool->len);
		return;
	}
	if (stream->held) {
		spool_append_spool(&stream->hold, spool);
		return;
	}
	stream_flush(output, stream);
	write_spool(output, stream, spool);
}

static void write_result(struct output *output, struct spool *out, struct spool *err)
{
	if (!spool_empty(out))
		stream_append_spool(output, &output->streams[0], out);
	if (!spool_empty(err))
		stream_append_spool(output, &output->streams[1], err);
}

/* ---- -k: a min-heap of early results ------------------------------------ */

static void heap_swap(struct held_result *a, struct held_result *b)
{
	struct held_result t = *a;
	*a = *b;
	*b = t;
}

/* Copy a result into the store and note where it lies.  Each held result
 * keeping spools of its own would hold two spill files open: a few
 * hundred early results would take every fd and the next jobs' pipes
 * would fail. */
/* The lengths are measured after copying: a spool that could not be read
 * back whole (the store's error says so) must not shift the next ones. */
static void store_result(struct output *output, struct held_result *held, const struct spool *out,
			 const struct spool *err)
{
	held->out_at = (off_t)spool_size(&output->store);
	spool_append_spool(&output->store, out);
	held->err_at = (off_t)spool_size(&output->store);
	held->out_len = held->err_at - held->out_at;
	spool_append_spool(&output->store, err);
	held->err_len = (off_t)spool_size(&output->store) - held->err_at;
}

static void heap_push(struct output *output, uint64_t seq, struct spool *out, struct spool *err)
{
	xgrow(&output->heap, &output->heap_cap, output->heap_len + 1, sizeof *output->heap);
	struct held_result held = { .seq = seq };
	store_result(output, &held, out, err);
	spool_clear(out);
	spool_clear(err);
	size_t at = output->heap_len++;
	output->heap[at] = held;
	while (at > 0 && output->heap[(at - 1) / 2].seq > output->heap[at].seq) {
		heap_swap(&output->heap[(at - 1) / 2], &output->heap[at]);
		at = (at - 1) / 2;
	}
}

static struct held_result heap_pop(struct output *output)
{
	struct held_result top = output->heap[0];
	output->heap[0] = output->heap[--output->heap_len];
	size_t at = 0;
	for (;;) {
		size_t smallest = at, left = 2 * at + 1, right = left + 1;
		if (left < output->heap_len && output->heap[left].seq < output->heap[smallest].seq)
			smallest = left;
		if (right < output->heap_len && output->heap[right].seq < output->heap[smallest].seq)
			smallest = right;
		if (smallest == at)
			break;
		heap_swap(&output->heap[at], &output->heap[smallest]);
		at = smallest;
	}
	return top;
}

static void write_stored(struct output *output, struct stream *stream, off_t from, off_t len)
{
	char buffer[65536];
	for (off_t at = from; at < from + len;) {
		size_t want = from + len - at < (off_t)sizeof buffer ? (size_t)(from + len - at) : sizeof buffer;
		errno = 0;
		size_t n = spool_read(&output->store, at, buffer, want);
		if (!n) {
			output_lost(output, "read back output held in a temporary file", errno ? errno : EIO);
			break;
		}
		stream_append(output, stream, buffer, n);
		at += (off_t)n;
	}
	spool_discard(&output->store, from, len);
}

/* Write a held result taken off the heap; the store is emptied whenever
 * nothing is held any more. */
static void write_held(struct output *output, const struct held_result *held)
{
	write_stored(output, &output->streams[0], held->out_at, held->out_len);
	write_stored(output, &output->streams[1], held->err_at, held->err_len);
	check_spool(output, &output->store);
	if (!output->heap_len)
		spool_clear(&output->store);
}

static bool skipped_contains_next(struct output *output)
{
	/* Skipped seqs are few and usually arrive in order: a linear look is enough. */
	for (size_t i = 0; i < output->skipped_len; i++)
		if (output->skipped[i] == output->next_seq) {
			output->skipped[i] = output->skipped[--output->skipped_len];
			return true;
		}
	return false;
}

static void write_ready(struct output *output)
{
	for (;;) {
		if (skipped_contains_next(output)) {
			output->next_seq++;
			continue;
		}
		if (!output->heap_len || output->heap[0].seq != output->next_seq)
			return;
		struct held_result held = heap_pop(output);
		write_held(output, &held);
		output->next_seq++;
	}
}

void output_result(struct output *output, struct pool_result *result)
{
	if (!output->keep_order) {
		write_result(output, result->out, result->err);
		return;
	}
	if (result->seq == output->next_seq) {
		write_result(output, result->out, result->err);
		output->next_seq++;
		write_ready(output);
		return;
	}
	heap_push(output, result->seq, result->out, result->err);
}

void output_skip(struct output *output, uint64_t seq)
{
	if (!output->keep_order || seq < output->next_seq)
		return;
	if (seq == output->next_seq) {
		output->next_seq++;
		write_ready(output);
		return;
	}
	xgrow(&output->skipped, &output->skipped_cap, output->skipped_len + 1, sizeof *output->skipped);
	output->skipped[output->skipped_len++] = seq;
}

void output_text(struct output *output, const char *text, size_t len)
{
	stream_append(output, &output->streams[0], text, len);
}

void output_on_closed(struct output *output, void (*fn)(void *data), void *data)
{
	output->on_closed = fn;
	output->on_closed_data = data;
}

void output_hold(struct output *output, bool stdout_too, bool stderr_too)
{
	output->streams[0].held = stdout_too;
	output->streams[1].held = stderr_too;
}

void output_release(struct output *output)
{
	for (int i = 0; i < 2; i++) {
		struct stream *stream = &output->streams[i];
		if (!stream->held)
			continue;
		stream->held = false;
		stream_flush(output, stream);
		write_spool(output, stream, &stream->hold);
		spool_clear(&stream->hold);
	}
}

void output_finish(struct output *output)
{
	while (output->heap_len) {
		struct held_result held = heap_pop(output);
		write_held(output, &held);
	}
	stream_flush(output, &output->streams[0]);
	stream_flush(output, &output->streams[1]);
}

int output_error(const struct output *output, char *message, size_t size)
{
	if (!output || !output->lost_what)
		return 0;
	snprintf(message, size, "cannot %s: %s (output was lost)", output->lost_what,
		 strerror(output->lost_errno));
	return -1;
}

void output_free(struct output *output)
{
	if (!output)
		return;
	output_finish(output);
	loop_del_timer(output->loop, output->flush_timer);
	for (int i = 0; i < 2; i++) {
		free(output->streams[i].buffer);
		spool_clear(&output->streams[i].hold);
	}
	spool_clear(&output->store);
	free(output->heap);
	free(output->skipped);
	free(output);
}
