/* check_throttle.c - unit tests of the throttles' decisions and parsers
 * (throttle.c) with made-up readings: --load, --memfree, --memsuspend as
 * GNU parallel decides them, SIZE and MAX as it reads them, and the text
 * of /proc/loadavg and /proc/meminfo. */
#include "throttle.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#define GIB (1024ULL * 1024 * 1024)

static struct throttle_reading reading(double running, int64_t available)
{
	return (struct throttle_reading){ .running = running, .available = available };
}

START_TEST(no_limit_holds_nothing)
{
	struct throttle_limits none = { 0 };
	struct throttle_reading busy = reading(500, 1);
	ck_assert(!throttle_limits_active(&none));
	ck_assert_int_eq(throttle_decide(&none, &busy), THROTTLE_NONE);
	ck_assert(!throttle_memfree_kills(&none, &busy));
}
END_TEST

START_TEST(load_holds_while_the_running_threads_reach_the_limit)
{
	struct throttle_limits limits = { .load = 2 };
	struct throttle_reading one = reading(1, -1), two = reading(2, -1), three = reading(3, -1);
	ck_assert_int_eq(throttle_decide(&limits, &one), THROTTLE_NONE);
	ck_assert_int_eq(throttle_decide(&limits, &two), THROTTLE_LOAD);
	ck_assert_int_eq(throttle_decide(&limits, &three), THROTTLE_LOAD);
	ck_assert_str_eq(throttle_reason_name(THROTTLE_LOAD), "load");
}
END_TEST

START_TEST(an_unknown_reading_holds_nothing)
{
	struct throttle_limits limits = { .load = 0.01, .memfree = GIB, .memsuspend = GIB };
	struct throttle_reading unknown = reading(-1, -1);
	ck_assert_int_eq(throttle_decide(&limits, &unknown), THROTTLE_NONE);
	ck_assert(!throttle_memfree_kills(&limits, &unknown));
}
END_TEST

START_TEST(memfree_holds_below_its_size_and_kills_below_half)
{
	struct throttle_limits limits = { .memfree = 2 * GIB };
	struct throttle_reading plenty = reading(0, 3 * GIB), short_of = reading(0, 3 * GIB / 2),
				half = reading(0, GIB - 1);
	ck_assert_int_eq(throttle_decide(&limits, &plenty), THROTTLE_NONE);
	ck_assert_int_eq(throttle_decide(&limits, &short_of), THROTTLE_MEMFREE);
	ck_assert(!throttle_memfree_kills(&limits, &short_of));
	ck_assert_int_eq(throttle_decide(&limits, &half), THROTTLE_MEMFREE);
	ck_assert(throttle_memfree_kills(&limits, &half));
	ck_assert_str_eq(throttle_reason_name(THROTTLE_MEMFREE), "memfree");
}
END_TEST

START_TEST(memsuspend_holds_starts_below_its_size_plus_memfree)
{
	struct throttle_limits limits = { .memfree = GIB, .memsuspend = GIB };
	struct throttle_reading enough = reading(0, 2 * GIB), between = reading(0, 3 * GIB / 2),
				low = reading(0, GIB / 2);
	ck_assert_int_eq(throttle_decide(&limits, &enough), THROTTLE_NONE);
	ck_assert_int_eq(throttle_decide(&limits, &between), THROTTLE_MEMSUSPEND);
	ck_assert_int_eq(throttle_decide(&limits, &low), THROTTLE_MEMFREE);
	ck_assert_str_eq(throttle_reason_name(THROTTLE_MEMSUSPEND), "memsuspend");
	ck_assert_ptr_null(throttle_reason_name(THROTTLE_NONE));
}
END_TEST

START_TEST(memsuspend_keeps_the_oldest_jobs_that_fit_as_parallel_counts)
{
	/* All at or above 2 * SIZE, one below SIZE, floor(1 / (2 - x)) + 1 between. */
	ck_assert_int_eq(throttle_memsuspend_keep(GIB, 2 * GIB, 8), 8);
	ck_assert_int_eq(throttle_memsuspend_keep(GIB, GIB / 2, 8), 1);
	ck_assert_int_eq(throttle_memsuspend_keep(GIB, GIB, 8), 2);
	ck_assert_int_eq(throttle_memsuspend_keep(GIB, 3 * GIB / 2, 8), 3);
	ck_assert_int_eq(throttle_memsuspend_keep(GIB, 7 * GIB / 4, 8), 5);
	ck_assert_int_eq(throttle_memsuspend_keep(GIB, 7 * GIB / 4, 2), 2);
	ck_assert_int_eq(throttle_memsuspend_keep(GIB, -1, 4), 4);
}
END_TEST

START_TEST(sizes_take_parallel_s_suffixes)
{
	uint64_t bytes;
	ck_assert_int_eq(throttle_parse_size("512", &bytes), 0);
	ck_assert_uint_eq(bytes, 512);
	ck_assert_int_eq(throttle_parse_size("1K", &bytes), 0);
	ck_assert_uint_eq(bytes, 1024);
	ck_assert_int_eq(throttle_parse_size("1k", &bytes), 0);
	ck_assert_uint_eq(bytes, 1000);
	ck_assert_int_eq(throttle_parse_size("2G", &bytes), 0);
	ck_assert_uint_eq(bytes, 2 * GIB);
	ck_assert_int_eq(throttle_parse_size("1.5M", &bytes), 0);
	ck_assert_uint_eq(bytes, 1572864);
	ck_assert_int_eq(throttle_parse_size("3g", &bytes), 0);
	ck_assert_uint_eq(bytes, 3000000000ULL);
	ck_assert_int_eq(throttle_parse_size("1P", &bytes), 0);
	ck_assert_uint_eq(bytes, 1125899906842624ULL);
	ck_assert_int_eq(throttle_parse_size("", &bytes), -1);
	ck_assert_int_eq(throttle_parse_size("lots", &bytes), -1);
	ck_assert_int_eq(throttle_parse_size("1KB", &bytes), -1);
	ck_assert_int_eq(throttle_parse_size("-1G", &bytes), -1);
	ck_assert_int_eq(throttle_parse_size("99999P", &bytes), -1);
}
END_TEST

START_TEST(load_is_a_number_or_a_share_of_the_cpus_and_zero_means_a_hundredth)
{
	double load;
	ck_assert_int_eq(throttle_parse_load("3", 4, &load), 0);
	ck_assert_double_eq(load, 3);
	ck_assert_int_eq(throttle_parse_load("1.5", 4, &load), 0);
	ck_assert_double_eq(load, 1.5);
	ck_assert_int_eq(throttle_parse_load("50%", 4, &load), 0);
	ck_assert_double_eq(load, 2);
	ck_assert_int_eq(throttle_parse_load("0", 4, &load), 0);
	ck_assert_double_eq(load, 0.01);
	ck_assert_int_eq(throttle_parse_load("-1", 4, &load), -1);
	ck_assert_int_eq(throttle_parse_load("high", 4, &load), -1);
	ck_assert_int_eq(throttle_parse_load("2x", 4, &load), -1);
}
END_TEST

START_TEST(loadavg_gives_the_runnable_threads_less_the_reader)
{
	double running;
	ck_assert_int_eq(throttle_parse_loadavg("0.52 0.58 0.59 3/467 12345\n", &running), 0);
	ck_assert_double_eq(running, 2);
	ck_assert_int_eq(throttle_parse_loadavg("0.00 0.00 0.00 1/100 1\n", &running), 0);
	ck_assert_double_eq(running, 0);
	ck_assert_int_eq(throttle_parse_loadavg("garbage", &running), -1);
}
END_TEST

START_TEST(meminfo_gives_memavailable_in_bytes)
{
	int64_t available;
	ck_assert_int_eq(throttle_parse_meminfo("MemTotal:       24000000 kB\n"
						"MemFree:         1000000 kB\n"
						"MemAvailable:    2000000 kB\n"
						"Buffers:          100000 kB\n", &available), 0);
	ck_assert_int_eq(available, 2000000LL * 1024);
	ck_assert_int_eq(throttle_parse_meminfo("MemTotal: 1 kB\nMemFree: 1 kB\n", &available), -1);
}
END_TEST

START_TEST(the_machine_can_be_read)
{
	struct throttle_reading now;
	ck_assert_int_eq(throttle_read_proc(NULL, &now), 0);
	ck_assert(now.running >= 0);
	ck_assert(now.available > 0);
}
END_TEST

static Suite *throttle_suite(void)
{
	Suite *suite = suite_create("throttle");
	TCase *decisions = tcase_create("decisions");
	tcase_add_test(decisions, no_limit_holds_nothing);
	tcase_add_test(decisions, load_holds_while_the_running_threads_reach_the_limit);
	tcase_add_test(decisions, an_unknown_reading_holds_nothing);
	tcase_add_test(decisions, memfree_holds_below_its_size_and_kills_below_half);
	tcase_add_test(decisions, memsuspend_holds_starts_below_its_size_plus_memfree);
	tcase_add_test(decisions, memsuspend_keeps_the_oldest_jobs_that_fit_as_parallel_counts);
	suite_add_tcase(suite, decisions);
	TCase *parsing = tcase_create("parsing");
	tcase_add_test(parsing, sizes_take_parallel_s_suffixes);
	tcase_add_test(parsing, load_is_a_number_or_a_share_of_the_cpus_and_zero_means_a_hundredth);
	tcase_add_test(parsing, loadavg_gives_the_runnable_threads_less_the_reader);
	tcase_add_test(parsing, meminfo_gives_memavailable_in_bytes);
	tcase_add_test(parsing, the_machine_can_be_read);
	suite_add_tcase(suite, parsing);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(throttle_suite());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
