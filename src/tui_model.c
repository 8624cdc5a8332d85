/* tui_model.c - the terminal interface's model (see tui_model.h): samples
 * of the slots' process trees taken once per refresh, the throughput
 * history they feed, and the ring of recent results. */
#include "tui_model.h"

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
	model->sampler = sampler_new();
	if (!model->sampler)
		return -1;
	model->hertz = sampler_hertz(model->sampler);
	model->started = loop_now();
	model->results = xcalloc(RESULTS_KEPT, sizeof *model->results);
	model->machine = machine_new(NULL);
	machine_read(model->machine, &model->machine_figures);  /* the start of the first interval */
	return 0;
}

void tui_model_free(struct tui_model *model)
{
	sampler_free(model->sampler);
	machine_free(model->machine);
	free(model->trees);
	free(model->tree_slot);
	free(model->samples);
	free(model->accounts);
	free(model->results);
	*model = (struct tui_model){ .total_cpu = -1 };
}

/* --- samples -------------------------------------------------------------- */

/* Room for `slots` trees and samples; the arrays only grow, so steady
 * sampling allocates nothing. */
static void sample_arrays_reserve(struct tui_model *model, size_t slots)
{
	xgrow(&model->trees, &model->trees_capacity, slots, sizeof *model->trees);
	xgrow(&model->tree_slot, &model->tree_slot_capacity, slots, sizeof *model->tree_slot);
	xgrow(&model->samples, &model->samples_capacity, slots, sizeof *model->samples);
}

static struct slot_account *account_for(struct tui_model *model, int number)
{
	if (number < 1)
		number = 0;
	if ((size_t)number >= model->accounts_capacity) {
		size_t old = model->accounts_capacity;
		xgrow(&model->accounts, &model->accounts_capacity, (size_t)number + 1, sizeof *model->accounts);
		for (size_t i = old; i < model->accounts_capacity; i++)
			model->accounts[i].cpu_percent = -1;
	}
	return &model->accounts[number];
}

static double ticks_to_seconds(const struct tui_model *model, uint64_t ticks)
{
	return model->hertz > 0 ? (double)ticks / (double)model->hertz : 0;
}

void tui_model_reaped(struct tui_model *model, const struct pool_reaped *reaped)
{
	struct slot_account *account = account_for(model, reaped->slot);
	double counted = 0;
	if (account->root == reaped->pid) {
		counted = ticks_to_seconds(model, account->ticks_counted);
		account->root = 0;
		account->ticks_counted = 0;
	}
	if (reaped->cpu_seconds > counted)
		account->reaped_seconds += reaped->cpu_seconds - counted;
	if (reaped->max_rss_bytes > account->peak_rss)
		account->peak_rss = reaped->max_rss_bytes;
}

/* Every slot's CPU over the interval just ended: first what was reaped in
 * it, then the growth of each live tree; their sum is the pool's. */
static void accounts_close_interval(struct tui_model *model, double interval)
{
	for (size_t number = 0; number < model->accounts_capacity; number++) {
		struct slot_account *account = &model->accounts[number];
		account->cpu_percent = interval > 0 ? account->reaped_seconds / interval * 100.0 : -1;
		account->reaped_seconds = 0;
	}
}

static void account_live_tree(struct tui_model *model, int number, const struct tree_usage *tree,
			      double interval)
{
	struct slot_account *account = account_for(model, number);
	if (tree->processes <= 0)
		return;  /* gone or unreadable: its rusage settles it when it is reaped */
	uint64_t before = account->root == tree->root ? account->ticks_counted : 0;
	if (tree->ticks > before && interval > 0)
		account->cpu_percent += ticks_to_seconds(model, tree->ticks - before) / interval * 100.0;
	account->root = tree->root;
	account->ticks_counted = tree->ticks;
	if (tree->rss_bytes > account->peak_rss)
		account->peak_rss = tree->rss_bytes;
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
	}
	model->last_sample_time = now;
	model->last_done = stats.done;
}

/* Reads the CPU and memory of every slot's process tree (only ours, never
 * all of /proc). */
void tui_model_sample(struct tui_model *model, double now)
{
	int slots = pool_slot_count(model->pool);
	model->sample_count = 0;
	if (slots > 0)
		sample_arrays_reserve(model, (size_t)slots);
	size_t trees = 0;
	for (int index = 0; index < slots; index++) {
		struct slot_view view;
		if (!pool_slot_view(model->pool, index, &view))
			break;
		model->samples[index] = (struct slot_sample){ .pid = view.pid };
		model->sample_count = (size_t)index + 1;
		if (view.pid <= 0)
			continue;
		model->trees[trees] = (struct tree_usage){ .root = view.pid };
		model->tree_slot[trees] = view.number;
		trees++;
	}
	/* A failed reading leaves every tree unknown: shown as "-". */
	sampler_update(model->sampler, model->trees, trees, now);
	double interval = now - (model->last_sample_time > 0 ? model->last_sample_time : model->started);
	accounts_close_interval(model, interval);
	size_t tree = 0;
	for (size_t index = 0; index < model->sample_count; index++) {
		struct slot_sample *sample = &model->samples[index];
		if (sample->pid <= 0)
			continue;
		const struct tree_usage *usage = &model->trees[tree];
		account_live_tree(model, model->tree_slot[tree], usage, interval);
		sample->known = usage->processes > 0;
		sample->rss_bytes = sample->known ? usage->rss_bytes : 0;
		tree++;
	}
	model->total_cpu = -1;
	for (size_t number = 0; number < model->accounts_capacity; number++)
		if (model->accounts[number].cpu_percent >= 0)
			model->total_cpu = (model->total_cpu < 0 ? 0 : model->total_cpu) +
					   model->accounts[number].cpu_percent;
	machine_read(model->machine, &model->machine_figures);
	history_sample(model, now);
}

void tui_model_note_step(struct tui_model *model, int target, const char *reason)
{
	tui_history_note_reason(&model->history, target, reason);
}

/* The slot's sample, if it is of the process the slot runs now. */
static const struct slot_sample *sample_for(const struct tui_model *model, int index, pid_t pid)
{
	if (pid <= 0)
		return NULL;
	if ((size_t)index < model->sample_count && model->samples[index].pid == pid)
		return &model->samples[index];
	/* Slots before this one left since the sample: look for the pid. */
	for (size_t i = 0; i < model->sample_count; i++)
		if (model->samples[i].pid == pid)
			return &model->samples[i];
	return NULL;
}

bool tui_model_worker_row(const struct tui_model *model, int index, double now,
			  struct worker_row *row)
{
	if (!pool_slot_view(model->pool, index, &row->view))
		return false;
	row->now = now;
	const struct slot_sample *sample = sample_for(model, index, row->view.pid);
	row->sampled = sample && sample->known;
	row->rss_bytes = row->sampled ? sample->rss_bytes : 0;
	const struct slot_account *account = (size_t)row->view.number < model->accounts_capacity
						     ? &model->accounts[row->view.number] : NULL;
	row->cpu_percent = account ? account->cpu_percent : -1;
	row->peak_rss_bytes = account ? account->peak_rss : 0;
	if (row->rss_bytes > row->peak_rss_bytes)
		row->peak_rss_bytes = row->rss_bytes;
	return true;
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
	text_sanitize(row->item, sizeof row->item, result->item ? result->item : "",
		      result->item ? result->item_len : 0, 0);
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
