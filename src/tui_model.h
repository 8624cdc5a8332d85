/* tui_model.h - what the terminal interface shows, apart from how it is
 * drawn: the ring of recent results, the last CPU and memory sample of each
 * slot's process tree, and the throughput history.  tui.c feeds it; the
 * drawing code only reads it.  No curses here. */
#ifndef POOLTOP_TUI_MODEL_H
#define POOLTOP_TUI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "pool.h"
#include "sample.h"
#include "tui_history.h"

/* One row of the worker table: the slot as the engine shows it, and the
 * last sample of its process tree. */
struct worker_row {
	struct slot_view view;
	double now;                /* monotonic seconds, for the time on the item */
	double cpu_percent;        /* the tree's CPU%, -1 when not known */
	uint64_t rss_bytes;        /* the tree's resident memory */
	bool sampled;              /* cpu_percent and rss_bytes belong to view.pid */
};

/* Sizes of the text a result keeps (sanitized, cut to fit). */
#define RESULT_ITEM_SIZE 256
#define RESULT_OUTPUT_SIZE 160
#define RESULT_ERROR_SIZE 128

/* One finished attempt, as the results pane keeps it. */
struct result_row {
	uint64_t seq;
	pid_t pid;
	int slot;
	int exit_code;             /* -1 when ended by a signal */
	int signal;
	int attempt;
	double runtime;
	bool failed, will_retry;
	char item[RESULT_ITEM_SIZE];      /* the item, sanitized */
	char output[RESULT_OUTPUT_SIZE];  /* first line of its output, sanitized */
	char error[RESULT_ERROR_SIZE];    /* pooltop's explanation, sanitized, or "" */
};

/* Finished attempts the results pane remembers; older ones drop off. */
#define RESULTS_KEPT 1000

/* The last sample of one slot's process tree, kept by slot index. */
struct slot_sample {
	pid_t pid;                      /* the tree root it belongs to, 0 when none */
	double cpu_percent;             /* -1 when not known */
	uint64_t rss_bytes;
	bool known;                     /* the tree was alive when read */
};

struct tui_model {
	const struct pool *pool;        /* observed: read, never driven from here */
	struct sampler *sampler;

	struct tree_usage *trees;       /* sampler input/output, one per live slot */
	size_t trees_capacity;
	int *tree_slot;                 /* slot index of each tree */
	size_t tree_slot_capacity;
	struct slot_sample *samples;    /* by slot index, as of the last sample */
	size_t samples_capacity;
	size_t sample_count;            /* samples filled */

	double total_cpu;               /* sum over all trees, -1 when none known */
	double last_sample_time;        /* monotonic seconds, 0 before the first */
	uint64_t last_done;             /* completions at the last sample */
	struct tui_history history;     /* items/s per sample, pool size changes */

	struct result_row *results;     /* a ring of RESULTS_KEPT */
	uint64_t result_count;          /* results added in all */
};

/* Starts an empty model of pool.  -1 when the process trees cannot be
 * read (libproc2 failed): there is nothing to show then. */
int tui_model_init(struct tui_model *model, const struct pool *pool);
void tui_model_free(struct tui_model *model);

/* Reads the CPU and memory of every slot's process tree at `now`
 * (monotonic seconds) and the throughput since the last sample. */
void tui_model_sample(struct tui_model *model, double now);

/* Keeps a finished attempt (its first line of output, sanitized). */
void tui_model_result_add(struct tui_model *model, const struct pool_result *result);
/* Fills a result row from an engine result (first output line, status). */
void tui_result_row_fill(struct result_row *row, const struct pool_result *result,
			 const char *first_output, size_t first_output_len);

/* Results still in the ring: at most RESULTS_KEPT. */
uint64_t tui_model_results_kept(const struct tui_model *model);
/* Result by number (1-based, in arrival order), NULL when dropped off. */
const struct result_row *tui_model_result(const struct tui_model *model, uint64_t number);
/* Result number `number` as a position from the newest (0), clamped to
 * the results kept; number 0 means the newest. */
int tui_model_result_position(const struct tui_model *model, uint64_t number);

/* Slot index's row: the engine's view now, with the last sample of its
 * tree when the sample is of the process the slot runs now. */
bool tui_model_worker_row(const struct tui_model *model, int index, double now,
			  struct worker_row *row);

#endif
