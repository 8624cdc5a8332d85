/* feed.h - a job's standard input under --pipe / --pipepart: the item (a
 * block of the input, or a range of the file) is written to a pipe by the
 * event loop as the job drains it, never blocking the loop. */
#ifndef POOLTOP_FEED_H
#define POOLTOP_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "loop.h"

/* What the jobs of a fed pool read (pool_config.feed). */
struct feed_source {
	const char *header;      /* written before every block (--header), or NULL */
	size_t header_len;
	int file_fd;             /* --pipepart: each item is a range of this file, as
				    feed_range_text() writes it; -1: each item is the bytes */
};

/* The item text of a --pipepart block: the range [offset, offset+length). */
#define FEED_RANGE_TEXT_SIZE 48
size_t feed_range_text(char *out, size_t size, uint64_t offset, uint64_t length);

struct feed;

/* A feed of item seq (text, len as the pool holds it) from source: a pipe
 * whose read end, *job_stdin, the caller hands to the job and then closes.
 * Nothing is written before feed_start().  NULL with errno set when no pipe
 * could be made.  text must outlive the feed. */
struct feed *feed_new(struct loop *loop, const struct feed_source *source, uint64_t seq,
		      const char *text, size_t len, int *job_stdin);
/* The job runs: write what the pipe takes now, the rest as it drains; the
 * pipe is closed once all is written, or when the job stops reading
 * (EPIPE is the job's choice, as in GNU parallel, not an error). */
void feed_start(struct feed *feed);
/* Stop writing and free the feed (NULL is fine). */
void feed_free(struct feed *feed);

/* Bytes written to the job so far, and in all (the header included). */
uint64_t feed_fed_bytes(const struct feed *feed);
uint64_t feed_total_bytes(const struct feed *feed);
/* "block 3 (1.0M)": the item as people see it. */
const char *feed_label(const struct feed *feed);

#endif
