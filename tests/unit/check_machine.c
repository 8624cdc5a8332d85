/* check_machine.c - unit tests of the machine's figures: each /proc file's
 * parser on the kernel's own text, the busy share between two readings of
 * a /proc made up in a directory, a machine without PSI, and this
 * machine's real /proc, a task's run time included. */
#include "machine.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char stat_text[] =
	"cpu  1000 0 500 8000 300 0 200 0 0 0\n"
	"cpu0 500 0 250 4000 150 0 100 0 0 0\n"
	"cpu1 500 0 250 4000 150 0 100 0 0 0\n"
	"intr 12345 0 0 0\n"
	"ctxt 999\n";

START_TEST(the_load_average_is_the_first_figure)
{
	ck_assert_double_eq_tol(machine_parse_loadavg("2.96 2.05 1.59 59/227 1243\n"), 2.96, 1e-9);
	ck_assert_double_eq(machine_parse_loadavg("garbage"), -1);
	ck_assert_double_eq(machine_parse_loadavg(NULL), -1);
}
END_TEST

START_TEST(busy_ticks_leave_out_idle_and_iowait_and_cores_are_counted)
{
	uint64_t busy, total;
	int cores;
	ck_assert(machine_parse_stat(stat_text, &busy, &total, &cores));
	ck_assert_uint_eq(busy, 1700);
	ck_assert_uint_eq(total, 10000);
	ck_assert_int_eq(cores, 2);
	ck_assert(!machine_parse_stat("intr 1 2 3\n", &busy, &total, &cores));
}
END_TEST

START_TEST(memory_available_and_total_are_read_in_bytes)
{
	uint64_t available, total;
	machine_parse_meminfo("MemTotal:        4026532 kB\nMemFree:          123456 kB\n"
			      "MemAvailable:    2013266 kB\nBuffers: 1 kB\n", &available, &total);
	ck_assert_uint_eq(available, 2013266ull * 1024);
	ck_assert_uint_eq(total, 4026532ull * 1024);
	machine_parse_meminfo("MemTotal: 10 kB\n", &available, &total);
	ck_assert_uint_eq(available, 0);
	ck_assert_uint_eq(total, 10240);
}
END_TEST

START_TEST(pressure_is_some_avg10)
{
	ck_assert_double_eq_tol(machine_parse_pressure("some avg10=57.95 avg60=29.28 avg300=20.30 total=26\n"
						       "full avg10=3.00 avg60=0.00 avg300=0.00 total=0\n"),
				57.95, 1e-9);
	ck_assert_double_eq_tol(machine_parse_pressure("full avg10=3.00 avg60=0 avg300=0 total=0\n"
						       "some avg10=1.50 avg60=0 avg300=0 total=0\n"),
				1.5, 1e-9);
	ck_assert_double_eq(machine_parse_pressure("full avg10=3.00\n"), -1);
	ck_assert_double_eq(machine_parse_pressure(NULL), -1);
}
END_TEST

START_TEST(a_task_s_schedstat_is_run_and_wait_nanoseconds)
{
	uint64_t run = 0, wait = 0;
	ck_assert(machine_parse_schedstat("600123456 5400000000 1234\n", &run, &wait));
	ck_assert_uint_eq(run, 600123456ull);
	ck_assert_uint_eq(wait, 5400000000ull);
	ck_assert(!machine_parse_schedstat("", &run, &wait));
	ck_assert(!machine_parse_schedstat(NULL, &run, &wait));
}
END_TEST

START_TEST(a_busy_task_of_ours_has_run_time)
{
	struct machine *machine = machine_new(NULL);
	uint64_t run = 0, wait = 0, run_after = 0;
	ck_assert(machine_task_times(machine, getpid(), &run, &wait));
	for (volatile unsigned long spin = 0; spin < 20000000ul; spin++)
		;
	ck_assert(machine_task_times(machine, getpid(), &run_after, &wait));
	ck_assert_uint_gt(run_after, run);
	ck_assert(!machine_task_times(machine, 0, &run, &wait));
	machine_free(machine);
}
END_TEST

START_TEST(a_task_s_children_are_listed)
{
	pid_t child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	struct machine *machine = machine_new(NULL);
	pid_t children[4];
	int count = machine_task_children(machine, getpid(), children, 4);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	ck_assert_int_ge(count, 1);
	bool found = false;
	for (int i = 0; i < count; i++)
		found = found || children[i] == child;
	ck_assert(found);
	ck_assert_int_eq(machine_task_children(machine, 0, children, 4), 0);
	machine_free(machine);
}
END_TEST

/* A /proc of our own in a temporary directory. */
static char fake_root[64];

static void fake_write(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", fake_root, name);
	FILE *file = fopen(path, "w");
	ck_assert_ptr_nonnull(file);
	fputs(text, file);
	fclose(file);
}

static void fake_proc(bool with_pressure)
{
	snprintf(fake_root, sizeof fake_root, "/tmp/check_machine.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(fake_root));
	fake_write("loadavg", "1.25 0.50 0.25 3/100 42\n");
	fake_write("stat", stat_text);
	fake_write("meminfo", "MemTotal: 2048 kB\nMemAvailable: 1024 kB\n");
	if (with_pressure) {
		char dir[128];
		snprintf(dir, sizeof dir, "%s/pressure", fake_root);
		ck_assert_int_eq(mkdir(dir, 0700), 0);
		fake_write("pressure/cpu", "some avg10=12.50 avg60=0 avg300=0 total=1\n"
					   "full avg10=0 avg60=0 avg300=0 total=0\n");
		fake_write("pressure/memory", "some avg10=0.00 avg60=0 avg300=0 total=1\n");
		fake_write("pressure/io", "some avg10=4.00 avg60=0 avg300=0 total=1\n");
	}
}

static void fake_remove(void)
{
	char command[128];
	snprintf(command, sizeof command, "rm -rf '%s'", fake_root);
	ck_assert_int_eq(system(command), 0);
}

START_TEST(busy_is_the_growth_between_two_readings_100_per_core)
{
	fake_proc(true);
	struct machine *machine = machine_new(fake_root);
	struct machine_figures figures;
	machine_read(machine, &figures);
	ck_assert_double_eq(figures.busy_percent, -1);  /* one reading: no interval yet */
	ck_assert_int_eq(figures.cores, 2);
	ck_assert_double_eq_tol(figures.load1, 1.25, 1e-9);
	ck_assert_uint_eq(figures.mem_available, 1024 * 1024);
	ck_assert_uint_eq(figures.mem_total, 2048 * 1024);
	ck_assert_double_eq_tol(figures.pressure.cpu, 12.5, 1e-9);
	ck_assert_double_eq_tol(figures.pressure.memory, 0, 1e-9);
	ck_assert_double_eq_tol(figures.pressure.io, 4, 1e-9);
	/* 300 busy ticks of 400: three quarters of two cores, 150%. */
	fake_write("stat", "cpu  1200 0 600 8100 300 0 200 0 0 0\ncpu0 0\ncpu1 0\n");
	machine_read(machine, &figures);
	ck_assert_double_eq_tol(figures.busy_percent, 150, 1e-9);
	/* Nothing moved: no interval to judge. */
	machine_read(machine, &figures);
	ck_assert_double_eq(figures.busy_percent, -1);
	machine_free(machine);
	fake_remove();
}
END_TEST

START_TEST(without_psi_pressure_is_unknown_and_nothing_fails)
{
	fake_proc(false);
	struct machine *machine = machine_new(fake_root);
	struct machine_figures figures;
	machine_read(machine, &figures);
	ck_assert_double_eq(figures.pressure.cpu, -1);
	ck_assert_double_eq(figures.pressure.memory, -1);
	ck_assert_double_eq(figures.pressure.io, -1);
	ck_assert_int_eq(figures.cores, 2);
	machine_free(machine);
	fake_remove();

	machine = machine_new("/nonexistent");
	machine_read(machine, &figures);
	ck_assert_double_eq(figures.load1, -1);
	ck_assert_int_eq(figures.cores, 0);
	ck_assert_uint_eq(figures.mem_available, 0);
	machine_free(machine);
}
END_TEST

START_TEST(this_machine_has_figures)
{
	struct machine *machine = machine_new(NULL);
	struct machine_figures figures;
	machine_read(machine, &figures);
	ck_assert_int_eq(figures.cores, (int)sysconf(_SC_NPROCESSORS_ONLN));
	ck_assert(figures.load1 >= 0);
	ck_assert(figures.mem_available > 0 && figures.mem_available <= figures.mem_total);
	usleep(200 * 1000);
	machine_read(machine, &figures);
	ck_assert(figures.busy_percent >= 0 && figures.busy_percent <= figures.cores * 100.0 + 0.001);
	machine_free(machine);
}
END_TEST

static Suite *machine_suite(void)
{
	Suite *suite = suite_create("machine");
	TCase *parse = tcase_create("parse");
	tcase_add_test(parse, the_load_average_is_the_first_figure);
	tcase_add_test(parse, busy_ticks_leave_out_idle_and_iowait_and_cores_are_counted);
	tcase_add_test(parse, memory_available_and_total_are_read_in_bytes);
	tcase_add_test(parse, pressure_is_some_avg10);
	tcase_add_test(parse, a_task_s_schedstat_is_run_and_wait_nanoseconds);
	suite_add_tcase(suite, parse);
	TCase *read = tcase_create("read");
	tcase_add_test(read, busy_is_the_growth_between_two_readings_100_per_core);
	tcase_add_test(read, without_psi_pressure_is_unknown_and_nothing_fails);
	tcase_add_test(read, this_machine_has_figures);
	tcase_add_test(read, a_busy_task_of_ours_has_run_time);
	tcase_add_test(read, a_task_s_children_are_listed);
	suite_add_tcase(suite, read);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(machine_suite());
	srunner_run_all(runner, CK_ENV);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
