/* autotune.c - the hill climb and its driver.  The driver samples the
 * pool four times a second, lets the pool turn over after each change,
 * then measures a window of completions and asks the search what next. */
#include "autotune.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "xalloc.h"

#define TICK_SECONDS 0.25
#define WARMUP_SECONDS 0.5       /* at least this long after a change before measuring */

/* ---- the search ---------------------------------------------------------- */

void autotune_default_tuning(struct autotune_tuning *tuning, int min_jobs, int max_jobs)
{
	*tuning = (struct autotune_tuning){
		.min_jobs = min_jobs,
		.max_jobs = max_jobs,
		.gain = 0.08,
		.tolerance = 0.05,
		.shift = 0.25,
		.reprobe_windows = 8,
	};
}

void autotune_search_init(struct autotune_search *search, const struct autotune_tuning *tuning)
{
	*search = (struct autotune_search){
		.tuning = *tuning,
		.phase = AUTOTUNE_MEASURE,
		.direction = 1,
		.step = 1,
		.next_reprobe = 1,
		.reprobe_after = tuning->reprobe_windows,
	};
	if (search->tuning.min_jobs < 1)
		search->tuning.min_jobs = 1;
	if (search->tuning.max_jobs < search->tuning.min_jobs)
		search->tuning.max_jobs = search->tuning.min_jobs;
}

static int clamp_jobs(const struct autotune_search *search, long jobs)
{
	if (jobs < search->tuning.min_jobs)
		return search->tuning.min_jobs;
	if (jobs > search->tuning.max_jobs)
		return search->tuning.max_jobs;
	return (int)jobs;
}

/* A first move of about a quarter of the workers: one worker more out of
 * 16 changes too little to stand out from the noise. */
static int first_step(int jobs)
{
	return jobs >= 6 ? (jobs + 2) / 4 : 1;
}

static int settle(struct autotune_search *search)
{
	search->phase = AUTOTUNE_SETTLED;
	search->settled_windows = 0;
	search->reprobing = search->confirming = false;
	return search->base_jobs;
}

static int probe(struct autotune_search *search);

/* No move left this way: look the other way once, unless moves already
 * paid on this side (then the other side is known to be worse). */
static int turn_or_settle(struct autotune_search *search)
{
	if (search->direction > 0 && !search->climbed) {
		search->direction = -1;
		search->step = first_step(search->base_jobs);
		return probe(search);
	}
	return settle(search);
}

static int probe(struct autotune_search *search)
{
	int target = clamp_jobs(search, (long)search->base_jobs + (long)search->direction * search->step);
	if (target == search->base_jobs)
		return turn_or_settle(search);
	search->phase = AUTOTUNE_PROBE;
	search->probe_jobs = target;
	return target;
}

/* Climb from base_jobs, measured at rate: first up. */
static int start_climb(struct autotune_search *search, double rate)
{
	search->base_rate = search->reference_rate = rate;
	search->accepted = 1;
	search->direction = 1;
	search->step = first_step(search->base_jobs);
	search->climbed = search->reprobing = search->confirming = false;
	search->reprobe_after = search->tuning.reprobe_windows;
	return probe(search);
}

/* Where the search starts (or restarts after being moved): measured over
 * two windows, since every later verdict is judged against it. */
static int measure_start(struct autotune_search *search, int jobs, double rate)
{
	int inside = clamp_jobs(search, jobs);
	if (inside != jobs) {  /* outside the range: come into it first */
		search->phase = AUTOTUNE_MEASURE;
		search->measured = false;
		return inside;
	}
	if (search->phase == AUTOTUNE_MEASURE && search->measured && search->base_jobs == jobs)
		return start_climb(search, (search->first_rate + rate) / 2);
	search->phase = AUTOTUNE_MEASURE;
	search->measured = true;
	search->base_jobs = jobs;
	search->first_rate = rate;
	return jobs;
}

/* The rate a probe must reach.  More workers must pay clearly.  Fewer
 * may cost a little (they hold less memory and CPU) against the mean of
 * the rates this climb took, so the losses cannot add up.  Once settled,
 * a probe down must lose nothing, or noise would wear the count down one
 * probe at a time. */
static double probe_threshold(const struct autotune_search *search)
{
	if (search->direction > 0)
		return search->base_rate * (1 + search->tuning.gain);
	if (search->reprobing)
		return search->base_rate;
	return search->reference_rate * (1 - search->tuning.tolerance);
}

static bool probe_pays(const struct autotune_search *search, double rate)
{
	return search->direction > 0 ? rate > probe_threshold(search) : rate >= probe_threshold(search);
}

/* Close to the line one window's noise can decide: such a verdict is
 * measured again, and the two windows judged together. */
static bool marginal(const struct autotune_search *search, double rate)
{
	double line = probe_threshold(search), band = 1 + search->tuning.gain;
	return rate > line / band && rate < line * band;
}

static int take_probe(struct autotune_search *search, double rate)
{
	search->base_jobs = search->probe_jobs;
	search->base_rate = rate;
	search->accepted++;
	search->reference_rate += (rate - search->reference_rate) / search->accepted;
	search->climbed = true;
	search->reprobing = false;
	search->reprobe_after = search->tuning.reprobe_windows;
	search->step *= 2;
	return probe(search);
}

static int judge_probe(struct autotune_search *search, double rate)
{
	if (search->confirming) {
		rate = (search->first_rate + rate) / 2;
		search->confirming = false;
	} else if (marginal(search, rate)) {
		search->confirming = true;
		search->first_rate = rate;
		return search->probe_jobs;
	}
	if (probe_pays(search, rate))
		return take_probe(search, rate);
	if (search->reprobing) {  /* nothing better nearby: look less often */
		int longest = search->tuning.reprobe_windows * 4;
		search->reprobe_after = search->reprobe_after * 2 > longest ? longest : search->reprobe_after * 2;
		return settle(search);
	}
	/* A smaller step the same way, unless the bounds make it the count
	 * just turned down. */
	while (search->step > 1) {
		search->step /= 2;
		int target = clamp_jobs(search, (long)search->base_jobs + (long)search->direction * search->step);
		if (target != search->probe_jobs && target != search->base_jobs)
			return probe(search);
	}
	return turn_or_settle(search);
}

static int watch_settled(struct autotune_search *search, double rate)
{
	if (fabs(rate - search->base_rate) > search->tuning.shift * search->base_rate)
		return start_climb(search, rate);  /* the workload changed */
	search->base_rate = (search->base_rate + rate) / 2;
	if (++search->settled_windows < search->reprobe_after)
		return search->base_jobs;
	/* Now and then try the neighbours, one side at a time. */
	search->reference_rate = search->base_rate;
	search->accepted = 1;
	search->direction = search->next_reprobe;
	search->next_reprobe = -search->next_reprobe;
	search->step = first_step(search->base_jobs);
	search->climbed = true;  /* one side only */
	search->reprobing = true;
	search->settled_windows = 0;
	return probe(search);
}

int autotune_search_next(struct autotune_search *search, int jobs, double rate)
{
	if (search->phase == AUTOTUNE_PROBE && jobs == search->probe_jobs)
		return judge_probe(search, rate);
	if (search->phase == AUTOTUNE_SETTLED && jobs == search->base_jobs)
		return watch_settled(search, rate);
	return measure_start(search, jobs, rate);  /* the start, or moved by someone else */
}

bool autotune_window_full(double seconds, uint64_t completed, int jobs)
{
	return seconds >= AUTOTUNE_WINDOW_SECONDS &&
	       completed >= (uint64_t)AUTOTUNE_WINDOW_ITEMS_PER_JOB * (uint64_t)(jobs > 0 ? jobs : 1);
}

/* ---- the driver ---------------------------------------------------------- */

struct autotune {
	struct loop *loop;
	struct control *control;
	struct autotune_search search;
	autotune_note_fn *note;
	void *note_data;
	bool enabled;
	uint64_t timer;

	int jobs;                /* the count being measured */
	bool warming;            /* waiting for the pool to turn over after a change */
	double changed_at;       /* when the count last changed */
	uint64_t done_at_change; /* completions then */
	double window_start;     /* the window being measured */
	uint64_t window_done;
	int ticks, starved_ticks;/* samples in the window, and those without full work */
};

static void autotune_tick(struct loop *loop, void *data);

static void window_restart(struct autotune *autotune, const struct pool_stats *stats, double now)
{
	autotune->jobs = stats->target;
	autotune->window_start = now;
	autotune->window_done = stats->done;
	autotune->ticks = autotune->starved_ticks = 0;
}

/* After a change, retiring and new jobs first have to come and go: wait
 * for about one completion per worker. */
static void begin_warmup(struct autotune *autotune, const struct pool_stats *stats, double now)
{
	autotune->warming = true;
	autotune->changed_at = now;
	autotune->done_at_change = stats->done;
	window_restart(autotune, stats, now);
}

/* Tells the front end about a step (the --progress line shows it). */
static void note_step(struct autotune *autotune, int from, int to, double rate)
{
	if (!autotune->note)
		return;
	char text[96];
	snprintf(text, sizeof text, "autotune: jobs %d -> %d, %.1f/s at %d", from, to, rate, from);
	autotune->note(autotune->note_data, text);
}

/* What the search made of a window, for the debug log: the phase it is
 * in now says why it stays or moves. */
static const char *step_reason(const struct autotune_search *search, int from, int next)
{
	switch (search->phase) {
	case AUTOTUNE_MEASURE:
		return next == from ? "measuring where it starts" : "outside the range: moving into it";
	case AUTOTUNE_PROBE:
		if (search->confirming)
			return "close to the line: measuring the probe again";
		if (search->reprobing)
			return "settled for a while: probing a neighbour";
		if (search->base_jobs != from)
			return next > search->base_jobs ? "the probe did not pay: probing more workers"
							: "the probe did not pay: probing fewer workers";
		return next > from ? "probing more workers" : "probing fewer workers";
	case AUTOTUNE_SETTLED:
		return next == from ? "settled: holding" : "no probe paid: back to the best count";
	}
	return "";
}

static void window_judge(struct autotune *autotune, const struct pool_stats *stats, double now)
{
	double seconds = now - autotune->window_start;
	double rate = (double)(stats->done - autotune->window_done) / seconds;
	int from = autotune->jobs;
	int next = autotune_search_next(&autotune->search, from, rate);
	log_debug("autotune: %.2f/s with %d jobs over %.1f s: %s (best %d at %.2f/s), next %d", rate, from,
		  seconds, step_reason(&autotune->search, from, next), autotune->search.base_jobs,
		  autotune->search.base_rate, next);
	if (next == from) {
		window_restart(autotune, stats, now);
		return;
	}
	int now_jobs = control_autotune_jobs(autotune->control, next);
	if (now_jobs != next)
		log_debug("autotune: asked for %d jobs, the bounds gave %d", next, now_jobs);
	note_step(autotune, from, now_jobs, rate);
	struct pool_stats after;
	pool_get_stats(autotune->control->pool, &after);
	begin_warmup(autotune, &after, now);
}

static void autotune_sample(struct autotune *autotune)
{
	struct pool_stats stats;
	pool_get_stats(autotune->control->pool, &stats);
	double now = loop_now();
	if (stats.target != autotune->jobs) {  /* resized by another path: measure anew */
		log_debug("autotune: resized from %d to %d jobs by another path: measuring anew", autotune->jobs,
			  stats.target);
		begin_warmup(autotune, &stats, now);
		return;
	}
	bool starved = stats.paused || stats.suspended || stats.stopping || stats.running < stats.target;
	if (autotune->warming) {
		bool turned_over = stats.done - autotune->done_at_change >= (uint64_t)stats.target;
		if (now - autotune->changed_at >= WARMUP_SECONDS && turned_over && !starved) {
			autotune->warming = false;
			window_restart(autotune, &stats, now);
		}
		return;
	}
	autotune->ticks++;
	autotune->starved_ticks += starved;
	/* Without full work (pause, the input's end, a slow producer) the rate
	 * says nothing about the worker count. */
	if (autotune->ticks >= 4 && autotune->starved_ticks * 4 > autotune->ticks) {
		log_debug("autotune: window dropped: the pool lacked work (paused, stopping or waiting for items)");
		window_restart(autotune, &stats, now);
		return;
	}
	if (autotune_window_full(now - autotune->window_start, stats.done - autotune->window_done,
				 autotune->jobs))
		window_judge(autotune, &stats, now);
}

static void autotune_tick(struct loop *loop, void *data)
{
	struct autotune *autotune = data;
	autotune->timer = loop_add_timer(loop, TICK_SECONDS, autotune_tick, autotune);
	autotune_sample(autotune);
}

struct autotune *autotune_new(struct loop *loop, struct control *control, const struct autotune_tuning *tuning,
			      autotune_note_fn *note, void *data)
{
	struct autotune *autotune = xcalloc(1, sizeof *autotune);
	autotune->loop = loop;
	autotune->control = control;
	autotune->note = note;
	autotune->note_data = data;
	autotune_search_init(&autotune->search, tuning);
	autotune_set_enabled(autotune, true);
	return autotune;
}

void autotune_free(struct autotune *autotune)
{
	if (!autotune)
		return;
	loop_del_timer(autotune->loop, autotune->timer);
	free(autotune);
}

void autotune_set_enabled(struct autotune *autotune, bool on)
{
	if (on == autotune->enabled)
		return;
	autotune->enabled = on;
	log_debug("autotune %s, searching %d to %d jobs", on ? "on" : "off", autotune->search.tuning.min_jobs,
		  autotune->search.tuning.max_jobs);
	loop_del_timer(autotune->loop, autotune->timer);
	autotune->timer = 0;
	if (!on)
		return;
	autotune_search_init(&autotune->search, &autotune->search.tuning);
	struct pool_stats stats;
	pool_get_stats(autotune->control->pool, &stats);
	begin_warmup(autotune, &stats, loop_now());
	autotune->timer = loop_add_timer(autotune->loop, TICK_SECONDS, autotune_tick, autotune);
}

bool autotune_enabled(const struct autotune *autotune)
{
	return autotune && autotune->enabled;
}
