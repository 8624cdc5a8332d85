/* check_remote_sample.c - unit tests of the remote figures: the parser of
 * the sampler's output, and the sh sampler itself run here with `sh`
 * against real processes (spinning, allocating, gone), through the probe
 * and the event loop as pooltop runs it over ssh. */
#include "remote_sample.h"

#include <check.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"

/* Processes started here kill themselves after this long, whatever happens. */
#define CHILD_LIFETIME_SECONDS 60

static double monotonic_now(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
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

/* A leader whose only child spins: the tree's CPU is the child's.  The
 * child dies with the leader, the leader with the test. */
static void spin_in_a_child(void)
{
	if (fork() == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		spin_forever();
	}
	wait_forever();
}

static int ready_pipe[2];

static void touch_forty_mebibytes_then_wait(void)
{
	size_t size = 40u << 20;
	/* Volatile, so the compiler cannot drop stores nobody reads. */
	volatile char *block = malloc(size);
	if (!block)
		_exit(1);
	for (size_t i = 0; i < size; i += 1024)
		block[i] = 1;
	if (write(ready_pipe[1], "x", 1) != 1)
		_exit(1);
	wait_forever();
}

static pid_t start_job(void (*body)(void))
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		body();
		_exit(0);
	}
	setpgid(pid, pid);
	return pid;
}

static void stop_job(pid_t leader)
{
	kill(-leader, SIGKILL);
	waitpid(leader, NULL, 0);
}

/* ---- driving the probe through the loop, as pooltop does ------------ */

struct wait_state {
	struct remote_probe *probe;
	unsigned long readings;  /* readings before the one awaited */
	double deadline;
};

/* Every 10 ms: reap the sampler (pooltop's SIGCHLD handler does that) and
 * stop the loop once the reading ended or time is up. */
static void check_reading(struct loop *loop, void *data)
{
	struct wait_state *state = data;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	if (remote_probe_readings(state->probe) > state->readings || monotonic_now() > state->deadline)
		loop_stop(loop);
	else
		loop_add_timer(loop, 0.01, check_reading, state);
}

/* The command ssh would run on the host, run here by sh as a login shell
 * would run it. */
static char **local_argv(const pid_t *roots, size_t n)
{
	static char *argv[4];
	static char *command;
	free(command);
	command = remote_sample_command(roots, n);
	argv[0] = (char *)"sh";
	argv[1] = (char *)"-c";
	argv[2] = command;
	argv[3] = NULL;
	return argv;
}

/* One whole reading of roots through argv (NULL: with `sh` here); false
 * after 20 s. */
static bool read_through(struct loop *loop, struct remote_probe *probe, char *const argv[],
			 const pid_t *roots, size_t n)
{
	struct wait_state state = { probe, remote_probe_readings(probe), monotonic_now() + 20 };
	ck_assert_int_eq(remote_probe_start(probe, argv ? argv : local_argv(roots, n), roots, n), 0);
	loop_add_timer(loop, 0.01, check_reading, &state);
	loop_run(loop);
	return remote_probe_readings(probe) > state.readings;
}

static bool read_once(struct loop *loop, struct remote_probe *probe, const pid_t *roots, size_t n)
{
	return read_through(loop, probe, NULL, roots, n);
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

/* ---- the parser ------------------------------------------------------- */

START_TEST(a_complete_reading_gives_each_root_its_figures)
{
	const char text[] = "pooltop-sample 1 100 4096 5000.50\n"
			    "pid 42 250 1024 3 480000\n"
			    "pid 7 0 0 0 0\n"
			    "end\n";
	struct tree_usage trees[] = { { .root = 7 }, { .root = 42 }, { .root = 9 } };
	double started[3];
	struct remote_reading reading;
	ck_assert_int_eq(remote_sample_parse(text, strlen(text), trees, 3, started, &reading), 0);
	ck_assert_int_eq(reading.hertz, 100);
	ck_assert_int_eq(reading.page_size, 4096);
	ck_assert_double_eq_tol(reading.uptime, 5000.5, 1e-9);
	ck_assert_uint_eq(trees[1].ticks, 250);
	ck_assert_uint_eq(trees[1].rss_bytes, 1024u * 4096u);
	ck_assert_int_eq(trees[1].processes, 3);
	ck_assert_double_eq_tol(started[1], 4800, 1e-9);
	ck_assert_int_eq(trees[0].processes, 0);  /* gone */
	ck_assert_int_eq(trees[2].processes, 0);  /* not mentioned */
}
END_TEST

START_TEST(the_host_line_gives_busy_ticks_load_and_pressure)
{
	const char text[] = "pooltop-sample 1 100 4096 5000.50\n"
			    "host 750 1000 1.50 12.25\n"
			    "end\n";
	struct remote_reading reading;
	ck_assert_int_eq(remote_sample_parse(text, strlen(text), NULL, 0, NULL, &reading), 0);
	ck_assert(reading.host_known);
	ck_assert_uint_eq(reading.busy_ticks, 750);
	ck_assert_uint_eq(reading.all_ticks, 1000);
	ck_assert_double_eq_tol(reading.load1, 1.5, 1e-9);
	ck_assert_double_eq_tol(reading.cpu_pressure, 12.25, 1e-9);
	const char old[] = "pooltop-sample 1 100 4096 5000.50\nend\n";
	ck_assert_int_eq(remote_sample_parse(old, strlen(old), NULL, 0, NULL, &reading), 0);
	ck_assert(!reading.host_known);
}
END_TEST

START_TEST(a_reading_cut_short_is_refused)
{
	const char text[] = "pooltop-sample 1 100 4096 5000.50\npid 42 250 1024 3 480000\n";
	struct tree_usage tree = { .root = 42 };
	struct remote_reading reading;
	ck_assert_int_eq(remote_sample_parse(text, strlen(text), &tree, 1, NULL, &reading), -1);
}
END_TEST

START_TEST(what_is_not_a_reading_is_refused)
{
	const char *texts[] = {
		"",
		"Permission denied (publickey).\n",
		"pooltop-sample 2 100 4096 1.0\nend\n",
		"pooltop-sample 1 0 4096 1.0\nend\n",
		"pooltop-sample 1 100 4096 1.0\npid x y\nend\n",
		"pooltop-sample 1 100 4096 1.0\nsh: 1: cannot open /proc/uptime\nend\n",
	};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		struct tree_usage tree = { .root = 1 };
		struct remote_reading reading;
		ck_assert_int_eq(remote_sample_parse(texts[i], strlen(texts[i]), &tree, 1, NULL, &reading), -1);
	}
}
END_TEST

/* ---- the script, run with sh against real processes ----------------- */

START_TEST(the_script_reports_the_host_clock_and_unknown_roots_as_gone)
{
	struct loop *loop = loop_new();
	struct remote_probe *probe = remote_probe_new(loop);
	pid_t nobody = 0x3ffffff0;  /* above any pid_max */
	ck_assert(read_once(loop, probe, &nobody, 1));
	ck_assert_ptr_null(remote_probe_error(probe));
	struct tree_usage usage;
	ck_assert(!remote_probe_figures(probe, nobody, &usage));
	ck_assert_int_eq(usage.processes, 0);
	/* This machine's own figures come with every reading. */
	struct remote_reading host;
	ck_assert(remote_probe_host(probe, &host));
	ck_assert_uint_gt(host.all_ticks, 0);
	ck_assert_uint_le(host.busy_ticks, host.all_ticks);
	ck_assert(host.load1 >= 0);
	remote_probe_free(probe);
	loop_free(loop);
}
END_TEST

START_TEST(a_spinning_child_makes_its_tree_cpu_grow)
{
	pid_t job = start_job(spin_in_a_child);
	struct loop *loop = loop_new();
	struct remote_probe *probe = remote_probe_new(loop);
	ck_assert(read_once(loop, probe, &job, 1));
	struct tree_usage first, second;
	ck_assert(remote_probe_figures(probe, job, &first));
	let_time_pass(1.0);
	ck_assert(read_once(loop, probe, &job, 1));
	ck_assert(remote_probe_figures(probe, job, &second));
	ck_assert_int_eq(second.processes, 2);  /* the leader and its spinning child */
	ck_assert_uint_gt(second.ticks, first.ticks);
	/* Up to a whole core for the child: how much of one depends on the
	 * other work of the machine. */
	ck_assert_double_gt(second.cpu_percent, 0);
	ck_assert_double_lt(second.cpu_percent, 110);
	remote_probe_free(probe);
	loop_free(loop);
	stop_job(job);
}
END_TEST

START_TEST(memory_touched_by_a_job_counts_as_resident)
{
	ck_assert_int_eq(pipe(ready_pipe), 0);
	pid_t job = start_job(touch_forty_mebibytes_then_wait);
	char ready;
	ck_assert_int_eq(read(ready_pipe[0], &ready, 1), 1);
	struct loop *loop = loop_new();
	struct remote_probe *probe = remote_probe_new(loop);
	ck_assert(read_once(loop, probe, &job, 1));
	struct tree_usage usage;
	ck_assert(remote_probe_figures(probe, job, &usage));
	ck_assert_uint_ge(usage.rss_bytes, 40u << 20);
	ck_assert_int_eq(usage.processes, 1);
	remote_probe_free(probe);
	loop_free(loop);
	stop_job(job);
}
END_TEST

START_TEST(several_trees_are_read_in_one_round_trip)
{
	pid_t spinning = start_job(spin_in_a_child);
	pid_t waiting = start_job(wait_forever);
	pid_t roots[] = { spinning, waiting };
	struct loop *loop = loop_new();
	struct remote_probe *probe = remote_probe_new(loop);
	ck_assert(read_once(loop, probe, roots, 2));
	let_time_pass(0.5);
	ck_assert(read_once(loop, probe, roots, 2));
	struct tree_usage spin_usage, wait_usage;
	ck_assert(remote_probe_figures(probe, spinning, &spin_usage));
	ck_assert(remote_probe_figures(probe, waiting, &wait_usage));
	ck_assert_int_eq(wait_usage.processes, 1);
	ck_assert_double_lt(wait_usage.cpu_percent, 5);
	ck_assert_double_gt(spin_usage.cpu_percent, wait_usage.cpu_percent);
	remote_probe_free(probe);
	loop_free(loop);
	stop_job(spinning);
	stop_job(waiting);
}
END_TEST

START_TEST(a_host_that_cannot_be_reached_gives_ssh_last_words)
{
	/* What ssh does for a host it cannot reach: a message, no reading. */
	char *const unreachable[] = {
		(char *)"sh", (char *)"-c",
		(char *)"echo 'ssh: connect to host nowhere port 22: Connection refused' >&2; exit 255",
		(char *)"ssh", NULL,
	};
	struct loop *loop = loop_new();
	struct remote_probe *probe = remote_probe_new(loop);
	pid_t root = getpid();
	ck_assert(read_through(loop, probe, unreachable, &root, 1));
	ck_assert_str_eq(remote_probe_error(probe), "ssh: connect to host nowhere port 22: Connection refused");
	struct tree_usage usage;
	ck_assert(!remote_probe_figures(probe, root, &usage));
	remote_probe_free(probe);
	loop_free(loop);
}
END_TEST

START_TEST(one_reading_at_a_time)
{
	struct loop *loop = loop_new();
	struct remote_probe *probe = remote_probe_new(loop);
	pid_t root = getpid();
	ck_assert_int_eq(remote_probe_start(probe, local_argv(&root, 1), &root, 1), 0);
	ck_assert(remote_probe_busy(probe));
	ck_assert_int_eq(remote_probe_start(probe, local_argv(&root, 1), &root, 1), -1);
	remote_probe_free(probe);  /* kills the reading under way */
	loop_free(loop);
}
END_TEST

static Suite *remote_sample_suite(void)
{
	Suite *suite = suite_create("remote_sample");
	TCase *parser = tcase_create("parser");
	tcase_add_test(parser, a_complete_reading_gives_each_root_its_figures);
	tcase_add_test(parser, a_reading_cut_short_is_refused);
	tcase_add_test(parser, the_host_line_gives_busy_ticks_load_and_pressure);
	tcase_add_test(parser, what_is_not_a_reading_is_refused);
	suite_add_tcase(suite, parser);

	TCase *script = tcase_create("script");
	tcase_set_timeout(script, 60);
	tcase_add_test(script, the_script_reports_the_host_clock_and_unknown_roots_as_gone);
	tcase_add_test(script, a_spinning_child_makes_its_tree_cpu_grow);
	tcase_add_test(script, memory_touched_by_a_job_counts_as_resident);
	tcase_add_test(script, several_trees_are_read_in_one_round_trip);
	tcase_add_test(script, a_host_that_cannot_be_reached_gives_ssh_last_words);
	tcase_add_test(script, one_reading_at_a_time);
	suite_add_tcase(suite, script);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(remote_sample_suite());
	srunner_run_all(runner, CK_ENV);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
