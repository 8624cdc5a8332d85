/* tui_model.h - what the terminal interface shows, apart from how it is
 * drawn: the ring of recent results, the last CPU and memory sample of each
 * slot's process tree, the machine's figures and the throughput history.  tui.c feeds it; the
 * drawing code only reads it.  No curses here. */
#ifndef POOLTOP_TUI_MODEL_H
#define POOLTOP_TUI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "machine.h"
#include "pool.h"
#include "cpu_account.h"
#include "tui_history.h"

/* One row of the worker table: the slot as the engine shows it, and the
 * last sample of its process tree. */
struct worker_row {
	struct slot_view view;
	double now;                /* monotonic seconds, for the time on the item */
	double cpu_percent;        /* the slot's CPU% over the last refresh interval:
				      its live tree and every process reaped in it;
				      -1 before the first sample */
	uint64_t rss_bytes;        /* the tree's resident memory */
	uint64_t peak_rss_bytes;   /* the slot's highest: samples and rusage's ru_maxrss */
	bool sampled;              /* rss_bytes belongs to view.pid */
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

struct tui_model {
	const struct pool *pool;        /* observed: read, never driven from here */
	struct cpu_account account;      /* each slot's CPU and memory */

	double total_cpu;               /* the pool's CPU% over the last interval, -1 before
					   (the account's, copied for the drawing code) */
	double last_sample_time;        /* monotonic seconds, 0 before the first */
	uint64_t last_done;             /* completions at the last sample */
	struct tui_history history;     /* items/s per sample, pool size changes */
	struct machine *machine;        /* reads the machine's figures */
	struct machine_figures machine_figures;  /* as of the last sample */

	struct result_row *results;     /* a ring of RESULTS_KEPT */
	uint64_t result_count;          /* results added in all */

	struct process_tree detail;     /* the detail view's tree, process by process */
};

/* Starts an empty model of pool.  -1 when the process trees cannot be
 * read (libproc2 failed): there is nothing to show then. */
int tui_model_init(struct tui_model *model, const struct pool *pool);
void tui_model_free(struct tui_model *model);

/* Reads the CPU and memory of every slot's process tree at `now`
 * (monotonic seconds), the throughput since the last sample and the
 * machine's figures. */
void tui_model_sample(struct tui_model *model, double now);

/* The slot indexes the screen shows now, read at every sample; the other
 * idle trees take turns (see SAMPLE_SPREAD in cpu_account.h). */
void tui_model_set_visible(struct tui_model *model, int first, int count);

/* Reads the process tree of `root` into model->detail, process by process.
 * 0, or -1 when it is gone (model->detail is empty then). */
int tui_model_detail_read(struct tui_model *model, pid_t root, double now);
/* Sends signo to pid if it is, read again now, a process of root's tree:
 * 0 when sent, 1 when pid is no longer in that tree, -1 when kill failed
 * (errno says why). */
int tui_model_detail_signal(struct tui_model *model, pid_t root, pid_t pid, int signo, double now);

/* A process of slot `reaped->slot` was reaped: its CPU joins the slot's
 * figure of the current interval, its peak memory the slot's peak. */
void tui_model_reaped(struct tui_model *model, const struct pool_reaped *reaped);

/* The next change of the pool size to `target` was made for `reason` (a
 * word such as "cpu"): its mark in the history says so. */
void tui_model_note_step(struct tui_model *model, int target, const char *reason);

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
