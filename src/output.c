/* output.c - grouped job output, written without ever blocking the loop.
 * Each stream (stdout, stderr) is a queue of spools that is written only
 * as fast as its reader takes it; with -k, results that arrive early wait
 * in a min-heap keyed by sequence number, their bytes in one store.  A
 * result's token (its joblog line) comes back once its bytes are written. */
#include "output.h"
#include "output_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spool.h"
#include "xalloc.h"

/* Bytes taken from a queue for one write(). */
#define CHUNK_SIZE 65536
/* Small outputs wait this long to share one write(): unnoticeable to a
 * person or a pipe reader, and it spares a system call per result... */
#define OUTPUT_FLUSH_DELAY 0.01
/* ...unless this much is waiting already. */
#define OUTPUT_FLUSH_BYTES 65536

static void stream_pump(struct stream *stream);

struct output *output_new(struct loop *loop, bool keep_order)
{
	struct output *output = xcalloc(1, sizeof *output);
	output->loop = loop;
	output->keep_order = keep_order;
	output->next_seq = 1;
	for (int i = 0; i < 2; i++) {
		output->streams[i].output = output;
		output->streams[i].std_fd = i + 1;
		output->streams[i].fd = -1;
	}
	spool_init(&output->store);
	return output;
}

/* ---- losses ----------------------------------------------------------------- */

/* Output was lost: the first loss is kept for output_error() and told. */
void output_lose(struct output *output, const char *what, int error)
{
	if (output->lost_what)
		return;
	output->lost_what = what;
	output->lost_errno = error;
	char message[512];
	output_error(output, message, sizeof message);
	if (output->on_lost)
		output->on_lost(output->on_lost_data, message);
}

/* Bytes a spool lost before it got here are output lost, too. */
bool output_spool_intact(struct output *output, const struct spool *spool)
{
	if (!spool->error)
		return true;
	if (spool->error == ENOBUFS)
		output_lose(output, "keep job output: no temporary file could be written, and the memory cap "
				    "for output was reached", spool->error);
	else
		output_lose(output, "read back output held in a temporary file", spool->error);
	return false;
}

/* ---- tokens: told once their result's bytes are written --------------------- */

static void tokens_settle(struct output *output)
{
	while (output->tokens) {
		struct token_mark *mark = output->tokens;
		bool written = mark->intact;
		for (int i = 0; i < 2; i++) {
			const struct stream *stream = &output->streams[i];
			if (mark->to[i] > mark->from[i] && mark->from[i] < stream->hole_to &&
			    mark->to[i] > stream->hole_from)
				written = false;
			if (stream->done < mark->to[i]) {
				if (!stream->closed)
					return;  /* still on its way */
				written = false;
			}
		}
		output->tokens = mark->next;
		if (!output->tokens)
			output->tokens_tail = NULL;
		if (output->on_written)
			output->on_written(output->on_written_data, mark->token, written);
		free(mark);
	}
}

/* Where the next bytes queued on each stream will lie. */
void output_mark_begin(const struct output *output, uint64_t from[2])
{
	from[0] = output->streams[0].queued;
	from[1] = output->streams[1].queued;
}

void output_mark_end(struct output *output, void *token, const uint64_t from[2], bool intact)
{
	if (!token)
		return;
	struct token_mark *mark = xcalloc(1, sizeof *mark);
	mark->token = token;
	mark->intact = intact;
	for (int i = 0; i < 2; i++) {
		mark->from[i] = from[i];
		mark->to[i] = output->streams[i].queued;
	}
	if (output->tokens_tail)
		output->tokens_tail->next = mark;
	else
		output->tokens = mark;
	output->tokens_tail = mark;
	tokens_settle(output);
}

/* ---- the backlog: too much waiting pauses the jobs' output ------------------ */

static uint64_t stream_backlog(const struct stream *stream)
{
	return stream->held || stream->closed ? 0 : stream->queued - stream->done;
}

static void backlog_update(struct output *output)
{
	uint64_t waiting = stream_backlog(&output->streams[0]) + stream_backlog(&output->streams[1]);
	bool full = output->backlog_full ? waiting > OUTPUT_QUEUE_LIMIT / 2 : waiting > OUTPUT_QUEUE_LIMIT;
	if (full == output->backlog_full)
		return;
	output->backlog_full = full;
	if (output->on_backlog)
		output->on_backlog(output->on_backlog_data, full);
}

/* ---- a stream's queue ------------------------------------------------------- */

static struct queued *queue_add(struct stream *stream)
{
	struct queued *entry = xcalloc(1, sizeof *entry);
	spool_init(&entry->spool);
	if (stream->tail)
		stream->tail->next = entry;
	else
		stream->head = entry;
	stream->tail = entry;
	return entry;
}

static void queue_pop(struct stream *stream)
{
	struct queued *entry = stream->head;
	stream->head = entry->next;
	if (!stream->head)
		stream->tail = NULL;
	spool_clear(&entry->spool);
	free(entry);
}

static void queue_drop(struct stream *stream)
{
	while (stream->head)
		queue_pop(stream);
	stream->chunk_at = stream->chunk_len = 0;
}

/* Append bytes to the last queued spool (it spills to a file when large).
 * Returns false when some could not be kept. */
bool output_queue_bytes(struct stream *stream, const char *data, size_t len)
{
	if (stream->closed) {
		stream->queued += len;  /* never written: their tokens come back unwritten */
		return true;
	}
	struct spool *tail = stream->tail ? &stream->tail->spool : &queue_add(stream)->spool;
	size_t before = spool_size(tail);
	spool_append(tail, data, len);
	size_t added = spool_size(tail) - before;
	stream->queued += added;
	bool intact = added == len && !tail->error;
	if (!intact)
		output_spool_intact(stream->output, tail);
	tail->error = 0;  /* told; what follows is judged on its own */
	return intact;
}

/* Queue a result's spool.  A spilled one is moved in whole, never copied;
 * small ones join the last queued spool, so that many small results share
 * a write.  A held stream copies everything into one spool: a long hold
 * must not keep a spill file open per result.  Returns false when bytes
 * were lost. */
static bool queue_spool(struct stream *stream, struct spool *spool)
{
	struct output *output = stream->output;
	bool intact = output_spool_intact(output, spool);
	size_t size = spool_size(spool);
	if (!size)
		return intact;
	if (stream->closed) {
		stream->queued += size;
		return intact;
	}
	if (!stream->held && (spool->fd >= 0 || spool->memory_only)) {
		struct queued *entry = queue_add(stream);
		spool_move(&entry->spool, spool);
		entry->spool.error = 0;
		stream->queued += size;
		return intact;
	}
	struct spool *tail = stream->tail ? &stream->tail->spool : &queue_add(stream)->spool;
	size_t before = spool_size(tail);
	spool_append_spool(tail, spool);
	size_t added = spool_size(tail) - before;
	stream->queued += added;
	if (added != size || (tail->error && intact)) {
		output_spool_intact(output, tail);
		intact = false;
	}
	tail->error = 0;
	return intact;
}

/* ---- writing ---------------------------------------------------------------- */

/* Open the stream for writing, once.  A pipe, FIFO or terminal is opened
 * anew through /proc: that gives a file description of our own, which can
 * be non-blocking without changing the caller's (which others share).
 * Regular files never make a writer wait.  Anything else (a socket) keeps
 * the caller's fd and is written only when poll() says it is writable. */
static void stream_open(struct stream *stream)
{
	if (stream->fd >= 0)
		return;
	stream->fd = stream->std_fd;
	struct stat st;
	if (fstat(stream->std_fd, &st) == 0) {
		if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)) {
			stream->never_waits = true;
			return;
		}
		if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
			char path[64];
			snprintf(path, sizeof path, "/proc/self/fd/%d", stream->std_fd);
			int fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
			if (fd >= 0) {
				stream->fd = fd;
				stream->own_fd = true;
				stream->nonblocking = true;
				return;
			}
		}
	}
	int flags = fcntl(stream->std_fd, F_GETFL);
	stream->nonblocking = flags >= 0 && (flags & O_NONBLOCK);
}

static void stream_writable(struct loop *loop, int fd, short revents, void *data)
{
	(void)loop;
	(void)fd;
	(void)revents;
	stream_pump(data);
}

static void stream_watch(struct stream *stream, bool on)
{
	if (on == stream->watching)
		return;
	stream->watching = on;
	if (on)
		loop_add_fd(stream->output->loop, stream->fd, POLLOUT, stream_writable, stream);
	else
		loop_del_fd(stream->output->loop, stream->fd);
}

/* A write failed: the stream ends for good and what waits is dropped.  A
 * reader that went away (as with `| head`) is no loss, only the end of the
 * run: stdout's end is told.  Any other failure (a full disk, an I/O
 * error) lost output. */
static void stream_failed(struct stream *stream, int error)
{
	struct output *output = stream->output;
	if (stream->closed)
		return;
	stream->closed = true;
	stream_watch(stream, false);
	queue_drop(stream);
	if (error == ECANCELED)
		output_lose(output, stream->std_fd == 1 ? "write all of standard output before the run was stopped"
							: "write all of standard error before the run was stopped", error);
	else if (error != EPIPE)
		output_lose(output, stream->std_fd == 1 ? "write standard output" : "write standard error", error);
	else if (stream->std_fd == 1 && output->on_closed)
		output->on_closed(output->on_closed_data);
}

/* Bytes of a spill file that cannot be read back: skipped, and noted
 * where they lay so that their results' tokens come back unwritten. */
static void stream_lost_bytes(struct stream *stream, uint64_t count, int error)
{
	if (stream->hole_to == stream->hole_from)
		stream->hole_from = stream->done;  /* the first hole; later ones widen it */
	stream->done += count;
	stream->hole_to = stream->done;
	output_lose(stream->output, "read back output held in a temporary file", error ? error : EIO);
}

/* Fill the chunk from the queue's head.  False when nothing is left. */
static bool stream_take(struct stream *stream)
{
	while (stream->chunk_at == stream->chunk_len) {
		struct queued *head = stream->head;
		if (!head)
			return false;
		off_t left = (off_t)spool_size(&head->spool) - head->taken;
		if (left <= 0) {
			queue_pop(stream);
			continue;
		}
		if (!stream->chunk)
			stream->chunk = xmalloc(CHUNK_SIZE);
		size_t want = left < CHUNK_SIZE ? (size_t)left : CHUNK_SIZE;
		errno = 0;
		size_t n = spool_read(&head->spool, head->taken, stream->chunk, want);
		if (!n) {
			stream_lost_bytes(stream, (uint64_t)left, errno);
			head->taken += left;
			continue;
		}
		/* These bytes will not be read again: give their disk space back. */
		spool_discard(&head->spool, head->taken, (off_t)n);
		head->taken += (off_t)n;
		stream->chunk_at = 0;
		stream->chunk_len = n;
	}
	return true;
}

static bool fd_writable_now(int fd)
{
	struct pollfd pollfd = { .fd = fd, .events = POLLOUT };
	return poll(&pollfd, 1, 0) > 0;
}

/* Write what the reader takes now, never waiting for it: the rest waits
 * for POLLOUT in the loop.  A blocking fd that poll() calls writable takes
 * PIPE_BUF bytes without blocking; a non-blocking one says EAGAIN. */
static void stream_write_now(struct stream *stream)
{
	bool blocking = !stream->never_waits && !stream->nonblocking;
	while (!stream->closed && !stream->held && stream_take(stream)) {
		if (blocking && !fd_writable_now(stream->fd)) {
			stream_watch(stream, true);
			return;
		}
		size_t len = stream->chunk_len - stream->chunk_at;
		if (blocking && len > PIPE_BUF)
			len = PIPE_BUF;
		ssize_t n = write(stream->fd, stream->chunk + stream->chunk_at, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			stream_watch(stream, true);
			return;
		}
		if (n <= 0) {
			stream_failed(stream, n < 0 ? errno : EIO);  /* 0: no progress, never spin on it */
			return;
		}
		stream->chunk_at += (size_t)n;
		stream->done += (uint64_t)n;
	}
	stream_watch(stream, false);
}

static bool stream_drained(const struct stream *stream)
{
	return stream->held || stream->closed || stream->done == stream->queued;
}

/* output_drain's caller is told once nothing waits any more. */
static void drained_check(struct output *output)
{
	if (!output->on_drained || !stream_drained(&output->streams[0]) || !stream_drained(&output->streams[1]))
		return;
	void (*fn)(void *data) = output->on_drained;
	output->on_drained = NULL;
	fn(output->on_drained_data);
}

static void stream_pump(struct stream *stream)
{
	if (!stream->held && !stream->closed) {
		stream_open(stream);
		stream_write_now(stream);
	}
	tokens_settle(stream->output);
	backlog_update(stream->output);
	drained_check(stream->output);
}

static void flush_timer_fired(struct loop *loop, void *data)
{
	(void)loop;
	struct output *output = data;
	output->flush_timer = 0;
	stream_pump(&output->streams[0]);
	stream_pump(&output->streams[1]);
}

/* New bytes were queued: write them soon, or at once when many wait. */
void output_stream_kick(struct stream *stream)
{
	struct output *output = stream->output;
	if (stream->held || stream->closed || stream->watching) {
		backlog_update(output);
		return;
	}
	if (stream->queued - stream->done >= OUTPUT_FLUSH_BYTES) {
		stream_pump(stream);
		return;
	}
	if (!output->flush_timer)
		output->flush_timer = loop_add_timer(output->loop, OUTPUT_FLUSH_DELAY, flush_timer_fired, output);
}

/* Write everything queued, waiting for the reader as long as it takes:
 * the end of the run, when nothing else is left to do. */
static void stream_drain(struct stream *stream)
{
	for (;;) {
		stream_pump(stream);
		if (stream->closed || stream->held || !stream_take(stream))
			break;
		struct pollfd pollfd = { .fd = stream->fd, .events = POLLOUT };
		if (poll(&pollfd, 1, -1) < 0 && errno != EINTR) {
			stream_failed(stream, errno);
			break;
		}
	}
	stream_watch(stream, false);
	tokens_settle(stream->output);
	backlog_update(stream->output);
}

/* Queue a result's stdout and stderr, then its token. */
static void write_result(struct output *output, struct spool *out, struct spool *err, void *token)
{
	uint64_t from[2];
	output_mark_begin(output, from);
	bool intact = queue_spool(&output->streams[0], out);
	intact = queue_spool(&output->streams[1], err) && intact;
	output_mark_end(output, token, from, intact);
	output_stream_kick(&output->streams[0]);
	output_stream_kick(&output->streams[1]);
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
 * would fail.  The lengths are measured after copying: a spool that could
 * not be read back whole must not shift the next ones. */
static void store_result(struct output *output, struct held_result *held, const struct spool *out,
			 const struct spool *err)
{
	held->intact = output_spool_intact(output, out) && output_spool_intact(output, err);
	held->out_at = (off_t)spool_size(&output->store);
	spool_append_spool(&output->store, out);
	held->err_at = (off_t)spool_size(&output->store);
	held->out_len = held->err_at - held->out_at;
	spool_append_spool(&output->store, err);
	held->err_len = (off_t)spool_size(&output->store) - held->err_at;
	if (held->out_len + held->err_len != (off_t)(spool_size(out) + spool_size(err)) || output->store.error) {
		output_spool_intact(output, &output->store);
		held->intact = false;
	}
	output->store.error = 0;
}

static void heap_push(struct output *output, uint64_t seq, struct spool *out, struct spool *err, void *token)
{
	xgrow(&output->heap, &output->heap_cap, output->heap_len + 1, sizeof *output->heap);
	struct held_result held = { .seq = seq, .token = token };
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

/* Queue a stored result's bytes; false when some could not be read back. */
static bool write_stored(struct output *output, struct stream *stream, off_t from, off_t len)
{
	char buffer[65536];
	bool intact = true;
	for (off_t at = from; at < from + len;) {
		size_t want = from + len - at < (off_t)sizeof buffer ? (size_t)(from + len - at) : sizeof buffer;
		errno = 0;
		size_t n = spool_read(&output->store, at, buffer, want);
		if (!n) {
			output_lose(output, "read back output held in a temporary file", errno ? errno : EIO);
			intact = false;
			break;
		}
		intact = output_queue_bytes(stream, buffer, n) && intact;
		at += (off_t)n;
	}
	spool_discard(&output->store, from, len);
	return intact;
}

/* Queue a result taken off the heap; the store is emptied whenever
 * nothing is held any more. */
static void write_held(struct output *output, const struct held_result *held)
{
	uint64_t from[2];
	output_mark_begin(output, from);
	bool intact = write_stored(output, &output->streams[0], held->out_at, held->out_len);
	intact = write_stored(output, &output->streams[1], held->err_at, held->err_len) && intact;
	output_mark_end(output, held->token, from, intact && held->intact);
	if (!output->heap_len)
		spool_clear(&output->store);
	output_stream_kick(&output->streams[0]);
	output_stream_kick(&output->streams[1]);
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

/* ---- the API ---------------------------------------------------------------- */

void output_result(struct output *output, struct pool_result *result, void *token)
{
	if (output_live_result(output, result, token))
		return;
	if (!output->keep_order) {
		write_result(output, result->out, result->err, token);
		return;
	}
	if (result->seq == output->next_seq) {
		write_result(output, result->out, result->err, token);
		output->next_seq++;
		write_ready(output);
		return;
	}
	heap_push(output, result->seq, result->out, result->err, token);
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
	output_text_to(output, 1, text, len);
}

void output_text_to(struct output *output, int stream, const char *text, size_t len)
{
	output_queue_bytes(&output->streams[stream == 2], text, len);
	output_stream_kick(&output->streams[stream == 2]);
}

void output_on_closed(struct output *output, void (*fn)(void *data), void *data)
{
	output->on_closed = fn;
	output->on_closed_data = data;
}

void output_on_lost(struct output *output, void (*fn)(void *data, const char *message), void *data)
{
	output->on_lost = fn;
	output->on_lost_data = data;
}

void output_on_backlog(struct output *output, void (*fn)(void *data, bool full), void *data)
{
	output->on_backlog = fn;
	output->on_backlog_data = data;
}

void output_on_written(struct output *output, void (*fn)(void *data, void *token, bool written), void *data)
{
	output->on_written = fn;
	output->on_written_data = data;
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
		stream_drain(stream);
	}
}

/* What -k still holds is written in input order, past the gaps. */
static void write_all_held(struct output *output)
{
	while (output->heap_len) {
		struct held_result held = heap_pop(output);
		write_held(output, &held);
	}
}

void output_drain(struct output *output, void (*fn)(void *data), void *data)
{
	write_all_held(output);
	output->on_drained = fn;
	output->on_drained_data = data;
	stream_pump(&output->streams[0]);
	stream_pump(&output->streams[1]);
}

void output_abandon(struct output *output)
{
	output->on_drained = NULL;
	for (int i = 0; i < 2; i++) {
		struct stream *stream = &output->streams[i];
		if (!stream_drained(stream))
			stream_failed(stream, ECANCELED);
	}
	tokens_settle(output);
	backlog_update(output);
}

void output_finish(struct output *output)
{
	write_all_held(output);
	loop_del_timer(output->loop, output->flush_timer);
	output->flush_timer = 0;
	stream_drain(&output->streams[0]);
	stream_drain(&output->streams[1]);
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
	for (int i = 0; i < 2; i++) {
		struct stream *stream = &output->streams[i];
		stream_watch(stream, false);
		/* What is still held was never written (the stream stayed held). */
		queue_drop(stream);
		stream->closed = true;
		if (stream->own_fd)
			close(stream->fd);
		free(stream->chunk);
	}
	tokens_settle(output);
	output_live_free(output);
	spool_clear(&output->store);
	free(output->heap);
	free(output->skipped);
	free(output);
}
