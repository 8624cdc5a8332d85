/* feed.c - writes a --pipe block (or a --pipepart range of the file) to a
 * job's standard input from the event loop: O_NONBLOCK writes while the
 * pipe takes them, POLLOUT for the rest, then the pipe is closed. */
#include "feed.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "text.h"
#include "xalloc.h"

/* A pipe this size lets a block of the default size (1M) go in a few
 * writes; the kernel may refuse it (pipe-max-size), which only costs turns. */
#define FEED_PIPE_SIZE (1 << 20)

/* Largest single read of the file when splice() cannot be used. */
#define FEED_COPY_CHUNK (64 * 1024)

struct feed {
	struct loop *loop;
	const struct feed_source *source;
	int fd;                  /* the pipe's write end, -1 once closed */
	bool watched;            /* fd is in the loop, waiting for POLLOUT */
	const char *data;        /* --pipe: the block's bytes (the pool's item) */
	uint64_t offset;         /* --pipepart: where the range starts in the file */
	uint64_t length;         /* the block's length, header excluded */
	uint64_t fed;            /* bytes written so far, header included */
	char label[48];          /* "block 3 (1.0M)" */
};

size_t feed_range_text(char *out, size_t size, uint64_t offset, uint64_t length)
{
	int written = snprintf(out, size, "%" PRIu64 " %" PRIu64, offset, length);
	return written < 0 ? 0 : (size_t)written;
}

static void feed_close(struct feed *feed)
{
	if (feed->fd < 0)
		return;
	if (feed->watched)
		loop_del_fd(feed->loop, feed->fd);
	feed->watched = false;
	close(feed->fd);
	feed->fd = -1;
}

/* Header bytes first, then the block's own. */
static ssize_t feed_write_some(struct feed *feed)
{
	size_t header_len = feed->source->header_len;
	if (feed->fed < header_len)
		return write(feed->fd, feed->source->header + feed->fed, header_len - feed->fed);
	uint64_t done = feed->fed - header_len, left = feed->length - done;
	if (feed->source->file_fd < 0)
		return write(feed->fd, feed->data + done, left);
	/* A range of the file: splice() moves it without copying through
	 * pooltop; where it cannot, a read of a chunk, re-read as needed. */
	loff_t from = (loff_t)(feed->offset + done);
	size_t chunk = left > (uint64_t)FEED_PIPE_SIZE ? (size_t)FEED_PIPE_SIZE : (size_t)left;
	ssize_t moved = splice(feed->source->file_fd, &from, feed->fd, NULL, chunk, SPLICE_F_NONBLOCK);
	if (moved >= 0 || (errno != EINVAL && errno != ENOSYS))
		return moved;
	char buffer[FEED_COPY_CHUNK];
	if (chunk > sizeof buffer)
		chunk = sizeof buffer;
	ssize_t got = pread(feed->source->file_fd, buffer, chunk, (off_t)(feed->offset + done));
	if (got <= 0) {
		if (got == 0)
			errno = EIO;  /* the file shrank under us */
		return -1;
	}
	return write(feed->fd, buffer, (size_t)got);
}

static void feed_writable(struct loop *loop, int fd, short revents, void *data);

/* Write until the pipe is full, the block is written or the job left. */
static void feed_pump(struct feed *feed)
{
	uint64_t total = feed_total_bytes(feed);
	while (feed->fed < total) {
		ssize_t written = feed_write_some(feed);
		if (written > 0) {
			feed->fed += (uint64_t)written;
			continue;
		}
		if (written < 0 && errno == EINTR)
			continue;
		if (written < 0 && errno == EAGAIN) {
			if (!feed->watched)
				loop_add_fd(feed->loop, feed->fd, POLLOUT, feed_writable, feed);
			feed->watched = true;
			return;
		}
		/* EPIPE: the job stopped reading, which is its right. */
		log_debug("feed: %s: %s after %" PRIu64 " of %" PRIu64 " bytes", feed->label,
			  written < 0 ? strerror(errno) : "no progress", feed->fed, total);
		break;
	}
	feed_close(feed);
}

static void feed_writable(struct loop *loop, int fd, short revents, void *data)
{
	(void)loop;
	(void)fd;
	(void)revents;  /* POLLERR too: the write says EPIPE */
	feed_pump(data);
}

struct feed *feed_new(struct loop *loop, const struct feed_source *source, uint64_t seq,
		      const char *text, size_t len, int *job_stdin)
{
	uint64_t offset = 0, length = len;
	if (source->file_fd >= 0 && sscanf(text, "%" SCNu64 " %" SCNu64, &offset, &length) != 2) {
		errno = EINVAL;
		return NULL;
	}
	int fds[2];
	if (pipe2(fds, O_CLOEXEC))
		return NULL;
	if (fcntl(fds[1], F_SETFL, O_NONBLOCK)) {
		int saved = errno;
		close(fds[0]);
		close(fds[1]);
		errno = saved;
		return NULL;
	}
	(void)fcntl(fds[1], F_SETPIPE_SZ, FEED_PIPE_SIZE);  /* a bigger pipe is only faster */
	struct feed *feed = xcalloc(1, sizeof *feed);
	*feed = (struct feed){
		.loop = loop,
		.source = source,
		.fd = fds[1],
		.data = text,
		.offset = offset,
		.length = length,
	};
	char size[16];
	snprintf(feed->label, sizeof feed->label, "block %" PRIu64 " (%s)", seq,
		 format_bytes(size, sizeof size, length + source->header_len));
	*job_stdin = fds[0];
	return feed;
}

void feed_start(struct feed *feed)
{
	feed_pump(feed);
}

void feed_free(struct feed *feed)
{
	if (!feed)
		return;
	feed_close(feed);
	free(feed);
}

uint64_t feed_fed_bytes(const struct feed *feed)
{
	return feed->fed;
}

uint64_t feed_total_bytes(const struct feed *feed)
{
	return feed->source->header_len + feed->length;
}

const char *feed_label(const struct feed *feed)
{
	return feed->label;
}
