/* autotune.c - the hill climb and its driver.  The driver samples the
 * pool four times a second, lets the pool turn over after each change,
 * then measures a window of completions, the pool's CPU (from the rusage
 * of reaped jobs) and the machine's figures, and asks the search what
 * next.  A pool that overfills the cores is judged without waiting for a
 * full window. */
#include "autotune.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "autotune_hosts.h"
#include "log.h"
#include "remote.h"
#include "xalloc.h"

#define TICK_SECONDS 0.25

/* What the readings mean. */
#define CPU_WORKER_MIN 25.0      /* a worker using less of a core than this (%) mostly waits */
#define CPU_FULL 0.85            /* the pool's CPU at this share of the cores fills them */
#define BUSY_FULL 0.92           /* the machine busy at this share of its cores has none free */
#define TASK_COMPUTE_MIN 0.5     /* jobs running this share of the time they are not kept waiting compute */
#define TASK_WAIT_LINE 0.15      /* jobs waiting for a core this share of the time are kept waiting */
#define FAIR_TURN 0.7            /* a worker given this share of its turn at a core computes */
#define PRESSURE_LINE 10.0       /* PSI some avg10 (%) from which tasks wait noticeably */
#define PRESSURE_RISE 5.0        /* memory / I/O pressure this far above the climb's calm has risen */
#define PRESSURE_HIGH 40.0       /* memory pressure this high forbids growth at once */

/* ---- the search ---------------------------------------------------------- */

const char *autotune_reason_name(enum autotune_reason reason)
{
	switch (reason) {
	case AUTOTUNE_REASON_CPU:
		return "cpu";
	case AUTOTUNE_REASON_PRESSURE:
		return "pressure";
	case AUTOTUNE_REASON_THROUGHPUT:
		break;
	}
	return "throughput";
}

/* The jobs' own times say they compute: they run at least half of the
 * time they are not kept waiting for a core (schedstat). */
static bool tasks_compute(const struct autotune_reading *reading)
{
	return reading->task_compute >= TASK_COMPUTE_MIN && reading->task_wait >= 0;
}

/* The pool's CPU says its workers compute: together they fill the cores,
 * or each uses a real part of a core, or close to its turn among all
 * the tasks that want one (the load average counts them).  This also
 * sees jobs whose first process only waits for children that compute. */
static bool cpu_computes(const struct autotune_reading *reading)
{
	if (reading->pool_cpu < 0 || reading->jobs <= 0)
		return false;
	if (reading->cores > 0 && reading->pool_cpu >= CPU_FULL * reading->cores * 100.0)
		return true;
	double least = CPU_WORKER_MIN;
	if (reading->load > reading->cores && reading->cores > 0) {
		double turn = reading->cores * 100.0 / reading->load;
		if (FAIR_TURN * turn < least)
			least = FAIR_TURN * turn;
	}
	return reading->pool_cpu / reading->jobs >= least;
}

static bool reading_computes(const struct autotune_reading *reading)
{
	return tasks_compute(reading) || cpu_computes(reading);
}

/* Where a pool that overfills the cores steps down to: the workers that
 * keep every core busy, given how much of its time a job computes
 * (else the fewest that keep the pool's CPU busy, were each given a
 * whole core), and never fewer than the cores.  Workers beyond only take
 * turns on the cores, or take them from the machine's other work. */
static int cpu_target(const struct autotune_reading *reading)
{
	int fill;
	if (tasks_compute(reading))
		fill = (int)floor(reading->cores / reading->task_compute + 0.5);
	else
		fill = (int)ceil(reading->pool_cpu / 100.0 - 0.15);
	return fill > reading->cores ? fill : reading->cores;
}

bool autotune_reading_overcommitted(const struct autotune_reading *reading)
{
	if (reading->cores <= 0)
		return false;
	/* The jobs compute and wait for a core: the cores they may use are
	 * full, whoever else wants them. */
	if (tasks_compute(reading))
		return reading->task_wait >= TASK_WAIT_LINE && cpu_target(reading) < reading->jobs;
	/* Else the pool's CPU and the machine's: the pool fills the cores,
	 * or the machine has none free; without PSI a full machine is taken
	 * to make tasks wait. */
	if (!cpu_computes(reading))
		return false;
	double capacity = reading->cores * 100.0;
	bool full = reading->pool_cpu >= CPU_FULL * capacity || reading->machine_busy >= BUSY_FULL * capacity;
	bool waiting = reading->pressure.cpu < 0 || reading->pressure.cpu >= PRESSURE_LINE;
	return full && waiting && cpu_target(reading) < reading->jobs;
}

/* Memory or I/O pressure rose in this climb (or memory's is high): more
 * workers would only wait longer.  The calm levels follow the lowest seen. */
static bool pressure_rising(struct autotune_search *search, const struct autotune_reading *reading)
{
	double memory = reading->pressure.memory, io = reading->pressure.io;
	bool rising = memory >= PRESSURE_HIGH ||
		      (memory >= PRESSURE_LINE && search->calm_memory >= 0 &&
		       memory >= search->calm_memory + PRESSURE_RISE) ||
		      (io >= PRESSURE_LINE && search->calm_io >= 0 && io >= search->calm_io + PRESSURE_RISE);
	if (memory >= 0 && (search->calm_memory < 0 || memory < search->calm_memory))
		search->calm_memory = memory;
	if (io >= 0 && (search->calm_io < 0 || io < search->calm_io))
		search->calm_io = io;
	return rising;
}

void autotune_default_tuning(struct autotune_tuning *tuning, int min_jobs, int max_jobs)
{
	*tuning = (struct autotune_tuning){
		.min_jobs = min_jobs,
		.max_jobs = max_jobs,
		.gain = 0.08,
		.knee = 0.25,
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
		.base_cpu = -1,
		.calm_memory = -1,
		.calm_io = -1,
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
	search->trimming = false;
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
	/* Climbed until more stopped paying (not to the top of the range):
	 * the last move may have gone past the knee, so look for the
	 * smallest count that keeps the best rate, one worker at a time. */
	if (search->direction > 0 && search->climbed && !search->trimming && !search->reprobing &&
	    search->base_jobs < search->tuning.max_jobs) {
		search->trimming = true;
		search->direction = -1;
		search->step = 1;
		search->reference_rate = search->base_rate;
		search->accepted = 1;
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

/* Climb from base_jobs, measured by reading at rate: first up, unless
 * the pool overfills the cores (then straight down toward the workers
 * that fill them) or pressure rose (then down, never up). */
static int start_climb(struct autotune_search *search, const struct autotune_reading *reading, double rate)
{
	search->base_rate = search->reference_rate = rate;
	search->base_cpu = reading->pool_cpu;
	search->base_saturated = search->saturated;
	search->accepted = 1;
	search->direction = 1;
	search->step = first_step(search->base_jobs);
	search->climbed = search->reprobing = search->confirming = search->trimming = false;
	search->reprobe_after = search->tuning.reprobe_windows;
	search->calm_memory = reading->pressure.memory;
	search->calm_io = reading->pressure.io;
	if (search->saturated) {
		search->reason = AUTOTUNE_REASON_CPU;
		search->direction = -1;
		search->step = search->base_jobs - cpu_target(reading);
	} else if (tasks_compute(reading) && reading->task_wait >= TASK_WAIT_LINE && reading->cores > 0 &&
		   reading->jobs >= reading->cores) {
		/* As many computing jobs as cores, and they wait for one already:
		 * more cannot run. */
		search->reason = AUTOTUNE_REASON_CPU;
		return settle(search);
	} else if (search->contended) {
		search->reason = AUTOTUNE_REASON_PRESSURE;
		search->direction = -1;
	}
	return probe(search);
}

/* Where the search starts (or restarts after being moved): measured over
 * two windows, since every later verdict is judged against it; one is
 * enough when the pool overfills the cores (the verdict is plain) or
 * when its workers do not compute (their rate is steady). */
static int measure_start(struct autotune_search *search, const struct autotune_reading *reading)
{
	int jobs = reading->jobs;
	double rate = reading->rate;
	int inside = clamp_jobs(search, jobs);
	if (inside != jobs) {  /* outside the range: come into it first */
		search->phase = AUTOTUNE_MEASURE;
		search->measured = false;
		return inside;
	}
	if (search->phase == AUTOTUNE_MEASURE && search->measured && search->base_jobs == jobs)
		return start_climb(search, reading, (search->first_rate + rate) / 2);
	bool known = reading->pool_cpu >= 0 || reading->task_compute >= 0;
	if (search->saturated || (known && !reading_computes(reading))) {
		search->base_jobs = jobs;
		search->measured = false;
		return start_climb(search, reading, rate);
	}
	search->phase = AUTOTUNE_MEASURE;
	search->measured = true;
	search->base_jobs = jobs;
	search->first_rate = rate;
	return jobs;
}

/* The rate a probe must reach.  More workers must pay clearly, and in
 * proportion to how many are added: four workers added to four must raise
 * the rate by a quarter, or the pool is past its knee.  Fewer
 * may cost a little (they hold less memory and CPU) against the mean of
 * the rates this climb took, so the losses cannot add up.  Once settled,
 * a probe down must lose nothing, or noise would wear the count down one
 * probe at a time. */
static double probe_threshold(const struct autotune_search *search)
{
	if (search->direction > 0) {
		double added = (double)(search->probe_jobs - search->base_jobs) / search->base_jobs;
		double wanted = search->tuning.knee * added;
		return search->base_rate * (1 + (wanted > search->tuning.gain ? wanted : search->tuning.gain));
	}
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

static int take_probe(struct autotune_search *search, const struct autotune_reading *reading, double rate)
{
	if (search->trimming) {  /* one fewer keeps the best rate: try one fewer again */
		search->base_jobs = search->probe_jobs;
		search->base_cpu = reading->pool_cpu;
		search->base_saturated = search->saturated;
		return probe(search);
	}
	search->base_jobs = search->probe_jobs;
	search->base_rate = rate;
	search->base_cpu = reading->pool_cpu;
	search->base_saturated = search->saturated;
	search->accepted++;
	search->reference_rate += (rate - search->reference_rate) / search->accepted;
	search->climbed = true;
	search->reprobing = false;
	search->reprobe_after = search->tuning.reprobe_windows;
	/* Growth ends where the cores fill up or pressure rises. */
	if (search->direction > 0 && (search->saturated || search->contended)) {
		search->reason = search->saturated ? AUTOTUNE_REASON_CPU : AUTOTUNE_REASON_PRESSURE;
		return settle(search);
	}
	if (search->reason != AUTOTUNE_REASON_CPU)
		search->step *= 2;
	return probe(search);
}

static int judge_probe(struct autotune_search *search, const struct autotune_reading *reading)
{
	double rate = reading->rate;
	if (search->direction > 0 && (search->contended || search->saturated)) {
		/* Pressure, or more workers than the full cores: no growth. */
		search->reason = search->contended ? AUTOTUNE_REASON_PRESSURE : AUTOTUNE_REASON_CPU;
		search->reprobing = search->confirming = false;
		return settle(search);
	}
	/* Down from overfilled cores: as many workers as cores are enough
	 * (more only take turns, or take the CPU from others), and fewer
	 * that keep the pool's CPU keep its throughput: CPU-bound work costs
	 * the same per item. */
	if (search->direction < 0 && search->base_saturated &&
	    ((search->cores > 0 && search->probe_jobs >= search->cores) ||
	     (search->base_cpu > 0 && reading->pool_cpu >= (1 - search->tuning.tolerance) * search->base_cpu))) {
		search->confirming = false;
		search->reason = AUTOTUNE_REASON_CPU;
		search->step = 1;  /* close to the cores now: one fewer at a time */
		return take_probe(search, reading, rate);
	}
	if (search->confirming) {
		rate = (search->first_rate + rate) / 2;
		search->confirming = false;
	} else if (marginal(search, rate)) {
		search->confirming = true;
		search->first_rate = rate;
		return search->probe_jobs;
	}
	if (probe_pays(search, rate))
		return take_probe(search, reading, rate);
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

static int watch_settled(struct autotune_search *search, const struct autotune_reading *reading)
{
	double rate = reading->rate;
	if (fabs(rate - search->base_rate) > search->tuning.shift * search->base_rate)
		return start_climb(search, reading, rate);  /* the workload changed */
	if (search->saturated)
		return start_climb(search, reading, rate);  /* the cores overfilled since: down */
	search->base_rate = (search->base_rate + rate) / 2;
	search->base_cpu = reading->pool_cpu;
	search->base_saturated = search->saturated;
	if (++search->settled_windows < search->reprobe_after)
		return search->base_jobs;
	/* Now and then try the neighbours, one side at a time; only fewer
	 * while the cores are overfilled or pressure rose. */
	search->reference_rate = search->base_rate;
	search->accepted = 1;
	search->direction = search->next_reprobe;
	search->next_reprobe = -search->next_reprobe;
	if (search->saturated || search->contended) {
		search->direction = -1;
		search->reason = search->saturated ? AUTOTUNE_REASON_CPU : AUTOTUNE_REASON_PRESSURE;
	}
	search->step = first_step(search->base_jobs);
	search->climbed = true;  /* one side only */
	search->reprobing = true;
	search->settled_windows = 0;
	return probe(search);
}

bool autotune_search_sure(const struct autotune_search *search, const struct autotune_reading *reading)
{
	if (autotune_reading_overcommitted(reading))
		return true;
	/* A step down from overfilled cores that keeps at least the cores
	 * is taken whatever the rate (judge_probe). */
	return search->phase == AUTOTUNE_PROBE && search->direction < 0 && search->base_saturated &&
	       reading->jobs == search->probe_jobs && search->cores > 0 && search->probe_jobs >= search->cores;
}

int autotune_search_step(struct autotune_search *search, const struct autotune_reading *reading)
{
	search->saturated = autotune_reading_overcommitted(reading);
	if (reading->cores > 0)
		search->cores = reading->cores;
	search->contended = pressure_rising(search, reading);
	search->reason = AUTOTUNE_REASON_THROUGHPUT;
	int jobs = reading->jobs;
	if (search->phase == AUTOTUNE_PROBE && jobs == search->probe_jobs)
		return judge_probe(search, reading);
	if (search->phase == AUTOTUNE_SETTLED && jobs == search->base_jobs)
		return watch_settled(search, reading);
	return measure_start(search, reading);  /* the start, or moved by someone else */
}

int autotune_search_next(struct autotune_search *search, int jobs, double rate)
{
	struct autotune_reading reading = {
		.jobs = jobs,
		.rate = rate,
		.pool_cpu = -1,
		.machine_busy = -1,
		.load = -1,
		.task_compute = -1,
		.task_wait = -1,
		.pressure = { -1, -1, -1 },
	};
	return autotune_search_step(search, &reading);
}

bool autotune_window_full(double seconds, uint64_t completed, int jobs)
{
	uint64_t workers = (uint64_t)(jobs > 0 ? jobs : 1);
	uint64_t counted = workers < AUTOTUNE_WINDOW_FULL_JOBS ? workers : AUTOTUNE_WINDOW_FULL_JOBS;
	uint64_t wanted = AUTOTUNE_WINDOW_ITEMS_PER_JOB * counted;
	if (wanted < AUTOTUNE_WINDOW_ITEMS_BEYOND * workers)
		wanted = AUTOTUNE_WINDOW_ITEMS_BEYOND * workers;
	return seconds >= AUTOTUNE_WINDOW_SECONDS && completed >= wanted;
}

void autotune_window_restart(struct autotune_window *window, int jobs, uint64_t done, double now)
{
	window->jobs = jobs;
	window->start = now;
	window->done_at_start = done;
	window->ticks = window->starved_ticks = 0;
}

void autotune_window_warmup(struct autotune_window *window, int jobs, uint64_t done, double now)
{
	window->warming = true;
	window->changed_at = now;
	window->done_at_change = done;
	autotune_window_restart(window, jobs, done, now);
}

enum autotune_window_event autotune_window_tick(struct autotune_window *window, uint64_t done, bool starved,
						double now)
{
	if (window->warming) {
		bool turned_over = done - window->done_at_change >= (uint64_t)window->jobs;
		if (now - window->changed_at < AUTOTUNE_WARMUP_SECONDS || !turned_over || starved)
			return AUTOTUNE_WINDOW_WAIT;
		window->warming = false;
		autotune_window_restart(window, window->jobs, done, now);
		return AUTOTUNE_WINDOW_WARMED;
	}
	window->ticks++;
	window->starved_ticks += starved;
	/* Without full work (pause, the input's end, a slow producer) the rate
	 * says nothing about the worker count. */
	if (window->ticks >= 4 && window->starved_ticks * 4 > window->ticks) {
		autotune_window_restart(window, window->jobs, done, now);
		return AUTOTUNE_WINDOW_DROPPED;
	}
	double seconds = now - window->start;
	uint64_t completed = done - window->done_at_start;
	if (autotune_window_full(seconds, completed, window->jobs))
		return AUTOTUNE_WINDOW_FULL;
	/* Once a second, with a completion per worker in the window: a pool
	 * that overfills the cores needs no more windows to say so, nor does
	 * a step down from them to no fewer workers than cores. */
	if (seconds >= AUTOTUNE_WINDOW_SECONDS && completed >= (uint64_t)window->jobs && window->ticks % 4 == 0)
		return AUTOTUNE_WINDOW_EARLY;
	return AUTOTUNE_WINDOW_WAIT;
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

	struct autotune_window window;

	struct machine *machine; /* the machine's busy time and pressure */
	struct machine_figures machine_figures;  /* as last read */
	double reaped_cpu;       /* CPU seconds of every job reaped so far */
	double window_cpu;       /* reaped_cpu when the window began */

	struct slot_tasks *tasks;  /* by slot index: the last schedstat read of its job */
	size_t tasks_capacity;
	int next_task;           /* the slot index the next tick's reading starts at */
	double task_run, task_wait, task_span;  /* this window: seconds the jobs ran, waited
						   for a core, and were watched */

	struct autotune_hosts *hosts;  /* a pool over -S hosts: one search per host instead */
};

static void autotune_tick(struct loop *loop, void *data);

/* The jobs' own view of the CPU: how long each ran and waited for a
 * core between two ticks.  A few dozen slots a tick at most, in turn;
 * of each, the job's first process and its children, and the one of
 * them that ran or waited most counts (a shell that only waits for the
 * child doing the work does not hide it). */
struct task_times {
	pid_t pid;               /* the task read, 0 none */
	uint64_t run_ns, wait_ns;
	double at;               /* when */
};
#define TASKS_PER_TICK 32
#define TASKS_PER_SLOT 5         /* the first process and up to four children */

struct slot_tasks {
	struct task_times task[TASKS_PER_SLOT];
	int count;
};

/* The slot's tasks now into *now_tasks, and the growth of the busiest
 * since the last tick added to the window's sums. */
static void slot_tasks_read(struct autotune *autotune, pid_t leader, struct slot_tasks *tasks, double now)
{
	pid_t pids[TASKS_PER_SLOT];
	pids[0] = leader;
	int count = 1 + machine_task_children(autotune->machine, leader, pids + 1, TASKS_PER_SLOT - 1);
	struct slot_tasks fresh = { .count = 0 };
	double best_run = 0, best_wait = 0, best_span = 0;
	for (int i = 0; i < count; i++) {
		uint64_t run, wait;
		if (!machine_task_times(autotune->machine, pids[i], &run, &wait))
			continue;
		for (int j = 0; j < tasks->count; j++) {
			const struct task_times *last = &tasks->task[j];
			if (last->pid != pids[i] || run < last->run_ns || wait < last->wait_ns || now <= last->at)
				continue;
			double ran = (double)(run - last->run_ns) / 1e9, waited = (double)(wait - last->wait_ns) / 1e9;
			if (ran + waited > best_run + best_wait || best_span == 0) {
				best_run = ran;
				best_wait = waited;
				best_span = now - last->at;
			}
		}
		fresh.task[fresh.count++] = (struct task_times){ pids[i], run, wait, now };
	}
	autotune->task_run += best_run;
	autotune->task_wait += best_wait;
	autotune->task_span += best_span;
	*tasks = fresh;
}

static void tasks_read(struct autotune *autotune, double now)
{
	const struct pool *pool = autotune->control->pool;
	int slots = pool_slot_count(pool);
	if (slots <= 0)
		return;
	xgrow(&autotune->tasks, &autotune->tasks_capacity, (size_t)slots, sizeof *autotune->tasks);
	int count = slots < TASKS_PER_TICK ? slots : TASKS_PER_TICK;
	for (int i = 0; i < count; i++) {
		int index = (autotune->next_task + i) % slots;
		struct slot_view view;
		if (!pool_slot_view(pool, index, &view) || view.pid <= 0) {
			autotune->tasks[index].count = 0;
			continue;
		}
		slot_tasks_read(autotune, view.pid, &autotune->tasks[index], now);
	}
	autotune->next_task = (autotune->next_task + count) % slots;
}

/* A window began: what the driver counts besides completions starts too. */
static void window_began(struct autotune *autotune)
{
	autotune->window_cpu = autotune->reaped_cpu;
	autotune->task_run = autotune->task_wait = autotune->task_span = 0;
	machine_read(autotune->machine, &autotune->machine_figures);  /* busy is counted from here */
}

static void window_restart(struct autotune *autotune, const struct pool_stats *stats, double now)
{
	autotune_window_restart(&autotune->window, stats->target, stats->done, now);
	window_began(autotune);
}

/* What the window measured so far.  The pool's CPU is that of the jobs
 * reaped in it, from their rusage. */
static void window_reading(struct autotune *autotune, const struct pool_stats *stats, double now,
			   struct autotune_reading *reading)
{
	double seconds = now - autotune->window.start;
	struct machine_figures *machine = &autotune->machine_figures;
	machine_read(autotune->machine, machine);
	/* Watched long enough (a quarter of a second per worker) to say. */
	bool tasks_known = autotune->task_span >= 0.25 * autotune->window.jobs && autotune->task_span > 0;
	double asleep = autotune->task_span - autotune->task_run - autotune->task_wait;
	if (asleep < 0)
		asleep = 0;
	*reading = (struct autotune_reading){
		.jobs = autotune->window.jobs,
		.rate = seconds > 0 ? (double)(stats->done - autotune->window.done_at_start) / seconds : 0,
		.pool_cpu = seconds > 0 ? (autotune->reaped_cpu - autotune->window_cpu) / seconds * 100.0 : -1,
		.machine_busy = machine->busy_percent,
		.cores = machine->cores,
		.load = machine->load1,
		.task_compute = tasks_known && autotune->task_run + asleep > 0
					? autotune->task_run / (autotune->task_run + asleep) : -1,
		.task_wait = tasks_known ? autotune->task_wait / autotune->task_span : -1,
		.pressure = machine->pressure,
	};
}

/* After a change, retiring and new jobs first have to come and go: wait
 * for about one completion per worker. */
static void begin_warmup(struct autotune *autotune, const struct pool_stats *stats, double now)
{
	autotune_window_warmup(&autotune->window, stats->target, stats->done, now);
	window_began(autotune);
}

void autotune_reason_figures(const struct autotune_reading *reading, enum autotune_reason reason, char *out,
			   size_t size)
{
	switch (reason) {
	case AUTOTUNE_REASON_CPU:
		snprintf(out, size, "pool CPU %.0f%% of %d%%, machine %.0f%%, cpu pressure %.0f%%, jobs wait %.0f%%",
			 reading->pool_cpu, reading->cores * 100, reading->machine_busy, reading->pressure.cpu,
			 reading->task_wait * 100);
		return;
	case AUTOTUNE_REASON_PRESSURE:
		snprintf(out, size, "memory pressure %.0f%%, io pressure %.0f%%", reading->pressure.memory,
			 reading->pressure.io);
		return;
	case AUTOTUNE_REASON_THROUGHPUT:
		break;
	}
	snprintf(out, size, "%.1f/s at %d", reading->rate, reading->jobs);
}

/* Tells the front ends about a step (the --progress line and the history
 * line show it). */
static void note_step(struct autotune *autotune, int from, int to, const struct autotune_reading *reading)
{
	if (!autotune->note)
		return;
	enum autotune_reason reason = autotune->search.reason;
	char figures[128], text[200];
	autotune_reason_figures(reading, reason, figures, sizeof figures);
	snprintf(text, sizeof text, "autotune: jobs %d -> %d, %s: %s", from, to, autotune_reason_name(reason),
		 figures);
	struct autotune_step step = { .from = from, .to = to, .reason = reason, .text = text };
	autotune->note(autotune->note_data, &step);
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

static void window_judge(struct autotune *autotune, const struct pool_stats *stats, double now,
			 const struct autotune_reading *reading)
{
	double seconds = now - autotune->window.start;
	int from = autotune->window.jobs;
	int next = autotune_search_step(&autotune->search, reading);
	char figures[128];
	autotune_reason_figures(reading, AUTOTUNE_REASON_CPU, figures, sizeof figures);
	log_debug("autotune: %.2f/s with %d jobs over %.1f s (%s, memory pressure %.0f%%, io pressure %.0f%%): "
		  "%s: %s (best %d at %.2f/s), next %d", reading->rate, from, seconds, figures,
		  reading->pressure.memory, reading->pressure.io, autotune_reason_name(autotune->search.reason),
		  step_reason(&autotune->search, from, next), autotune->search.base_jobs,
		  autotune->search.base_rate, next);
	if (next == from) {
		window_restart(autotune, stats, now);
		return;
	}
	int now_jobs = control_autotune_jobs(autotune->control, next);
	if (now_jobs != next)
		log_debug("autotune: asked for %d jobs, the bounds gave %d", next, now_jobs);
	note_step(autotune, from, now_jobs, reading);
	struct pool_stats after;
	pool_get_stats(autotune->control->pool, &after);
	begin_warmup(autotune, &after, now);
}

static void autotune_sample(struct autotune *autotune)
{
	if (autotune->hosts) {
		autotune_hosts_tick(autotune->hosts, loop_now());
		return;
	}
	struct pool_stats stats;
	pool_get_stats(autotune->control->pool, &stats);
	double now = loop_now();
	tasks_read(autotune, now);
	if (stats.target != autotune->window.jobs) {  /* resized by another path: measure anew */
		log_debug("autotune: resized from %d to %d jobs by another path: measuring anew",
			  autotune->window.jobs, stats.target);
		begin_warmup(autotune, &stats, now);
		return;
	}
	bool starved = stats.paused || stats.suspended || stats.stopping || stats.running < stats.target;
	struct autotune_reading reading;
	switch (autotune_window_tick(&autotune->window, stats.done, starved, now)) {
	case AUTOTUNE_WINDOW_WAIT:
		return;
	case AUTOTUNE_WINDOW_DROPPED:
		log_debug("autotune: window dropped: the pool lacked work (paused, stopping or waiting for items)");
		window_began(autotune);
		return;
	case AUTOTUNE_WINDOW_WARMED:
		window_began(autotune);
		return;
	case AUTOTUNE_WINDOW_FULL:
		window_reading(autotune, &stats, now, &reading);
		window_judge(autotune, &stats, now, &reading);
		return;
	case AUTOTUNE_WINDOW_EARLY:
		window_reading(autotune, &stats, now, &reading);
		if (autotune_search_sure(&autotune->search, &reading)) {
			window_judge(autotune, &stats, now, &reading);
			return;
		}
		log_debug("autotune: %d jobs after %.1f s: pool CPU %.0f%%, machine %.0f%% of %d%%, load %.2f, "
			  "cpu pressure %.0f%%, jobs compute %.2f and wait %.2f: the window goes on",
			  reading.jobs, now - autotune->window.start, reading.pool_cpu, reading.machine_busy,
			  reading.cores * 100, reading.load, reading.pressure.cpu, reading.task_compute,
			  reading.task_wait);
		return;
	}
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
	autotune->machine = machine_new(NULL);
	autotune_search_init(&autotune->search, tuning);
	if (remote_pool_host_count(control->pool) > 0)
		autotune->hosts = autotune_hosts_new(control->pool, loop, tuning, note, data);
	autotune_set_enabled(autotune, true);
	return autotune;
}

void autotune_free(struct autotune *autotune)
{
	if (!autotune)
		return;
	loop_del_timer(autotune->loop, autotune->timer);
	machine_free(autotune->machine);
	autotune_hosts_free(autotune->hosts);
	free(autotune->tasks);
	free(autotune);
}

void autotune_reaped(struct autotune *autotune, const struct pool_reaped *reaped)
{
	if (autotune)
		autotune->reaped_cpu += reaped->cpu_seconds;
	if (autotune && autotune->hosts)
		autotune_hosts_reaped(autotune->hosts, reaped);
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
	if (autotune->hosts)
		autotune_hosts_restart(autotune->hosts, loop_now());
	struct pool_stats stats;
	pool_get_stats(autotune->control->pool, &stats);
	begin_warmup(autotune, &stats, loop_now());
	autotune->timer = loop_add_timer(autotune->loop, TICK_SECONDS, autotune_tick, autotune);
}

bool autotune_enabled(const struct autotune *autotune)
{
	return autotune && autotune->enabled;
}
