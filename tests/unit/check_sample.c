/* check_sample.c - unit tests of the process-tree sampler: the CPU%
 * arithmetic, and real processes (spinning, allocating, exiting) read
 * through /proc. */
#include "sample.h"

#include <check.h>
#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Processes started here kill themselves after this long, whatever happens. */
#define CHILD_LIFETIME_SECONDS 60

static double monotonic_now(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* Lets `seconds` of wall time pass, checking the clock every 10 ms. */
static void let_time_pass(double seconds)
{
	double deadline = monotonic_now() + seconds;
	while (monotonic_now() < deadline) {
		struct timespec step = { 0, 10 * 1000 * 1000 };
		nanosleep(&step, NULL);
	}
}

static void spin_forever(void)
{
	alarm(CHILD_LIFETIME_SECONDS);
	for (volatile unsigned long counter = 0;; counter++)
		;
}

static void wait_forever(void)
{
	alarm(CHILD_LIFETIME_SECONDS);
	for (;;)
		pause();
}

/* A process group leader running `body`; returns its pid. */
static pid_t start_job(void (*body)(void))
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		setpgid(0, 0);
		body();
		_exit(0);
	}
	setpgid(pid, pid);
	return pid;
}

static void stop_job(pid_t leader)
{
	kill(-leader, SIGKILL);
	kill(leader, SIGKILL);
	waitpid(leader, NULL, 0);
}

/* Like `sh -c 'spin | spin'`: a leader that waits over two spinning children. */
static void spin_in_two_children(void)
{
	for (int i = 0; i < 2; i++)
		if (fork() == 0)
			spin_forever();
	wait_forever();
}

/* A leader whose child spins for 0.4 s of wall time, exits and is reaped. */
static void spin_briefly_in_child_then_wait(void)
{
	pid_t child = fork();
	if (child == 0) {
		double end = monotonic_now() + 0.4;
		while (monotonic_now() < end)
			;
		_exit(0);
	}
	waitpid(child, NULL, 0);
	wait_forever();
}

static void *fork_child_then_wait(void *unused)
{
	(void)unused;
	if (fork() == 0)
		wait_forever();
	wait_forever();
	return NULL;
}

/* A leader whose child was forked by its second thread, not its main one. */
static void fork_child_from_second_thread(void)
{
	pthread_t thread;
	if (pthread_create(&thread, NULL, fork_child_then_wait, NULL) != 0)
		_exit(1);
	wait_forever();
}

static void touch_fifty_mebibytes_then_wait(int ready_fd)
{
	size_t size = 50u << 20;
	/* Volatile, so the compiler cannot drop stores nobody reads. */
	volatile char *block = malloc(size);
	if (!block)
		_exit(1);
	for (size_t i = 0; i < size; i += 1024)
		block[i] = 1;
	if (write(ready_fd, "x", 1) != 1)
		_exit(1);
	wait_forever();
}

static struct tree_usage sample_one(struct sampler *sampler, pid_t root)
{
	struct tree_usage tree = { .root = root };
	ck_assert_int_eq(sampler_update(sampler, &tree, 1, monotonic_now()), 0);
	return tree;
}

/* Polls until the tree has `processes` live members; false after 10 s. */
static bool wait_for_processes(pid_t root, int processes)
{
	struct sampler *sampler = sampler_new();
	double deadline = monotonic_now() + 10;
	bool reached = false;
	while (!reached && monotonic_now() < deadline) {
		reached = sample_one(sampler, root).processes == processes;
		if (!reached)
			let_time_pass(0.01);
	}
	sampler_free(sampler);
	return reached;
}

/* Ground truth, read apart from the sampler: the CPU ticks (utime, stime,
 * cutime, cstime) of pid and of its children, from /proc/PID/stat. */
static unsigned long long process_ticks(pid_t pid)
{
	char path[64], text[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *file = fopen(path, "re");
	if (!file)
		return 0;
	size_t n = fread(text, 1, sizeof text - 1, file);
	fclose(file);
	text[n] = '\0';
	char *after_name = strrchr(text, ')');
	unsigned long long times[4] = { 0 };
	/* Fields 14-17 follow the state and ten numbers after the name. */
	if (!after_name || sscanf(after_name + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %llu %llu",
				  &times[0], &times[1], &times[2], &times[3]) != 4)
		return 0;
	return times[0] + times[1] + times[2] + times[3];
}

static unsigned long long job_ticks(pid_t job)
{
	unsigned long long ticks = process_ticks(job);
	char path[64], line[256] = "";
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)job, (int)job);
	FILE *children = fopen(path, "re");
	if (children) {
		if (!fgets(line, sizeof line, children))
			line[0] = '\0';
		fclose(children);
	}
	for (char *save = NULL, *word = strtok_r(line, " \n", &save); word; word = strtok_r(NULL, " \n", &save))
		ticks += process_ticks((pid_t)atoi(word));
	return ticks;
}

/* Samples twice `seconds` apart and returns the second sample; *truth is
 * the job's CPU% over the same interval, measured apart from the sampler
 * (so the checks hold on a loaded machine, where a spinner gets less). */
static struct tree_usage sample_against_truth(struct sampler *sampler, pid_t job, double seconds,
					      double *truth)
{
	unsigned long long before = job_ticks(job);
	double start = monotonic_now();
	sample_one(sampler, job);
	let_time_pass(seconds);
	struct tree_usage tree = sample_one(sampler, job);
	unsigned long long after = job_ticks(job);
	double elapsed = monotonic_now() - start;
	*truth = (double)(after - before) / (double)sysconf(_SC_CLK_TCK) / elapsed * 100.0;
	return tree;
}

START_TEST(no_time_passed_means_zero_percent)
{
	ck_assert_double_eq(sample_cpu_percent(100, 200, 0, 100), 0);
	ck_assert_double_eq(sample_cpu_percent(100, 200, -1, 100), 0);
}
END_TEST

START_TEST(a_counter_going_backwards_reads_zero)
{
	ck_assert_double_eq(sample_cpu_percent(500, 300, 1, 100), 0);
	ck_assert_double_eq(sample_cpu_percent(500, 500, 1, 100), 0);
}
END_TEST

START_TEST(two_busy_cores_read_two_hundred_percent)
{
	ck_assert_double_eq_tol(sample_cpu_percent(1000, 1200, 1, 100), 200, 1e-9);
	ck_assert_double_eq_tol(sample_cpu_percent(0, 50, 0.5, 100), 100, 1e-9);
	ck_assert_double_eq_tol(sample_cpu_percent(0, 125, 0.5, 250), 100, 1e-9);
}
END_TEST

START_TEST(a_root_just_started_is_unknown)
{
	struct sampler *sampler = sampler_new();
	ck_assert_ptr_nonnull(sampler);
	double started = monotonic_now();
	pid_t job = start_job(wait_forever);
	struct tree_usage tree = sample_one(sampler, job);
	double age = monotonic_now() - started;
	stop_job(job);
	sampler_free(sampler);
	/* Too young for a figure, or an idle one: never a made-up high one.
	 * (The kernel's start time and uptime tick in 10 ms steps, so the
	 * 0.2 s line itself cannot be checked to the millisecond.) */
	if (age < 0.1)
		ck_assert(tree.cpu_percent == -1 || (tree.cpu_percent >= 0 && tree.cpu_percent < 50));
	ck_assert_int_eq(tree.processes, 1);
	ck_assert_uint_gt(tree.rss_bytes, 0);
}
END_TEST

START_TEST(a_root_first_seen_reports_its_cpu_since_it_started)
{
	struct sampler *sampler = sampler_new();
	double started = monotonic_now();
	pid_t job = start_job(spin_forever);
	let_time_pass(0.5);
	struct tree_usage tree = sample_one(sampler, job);
	double truth = (double)job_ticks(job) / (double)sysconf(_SC_CLK_TCK) /
		       (monotonic_now() - started) * 100.0;
	stop_job(job);
	sampler_free(sampler);
	/* A job shorter than one refresh is not left without a figure. */
	ck_assert_double_ge(tree.cpu_percent, 0);
	ck_assert_double_eq_tol(tree.cpu_percent, truth, 20);
}
END_TEST

START_TEST(a_spinning_process_reads_what_it_used)
{
	struct sampler *sampler = sampler_new();
	pid_t job = start_job(spin_forever);
	double truth;
	struct tree_usage tree = sample_against_truth(sampler, job, 0.5, &truth);
	stop_job(job);
	sampler_free(sampler);
	/* Up to a core; tick granularity and the samples' spacing allow some slack. */
	ck_assert_double_eq_tol(tree.cpu_percent, truth, 15);
	ck_assert_double_gt(truth, 0);
	ck_assert_double_le(tree.cpu_percent, 110);
	ck_assert_int_eq(tree.processes, 1);
}
END_TEST

START_TEST(two_spinning_grandchildren_count_for_their_job)
{
	struct sampler *sampler = sampler_new();
	pid_t job = start_job(spin_in_two_children);
	bool all_started = wait_for_processes(job, 3);
	double truth;
	struct tree_usage tree = sample_against_truth(sampler, job, 0.5, &truth);
	stop_job(job);
	sampler_free(sampler);
	ck_assert(all_started);
	ck_assert_int_eq(tree.processes, 3);
	/* Both grandchildren count: on an idle machine this reads near 200. */
	ck_assert_double_eq_tol(tree.cpu_percent, truth, 25);
	ck_assert_double_gt(truth, 0);
	ck_assert_double_le(tree.cpu_percent, 220);
}
END_TEST

START_TEST(a_job_inside_another_job_counts_in_both)
{
	struct sampler *sampler = sampler_new();
	pid_t job = start_job(spin_in_two_children);
	bool all_started = wait_for_processes(job, 3);
	struct tree_usage trees[2] = { { .root = job }, { .root = 0 } };
	/* The second tree is one of the spinning children. */
	char path[64], line[64] = "";
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)job, (int)job);
	FILE *children = fopen(path, "re");
	if (children) {
		if (!fgets(line, sizeof line, children))
			line[0] = '\0';
		fclose(children);
	}
	trees[1].root = (pid_t)atoi(line);
	int result = sampler_update(sampler, trees, 2, monotonic_now());
	stop_job(job);
	sampler_free(sampler);
	ck_assert(all_started);
	ck_assert_int_eq(result, 0);
	ck_assert_int_gt(trees[1].root, 0);
	ck_assert_int_eq(trees[0].processes, 3);
	ck_assert_int_eq(trees[1].processes, 1);
}
END_TEST

START_TEST(a_child_forked_by_a_second_thread_is_found)
{
	struct sampler *sampler = sampler_new();
	pid_t job = start_job(fork_child_from_second_thread);
	double deadline = monotonic_now() + 10;
	struct tree_usage tree = sample_one(sampler, job);
	while (tree.processes != 2 && monotonic_now() < deadline) {
		let_time_pass(0.01);
		tree = sample_one(sampler, job);
	}
	struct tree_usage again = sample_one(sampler, job);
	stop_job(job);
	sampler_free(sampler);
	ck_assert_int_eq(tree.processes, 2);
	ck_assert_int_eq(again.processes, 2);
}
END_TEST

START_TEST(cpu_of_a_reaped_child_stays_with_its_job)
{
	struct sampler *sampler = sampler_new();
	pid_t job = start_job(spin_briefly_in_child_then_wait);
	unsigned long long before = job_ticks(job);
	double start = monotonic_now();
	sample_one(sampler, job);
	let_time_pass(0.4);
	bool child_reaped = wait_for_processes(job, 1);
	/* Gone from the tree is not yet reaped: wait for the leader's cutime. */
	double deadline = monotonic_now() + 10;
	while (process_ticks(job) == before && monotonic_now() < deadline)
		let_time_pass(0.01);
	struct tree_usage tree = sample_one(sampler, job);
	/* The leader's own stat now holds the reaped child's ticks (cutime). */
	double truth = (double)(process_ticks(job) - before) / (double)sysconf(_SC_CLK_TCK) /
		       (monotonic_now() - start) * 100.0;
	stop_job(job);
	sampler_free(sampler);
	ck_assert(child_reaped);
	ck_assert_int_eq(tree.processes, 1);
	/* Without the child's inherited ticks this would read about 0. */
	ck_assert_double_gt(truth, 0);
	ck_assert_double_eq_tol(tree.cpu_percent, truth, 15);
}
END_TEST

START_TEST(memory_touched_by_a_child_counts_as_resident)
{
	int ready[2];
	ck_assert_int_eq(pipe(ready), 0);
	pid_t job = fork();
	ck_assert_int_ge(job, 0);
	if (job == 0) {
		close(ready[0]);
		touch_fifty_mebibytes_then_wait(ready[1]);
	}
	close(ready[1]);
	char byte;
	bool touched = read(ready[0], &byte, 1) == 1;
	close(ready[0]);
	struct sampler *sampler = sampler_new();
	struct tree_usage tree = sample_one(sampler, job);
	stop_job(job);
	sampler_free(sampler);
	ck_assert(touched);
	ck_assert_uint_ge(tree.rss_bytes, 40u << 20);
	ck_assert_uint_le(tree.rss_bytes, 200u << 20);
}
END_TEST

START_TEST(a_root_that_exited_reports_no_processes)
{
	struct sampler *sampler = sampler_new();
	pid_t job = start_job(wait_forever);
	struct tree_usage alive = sample_one(sampler, job);
	stop_job(job);
	struct tree_usage gone = sample_one(sampler, job);
	sampler_free(sampler);
	ck_assert_int_eq(alive.processes, 1);
	ck_assert_int_eq(gone.processes, 0);
	ck_assert_double_eq(gone.cpu_percent, -1);
	ck_assert_uint_eq(gone.rss_bytes, 0);
}
END_TEST

static bool is_zombie(pid_t pid)
{
	char path[64], line[256] = "";
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *file = fopen(path, "re");
	if (!file)
		return false;
	size_t got = fread(line, 1, sizeof line - 1, file);
	fclose(file);
	line[got] = '\0';
	const char *after_name = strrchr(line, ')');
	return after_name && after_name[1] == ' ' && after_name[2] == 'Z';
}

START_TEST(a_root_that_exited_but_is_not_yet_reaped_reports_no_processes)
{
	struct sampler *sampler = sampler_new();
	pid_t job = fork();
	ck_assert_int_ge(job, 0);
	if (job == 0)
		_exit(0);
	double deadline = monotonic_now() + 10;
	while (!is_zombie(job) && monotonic_now() < deadline)
		let_time_pass(0.01);
	bool zombie = is_zombie(job);
	struct tree_usage tree = sample_one(sampler, job);
	waitpid(job, NULL, 0);
	sampler_free(sampler);
	ck_assert(zombie);
	ck_assert_int_eq(tree.processes, 0);
	ck_assert_double_eq(tree.cpu_percent, -1);
}
END_TEST

START_TEST(a_root_left_out_once_is_forgotten)
{
	struct sampler *sampler = sampler_new();
	pid_t self = getpid();
	sample_one(sampler, self);
	let_time_pass(0.05);
	struct tree_usage known = sample_one(sampler, self);
	ck_assert_int_eq(sampler_update(sampler, NULL, 0, monotonic_now()), 0);
	struct tree_usage again = sample_one(sampler, self);
	sampler_free(sampler);
	ck_assert_double_ge(known.cpu_percent, 0);
	ck_assert_double_eq(again.cpu_percent, -1);
}
END_TEST

START_TEST(asking_twice_at_the_same_time_repeats_the_figure)
{
	struct sampler *sampler = sampler_new();
	pid_t job = start_job(spin_forever);
	struct tree_usage tree = { .root = job };
	double start = monotonic_now();
	sampler_update(sampler, &tree, 1, start);
	let_time_pass(0.3);
	double later = monotonic_now();
	sampler_update(sampler, &tree, 1, later);
	double first = tree.cpu_percent;
	sampler_update(sampler, &tree, 1, later);
	stop_job(job);
	sampler_free(sampler);
	ck_assert_double_gt(first, 0);
	ck_assert_double_eq(tree.cpu_percent, first);
}
END_TEST

/* More trees than one libproc2 select takes (255 PIDs). */
#define MANY_JOBS 300

START_TEST(three_hundred_jobs_are_all_read)
{
	static pid_t jobs[MANY_JOBS];
	static struct tree_usage trees[MANY_JOBS];
	for (int i = 0; i < MANY_JOBS; i++)
		jobs[i] = start_job(wait_forever);
	struct sampler *sampler = sampler_new();
	for (int i = 0; i < MANY_JOBS; i++)
		trees[i] = (struct tree_usage){ .root = jobs[i] };
	int result = sampler_update(sampler, trees, MANY_JOBS, monotonic_now());
	int alive = 0;
	for (int i = 0; i < MANY_JOBS; i++)
		alive += trees[i].processes;
	for (int i = 0; i < MANY_JOBS; i++)
		stop_job(jobs[i]);
	sampler_free(sampler);
	ck_assert_int_eq(result, 0);
	ck_assert_int_eq(alive, MANY_JOBS);
}
END_TEST

/* --- one tree, process by process ------------------------------------------ */

static struct process_row row_of(pid_t pid, pid_t parent)
{
	return (struct process_row){ .pid = pid, .parent = parent, .depth = -1 };
}

START_TEST(a_tree_is_ordered_depth_first_with_children_by_pid)
{
	/* 10 ─ 30 ─ 31
	 *    └ 20 ─ 25   (read in any order) */
	struct process_row rows[] = {
		row_of(31, 30), row_of(20, 10), row_of(30, 10), row_of(10, 1), row_of(25, 20),
	};
	size_t kept = process_tree_order(rows, 5, 10);
	ck_assert_uint_eq(kept, 5);
	const pid_t pids[] = { 10, 20, 25, 30, 31 };
	const int depths[] = { 0, 1, 2, 1, 2 };
	for (size_t i = 0; i < kept; i++) {
		ck_assert_int_eq(rows[i].pid, pids[i]);
		ck_assert_int_eq(rows[i].depth, depths[i]);
	}
}
END_TEST

START_TEST(processes_not_under_the_root_are_dropped)
{
	/* 40 left the tree (reparented to 1) while it was read. */
	struct process_row rows[] = { row_of(10, 1), row_of(40, 1), row_of(11, 10) };
	size_t kept = process_tree_order(rows, 3, 10);
	ck_assert_uint_eq(kept, 2);
	ck_assert_int_eq(rows[0].pid, 10);
	ck_assert_int_eq(rows[1].pid, 11);
	ck_assert_int_eq(rows[1].depth, 1);
}
END_TEST

START_TEST(a_tree_without_its_root_is_empty)
{
	struct process_row rows[] = { row_of(11, 10), row_of(12, 10) };
	ck_assert_uint_eq(process_tree_order(rows, 2, 10), 0);
	ck_assert_uint_eq(process_tree_order(rows, 0, 10), 0);
}
END_TEST

START_TEST(a_pid_seen_twice_is_placed_once)
{
	/* A reused pid can make a loop of parents: 10 → 11 → 10. */
	struct process_row rows[] = { row_of(10, 11), row_of(11, 10), row_of(10, 11) };
	size_t kept = process_tree_order(rows, 3, 10);
	ck_assert_uint_le(kept, 3);
	ck_assert_int_eq(rows[0].pid, 10);
	ck_assert_int_eq(rows[1].pid, 11);
}
END_TEST

START_TEST(a_pipeline_job_is_read_as_a_tree_with_commands)
{
	struct sampler *sampler = sampler_new();
	pid_t job = start_job(spin_in_two_children);
	bool all_started = wait_for_processes(job, 3);
	struct process_tree tree = { 0 };
	int first = sampler_tree_read(sampler, job, monotonic_now(), &tree);
	let_time_pass(0.5);
	int second = sampler_tree_read(sampler, job, monotonic_now(), &tree);
	pid_t child = tree.count > 1 ? tree.rows[1].pid : 0;
	bool has_child = process_tree_has(&tree, child), has_stranger = process_tree_has(&tree, 1);
	size_t count = tree.count;
	int root_depth = count ? tree.rows[0].depth : -1;
	int child_depth = count > 1 ? tree.rows[1].depth : -1;
	double child_cpu = count > 1 ? tree.rows[1].cpu_percent : -1;
	char command[PROCESS_COMMAND_SIZE] = "";
	if (count)
		snprintf(command, sizeof command, "%s", tree.rows[0].command);
	stop_job(job);
	process_tree_free(&tree);
	sampler_free(sampler);
	ck_assert(all_started);
	ck_assert_int_eq(first, 0);
	ck_assert_int_eq(second, 0);
	ck_assert_uint_eq(count, 3);
	ck_assert_int_eq(root_depth, 0);
	ck_assert_int_eq(child_depth, 1);
	ck_assert(has_child);
	ck_assert(!has_stranger);
	/* A spinning child over 0.5 s: whatever share of a core a loaded
	 * machine gave it, it is measured. */
	ck_assert_double_gt(child_cpu, 0);
	ck_assert_ptr_nonnull(strstr(command, "check_sample"));
}
END_TEST

START_TEST(a_gone_root_reads_as_no_tree)
{
	struct sampler *sampler = sampler_new();
	pid_t job = start_job(wait_forever);
	stop_job(job);
	struct process_tree tree = { 0 };
	ck_assert_int_eq(sampler_tree_read(sampler, job, monotonic_now(), &tree), -1);
	ck_assert_uint_eq(tree.count, 0);
	process_tree_free(&tree);
	sampler_free(sampler);
}
END_TEST

static Suite *sample_suite(void)
{
	Suite *suite = suite_create("sample");
	TCase *arithmetic = tcase_create("arithmetic");
	tcase_add_test(arithmetic, no_time_passed_means_zero_percent);
	tcase_add_test(arithmetic, a_counter_going_backwards_reads_zero);
	tcase_add_test(arithmetic, two_busy_cores_read_two_hundred_percent);
	suite_add_tcase(suite, arithmetic);

	TCase *processes = tcase_create("processes");
	tcase_set_timeout(processes, 60);
	tcase_add_test(processes, a_root_just_started_is_unknown);
	tcase_add_test(processes, a_root_first_seen_reports_its_cpu_since_it_started);
	tcase_add_test(processes, a_spinning_process_reads_what_it_used);
	tcase_add_test(processes, two_spinning_grandchildren_count_for_their_job);
	tcase_add_test(processes, a_job_inside_another_job_counts_in_both);
	tcase_add_test(processes, a_child_forked_by_a_second_thread_is_found);
	tcase_add_test(processes, cpu_of_a_reaped_child_stays_with_its_job);
	tcase_add_test(processes, memory_touched_by_a_child_counts_as_resident);
	tcase_add_test(processes, a_root_that_exited_reports_no_processes);
	tcase_add_test(processes, a_root_that_exited_but_is_not_yet_reaped_reports_no_processes);
	tcase_add_test(processes, a_root_left_out_once_is_forgotten);
	tcase_add_test(processes, asking_twice_at_the_same_time_repeats_the_figure);
	tcase_add_test(processes, three_hundred_jobs_are_all_read);
	suite_add_tcase(suite, processes);

	TCase *tree = tcase_create("one tree");
	tcase_set_timeout(tree, 60);
	tcase_add_test(tree, a_tree_is_ordered_depth_first_with_children_by_pid);
	tcase_add_test(tree, processes_not_under_the_root_are_dropped);
	tcase_add_test(tree, a_tree_without_its_root_is_empty);
	tcase_add_test(tree, a_pid_seen_twice_is_placed_once);
	tcase_add_test(tree, a_pipeline_job_is_read_as_a_tree_with_commands);
	tcase_add_test(tree, a_gone_root_reads_as_no_tree);
	suite_add_tcase(suite, tree);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(sample_suite());
	srunner_run_all(runner, CK_ENV);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
