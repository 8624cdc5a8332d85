/* cpu_account.c - per-slot CPU and memory (see cpu_account.h): samples of
 * the slots' process trees, taken when the owner asks (once per refresh),
 * and the rusage of every reaped process in between. */
#include "cpu_account.h"

#include <limits.h>
#include <stdlib.h>

#include "loop.h"
#include "remote_sample.h"
#include "xalloc.h"

/* The hosts' figures, when slots run elsewhere (see cpu_account.h). */
static struct remote_figures *remote_figures;

void cpu_account_set_remote(struct remote_figures *figures)
{
	remote_figures = figures;
}

int cpu_account_init(struct cpu_account *account, const struct pool *pool)
{
	*account = (struct cpu_account){ .pool = pool, .total_cpu = -1, .visible_count = INT_MAX };
	account->sampler = sampler_new();
	if (!account->sampler)
		return -1;
	account->hertz = sampler_hertz(account->sampler);
	account->started = loop_now();
	return 0;
}

void cpu_account_free(struct cpu_account *account)
{
	sampler_free(account->sampler);
	free(account->trees);
	free(account->tree_slot);
	free(account->samples);
	free(account->accounts);
	*account = (struct cpu_account){ .total_cpu = -1 };
}

/* Room for `slots` trees and samples; the arrays only grow, so steady
 * sampling allocates nothing. */
static void sample_arrays_reserve(struct cpu_account *account, size_t slots)
{
	xgrow(&account->trees, &account->trees_capacity, slots, sizeof *account->trees);
	xgrow(&account->tree_slot, &account->tree_slot_capacity, slots, sizeof *account->tree_slot);
	xgrow(&account->samples, &account->samples_capacity, slots, sizeof *account->samples);
}

static struct slot_account *account_for(struct cpu_account *account, int number)
{
	if (number < 1)
		number = 0;
	if ((size_t)number >= account->accounts_capacity) {
		size_t old = account->accounts_capacity;
		xgrow(&account->accounts, &account->accounts_capacity, (size_t)number + 1,
		      sizeof *account->accounts);
		for (size_t i = old; i < account->accounts_capacity; i++)
			account->accounts[i] = (struct slot_account){ .cpu_percent = -1 };
	}
	return &account->accounts[number];
}

static double ticks_to_seconds(const struct cpu_account *account, uint64_t ticks)
{
	return account->hertz > 0 ? (double)ticks / (double)account->hertz : 0;
}

void cpu_account_reaped(struct cpu_account *account, const struct pool_reaped *reaped)
{
	struct slot_account *slot = account_for(account, reaped->slot);
	double counted = 0;
	if (slot->root == reaped->pid) {
		counted = ticks_to_seconds(account, slot->ticks_counted);
		slot->root = 0;
		slot->ticks_counted = 0;
	}
	if (reaped->cpu_seconds > counted)
		slot->reaped_seconds += reaped->cpu_seconds - counted;
	if (reaped->max_rss_bytes > slot->peak_rss)
		slot->peak_rss = reaped->max_rss_bytes;
}

/* Every slot's CPU over the interval just ended: first what was reaped in
 * it, then the growth of each live tree; their sum is the pool's. */
static void accounts_close_interval(struct cpu_account *account, double interval)
{
	for (size_t number = 0; number < account->accounts_capacity; number++) {
		struct slot_account *slot = &account->accounts[number];
		slot->cpu_percent = interval > 0 ? slot->reaped_seconds / interval * 100.0 : -1;
		slot->reaped_seconds = 0;
	}
}

static void account_live_tree(struct cpu_account *account, int number, const struct tree_usage *tree,
			      double interval)
{
	struct slot_account *slot = account_for(account, number);
	if (tree->processes <= 0)
		return;  /* gone or unreadable: its rusage settles it when it is reaped */
	uint64_t before = slot->root == tree->root ? slot->ticks_counted : 0;
	if (tree->ticks > before && interval > 0)
		slot->cpu_percent += ticks_to_seconds(account, tree->ticks - before) / interval * 100.0;
	slot->busy = tree->ticks > before;
	slot->root = tree->root;
	slot->ticks_counted = tree->ticks;
	slot->rss_bytes = tree->rss_bytes;
	if (tree->rss_bytes > slot->peak_rss)
		slot->peak_rss = tree->rss_bytes;
}

/* A job on another host: the figures of its host's last reading, CPU%
 * measured there on the host's own clock. */
static void account_remote_tree(struct cpu_account *account, int index, struct slot_sample *sample)
{
	struct slot_view view;
	struct tree_usage usage;
	sample->known = false;
	sample->rss_bytes = 0;
	if (!pool_slot_view(account->pool, index, &view) || !view.host || view.remote_pid <= 0 ||
	    !remote_figures_get(remote_figures, view.host, view.remote_pid, &usage))
		return;
	struct slot_account *slot = account_for(account, view.number);
	if (usage.cpu_percent >= 0)
		slot->cpu_percent = (slot->cpu_percent > 0 ? slot->cpu_percent : 0) + usage.cpu_percent;
	slot->busy = usage.cpu_percent > 0;
	slot->rss_bytes = usage.rss_bytes;
	if (usage.rss_bytes > slot->peak_rss)
		slot->peak_rss = usage.rss_bytes;
	sample->known = true;
	sample->rss_bytes = usage.rss_bytes;
}

void cpu_account_set_visible(struct cpu_account *account, int first, int count)
{
	account->visible_first = first;
	account->visible_count = count;
}

/* Is the slot's tree read at this sample?  Those on screen, those never
 * read, and those that used CPU at their last reading are; the other idle
 * ones take turns, one in SAMPLE_SPREAD at each sample.  Every tick is
 * still counted once: a tree's growth is counted whenever it is read, and
 * rusage settles the rest when its leader is reaped. */
static bool tree_due(struct cpu_account *account, int index, int number, pid_t pid)
{
	if (index >= account->visible_first && index - account->visible_first < account->visible_count)
		return true;
	const struct slot_account *slot = account_for(account, number);
	if (slot->root != pid || slot->busy)
		return true;
	return (unsigned long)number % SAMPLE_SPREAD == account->sample_round % SAMPLE_SPREAD;
}

/* Reads the CPU and memory of every slot's process tree (only ours, never
 * all of /proc). */
void cpu_account_sample(struct cpu_account *account, double now)
{
	int slots = pool_slot_count(account->pool);
	account->sample_count = 0;
	if (slots > 0)
		sample_arrays_reserve(account, (size_t)slots);
	size_t trees = 0;
	for (int index = 0; index < slots; index++) {
		struct slot_view view;
		if (!pool_slot_view(account->pool, index, &view))
			break;
		account->samples[index] = (struct slot_sample){ .pid = view.pid };
		account->sample_count = (size_t)index + 1;
		if (view.pid <= 0)
			continue;
		if (view.host && remote_figures) {
			/* Read on its host, one round trip per host (below). */
			account->samples[index].remote = true;
			if (view.remote_pid > 0)
				remote_figures_add(remote_figures, view.host, view.remote_pid);
			continue;
		}
		if (!tree_due(account, index, view.number, view.pid)) {
			/* Its last reading stands: an idle tree, off screen. */
			const struct slot_account *slot = account_for(account, view.number);
			account->samples[index].known = true;
			account->samples[index].rss_bytes = slot->rss_bytes;
			account->samples[index].skipped = true;
			continue;
		}
		account->trees[trees] = (struct tree_usage){ .root = view.pid };
		account->tree_slot[trees] = view.number;
		trees++;
	}
	/* A failed reading leaves every tree unknown: shown as "-". */
	sampler_update(account->sampler, account->trees, trees, now);
	double interval = now - (account->last_sample_time > 0 ? account->last_sample_time : account->started);
	accounts_close_interval(account, interval);
	account->total_rss = 0;
	size_t tree = 0;
	for (size_t index = 0; index < account->sample_count; index++) {
		struct slot_sample *sample = &account->samples[index];
		if (sample->pid <= 0)
			continue;
		if (sample->skipped) {
			account->total_rss += sample->rss_bytes;
			continue;
		}
		if (sample->remote) {
			account_remote_tree(account, (int)index, sample);
			account->total_rss += sample->rss_bytes;
			continue;
		}
		const struct tree_usage *usage = &account->trees[tree];
		account_live_tree(account, account->tree_slot[tree], usage, interval);
		sample->known = usage->processes > 0;
		sample->rss_bytes = sample->known ? usage->rss_bytes : 0;
		account->total_rss += sample->rss_bytes;
		tree++;
	}
	account->total_cpu = -1;
	for (size_t number = 0; number < account->accounts_capacity; number++)
		if (account->accounts[number].cpu_percent >= 0)
			account->total_cpu = (account->total_cpu < 0 ? 0 : account->total_cpu) +
					     account->accounts[number].cpu_percent;
	account->last_sample_time = now;
	account->sample_round++;
	if (remote_figures)
		remote_figures_request(remote_figures);
}

/* The slot's sample, if it is of the process the slot runs now. */
static const struct slot_sample *sample_for(const struct cpu_account *account, int index, pid_t pid)
{
	if (pid <= 0)
		return NULL;
	if ((size_t)index < account->sample_count && account->samples[index].pid == pid)
		return &account->samples[index];
	/* Slots before this one left since the sample: look for the pid. */
	for (size_t i = 0; i < account->sample_count; i++)
		if (account->samples[i].pid == pid)
			return &account->samples[i];
	return NULL;
}

void cpu_account_slot(const struct cpu_account *account, int index, const struct slot_view *view,
		      struct slot_usage *usage)
{
	const struct slot_sample *sample = sample_for(account, index, view->pid);
	usage->sampled = sample && sample->known;
	usage->rss_bytes = usage->sampled ? sample->rss_bytes : 0;
	const struct slot_account *slot = view->number > 0 && (size_t)view->number < account->accounts_capacity
						  ? &account->accounts[view->number] : NULL;
	usage->cpu_percent = slot ? slot->cpu_percent : -1;
	usage->peak_rss_bytes = slot ? slot->peak_rss : 0;
	if (usage->rss_bytes > usage->peak_rss_bytes)
		usage->peak_rss_bytes = usage->rss_bytes;
}
