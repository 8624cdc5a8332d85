/* output_internal.h - what output.c (the queues and their writing) and
 * output_live.c (tags, and output passed on while jobs run) share; no
 * other file includes it. */
#ifndef POOLTOP_OUTPUT_INTERNAL_H
#define POOLTOP_OUTPUT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "output.h"
#include "spool.h"

/* Where a held result's bytes lie in the store. */
struct held_result {
	uint64_t seq;
	off_t out_at, out_len, err_at, err_len;
	bool intact;           /* every byte of it reached the store */
	void *token;
};

/* One spool waiting for its stream's reader. */
struct queued {
	struct queued *next;
	struct spool spool;
	off_t taken;           /* bytes of it already taken for writing */
};

/* A result's token, and where the result's bytes lie in each stream's
 * sequence of queued bytes: it comes back once both were written. */
struct token_mark {
	struct token_mark *next;
	void *token;
	uint64_t from[2], to[2];
	bool intact;           /* every byte of the result was queued */
};

struct stream {
	struct output *output;
	int std_fd;            /* 1 or 2 */
	int fd;                /* where it is written: std_fd or our own opening of it; -1 until needed */
	bool own_fd;           /* fd is our own non-blocking opening of std_fd */
	bool never_waits;      /* a regular file or block device: writes never wait for a reader */
	bool nonblocking;      /* EAGAIN means: wait for POLLOUT */
	bool watching;         /* waiting in the loop for POLLOUT */
	bool closed;           /* a write failed (reader gone, disk full): the rest is dropped */
	bool held;             /* queue everything until output_release */
	struct queued *head, *tail;
	char *chunk;           /* bytes taken from the head, being written */
	size_t chunk_at, chunk_len;
	uint64_t queued;       /* bytes ever queued */
	uint64_t done;         /* bytes written (or lost reading them back) */
	uint64_t hole_from, hole_to;  /* the bytes lost reading back lie in here */
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
	struct token_mark *tokens, *tokens_tail;  /* in the order their results were queued */
	uint64_t flush_timer;
	bool backlog_full;             /* the backlog hook was told to pause */
	void (*on_closed)(void *data); /* told once when stdout's reader is gone */
	void *on_closed_data;
	void (*on_lost)(void *data, const char *message);
	void *on_lost_data;
	void (*on_backlog)(void *data, bool full);
	void *on_backlog_data;
	void (*on_written)(void *data, void *token, bool written);
	void *on_written_data;
	void (*on_drained)(void *data); /* output_drain's caller, until all was written */
	void *on_drained_data;
	const char *lost_what;         /* what could not be done when output was first lost, or NULL */
	int lost_errno;                /* and why */
	enum output_mode mode;         /* grouped, --line-buffer or -u */
	const struct output_tagger *tagger;  /* --tag, --tagstring, or NULL */
	struct live_job *live;         /* running jobs' unfinished lines (output_live.c) */
	size_t live_len, live_cap;
};

/* Output was lost: the first loss is kept for output_error() and told. */
void output_lose(struct output *output, const char *what, int error);
/* False (and the loss told) when the spool lost bytes before it got here. */
bool output_spool_intact(struct output *output, const struct spool *spool);
/* A token's bytes: where the next bytes queued will lie, then the token
 * noted once its result's bytes were queued. */
void output_mark_begin(const struct output *output, uint64_t from[2]);
void output_mark_end(struct output *output, void *token, const uint64_t from[2], bool intact);
/* Queue bytes on a stream; false when some could not be kept. */
bool output_queue_bytes(struct stream *stream, const char *data, size_t len);
/* New bytes were queued: write them soon. */
void output_stream_kick(struct stream *stream);

/* ---- output_live.c ---- */

/* Called by output_result first: tags a grouped result's spools; in the
 * live modes, queues the job's last bytes and the token, and returns true
 * (the result is then done with). */
bool output_live_result(struct output *output, struct pool_result *result, void *token);
void output_live_free(struct output *output);

#endif
