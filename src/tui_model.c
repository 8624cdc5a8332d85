/* tui_model.c - the terminal interface's model (see tui_model.h): samples
 * of the slots' process trees taken once per refresh, the throughput
 * history they feed, and the ring of recent results. */
#include "tui_model.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "loop.h"

#include "spool.h"
#include "text.h"
#include "xalloc.h"

int tui_model_init(struct tui_model *model, const struct pool *pool)
{
	*model = (struct tui_model){ .pool = pool, .total_cpu = -1 };
	tui_history_init(&model->history);
	if (cpu_account_init(&model->account, pool))
		return -1;
	model->results = xcalloc(RESULTS_KEPT, sizeof *model->results);
	model->machine = machine_new(NULL);
	machine_read(model->machine, &model->machine_figures);  /* the start of the first interval */
	return 0;
}

void tui_model_free(struct tui_model *model)
{
	cpu_account_free(&model->account);
	machine_free(model->machine);
	free(model->results);
	process_tree_free(&model->detail);
	*model = (struct tui_model){ .total_cpu = -1 };
}

/* --- samples -------------------------------------------------------------- */

void tui_model_reaped(struct tui_model *model, const struct pool_reaped *reaped)
{
	cpu_account_reaped(&model->account, reaped);
}

/* The throughput since the last sample, with the worker count asked for. */
static void history_sample(struct tui_model *model, double now)
{
	struct pool_stats stats;
	pool_get_stats(model->pool, &stats);
	if (model->last_sample_time > 0 && now > model->last_sample_time) {
		uint64_t finished = stats.done > model->last_done ? stats.done - model->last_done : 0;
		double rate = (double)finished / (now - model->last_sample_time);
		tui_history_add(&model->history, rate, stats.target, stats.elapsed);
		tui_history_set_cpu(&model->history, model->total_cpu);
	}
	model->last_sample_time = now;
	model->last_done = stats.done;
}

/* Reads the CPU and memory of every slot's process tree (only ours, never
 * all of /proc). */
void tui_model_sample(struct tui_model *model, double now)
{
	cpu_account_sample(&model->account, now);
	model->total_cpu = model->account.total_cpu;
	machine_read(model->machine, &model->machine_figures);
	history_sample(model, now);
}

void tui_model_note_step(struct tui_model *model, int target, const char *reason)
{
	tui_history_note_reason(&model->history, target, reason);
}

void tui_model_set_visible(struct tui_model *model, int first, int count)
{
	cpu_account_set_visible(&model->account, first, count);
}

bool tui_model_worker_row(const struct tui_model *model, int index, double now,
			  struct worker_row *row)
{
	if (!pool_slot_view(model->pool, index, &row->view))
		return false;
	row->now = now;
	struct slot_usage usage;
	cpu_account_slot(&model->account, index, &row->view, &usage);
	row->sampled = usage.sampled;
	row->rss_bytes = usage.rss_bytes;
	row->cpu_percent = usage.cpu_percent;
	row->peak_rss_bytes = usage.peak_rss_bytes;
	return true;
}

/* --- the detail view's tree ---------------------------------------------- */

int tui_model_detail_read(struct tui_model *model, pid_t root, double now)
{
	return sampler_tree_read(model->account.sampler, root, now, &model->detail);
}

int tui_model_detail_signal(struct tui_model *model, pid_t root, pid_t pid, int signo, double now)
{
	if (pid <= 0 || tui_model_detail_read(model, root, now) < 0 ||
	    !process_tree_has(&model->detail, pid))
		return 1;
	return kill(pid, signo) < 0 ? -1 : 0;
}

/* --- the results ring ----------------------------------------------------- */

void tui_result_row_fill(struct result_row *row, const struct pool_result *result,
			 const char *first_output, size_t first_output_len)
{
	*row = (struct result_row){
		.seq = result->seq,
		.pid = result->pid,
		.slot = result->slot,
		.exit_code = result->exit_code,
		.signal = result->signal,
		.attempt = result->attempt,
		.runtime = result->runtime,
		.failed = result->failed,
		.will_retry = result->will_retry,
	};
	/* An item of several arguments reads as they are joined by spaces. */
	char *joined = text_join_args(result->item ? result->item : "", result->item ? result->item_len : 0);
	text_sanitize(row->item, sizeof row->item, joined, result->item ? result->item_len : 0, 0);
	free(joined);
	const char *newline = memchr(first_output, '\n', first_output_len);
	size_t line_len = newline ? (size_t)(newline - first_output) : first_output_len;
	if (line_len > 0 && first_output[line_len - 1] == '\r')
		line_len--;
	text_sanitize(row->output, sizeof row->output, first_output, line_len, 0);
	if (result->error)
		text_sanitize(row->error, sizeof row->error, result->error, strlen(result->error), 0);
}


void tui_model_result_add(struct tui_model *model, const struct pool_result *result)
{
	char first[RESULT_OUTPUT_SIZE];
	size_t length = result->out ? spool_peek(result->out, first, sizeof first) : 0;
	struct result_row *row = &model->results[model->result_count % RESULTS_KEPT];
	tui_result_row_fill(row, result, first, length);
	model->result_count++;
}

uint64_t tui_model_results_kept(const struct tui_model *model)
{
	return model->result_count < RESULTS_KEPT ? model->result_count : RESULTS_KEPT;
}

const struct result_row *tui_model_result(const struct tui_model *model, uint64_t number)
{
	if (number == 0 || number > model->result_count ||
	    number + tui_model_results_kept(model) <= model->result_count)
		return NULL;
	return &model->results[(number - 1) % RESULTS_KEPT];
}

int tui_model_result_position(const struct tui_model *model, uint64_t number)
{
	if (!number || number > model->result_count)
		return 0;
	uint64_t position = model->result_count - number;
	uint64_t kept = tui_model_results_kept(model);
	uint64_t last = kept ? kept - 1 : 0;
	return (int)(position > last ? last : position);
}
