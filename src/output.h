/* output.h - where job output goes: each job's stdout and stderr written
 * as one block each (never interleaved with another job's), in completion
 * order or input order (-k), or held while the TUI owns the terminal.
 * Output that cannot be written is never lost in silence: output_error()
 * tells the caller. */
#ifndef POOLTOP_OUTPUT_H
#define POOLTOP_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loop.h"
#include "pool.h"

struct output;

struct output *output_new(struct loop *loop, bool keep_order);  /* never NULL */
/* fn(data) is called once when stdout's reader goes away (EPIPE); what
 * is written after that is dropped (that is no error). */
void output_on_closed(struct output *output, void (*fn)(void *data), void *data);
/* While held, everything is spooled (to temp files when large) and
 * written by output_release(); used while the TUI draws on the terminal
 * that stdout is. */
void output_hold(struct output *output, bool stdout_too, bool stderr_too);
void output_release(struct output *output);
/* A final result: its spools are taken. */
void output_result(struct output *output, struct pool_result *result);
/* seq will never produce a result (skipped by --resume): -k moves past it. */
void output_skip(struct output *output, uint64_t seq);
/* Text of pooltop's own for stdout (the demo's lines). */
void output_text(struct output *output, const char *text, size_t len);
/* Write whatever -k still holds (in input order) and everything buffered. */
void output_finish(struct output *output);
/* 0, or -1 with a message for the user when output was lost (a stream
 * could not be written, other than to a reader gone away, or held output
 * could not be read back): the run must then end with status 255.  After
 * a failed write, the stream is not written again. */
int output_error(const struct output *output, char *message, size_t size);
void output_free(struct output *output);

#endif
