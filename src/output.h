/* output.h - where job output goes: each job's stdout and stderr written
 * as one block each (never interleaved with another job's), in completion
 * order or input order (-k), or held while the TUI owns the terminal. */
#ifndef POOLTOP_OUTPUT_H
#define POOLTOP_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loop.h"
#include "pool.h"

struct output;

struct output *output_new(struct loop *loop, bool keep_order);
/* fn(data) is called once when stdout's reader goes away (EPIPE); what
 * is written after that is dropped. */
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
void output_free(struct output *output);

#endif
