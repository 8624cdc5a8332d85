/* output.h - where job output goes: each job's stdout and stderr written
 * as one block each (never interleaved with another job's), in completion
 * order or input order (-k), or held while the TUI owns the terminal.
 * Writing never blocks the event loop: output waits in a queue until the
 * reader takes it, and a long queue asks the caller to stop reading jobs.
 * Output that cannot be written is never lost in silence. */
#ifndef POOLTOP_OUTPUT_H
#define POOLTOP_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loop.h"
#include "pool.h"

/* More than this many bytes waiting for stdout's or stderr's reader make
 * the backlog hook ask for a pause; below half of it, reading resumes. */
#define OUTPUT_QUEUE_LIMIT ((uint64_t)1024 * 1024)

struct output;
struct output_tagger;

/* How jobs' output is passed on: each job's as one block when it ends
 * (the default), complete lines as they come (--line-buffer), or bytes as
 * they come (-u).  The last two take the pool's live_output event. */
enum output_mode { OUTPUT_GROUP, OUTPUT_LINES, OUTPUT_UNGROUP };

struct output *output_new(struct loop *loop, bool keep_order);  /* never NULL */
/* fn(data) is called once when stdout's reader goes away (EPIPE); what
 * is written after that is dropped (that is no error). */
void output_on_closed(struct output *output, void (*fn)(void *data), void *data);
/* fn(data, message) is called once, when output is first lost (the same
 * message output_error() gives). */
void output_on_lost(struct output *output, void (*fn)(void *data, const char *message), void *data);
/* fn(data, true) when more than OUTPUT_QUEUE_LIMIT bytes wait for their
 * reader (stop reading jobs' output), fn(data, false) once they drained. */
void output_on_backlog(struct output *output, void (*fn)(void *data, bool full), void *data);
/* fn(data, token, written) gives back each token passed to output_result,
 * once: written is true when every byte of that result reached its
 * stream (with -k: after the results before it), false when some of it
 * was lost or dropped, or never written before output_free. */
void output_on_written(struct output *output, void (*fn)(void *data, void *token, bool written), void *data);
/* While held, everything is spooled (to temp files when large) and
 * written by output_release(); used while the TUI draws on the terminal
 * that stdout is. */
void output_hold(struct output *output, bool stdout_too, bool stderr_too);
/* Stop holding and write what was held (waiting for the reader). */
void output_release(struct output *output);
/* A final result: its spools are taken.  token (may be NULL) comes back
 * through the written hook once its output was written. */
void output_result(struct output *output, struct pool_result *result, void *token);
/* seq will never produce a result (skipped by --resume): -k moves past it. */
void output_skip(struct output *output, uint64_t seq);
/* Text of pooltop's own for stdout (the demo's lines). */
void output_text(struct output *output, const char *text, size_t len);
/* Text of pooltop's own for stream 1 (stdout) or 2 (stderr): -t's command lines. */
void output_text_to(struct output *output, int stream, const char *text, size_t len);

/* The mode (OUTPUT_GROUP until set). */
void output_set_mode(struct output *output, enum output_mode mode);
/* Tag every line of job output with tagger's tag (not owned; NULL: none). */
void output_set_tagger(struct output *output, const struct output_tagger *tagger);
/* Bytes of a running job (OUTPUT_LINES, OUTPUT_UNGROUP): passed on as the
 * mode says; its result, later, passes on the rest (the last line). */
void output_live(struct output *output, const struct pool_live_output *live);
/* An attempt that will be retried ended: its last, unfinished line is
 * passed on, so that the next attempt starts a line of its own. */
void output_attempt_retried(struct output *output, const struct pool_result *result);
/* Write whatever -k still holds (in input order), then call fn(data) once
 * the reader took everything queued on streams that are not held, or
 * they failed (at once when nothing waits): the loop goes on meanwhile. */
void output_drain(struct output *output, void (*fn)(void *data), void *data);
/* Stop waiting for the reader: what it has not taken yet is dropped, and
 * that is output lost. */
void output_abandon(struct output *output);
/* Write whatever -k still holds (in input order) and everything queued,
 * waiting for the reader as long as it takes. */
void output_finish(struct output *output);
/* 0, or -1 with a message for the user when output was lost (a stream
 * could not be written, other than to a reader gone away, or held output
 * could not be kept or read back): the run must then end with status 255.
 * After a failed write, the stream is not written again. */
int output_error(const struct output *output, char *message, size_t size);
void output_free(struct output *output);

#endif
