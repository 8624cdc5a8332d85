/* sample_cost.c - what one sampler_update costs in CPU time with 64 and
 * 1000 sleeping jobs, against reading the same trees one call per tree and
 * against a full /proc scan with libproc2 (what top-like tools do). */
#include "sample.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libproc2/pids.h>

#define ROUNDS 20

static double clock_seconds(clockid_t clock)
{
	struct timespec now;
	clock_gettime(clock, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static pid_t sleeping_job_start(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		alarm(120);
		for (;;)
			pause();
	}
	return pid;
}

static int jobs_start(pid_t *jobs, struct tree_usage *trees, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		jobs[i] = sleeping_job_start();
		if (jobs[i] < 0)
			return -1;
		trees[i] = (struct tree_usage){ .root = jobs[i] };
	}
	return 0;
}

static void jobs_stop(pid_t *jobs, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (jobs[i] > 0)
			kill(jobs[i], SIGKILL);
	for (size_t i = 0; i < count; i++)
		if (jobs[i] > 0)
			waitpid(jobs[i], NULL, 0);
}

/* CPU seconds per round of reading all trees in one call. */
static double cost_batched(struct sampler *sampler, struct tree_usage *trees, size_t count)
{
	sampler_update(sampler, trees, count, clock_seconds(CLOCK_MONOTONIC));
	double start = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
	for (int round = 0; round < ROUNDS; round++)
		sampler_update(sampler, trees, count, clock_seconds(CLOCK_MONOTONIC));
	return (clock_seconds(CLOCK_PROCESS_CPUTIME_ID) - start) / ROUNDS;
}

/* CPU seconds per round of reading the trees one call each. */
static double cost_per_tree(struct tree_usage *trees, size_t count)
{
	struct sampler **samplers = calloc(count, sizeof *samplers);
	for (size_t i = 0; i < count; i++)
		samplers[i] = sampler_new();
	double start = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
	for (int round = 0; round < ROUNDS; round++)
		for (size_t i = 0; i < count; i++)
			sampler_update(samplers[i], &trees[i], 1, clock_seconds(CLOCK_MONOTONIC));
	double cost = (clock_seconds(CLOCK_PROCESS_CPUTIME_ID) - start) / ROUNDS;
	for (size_t i = 0; i < count; i++)
		sampler_free(samplers[i]);
	free(samplers);
	return cost;
}

/* CPU seconds per full /proc scan, same items; returns processes seen. */
static double cost_full_scan(int *processes)
{
	enum pids_item items[] = { PIDS_ID_PID, PIDS_TICS_ALL_C, PIDS_RSS };
	struct pids_info *info = NULL;
	if (procps_pids_new(&info, items, 3) < 0)
		return -1;
	double start = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
	for (int round = 0; round < ROUNDS; round++) {
		struct pids_fetch *fetch = procps_pids_reap(info, PIDS_FETCH_TASKS_ONLY);
		*processes = fetch ? fetch->counts->total : 0;
	}
	double cost = (clock_seconds(CLOCK_PROCESS_CPUTIME_ID) - start) / ROUNDS;
	procps_pids_unref(&info);
	return cost;
}

static int measure(size_t count)
{
	pid_t *jobs = calloc(count, sizeof *jobs);
	struct tree_usage *trees = calloc(count, sizeof *trees);
	struct sampler *sampler = sampler_new();
	if (!jobs || !trees || !sampler || jobs_start(jobs, trees, count) < 0) {
		fprintf(stderr, "sample_cost: cannot start %zu jobs\n", count);
		return -1;
	}
	double batched = cost_batched(sampler, trees, count);
	double separate = cost_per_tree(trees, count);
	int processes = 0;
	double scan = cost_full_scan(&processes);
	printf("%4zu sleeping jobs: sampler_update %7.2f ms (%5.1f us per PID); "
	       "one call per tree %7.2f ms; full /proc scan of %d processes %7.2f ms\n",
	       count, batched * 1e3, batched * 1e6 / (double)count, separate * 1e3,
	       processes, scan * 1e3);
	jobs_stop(jobs, count);
	sampler_free(sampler);
	free(trees);
	free(jobs);
	return 0;
}

int main(int argc, char **argv)
{
	static const size_t default_counts[] = { 64, 1000 };
	int status = 0;
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			if (measure((size_t)strtoul(argv[i], NULL, 10)) < 0)
				status = 1;
		return status;
	}
	for (size_t i = 0; i < sizeof default_counts / sizeof default_counts[0]; i++)
		if (measure(default_counts[i]) < 0)
			status = 1;
	return status;
}
