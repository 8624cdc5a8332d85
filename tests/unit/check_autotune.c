/* check_autotune.c - unit tests of the autotune search, fed windows from
 * model workloads: CPU-bound on two cores, sleep-bound, flat, noisy, and
 * one that changes under it; then fed whole readings (the pool's CPU, the
 * machine's busy time and pressure) of machines made up here: a pool that
 * overfills two cores, one that sleeps, one held by a lock of four, and
 * one that drives memory or I/O pressure up. */
#include "autotune.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

/* Items per second a workload gives with `jobs` workers. */
typedef double workload_fn(int jobs);

/* Ten items/s per core, two cores, a little lost to switching beyond. */
static double cpu_bound(int jobs)
{
	if (jobs <= 2)
		return 10.0 * jobs;
	return 20.0 * (1 - 0.002 * (jobs - 2));
}

/* Each worker sleeps: throughput grows with every worker. */
static double sleep_bound(int jobs)
{
	return 10.0 * jobs;
}

/* One shared resource: more workers change nothing. */
static double flat(int jobs)
{
	(void)jobs;
	return 50.0;
}

/* Best at 6, worse on either side. */
static double peaked_at_six(int jobs)
{
	int distance = jobs > 6 ? jobs - 6 : 6 - jobs;
	return 100.0 - 12.0 * distance;
}

/* Deterministic noise in [-amplitude, +amplitude]. */
static unsigned noise_state = 12345;
static double noise(double amplitude)
{
	noise_state = noise_state * 1103515245u + 12345u;
	double unit = (double)((noise_state >> 8) & 0xffff) / 65535.0;
	return (unit * 2 - 1) * amplitude;
}

struct run {
	int jobs;             /* where the pool ended */
	int moves;            /* how many times the count changed */
	int lowest, highest;  /* the range visited */
};

/* Feed `windows` windows of workload (with relative noise) from start. */
static struct run tune(struct autotune_search *search, workload_fn *workload, int start, int windows,
		       double noise_amplitude)
{
	struct run run = { .jobs = start, .lowest = start, .highest = start };
	for (int i = 0; i < windows; i++) {
		double rate = workload(run.jobs) * (1 + noise(noise_amplitude));
		int next = autotune_search_next(search, run.jobs, rate);
		if (next != run.jobs)
			run.moves++;
		run.jobs = next;
		if (next < run.lowest)
			run.lowest = next;
		if (next > run.highest)
			run.highest = next;
	}
	return run;
}

static struct autotune_search new_search(int min_jobs, int max_jobs)
{
	struct autotune_tuning tuning;
	autotune_default_tuning(&tuning, min_jobs, max_jobs);
	struct autotune_search search;
	autotune_search_init(&search, &tuning);
	return search;
}

START_TEST(a_cpu_bound_workload_on_two_cores_settles_at_two_or_three)
{
	int starts[] = { 1, 2, 3, 8, 32, 64 };
	for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
		struct autotune_search search = new_search(1, 64);
		tune(&search, cpu_bound, starts[i], 40, 0);
		ck_assert_msg(search.base_jobs >= 2 && search.base_jobs <= 3, "from %d it settled at %d", starts[i],
			      search.base_jobs);
	}
}
END_TEST

START_TEST(a_sleep_bound_workload_climbs_to_the_maximum)
{
	struct autotune_search search = new_search(1, 64);
	struct run run = tune(&search, sleep_bound, 1, 12, 0);
	ck_assert_int_eq(run.jobs, 64);
	/* Steps double while they pay: 1, 2, 4, 8, 16, 32, 64 is six moves. */
	ck_assert_int_le(run.moves, 6);
}
END_TEST

START_TEST(with_five_percent_noise_the_answers_hold)
{
	for (unsigned seed = 1; seed <= 50; seed++) {
		noise_state = seed;
		struct autotune_search search = new_search(1, 32);
		tune(&search, cpu_bound, 1 + (int)(seed % 8), 60, 0.05);
		ck_assert_msg(search.base_jobs >= 2 && search.base_jobs <= 3, "seed %u: CPU-bound settled at %d",
			      seed, search.base_jobs);
		search = new_search(1, 32);
		tune(&search, sleep_bound, 1 + (int)(seed % 8), 30, 0.05);
		ck_assert_msg(search.base_jobs >= 28, "seed %u: sleep-bound stopped at %d", seed,
			      search.base_jobs);
	}
}
END_TEST

START_TEST(the_search_never_leaves_its_range)
{
	struct autotune_search search = new_search(3, 10);
	struct run run = tune(&search, sleep_bound, 3, 60, 0.05);
	ck_assert_int_ge(run.lowest, 3);
	ck_assert_int_le(run.highest, 10);
	ck_assert_int_eq(search.base_jobs, 10);
	search = new_search(3, 10);
	run = tune(&search, flat, 5, 60, 0.05);
	ck_assert_int_ge(run.lowest, 3);
	ck_assert_int_le(run.highest, 10);
}
END_TEST

START_TEST(the_start_is_measured_twice_and_comes_into_the_range_first)
{
	struct autotune_search search = new_search(4, 8);
	ck_assert_int_eq(autotune_search_next(&search, 1, 10.0), 4);
	ck_assert_int_eq(autotune_search_next(&search, 4, 40.0), 4);
	ck_assert_int_eq(autotune_search_next(&search, 4, 40.0), 5);
	search = new_search(4, 8);
	ck_assert_int_eq(autotune_search_next(&search, 20, 10.0), 8);
}
END_TEST

START_TEST(when_more_workers_do_not_pay_fewer_are_kept)
{
	struct autotune_search search = new_search(1, 64);
	struct run run = tune(&search, flat, 16, 60, 0);
	ck_assert_int_eq(search.base_jobs, 1);
	ck_assert_int_le(run.highest, 20);  /* a quarter more at most */
}
END_TEST

START_TEST(it_finds_a_peak_in_the_middle_from_either_side)
{
	int starts[] = { 1, 3, 6, 10, 20 };
	for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
		struct autotune_search search = new_search(1, 32);
		tune(&search, peaked_at_six, starts[i], 40, 0);
		ck_assert_msg(search.base_jobs == 6, "from %d it settled at %d", starts[i], search.base_jobs);
	}
}
END_TEST

START_TEST(noise_below_the_threshold_does_not_move_a_settled_count)
{
	struct autotune_search search = new_search(1, 64);
	struct run run = tune(&search, cpu_bound, 2, 10, 0);
	ck_assert(search.phase == AUTOTUNE_SETTLED);
	int settled = run.jobs;
	/* With 3% noise, only the periodic probes move it, one worker away
	 * and back. */
	run = tune(&search, cpu_bound, settled, 80, 0.03);
	ck_assert_int_ge(run.lowest, settled - 1);
	ck_assert_int_le(run.highest, settled + 1);
	ck_assert_int_ge(search.base_jobs, 2);
	ck_assert_int_le(search.base_jobs, 3);
	ck_assert_int_le(run.moves, 80 / search.tuning.reprobe_windows * 2 + 2);
}
END_TEST

/* Settled windows at jobs until the search proposes another count. */
static int windows_until_a_probe(struct autotune_search *search, int jobs)
{
	int windows = 1;
	while (autotune_search_next(search, jobs, cpu_bound(jobs)) == jobs && windows < 1000)
		windows++;
	return windows;
}

START_TEST(a_settled_search_probes_a_neighbour_less_often_while_none_pays)
{
	struct autotune_search search = new_search(1, 64);
	/* Measured at 2; 2 -> 3 fails, 2 -> 1 fails: settled at 2. */
	ck_assert_int_eq(autotune_search_next(&search, 2, cpu_bound(2)), 2);
	ck_assert_int_eq(autotune_search_next(&search, 2, cpu_bound(2)), 3);
	ck_assert_int_eq(autotune_search_next(&search, 3, cpu_bound(3)), 1);
	ck_assert_int_eq(autotune_search_next(&search, 1, cpu_bound(1)), 2);
	ck_assert(search.phase == AUTOTUNE_SETTLED);
	int every = search.tuning.reprobe_windows;
	int expected[] = { every, every * 2, every * 4, every * 4 };
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
		ck_assert_int_eq(windows_until_a_probe(&search, 2), expected[i]);
		ck_assert(search.phase == AUTOTUNE_PROBE);
		/* One worker away, alternating sides; it does not pay: back to 2. */
		ck_assert_int_eq(search.probe_jobs, i % 2 ? 1 : 3);
		int probe = search.probe_jobs;
		ck_assert_int_eq(autotune_search_next(&search, probe, cpu_bound(probe)), 2);
		ck_assert(search.phase == AUTOTUNE_SETTLED);
	}
}
END_TEST

/* The workload changes from CPU-bound to sleep-bound: the rate jump
 * restarts the climb. */
static int shifts_at;
static int shift_window;
static double cpu_then_sleep(int jobs)
{
	return shift_window++ < shifts_at ? cpu_bound(jobs) : sleep_bound(jobs) * 2;
}

START_TEST(a_shift_in_throughput_restarts_the_search)
{
	struct autotune_search search = new_search(1, 32);
	shifts_at = 15;
	shift_window = 0;
	struct run run = tune(&search, cpu_then_sleep, 2, 15, 0);
	ck_assert_int_le(run.jobs, 3);
	run = tune(&search, cpu_then_sleep, run.jobs, 15, 0);
	ck_assert_int_eq(run.jobs, 32);
}
END_TEST

START_TEST(being_moved_by_someone_else_starts_a_new_climb)
{
	struct autotune_search search = new_search(1, 64);
	tune(&search, cpu_bound, 2, 10, 0);
	ck_assert(search.phase == AUTOTUNE_SETTLED);
	/* Measured at 9 though it settled elsewhere: measure 9 again, then
	 * climb from it (9 has a first step of 2). */
	ck_assert_int_eq(autotune_search_next(&search, 9, cpu_bound(9)), 9);
	ck_assert(search.phase == AUTOTUNE_MEASURE);
	ck_assert_int_eq(autotune_search_next(&search, 9, cpu_bound(9)), 11);
	ck_assert_int_eq(search.base_jobs, 9);
}
END_TEST

START_TEST(min_equal_to_max_never_moves)
{
	struct autotune_search search = new_search(4, 4);
	struct run run = tune(&search, sleep_bound, 4, 30, 0.1);
	ck_assert_int_eq(run.moves, 0);
	ck_assert_int_eq(run.jobs, 4);
}
END_TEST

START_TEST(a_window_holds_a_second_and_a_half_and_enough_completions)
{
	ck_assert(!autotune_window_full(1.4, 1000, 2));
	ck_assert(!autotune_window_full(1.5, 9, 2));
	ck_assert(autotune_window_full(1.5, 10, 2));
	ck_assert(!autotune_window_full(30.0, 39, 8));
	ck_assert(autotune_window_full(30.0, 40, 8));
	/* Beyond eight workers, 40 completions, and two per worker past 20. */
	ck_assert(!autotune_window_full(30.0, 39, 16));
	ck_assert(autotune_window_full(30.0, 40, 16));
	ck_assert(!autotune_window_full(30.0, 127, 64));
	ck_assert(autotune_window_full(30.0, 128, 64));
}
END_TEST


/* ---- whole readings ------------------------------------------------------- */

/* What a made-up machine of two cores shows with `jobs` workers. */
typedef void machine_fn(int jobs, struct autotune_reading *reading);

static void idle_two_cores(int jobs, struct autotune_reading *reading, double rate, double pool_cpu)
{
	*reading = (struct autotune_reading){
		.jobs = jobs,
		.rate = rate,
		.pool_cpu = pool_cpu,
		.machine_busy = pool_cpu + 3 > 200 ? 200 : pool_cpu + 3,
		.cores = 2,
		.load = pool_cpu / 100,
		.task_compute = pool_cpu / jobs / 100,
		.task_wait = 0.01,
		.pressure = { 2, 0, 1 },
	};
}

/* 0.6 s of CPU per item: two workers fill the cores; beyond, they wait
 * for a core (cpu pressure near 100%) and nothing is gained. */
static void computing(int jobs, struct autotune_reading *reading)
{
	int busy = jobs < 2 ? jobs : 2;
	idle_two_cores(jobs, reading, busy / 0.6, busy * 99.0);
	reading->task_compute = 0.99;
	if (jobs > 2) {
		reading->pressure.cpu = 95;
		reading->task_wait = 1 - 2.0 / jobs;
	}
}

/* The same on a machine where seven other processes compute: each
 * worker gets its turn among them all, so more workers take more of the
 * cores, and the machine is full whatever the pool does. */
static void computing_among_others(int jobs, struct autotune_reading *reading)
{
	double share = 200.0 * jobs / (jobs + 7);
	idle_two_cores(jobs, reading, share / 100 / 0.6, share);
	reading->machine_busy = 200;
	reading->load = jobs + 7;
	reading->task_compute = 0.99;
	reading->task_wait = 1 - share / jobs / 100;
	reading->pressure.cpu = 99;
}

/* The same without PSI (an older kernel) and without the jobs' own
 * times: the machine's figures alone. */
static void computing_without_psi(int jobs, struct autotune_reading *reading)
{
	computing(jobs, reading);
	reading->pressure = (struct machine_pressure){ -1, -1, -1 };
	reading->task_compute = reading->task_wait = -1;
}

/* Computing in a child of each job's shell: the shell (the process
 * whose times are read) only waits, the pool's CPU tells the truth. */
static void computing_in_a_child(int jobs, struct autotune_reading *reading)
{
	computing(jobs, reading);
	reading->task_compute = 0.01;
	reading->task_wait = 0;
}

/* Computing on two cores of which the pool may use only a share (a
 * control group's, say): the machine is full, the pool's CPU is low,
 * and the jobs wait for a core most of the time. */
static void computing_in_a_small_share(int jobs, struct autotune_reading *reading)
{
	idle_two_cores(jobs, reading, 0.5 / 0.6, 50);
	reading->machine_busy = 200;
	reading->load = 16;
	reading->pressure.cpu = 99;
	reading->task_compute = 0.98;
	reading->task_wait = 1 - 0.5 / jobs;
}

/* 0.3 s sleeps: each worker adds its items; the CPU stays idle. */
static void sleeping(int jobs, struct autotune_reading *reading)
{
	idle_two_cores(jobs, reading, jobs / 0.3, jobs * 1.0);
}

/* Four tokens of a lock, each held 0.2 s by a job: four workers hold
 * them all, a fifth only waits.  The rates are those measured on a 2-core
 * machine with `flock token$(({#} % 4)) sleep 0.2`: past four, a waiting
 * worker fills a token's gaps a little, no more. */
static void four_tokens(int jobs, struct autotune_reading *reading)
{
	static const double measured[] = { 0, 4.8, 9.6, 14.5, 18.9, 18.5, 19.2, 19.2, 19.1,
					   19.1, 19.0, 19.0, 19.0 };
	int known = (int)(sizeof measured / sizeof measured[0]) - 1;
	idle_two_cores(jobs, reading, measured[jobs < known ? jobs : known], jobs * 2.0);
}

/* A shared disk: throughput would still rise, but beyond four workers the
 * tasks wait for I/O more and more. */
static void io_bound(int jobs, struct autotune_reading *reading)
{
	idle_two_cores(jobs, reading, jobs * 10.0, jobs * 3.0);
	if (jobs > 4)
		reading->pressure.io = 20 + jobs;
}

/* Memory fills as workers are added; beyond four the machine swaps. */
static void memory_hungry(int jobs, struct autotune_reading *reading)
{
	idle_two_cores(jobs, reading, jobs <= 4 ? jobs * 10.0 : 40.0 - (jobs - 4) * 2.0, jobs * 3.0);
	reading->pressure.memory = jobs > 3 ? 15.0 * (jobs - 3) : 0;
}

struct readings_run {
	struct run run;
	int first_move;                  /* the first count moved to, 0 when none */
	enum autotune_reason first_reason;
	int windows_to_reach;            /* windows until `goal` was first reached, -1 never */
	bool pressure_step;              /* a step was made for pressure */
};

/* Feed `windows` readings of machine from start (rates with relative
 * noise); windows_to_reach counts until the count is at least goal. */
static struct readings_run tune_readings(struct autotune_search *search, machine_fn *machine, int start,
					 int windows, double noise_amplitude, int goal)
{
	struct readings_run result = { .run = { .jobs = start, .lowest = start, .highest = start },
				       .windows_to_reach = start >= goal ? 0 : -1 };
	for (int i = 0; i < windows; i++) {
		struct autotune_reading reading;
		machine(result.run.jobs, &reading);
		double factor = 1 + noise(noise_amplitude);
		reading.rate *= factor;
		reading.pool_cpu *= factor;
		int next = autotune_search_step(search, &reading);
		if (next != result.run.jobs) {
			if (!result.first_move) {
				result.first_move = next;
				result.first_reason = search->reason;
			}
			if (search->reason == AUTOTUNE_REASON_PRESSURE)
				result.pressure_step = true;
			result.run.moves++;
		}
		result.run.jobs = next;
		if (next < result.run.lowest)
			result.run.lowest = next;
		if (next > result.run.highest)
			result.run.highest = next;
		if (next >= goal && result.windows_to_reach < 0)
			result.windows_to_reach = i + 1;
	}
	return result;
}

START_TEST(a_pool_that_overfills_two_cores_steps_straight_down_for_cpu)
{
	struct autotune_search search = new_search(1, 64);
	struct readings_run result = tune_readings(&search, computing, 8, 1, 0, 0);
	/* One window at 8 is enough: down to the two workers that fill the cores. */
	ck_assert_int_eq(result.first_move, 2);
	ck_assert(result.first_reason == AUTOTUNE_REASON_CPU);
	ck_assert_str_eq(autotune_reason_name(result.first_reason), "cpu");
	/* The step to the cores needs no full window to be judged. */
	struct autotune_reading at_two;
	computing(2, &at_two);
	ck_assert(!autotune_reading_overcommitted(&at_two));
	ck_assert(autotune_search_sure(&search, &at_two));
	result = tune_readings(&search, computing, 2, 30, 0, 0);
	ck_assert_int_ge(search.base_jobs, 2);
	ck_assert_int_le(search.base_jobs, 3);
	ck_assert_int_le(result.run.highest, 3);
}
END_TEST

START_TEST(saturation_is_seen_from_any_start_and_with_noise)
{
	int starts[] = { 3, 5, 8, 16, 64 };
	for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
		for (unsigned seed = 1; seed <= 20; seed++) {
			noise_state = seed;
			struct autotune_search search = new_search(1, 64);
			struct readings_run result = tune_readings(&search, computing, starts[i], 40, 0.08, 0);
			ck_assert_msg(result.first_move >= 2 && result.first_move <= 3 &&
				      result.first_reason == AUTOTUNE_REASON_CPU,
				      "from %d (seed %u) the first step went to %d", starts[i], seed, result.first_move);
			ck_assert_msg(search.base_jobs >= 2 && search.base_jobs <= 3, "from %d (seed %u) it settled at %d",
				      starts[i], seed, search.base_jobs);
		}
	}
}
END_TEST

START_TEST(on_a_busy_machine_the_pool_keeps_no_more_workers_than_cores)
{
	struct autotune_search search = new_search(1, 64);
	struct readings_run result = tune_readings(&search, computing_among_others, 8, 40, 0, 0);
	ck_assert_int_eq(result.first_move, 2);
	ck_assert(result.first_reason == AUTOTUNE_REASON_CPU);
	ck_assert_int_le(result.run.highest, 8);
	ck_assert_int_ge(search.base_jobs, 2);
	ck_assert_int_le(search.base_jobs, 3);
	/* Settled there, a shift of the rate (others come and go) does not
	 * send it up again: its jobs already wait for a core. */
	struct autotune_reading reading;
	computing_among_others(search.base_jobs, &reading);
	reading.rate *= 2;
	ck_assert_int_le(autotune_search_step(&search, &reading), search.base_jobs);
}
END_TEST

START_TEST(jobs_kept_waiting_for_a_core_step_down_whatever_the_pool_cpu)
{
	struct autotune_search search = new_search(1, 64);
	struct readings_run result = tune_readings(&search, computing_in_a_small_share, 8, 20, 0, 0);
	ck_assert_int_eq(result.first_move, 2);
	ck_assert(result.first_reason == AUTOTUNE_REASON_CPU);
	ck_assert_int_le(result.run.highest, 8);
	ck_assert_int_ge(search.base_jobs, 1);
	ck_assert_int_le(search.base_jobs, 2);
}
END_TEST

START_TEST(jobs_whose_shell_waits_for_a_computing_child_are_judged_by_the_pool_cpu)
{
	struct autotune_search search = new_search(1, 64);
	struct readings_run result = tune_readings(&search, computing_in_a_child, 8, 20, 0, 0);
	ck_assert_int_eq(result.first_move, 2);
	ck_assert(result.first_reason == AUTOTUNE_REASON_CPU);
	ck_assert_int_le(search.base_jobs, 3);
}
END_TEST

START_TEST(without_psi_a_full_machine_is_taken_as_saturated)
{
	struct autotune_search search = new_search(1, 64);
	struct readings_run result = tune_readings(&search, computing_without_psi, 8, 20, 0, 0);
	ck_assert_int_eq(result.first_move, 2);
	ck_assert(result.first_reason == AUTOTUNE_REASON_CPU);
	ck_assert_int_le(search.base_jobs, 3);
}
END_TEST

START_TEST(two_computing_workers_on_two_cores_are_not_overcommitted)
{
	struct autotune_reading reading;
	computing(2, &reading);
	reading.pressure.cpu = 60;  /* others make tasks wait, yet two workers only fill the cores */
	ck_assert(!autotune_reading_overcommitted(&reading));
	computing(3, &reading);
	ck_assert(autotune_reading_overcommitted(&reading));
	/* Sleeping workers never fill the cores, however busy the machine. */
	sleeping(16, &reading);
	reading.machine_busy = 200;
	reading.pressure.cpu = 90;
	ck_assert(!autotune_reading_overcommitted(&reading));
	struct autotune_search search = new_search(1, 64);
	ck_assert(!autotune_search_sure(&search, &reading));
}
END_TEST

START_TEST(rising_throughput_with_idle_cpu_grows_fast)
{
	struct autotune_search search = new_search(1, 64);
	struct readings_run result = tune_readings(&search, sleeping, 1, 12, 0, 16);
	/* One window measures the start (idle CPU: the rate is steady), then
	 * the count doubles each window: 1, 2, 4, 8, 16 in four windows. */
	ck_assert_int_eq(result.windows_to_reach, 4);
	ck_assert_int_eq(result.run.jobs, 64);
	for (unsigned seed = 1; seed <= 30; seed++) {
		noise_state = seed;
		search = new_search(1, 64);
		result = tune_readings(&search, sleeping, 1, 12, 0.05, 16);
		ck_assert_msg(result.windows_to_reach > 0 && result.windows_to_reach <= 7,
			      "seed %u: 16 workers after %d windows", seed, result.windows_to_reach);
	}
}
END_TEST

START_TEST(rising_io_pressure_stops_growth)
{
	struct autotune_search search = new_search(1, 64);
	struct readings_run result = tune_readings(&search, io_bound, 1, 40, 0, 0);
	/* 1, 2, 4, then 8 shows I/O pressure rising: back to 4, and no
	 * growth after, though the rate rose. */
	ck_assert_int_eq(search.base_jobs, 4);
	ck_assert_int_le(result.run.highest, 8);
	ck_assert(result.pressure_step);
	result = tune_readings(&search, io_bound, 4, 40, 0, 0);
	ck_assert_int_le(result.run.highest, 8);
	ck_assert_int_eq(search.base_jobs, 4);
}
END_TEST

START_TEST(memory_pressure_stops_growth_and_sends_workers_away)
{
	struct autotune_search search = new_search(1, 64);
	tune_readings(&search, memory_hungry, 1, 40, 0, 0);
	ck_assert_int_le(search.base_jobs, 4);
	/* Started where memory is short: fewer workers, never more. */
	search = new_search(1, 64);
	struct readings_run result = tune_readings(&search, memory_hungry, 8, 40, 0, 0);
	ck_assert_int_le(result.run.highest, 8);
	ck_assert_int_lt(search.base_jobs, 8);
}
END_TEST

START_TEST(a_plateau_at_four_settles_at_three_to_five)
{
	int starts[] = { 1, 2, 4, 8, 16, 32 };
	for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
		for (unsigned seed = 1; seed <= 20; seed++) {
			noise_state = seed;
			struct autotune_search search = new_search(1, 64);
			tune_readings(&search, four_tokens, starts[i], 60, 0.05, 0);
			ck_assert_msg(search.base_jobs >= 3 && search.base_jobs <= 5,
				      "from %d (seed %u) it settled at %d", starts[i], seed, search.base_jobs);
		}
	}
}
END_TEST

static Suite *autotune_suite(void)
{
	Suite *suite = suite_create("autotune");
	TCase *search = tcase_create("search");
	tcase_add_test(search, a_cpu_bound_workload_on_two_cores_settles_at_two_or_three);
	tcase_add_test(search, a_sleep_bound_workload_climbs_to_the_maximum);
	tcase_add_test(search, with_five_percent_noise_the_answers_hold);
	tcase_add_test(search, the_search_never_leaves_its_range);
	tcase_add_test(search, the_start_is_measured_twice_and_comes_into_the_range_first);
	tcase_add_test(search, when_more_workers_do_not_pay_fewer_are_kept);
	tcase_add_test(search, it_finds_a_peak_in_the_middle_from_either_side);
	tcase_add_test(search, noise_below_the_threshold_does_not_move_a_settled_count);
	tcase_add_test(search, a_settled_search_probes_a_neighbour_less_often_while_none_pays);
	tcase_add_test(search, a_shift_in_throughput_restarts_the_search);
	tcase_add_test(search, being_moved_by_someone_else_starts_a_new_climb);
	tcase_add_test(search, min_equal_to_max_never_moves);
	suite_add_tcase(suite, search);

	TCase *readings = tcase_create("readings");
	tcase_add_test(readings, a_pool_that_overfills_two_cores_steps_straight_down_for_cpu);
	tcase_add_test(readings, saturation_is_seen_from_any_start_and_with_noise);
	tcase_add_test(readings, without_psi_a_full_machine_is_taken_as_saturated);
	tcase_add_test(readings, jobs_whose_shell_waits_for_a_computing_child_are_judged_by_the_pool_cpu);
	tcase_add_test(readings, jobs_kept_waiting_for_a_core_step_down_whatever_the_pool_cpu);
	tcase_add_test(readings, on_a_busy_machine_the_pool_keeps_no_more_workers_than_cores);
	tcase_add_test(readings, two_computing_workers_on_two_cores_are_not_overcommitted);
	tcase_add_test(readings, rising_throughput_with_idle_cpu_grows_fast);
	tcase_add_test(readings, rising_io_pressure_stops_growth);
	tcase_add_test(readings, memory_pressure_stops_growth_and_sends_workers_away);
	tcase_add_test(readings, a_plateau_at_four_settles_at_three_to_five);
	suite_add_tcase(suite, readings);

	TCase *window = tcase_create("window");
	tcase_add_test(window, a_window_holds_a_second_and_a_half_and_enough_completions);
	suite_add_tcase(suite, window);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(autotune_suite());
	srunner_run_all(runner, CK_ENV);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
