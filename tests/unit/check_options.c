/* check_options.c - unit tests of the command line: the value parsers
 * (-j, seconds, sizes, --halt), whole argv vectors as users type them,
 * the ::: split, the --demo defaults, and every mistake refused. */
#include <check.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"

/* ---- helpers -------------------------------------------------------------- */

static struct options parsed;
static char error[512];  /* options_parse's message */

/* Parse the words after "pooltop" (a NULL-terminated list) into `parsed`
 * and return what options_parse returned (a mistake's message is left in
 * `error`). */
static int parse(const char *first, ...)
{
	static char *argv[64];
	int argc = 0;
	va_list list;

	argv[argc++] = (char *)"pooltop";
	va_start(list, first);
	for (const char *word = first; word; word = va_arg(list, const char *)) {
		ck_assert_int_lt(argc, 63);
		argv[argc++] = (char *)word;
	}
	va_end(list);
	argv[argc] = NULL;
	error[0] = '\0';
	return options_parse(argc, argv, &parsed, error, sizeof error);
}

#define parse_words(...) parse(__VA_ARGS__, (const char *)NULL)

#define expect_refused(...) ck_assert_int_eq(parse_words(__VA_ARGS__), -1)

static int jobs_of(const char *text, int cpus)
{
	int jobs = -12345;
	ck_assert_int_eq(options_parse_jobs(text, cpus, &jobs), 0);
	return jobs;
}

static void expect_bad_jobs(const char *text)
{
	int jobs = 7;
	ck_assert_msg(options_parse_jobs(text, 4, &jobs) == -1, "-j '%s' was accepted", text);
	ck_assert_int_eq(jobs, 7);
}

static double seconds_of(const char *text)
{
	double seconds = -1;
	ck_assert_int_eq(options_parse_seconds(text, &seconds), 0);
	return seconds;
}

static void expect_bad_seconds(const char *text)
{
	double seconds;
	ck_assert_msg(options_parse_seconds(text, &seconds) == -1, "seconds '%s' accepted", text);
}

static size_t size_of(const char *text)
{
	size_t size = 0;
	ck_assert_int_eq(options_parse_size(text, &size), 0);
	return size;
}

static void expect_bad_size(const char *text)
{
	size_t size;
	ck_assert_msg(options_parse_size(text, &size) == -1, "size '%s' accepted", text);
}

static struct pool_config halt_of(const char *text)
{
	struct pool_config config = { .halt = HALT_NEVER };
	ck_assert_msg(options_parse_halt(text, &config) == 0, "--halt '%s' refused", text);
	return config;
}

static void expect_bad_halt(const char *text)
{
	struct pool_config config = { .halt = HALT_NEVER };
	ck_assert_msg(options_parse_halt(text, &config) == -1, "--halt '%s' accepted", text);
}

/* ---- -j values ------------------------------------------------------------ */

START_TEST(a_plain_job_count_is_taken_as_it_is)
{
	ck_assert_int_eq(jobs_of("1", 4), 1);
	ck_assert_int_eq(jobs_of("4", 4), 4);
	ck_assert_int_eq(jobs_of("16", 2), 16);
	ck_assert_int_eq(jobs_of("1024", 2), POOL_MAX_JOBS);
}
END_TEST

START_TEST(plus_and_minus_counts_are_relative_to_the_cpus_and_never_below_one)
{
	ck_assert_int_eq(jobs_of("+2", 4), 6);
	ck_assert_int_eq(jobs_of("+0", 4), 4);
	ck_assert_int_eq(jobs_of("-1", 4), 3);
	ck_assert_int_eq(jobs_of("-4", 4), 1);
	ck_assert_int_eq(jobs_of("-100", 4), 1);
	ck_assert_int_eq(jobs_of("+1024", 4), POOL_MAX_JOBS);
}
END_TEST

START_TEST(a_percentage_is_of_the_cpus_rounded_and_at_least_one)
{
	ck_assert_int_eq(jobs_of("100%", 4), 4);
	ck_assert_int_eq(jobs_of("50%", 4), 2);
	ck_assert_int_eq(jobs_of("200%", 2), 4);
	ck_assert_int_eq(jobs_of("1%", 4), 1);
	ck_assert_int_eq(jobs_of("75%", 2), 2);
}
END_TEST

START_TEST(job_counts_that_make_no_sense_are_refused)
{
	expect_bad_jobs("0");
	expect_bad_jobs("abc");
	expect_bad_jobs("");
	expect_bad_jobs("99999999999");
	expect_bad_jobs("1025");
	expect_bad_jobs("-0x4");
	expect_bad_jobs("4x");
	expect_bad_jobs(" 4");
	expect_bad_jobs("%");
	expect_bad_jobs("0%");
	expect_bad_jobs("+");
	expect_bad_jobs("-");
	expect_bad_jobs("+-2");
	expect_bad_jobs("2.5");
}
END_TEST

/* ---- seconds, sizes, --halt ----------------------------------------------- */

START_TEST(seconds_are_non_negative_decimal_numbers)
{
	ck_assert_double_eq(seconds_of("1"), 1.0);
	ck_assert_double_eq(seconds_of("0.5"), 0.5);
	ck_assert_double_eq(seconds_of("0"), 0.0);
	ck_assert_double_eq(seconds_of("2.25"), 2.25);
	ck_assert_double_eq(seconds_of("1e3"), 1000.0);
	expect_bad_seconds("");
	expect_bad_seconds("-1");
	expect_bad_seconds("abc");
	expect_bad_seconds("1s");
	expect_bad_seconds(" 1");
	expect_bad_seconds("inf");
	expect_bad_seconds("nan");
	expect_bad_seconds("1e10");
}
END_TEST

START_TEST(sizes_take_an_optional_binary_suffix)
{
	ck_assert_uint_eq(size_of("65536"), 65536);
	ck_assert_uint_eq(size_of("64K"), 65536);
	ck_assert_uint_eq(size_of("64k"), 65536);
	ck_assert_uint_eq(size_of("16M"), 16u << 20);
	ck_assert_uint_eq(size_of("1G"), 1u << 30);
	expect_bad_size("");
	expect_bad_size("0");
	expect_bad_size("K");
	expect_bad_size("1KB");
	expect_bad_size("1T");
	expect_bad_size("-1");
	expect_bad_size(" 1");
	expect_bad_size("99999999999999999999");
	expect_bad_size("99999999999999999G");
}
END_TEST

START_TEST(halt_takes_when_and_a_failure_or_success_count)
{
	struct pool_config config = halt_of("now,fail=1");
	ck_assert_int_eq(config.halt, HALT_NOW);
	ck_assert_int_eq(config.halt_fail, 1);
	ck_assert_int_eq(config.halt_success, 0);

	config = halt_of("soon,fail=3");
	ck_assert_int_eq(config.halt, HALT_SOON);
	ck_assert_int_eq(config.halt_fail, 3);

	config = halt_of("now,success=2");
	ck_assert_int_eq(config.halt, HALT_NOW);
	ck_assert_int_eq(config.halt_success, 2);
	ck_assert_int_eq(config.halt_fail, 0);

	config = halt_of("soon,success=5");
	ck_assert_int_eq(config.halt, HALT_SOON);
	ck_assert_int_eq(config.halt_success, 5);

	config = halt_of("never");
	ck_assert_int_eq(config.halt, HALT_NEVER);
}
END_TEST

START_TEST(halt_accepts_gnu_parallels_old_numbers)
{
	struct pool_config config = halt_of("0");
	ck_assert_int_eq(config.halt, HALT_NEVER);
	config = halt_of("1");
	ck_assert_int_eq(config.halt, HALT_SOON);
	ck_assert_int_eq(config.halt_fail, 1);
	config = halt_of("2");
	ck_assert_int_eq(config.halt, HALT_NOW);
	ck_assert_int_eq(config.halt_fail, 1);
}
END_TEST

START_TEST(halt_refuses_anything_else)
{
	expect_bad_halt("");
	expect_bad_halt("3");
	expect_bad_halt("now");
	expect_bad_halt("later,fail=1");
	expect_bad_halt("now,fail=0");
	expect_bad_halt("now,fail=x");
	expect_bad_halt("now,fail=");
	expect_bad_halt("now,other=1");
	expect_bad_halt("soon,success=-1");
	expect_bad_halt("NOW,fail=1");
}
END_TEST

/* ---- whole command lines -------------------------------------------------- */

START_TEST(a_typical_command_line_runs_in_command_mode)
{
	ck_assert_int_eq(parse_words("-j", "4", "-k", "gzip", "-9", "{}"), 0);
	ck_assert_int_eq(parsed.mode, MODE_COMMAND);
	ck_assert_int_eq(parsed.pool.kind, POOL_COMMAND);
	ck_assert_int_eq(parsed.pool.jobs, 4);
	ck_assert(parsed.jobs_given);
	ck_assert(parsed.keep_order);
	ck_assert_int_eq(parsed.command_argc, 3);
	ck_assert_str_eq(parsed.command[0], "gzip");
	ck_assert_str_eq(parsed.command[1], "-9");
	ck_assert_str_eq(parsed.command[2], "{}");
	ck_assert_int_eq(parsed.sources.count, 0);
	ck_assert(!parsed.has_range);
	ck_assert_ptr_null(parsed.arg_file);
	ck_assert_int_eq(parsed.delimiter, '\n');
}
END_TEST

START_TEST(defaults_are_online_cpus_graceful_no_retries_and_one_second_refresh)
{
	ck_assert_int_eq(parse_words("echo"), 0);
	ck_assert_int_eq(parsed.pool.jobs, options_online_cpus());
	ck_assert(!parsed.jobs_given);
	ck_assert_int_eq(parsed.pool.min_jobs, 1);
	ck_assert_int_eq(parsed.pool.max_jobs, POOL_MAX_JOBS);
	ck_assert_int_eq(parsed.pool.shrink, SHRINK_GRACEFUL);
	ck_assert_int_eq(parsed.pool.retries, 0);
	ck_assert_double_eq(parsed.pool.timeout, 0);
	ck_assert_double_eq(parsed.pool.grace, 5.0);
	ck_assert_int_eq(parsed.pool.inflight, 1);
	ck_assert_int_eq(parsed.pool.halt, HALT_NEVER);
	ck_assert_double_eq(parsed.refresh, 1.0);
	ck_assert(!parsed.keep_order && !parsed.shell && !parsed.batch && !parsed.progress);
	ck_assert_ptr_null(parsed.joblog);
}
END_TEST

START_TEST(options_after_the_command_belong_to_the_command)
{
	ck_assert_int_eq(parse_words("echo", "-k", "--batch", "-j", "9"), 0);
	ck_assert(!parsed.keep_order);
	ck_assert(!parsed.batch);
	ck_assert(!parsed.jobs_given);
	ck_assert_int_eq(parsed.command_argc, 5);
	ck_assert_str_eq(parsed.command[1], "-k");

	ck_assert_int_eq(parse_words("-k", "--", "-weird-command", "x"), 0);
	ck_assert(parsed.keep_order);
	ck_assert_int_eq(parsed.command_argc, 2);
	ck_assert_str_eq(parsed.command[0], "-weird-command");
}
END_TEST

START_TEST(long_options_take_values_with_or_without_equals_and_may_be_abbreviated)
{
	ck_assert_int_eq(parse_words("--jobs=3", "--retries", "2", "--timeout=1.5", "--keep",
				     "--joblog", "log.tsv", "--batch", "--progress", "--refresh=0.25",
				     "echo"), 0);
	ck_assert_int_eq(parsed.pool.jobs, 3);
	ck_assert_int_eq(parsed.pool.retries, 1);  /* --retries 2: two runs at most */
	ck_assert_double_eq(parsed.pool.timeout, 1.5);
	ck_assert(parsed.keep_order);
	ck_assert_str_eq(parsed.joblog, "log.tsv");
	ck_assert(parsed.batch && parsed.progress);
	ck_assert_double_eq(parsed.refresh, 0.25);
}
END_TEST

START_TEST(item_sources_and_delimiters_are_recorded)
{
	ck_assert_int_eq(parse_words("-a", "items.txt", "-0", "echo"), 0);
	ck_assert_str_eq(parsed.arg_file, "items.txt");
	ck_assert_int_eq(parsed.delimiter, '\0');

	ck_assert_int_eq(parse_words("--range=10..1..-3", "echo"), 0);
	ck_assert(parsed.has_range);
	ck_assert_int_eq(parsed.range_first, 10);
	ck_assert_int_eq(parsed.range_last, 1);
	ck_assert_int_eq(parsed.range_step, -3);

	ck_assert_int_eq(parse_words("-d", ",", "echo"), 0);
	ck_assert_int_eq(parsed.delimiter, ',');
	ck_assert_int_eq(parse_words("--delimiter=\\t", "echo"), 0);
	ck_assert_int_eq(parsed.delimiter, '\t');
	ck_assert_int_eq(parse_words("-d", "\\0", "echo"), 0);
	ck_assert_int_eq(parsed.delimiter, '\0');
	ck_assert_int_eq(parse_words("-d", "\\n", "echo"), 0);
	ck_assert_int_eq(parsed.delimiter, '\n');
}
END_TEST

START_TEST(triple_colons_split_the_command_from_its_items)
{
	ck_assert_int_eq(parse_words("echo", "{}", "-n", ":::", "a b", "-k"), 0);
	ck_assert_int_eq(parsed.command_argc, 3);
	ck_assert_str_eq(parsed.command[2], "-n");
	ck_assert_int_eq(parsed.sources.count, 1);
	ck_assert_int_eq(parsed.sources.specs[0].type, SOURCE_WORDS);
	ck_assert_int_eq(parsed.sources.specs[0].word_count, 2);
	ck_assert_str_eq(parsed.sources.specs[0].words[0], "a b");
	ck_assert_str_eq(parsed.sources.specs[0].words[1], "-k");
	ck_assert(!parsed.keep_order);
}
END_TEST

START_TEST(triple_colons_with_no_items_give_an_empty_source)
{
	ck_assert_int_eq(parse_words("echo", ":::"), 0);
	ck_assert_int_eq(parsed.command_argc, 1);
	ck_assert_int_eq(parsed.sources.count, 1);
	ck_assert_int_eq(parsed.sources.specs[0].word_count, 0);
}
END_TEST

START_TEST(every_source_group_after_the_command_is_a_source_in_order)
{
	ck_assert_int_eq(parse_words("-a", "first", "--range=1..3", "echo", "{1}", ":::", "a", "b",
				     ":::+", "1", "2", "::::", "f1", "f2", "::::+", "f3", ":::"), 0);
	ck_assert_int_eq(parsed.command_argc, 2);
	ck_assert_int_eq(parsed.sources.count, 8);
	const struct source_spec *specs = parsed.sources.specs;
	ck_assert_int_eq(specs[0].type, SOURCE_FILE);
	ck_assert_str_eq(specs[0].path, "first");
	ck_assert_int_eq(specs[1].type, SOURCE_RANGE);
	ck_assert_int_eq(specs[1].last, 3);
	ck_assert_int_eq(specs[2].type, SOURCE_WORDS);
	ck_assert(!specs[2].linked);
	ck_assert_int_eq(specs[2].word_count, 2);
	ck_assert(specs[3].linked);
	ck_assert_str_eq(specs[3].words[1], "2");
	ck_assert_int_eq(specs[4].type, SOURCE_FILE);
	ck_assert_str_eq(specs[4].path, "f1");
	ck_assert(!specs[4].linked);
	ck_assert_str_eq(specs[5].path, "f2");
	ck_assert(!specs[5].linked);
	ck_assert_str_eq(specs[6].path, "f3");
	ck_assert(specs[6].linked);
	ck_assert_int_eq(specs[7].type, SOURCE_WORDS);
	ck_assert_int_eq(specs[7].word_count, 0);
	ck_assert_str_eq(parsed.arg_file, "first");
}
END_TEST

START_TEST(several_arg_files_are_several_sources)
{
	ck_assert_int_eq(parse_words("-a", "one", "--arg-file=two", "-a", "-", "echo"), 0);
	ck_assert_int_eq(parsed.sources.count, 3);
	ck_assert_str_eq(parsed.sources.specs[0].path, "one");
	ck_assert_str_eq(parsed.sources.specs[1].path, "two");
	ck_assert_str_eq(parsed.sources.specs[2].path, "-");
}
END_TEST

START_TEST(colons_inside_a_word_or_with_other_suffixes_belong_to_the_command)
{
	ck_assert_int_eq(parse_words("echo", "::: a", ":::x", "::::-", ":::", "b", ":::b"), 0);
	ck_assert_int_eq(parsed.command_argc, 4);
	ck_assert_int_eq(parsed.sources.count, 1);
	ck_assert_int_eq(parsed.sources.specs[0].word_count, 2);
	ck_assert_str_eq(parsed.sources.specs[0].words[1], ":::b");
}
END_TEST

START_TEST(arg_sep_and_arg_file_sep_change_the_separators)
{
	ck_assert_int_eq(parse_words("--arg-sep", ",,", "--arg-file-sep=//", "echo", ":::", ",,", "a",
				     ",,+", "1", "//", "f"), 0);
	ck_assert_int_eq(parsed.command_argc, 2);
	ck_assert_str_eq(parsed.command[1], ":::");
	ck_assert_int_eq(parsed.sources.count, 3);
	ck_assert(parsed.sources.specs[1].linked);
	ck_assert_int_eq(parsed.sources.specs[2].type, SOURCE_FILE);
	expect_refused("--arg-sep", "::", "--arg-file-sep", "::", "echo");
	expect_refused("--arg-sep=", "echo");
}
END_TEST

START_TEST(source_options_are_recorded_and_bad_ones_refused)
{
	ck_assert_int_eq(parse_words("--link", "-C", "\\t", "--trim", "l", "--header", ":", "--shuf", "echo"), 0);
	ck_assert(parsed.sources.link);
	ck_assert_str_eq(parsed.sources.colsep, "\\t");
	ck_assert_str_eq(parsed.sources.trim, "l");
	ck_assert_str_eq(parsed.sources.header, ":");
	ck_assert(parsed.sources.shuffle);
	ck_assert_int_eq(parse_words("--xapply", "echo"), 0);
	ck_assert(parsed.sources.link);
	expect_refused("--trim", "x", "echo");
	expect_refused("--colsep", "(?=a)", "echo");
	expect_refused("--colsep", "a*?", "echo");
	expect_refused("--colsep", "\\b", "echo");
	expect_refused("--colsep", "[a", "echo");
	expect_refused("--header", "0", "echo");
	expect_refused("--header", "2", "echo");
	expect_refused("--header", "(", "echo");
	expect_refused("--worker", "-C", ",", "cat");
	expect_refused("--worker", "cat", ":::", "a", ":::", "b");
	ck_assert_int_eq(parse_words("--worker", "cat", ":::", "a"), 0);
}
END_TEST

START_TEST(no_command_before_the_sources_is_refused)
{
	expect_refused(":::", "a");
	ck_assert_ptr_nonnull(strstr(error, "no command"));
}
END_TEST

START_TEST(the_demo_defaults_to_ten_items_on_three_workers)
{
	ck_assert_int_eq(parse_words("--demo"), 0);
	ck_assert_int_eq(parsed.mode, MODE_DEMO);
	ck_assert_int_eq(parsed.pool.kind, POOL_WORKER);
	ck_assert_int_eq(parsed.pool.jobs, 3);
	ck_assert(parsed.has_range);
	ck_assert_int_eq(parsed.range_first, 0);
	ck_assert_int_eq(parsed.range_last, 9);
	ck_assert_int_eq(parsed.range_step, 1);
	ck_assert_int_eq(parsed.command_argc, 0);
}
END_TEST

START_TEST(the_demo_takes_jobs_and_range_from_the_command_line)
{
	ck_assert_int_eq(parse_words("--demo", "-j", "5", "--range", "0..4"), 0);
	ck_assert_int_eq(parsed.mode, MODE_DEMO);
	ck_assert_int_eq(parsed.pool.jobs, 5);
	ck_assert_int_eq(parsed.range_first, 0);
	ck_assert_int_eq(parsed.range_last, 4);
}
END_TEST

START_TEST(worker_mode_keeps_the_worker_command)
{
	ck_assert_int_eq(parse_words("--worker", "--inflight=4", "--max-items-per-worker=100",
				     "--max-line=64K", "python3", "-u", "work.py"), 0);
	ck_assert_int_eq(parsed.mode, MODE_WORKER);
	ck_assert_int_eq(parsed.pool.kind, POOL_WORKER);
	ck_assert_int_eq(parsed.pool.inflight, 4);
	ck_assert_int_eq(parsed.pool.max_items_per_worker, 100);
	ck_assert_uint_eq(parsed.pool.max_line, 65536);
	ck_assert_int_eq(parsed.command_argc, 3);
	ck_assert_str_eq(parsed.command[0], "python3");
}
END_TEST

START_TEST(pool_bounds_and_tuning_options_are_recorded)
{
	ck_assert_int_eq(parse_words("--min-jobs=2", "--max-jobs=8", "--shrink=kill",
				     "--autotune=2..6", "--grace=0.5", "--delay=0.1",
				     "--halt=soon,fail=2", "echo"), 0);
	ck_assert_int_eq(parsed.pool.min_jobs, 2);
	ck_assert_int_eq(parsed.pool.max_jobs, 8);
	ck_assert_int_eq(parsed.pool.shrink, SHRINK_KILL);
	ck_assert(parsed.autotune);
	ck_assert_int_eq(parsed.autotune_min, 2);
	ck_assert_int_eq(parsed.autotune_max, 6);
	ck_assert_double_eq(parsed.pool.grace, 0.5);
	ck_assert_double_eq(parsed.pool.delay, 0.1);
	ck_assert_int_eq(parsed.pool.halt, HALT_SOON);
	ck_assert_int_eq(parsed.pool.halt_fail, 2);
}
END_TEST

START_TEST(autotune_without_a_range_searches_the_bounds_up_to_64)
{
	ck_assert_int_eq(parse_words("--autotune", "echo"), 0);
	ck_assert(parsed.autotune);
	ck_assert_int_eq(parsed.autotune_min, 1);
	ck_assert_int_eq(parsed.autotune_max, 64);
	ck_assert_int_eq(parse_words("--max-jobs=10", "--autotune", "echo"), 0);
	ck_assert_int_eq(parsed.autotune_max, 10);
}
END_TEST

START_TEST(the_starting_count_is_kept_within_the_bounds)
{
	ck_assert_int_eq(parse_words("--min-jobs=4", "-j", "2", "echo"), 0);
	ck_assert_int_eq(parsed.pool.jobs, 4);
	ck_assert_int_eq(parse_words("--max-jobs=3", "-j", "10", "echo"), 0);
	ck_assert_int_eq(parsed.pool.jobs, 3);
}
END_TEST

START_TEST(joblog_and_resume_go_together)
{
	ck_assert_int_eq(parse_words("--joblog=run.log", "--resume", "echo"), 0);
	ck_assert(parsed.resume && !parsed.resume_failed);
	ck_assert_int_eq(parse_words("--joblog=run.log", "--resume-failed", "echo"), 0);
	ck_assert(parsed.resume_failed && !parsed.resume);
	expect_refused("--resume", "echo");
	expect_refused("--resume-failed", "echo");
	expect_refused("--joblog=run.log", "--resume", "--resume-failed", "echo");
}
END_TEST

START_TEST(help_and_version_ask_to_exit_with_success)
{
	ck_assert_int_eq(parse_words("--help"), OPTIONS_HELP);
	ck_assert_int_eq(parse_words("-h"), OPTIONS_HELP);
	ck_assert_int_eq(parse_words("--version"), OPTIONS_VERSION);
	ck_assert_int_eq(parse_words("-V", "echo"), OPTIONS_VERSION);
}
END_TEST

START_TEST(a_mistake_is_one_line_for_the_caller_to_print)
{
	ck_assert_int_eq(parse_words("--jobs=many", "echo"), OPTIONS_ERROR);
	ck_assert_str_eq(error, "invalid --jobs 'many': give a number from 0 (as many as possible) to 1024, +N, -N or N%");
	ck_assert_int_eq(parse_words("--no-such-option", "echo"), OPTIONS_ERROR);
	ck_assert_str_eq(error, "unknown option '--no-such-option' (try 'pooltop --help')");
}
END_TEST

START_TEST(log_names_the_debug_log)
{
	ck_assert_int_eq(parse_words("echo"), OPTIONS_RUN);
	ck_assert_ptr_null(parsed.log_path);
	ck_assert_int_eq(parse_words("--log=run.log", "echo"), OPTIONS_RUN);
	ck_assert_str_eq(parsed.log_path, "run.log");
	expect_refused("--log=", "echo");
	ck_assert_int_eq(parse_words("--log"), OPTIONS_ERROR);
}
END_TEST

START_TEST(version_text_has_copyright_and_licence)
{
	const char *text = options_version_text();
	ck_assert_msg(!strncmp(text, "pooltop ", 8), "%s", text);
	ck_assert_ptr_nonnull(strstr(text, "\nCopyright (C) "));
	ck_assert_ptr_nonnull(strstr(text, "\nLicense GPLv3+: GNU GPL version 3 or later"));
	ck_assert_ptr_nonnull(strstr(text, "\nThere is NO WARRANTY, to the extent permitted by law.\n"));
	const char *help = options_help_text();
	ck_assert_ptr_null(strstr(help, "Report bugs to: \n"));
}
END_TEST

START_TEST(ctl_takes_a_socket_and_a_command)
{
	ck_assert_int_eq(parse_words("ctl", "/tmp/pool.sock", "jobs", "8"), 0);
	ck_assert_int_eq(parsed.mode, MODE_CTL);
	ck_assert_str_eq(parsed.ctl_socket, "/tmp/pool.sock");
	ck_assert_int_eq(parsed.ctl_count, 2);
	ck_assert_str_eq(parsed.ctl_words[0], "jobs");
	ck_assert_str_eq(parsed.ctl_words[1], "8");
	expect_refused("ctl", "/tmp/pool.sock");
}
END_TEST

START_TEST(every_bad_command_line_is_refused)
{
	expect_refused("--bogus", "echo");
	expect_refused("-x", "echo");
	expect_refused("-j", "abc", "echo");
	expect_refused("-j", "99999999999", "echo");
	expect_refused("-j");
	expect_refused("--jobs");
	expect_refused("--range", "5..1..0", "echo");
	expect_refused("--range", "x", "echo");
	expect_refused("--range=1..", "echo");
	expect_refused("-d", "ab", "echo");
	expect_refused("--shrink=sometimes", "echo");
	expect_refused("--retries=-1", "echo");
	expect_refused("--timeout=soon", "echo");
	expect_refused("--refresh=0.01", "echo");
	expect_refused("--inflight=0", "--worker", "cat");
	expect_refused("--max-items-per-worker=0", "--worker", "cat");
	expect_refused("--max-line=0", "--worker", "cat");
	expect_refused("--min-jobs=5", "--max-jobs=2", "echo");
	expect_refused("--min-jobs=0", "echo");
	expect_refused("--max-jobs=2000", "echo");
	expect_refused("--autotune=0..8", "echo");
	expect_refused("--autotune=8..2", "echo");
	expect_refused("--autotune=1..2000", "echo");
	expect_refused("--halt=maybe", "echo");
	expect_refused("--version=2");
}
END_TEST

START_TEST(a_run_needs_a_command)
{
	expect_refused("-j", "2");
	expect_refused(":::", "a", "b");
	expect_refused("--worker");
}
END_TEST

/* ---- several items per job ----------------------------------------------- */

START_TEST(several_items_per_job_are_recorded)
{
	ck_assert_int_eq(parse_words("-X", "echo"), OPTIONS_RUN);
	ck_assert(parsed.fill_line && parsed.context_replace);
	ck_assert_int_eq(parse_words("-m", "echo"), OPTIONS_RUN);
	ck_assert(parsed.fill_line && !parsed.context_replace);
	ck_assert_int_eq(parse_words("--xargs", "echo"), OPTIONS_RUN);
	ck_assert(parsed.fill_line && !parsed.context_replace);
	ck_assert_int_eq(parse_words("--max-replace-args=3", "echo"), OPTIONS_RUN);
	ck_assert(parsed.max_args == 3 && parsed.max_args_exact);
	ck_assert_int_eq(parse_words("-I", "@@", "-s", "4096", "echo", "@@"), OPTIONS_RUN);
	ck_assert_str_eq(parsed.replace, "@@");
	ck_assert_uint_eq(parsed.max_chars, 4096);
	ck_assert_int_eq(parse_words("--replace", "echo"), OPTIONS_RUN);
	ck_assert_ptr_null(parsed.replace);
}
END_TEST

START_TEST(max_lines_implies_context_replace_unless_m)
{
	ck_assert_int_eq(parse_words("-L", "2", "echo"), OPTIONS_RUN);
	ck_assert(parsed.max_args == 2 && parsed.context_replace && !parsed.fill_line);
	ck_assert_int_eq(parse_words("-m", "--max-lines=2", "echo"), OPTIONS_RUN);
	ck_assert(parsed.max_args == 2 && !parsed.context_replace);
	ck_assert_int_eq(parse_words("-L", "2", "-m", "echo"), OPTIONS_RUN);
	ck_assert(!parsed.context_replace);
}
END_TEST

START_TEST(grouping_mistakes_are_refused)
{
	expect_refused("-L", "0", "echo");
	expect_refused("-s", "0", "echo");
	expect_refused("-s", "99999999999999", "echo");
	ck_assert_msg(strstr(error, "at most") != NULL, "%s", error);
	expect_refused("--replace=", "echo");
	expect_refused("--worker", "-n", "2", "cat");
	expect_refused("--worker", "-X", "cat");
	expect_refused("--worker", "-I", "@", "cat");
}
END_TEST

/* ---- GNU parallel's policies ---------------------------------------------- */

static double duration_of(const char *text)
{
	double seconds = -1;
	ck_assert_msg(options_parse_duration(text, &seconds) == 0, "duration '%s' refused", text);
	return seconds;
}

static void expect_bad_duration(const char *text)
{
	double seconds;
	ck_assert_msg(options_parse_duration(text, &seconds) == -1, "duration '%s' accepted", text);
}

START_TEST(durations_take_parallels_units_s_m_h_d_and_their_combinations)
{
	ck_assert_double_eq(duration_of("30"), 30);
	ck_assert_double_eq(duration_of("1.5"), 1.5);
	ck_assert_double_eq(duration_of(".5"), 0.5);
	ck_assert_double_eq(duration_of("30s"), 30);
	ck_assert_double_eq(duration_of("30S"), 30);
	ck_assert_double_eq(duration_of("2m"), 120);
	ck_assert_double_eq(duration_of("1h"), 3600);
	ck_assert_double_eq(duration_of("1d"), 86400);
	ck_assert_double_eq(duration_of("1h30m"), 5400);
	ck_assert_double_eq(duration_of("0.5m"), 30);
	/* man parallel's example: 100000 and 1d3.5h16.6m4s are the same. */
	ck_assert_double_eq_tol(duration_of("1d3.5h16.6m4s"), 100000, 1e-6);
	expect_bad_duration("");
	expect_bad_duration("1h30");  /* parallel: "--timeout must be seconds or percentage" */
	expect_bad_duration("1m2");
	expect_bad_duration("abc");
	expect_bad_duration("-1");
	expect_bad_duration("1e2");
	expect_bad_duration("1x");
	expect_bad_duration("s");
	expect_bad_duration("1..2");
	expect_bad_duration(" 1");
	expect_bad_duration("99999999999d");
}
END_TEST

START_TEST(a_timeout_is_a_duration_or_a_percentage_of_the_median)
{
	double seconds = -1, percent = -1;
	ck_assert_int_eq(options_parse_timeout("2m", &seconds, &percent), 0);
	ck_assert_double_eq(seconds, 120);
	ck_assert_double_eq(percent, 0);
	ck_assert_int_eq(options_parse_timeout("200%", &seconds, &percent), 0);
	ck_assert_double_eq(seconds, 0);
	ck_assert_double_eq(percent, 200);
	ck_assert_int_eq(options_parse_timeout("1.5%", &seconds, &percent), 0);
	ck_assert_double_eq(percent, 1.5);
	ck_assert_int_eq(options_parse_timeout("%", &seconds, &percent), -1);
	ck_assert_int_eq(options_parse_timeout("0%", &seconds, &percent), -1);
	ck_assert_int_eq(options_parse_timeout("2s%", &seconds, &percent), -1);
	ck_assert_int_eq(options_parse_timeout("-5%", &seconds, &percent), -1);
}
END_TEST

START_TEST(a_delay_may_end_with_auto)
{
	double seconds = -1;
	bool adjust = false;
	ck_assert_int_eq(options_parse_delay("13m3sauto", &seconds, &adjust), 0);
	ck_assert_double_eq(seconds, 783);
	ck_assert(adjust);
	ck_assert_int_eq(options_parse_delay("0.5", &seconds, &adjust), 0);
	ck_assert_double_eq(seconds, 0.5);
	ck_assert(!adjust);
	ck_assert_int_eq(options_parse_delay("auto", &seconds, &adjust), 0);
	ck_assert_double_eq(seconds, 0);
	ck_assert(adjust);
	ck_assert_int_eq(options_parse_delay("1xauto", &seconds, &adjust), -1);
	ck_assert_int_eq(options_parse_delay("autox", &seconds, &adjust), -1);
}
END_TEST

START_TEST(a_termseq_is_signals_and_waits_in_milliseconds)
{
	struct pool_term_step steps[POOL_TERM_STEPS];
	int count = 0;
	ck_assert_int_eq(options_parse_termseq("TERM,200,TERM,100,TERM,50,KILL,25", steps, &count), 0);
	ck_assert_int_eq(count, 4);
	ck_assert_int_eq(steps[0].signo, SIGTERM);
	ck_assert_double_eq_tol(steps[0].wait, 0.2, 1e-9);
	ck_assert_int_eq(steps[3].signo, SIGKILL);
	ck_assert_double_eq_tol(steps[3].wait, 0.025, 1e-9);
	/* Names with SIG, in any case, numbers, and a last wait left out. */
	ck_assert_int_eq(options_parse_termseq("SIGINT,1000,hup,10,9", steps, &count), 0);
	ck_assert_int_eq(count, 3);
	ck_assert_int_eq(steps[0].signo, SIGINT);
	ck_assert_int_eq(steps[1].signo, SIGHUP);
	ck_assert_int_eq(steps[2].signo, SIGKILL);
	ck_assert_double_eq(steps[2].wait, 0);
	ck_assert_int_eq(options_parse_termseq("", steps, &count), -1);
	ck_assert_int_eq(options_parse_termseq("NOSUCH,100", steps, &count), -1);
	ck_assert_int_eq(options_parse_termseq("TERM,soon", steps, &count), -1);
	ck_assert_int_eq(options_parse_termseq("TERM,100,", steps, &count), -1);
	ck_assert_int_eq(options_parse_termseq("TERM,-1", steps, &count), -1);
	ck_assert_int_eq(options_parse_termseq("0,100", steps, &count), -1);
}
END_TEST

START_TEST(halt_takes_done_and_percentages)
{
	struct pool_config config = halt_of("now,done=3");
	ck_assert_int_eq(config.halt, HALT_NOW);
	ck_assert_int_eq(config.halt_done, 3);
	ck_assert_int_eq(config.halt_fail, 0);
	ck_assert(!config.halt_percent);

	config = halt_of("soon,fail=20%");
	ck_assert_int_eq(config.halt, HALT_SOON);
	ck_assert_int_eq(config.halt_fail, 20);
	ck_assert(config.halt_percent);

	config = halt_of("now,success=3%");
	ck_assert_int_eq(config.halt_success, 3);
	ck_assert(config.halt_percent);

	/* parallel's old forms: -1 soon,success=1, -2 now,success=1, N% soon,fail=N%. */
	config = halt_of("-2");
	ck_assert_int_eq(config.halt, HALT_NOW);
	ck_assert_int_eq(config.halt_success, 1);
	config = halt_of("-1");
	ck_assert_int_eq(config.halt, HALT_SOON);
	ck_assert_int_eq(config.halt_success, 1);
	config = halt_of("5%");
	ck_assert_int_eq(config.halt, HALT_SOON);
	ck_assert_int_eq(config.halt_fail, 5);
	ck_assert(config.halt_percent);

	expect_bad_halt("now,done=0");
	expect_bad_halt("now,fail=101%");
	expect_bad_halt("now,fail=0%");
	expect_bad_halt("now,fail=%");
	expect_bad_halt("soon,done=1.5%");
}
END_TEST

START_TEST(jobs_as_parallel_computes_them)
{
	/* N%: ceil(cpus * N / 100), N may have decimals. */
	ck_assert_int_eq(jobs_of("30%", 4), 2);
	ck_assert_int_eq(jobs_of("10.5%", 10), 2);
	ck_assert_int_eq(jobs_of("150%", 2), 3);
	ck_assert_int_eq(jobs_of("70%", 2), 2);
	expect_bad_jobs(".5%");
	/* -j 0: as many as --max-jobs allows; -P is -j, as in xargs. */
	ck_assert_int_eq(parse_words("-j", "0", "echo"), 0);
	ck_assert_int_eq(parsed.pool.jobs, POOL_MAX_JOBS);
	ck_assert_int_eq(parse_words("-j", "0", "--max-jobs=40", "echo"), 0);
	ck_assert_int_eq(parsed.pool.jobs, 40);
	ck_assert_int_eq(parse_words("-P", "2", "echo"), 0);
	ck_assert_int_eq(parsed.pool.jobs, 2);
	ck_assert_int_eq(parse_words("--max-procs=3", "echo"), 0);
	ck_assert_int_eq(parsed.pool.jobs, 3);
}
END_TEST

START_TEST(the_policy_options_are_recorded)
{
	ck_assert_int_eq(parse_words("--retries", "1", "echo"), 0);
	ck_assert_int_eq(parsed.pool.retries, 0);  /* one run */
	ck_assert_int_eq(parse_words("--retries", "0", "echo"), 0);
	ck_assert_int_eq(parsed.pool.retries, INT_MAX);  /* parallel: 0 is no limit */
	ck_assert_int_eq(parse_words("--timeout", "1h30m", "--grace=2m", "--delay=1sauto", "echo"), 0);
	ck_assert_double_eq(parsed.pool.timeout, 5400);
	ck_assert_double_eq(parsed.pool.grace, 120);
	ck_assert_double_eq(parsed.pool.delay, 1);
	ck_assert(parsed.pool.delay_auto);
	ck_assert_int_eq(parse_words("--timeout=300%", "--term-seq=INT,10,KILL", "echo"), 0);
	ck_assert_double_eq(parsed.pool.timeout_percent, 300);
	ck_assert_int_eq(parsed.pool.term_steps, 2);
	ck_assert_int_eq(parse_words("--process-slot-var=SLOT", "-r", "echo"), 0);
	ck_assert_str_eq(parsed.pool.process_slot_var, "SLOT");
	ck_assert(parsed.pool.skip_blank);
	ck_assert_int_eq(parse_words("--no-run-if-empty", "--termseq", "KILL", "echo"), 0);
	ck_assert(parsed.pool.skip_blank);
	ck_assert_int_eq(parse_words("--retry-failed", "--joblog=log"), 0);
	ck_assert(parsed.retry_failed);
	expect_refused("--retry-failed", "echo");
	expect_refused("--retry-failed", "--joblog=log", "--resume", "echo");
	expect_refused("--retry-failed", "--joblog=log", "--worker", "cat");
	expect_refused("--process-slot-var=", "echo");
	expect_refused("--process-slot-var=A=B", "echo");
	expect_refused("--termseq=TERM,x", "echo");
	expect_refused("--timeout=1h30", "echo");
}
END_TEST

START_TEST(gnu_parallel_options_pooltop_lacks_are_refused_by_name)
{
	ck_assert_int_eq(parse_words("--sqlmaster", "DBURL", "echo"), -1);
	ck_assert_str_eq(error, "--sqlmaster (GNU parallel's job queue in an SQL database) is not supported");
	ck_assert_int_eq(parse_words("--sshdelay=1", "echo"), -1);
	ck_assert_str_eq(error, "--sshdelay (GNU parallel's delay between ssh starts) is not supported: --delay");
	ck_assert_int_eq(parse_words("-q", "echo"), -1);
	ck_assert_ptr_nonnull(strstr(error, "-q (GNU parallel's command quoted) is not supported"));
	/* Every name in the table, as pooltop sees it on a command line. */
	size_t count = 0;
	for (const char *name; (name = options_refused_name(count)); count++) {
		char word[80];
		snprintf(word, sizeof word, "--%s", name);
		ck_assert_int_eq(parse_words(word, "echo"), -1);
		ck_assert_msg(strstr(error, "is not supported") && !strchr(error, '\n'), "%s: %s", word, error);
	}
	ck_assert_uint_gt(count, 100);
	/* An unknown option that is not parallel's stays unknown. */
	ck_assert_int_eq(parse_words("--bogus", "echo"), -1);
	ck_assert_ptr_nonnull(strstr(error, "unknown option"));
}
END_TEST

static Suite *options_suite(void)
{
	Suite *suite = suite_create("options");
	TCase *values = tcase_create("values");
	TCase *argv = tcase_create("argv");

	tcase_add_test(values, a_plain_job_count_is_taken_as_it_is);
	tcase_add_test(values, plus_and_minus_counts_are_relative_to_the_cpus_and_never_below_one);
	tcase_add_test(values, a_percentage_is_of_the_cpus_rounded_and_at_least_one);
	tcase_add_test(values, job_counts_that_make_no_sense_are_refused);
	tcase_add_test(values, seconds_are_non_negative_decimal_numbers);
	tcase_add_test(values, sizes_take_an_optional_binary_suffix);
	tcase_add_test(values, halt_takes_when_and_a_failure_or_success_count);
	tcase_add_test(values, halt_accepts_gnu_parallels_old_numbers);
	tcase_add_test(values, halt_refuses_anything_else);
	tcase_add_test(values, durations_take_parallels_units_s_m_h_d_and_their_combinations);
	tcase_add_test(values, a_timeout_is_a_duration_or_a_percentage_of_the_median);
	tcase_add_test(values, a_delay_may_end_with_auto);
	tcase_add_test(values, a_termseq_is_signals_and_waits_in_milliseconds);
	tcase_add_test(values, halt_takes_done_and_percentages);
	tcase_add_test(values, jobs_as_parallel_computes_them);
	suite_add_tcase(suite, values);

	tcase_add_test(argv, a_typical_command_line_runs_in_command_mode);
	tcase_add_test(argv, defaults_are_online_cpus_graceful_no_retries_and_one_second_refresh);
	tcase_add_test(argv, options_after_the_command_belong_to_the_command);
	tcase_add_test(argv, long_options_take_values_with_or_without_equals_and_may_be_abbreviated);
	tcase_add_test(argv, item_sources_and_delimiters_are_recorded);
	tcase_add_test(argv, triple_colons_split_the_command_from_its_items);
	tcase_add_test(argv, triple_colons_with_no_items_give_an_empty_source);
	tcase_add_test(argv, every_source_group_after_the_command_is_a_source_in_order);
	tcase_add_test(argv, several_arg_files_are_several_sources);
	tcase_add_test(argv, colons_inside_a_word_or_with_other_suffixes_belong_to_the_command);
	tcase_add_test(argv, arg_sep_and_arg_file_sep_change_the_separators);
	tcase_add_test(argv, source_options_are_recorded_and_bad_ones_refused);
	tcase_add_test(argv, no_command_before_the_sources_is_refused);
	tcase_add_test(argv, the_demo_defaults_to_ten_items_on_three_workers);
	tcase_add_test(argv, the_demo_takes_jobs_and_range_from_the_command_line);
	tcase_add_test(argv, worker_mode_keeps_the_worker_command);
	tcase_add_test(argv, pool_bounds_and_tuning_options_are_recorded);
	tcase_add_test(argv, autotune_without_a_range_searches_the_bounds_up_to_64);
	tcase_add_test(argv, the_starting_count_is_kept_within_the_bounds);
	tcase_add_test(argv, joblog_and_resume_go_together);
	tcase_add_test(argv, help_and_version_ask_to_exit_with_success);
	tcase_add_test(argv, a_mistake_is_one_line_for_the_caller_to_print);
	tcase_add_test(argv, log_names_the_debug_log);
	tcase_add_test(argv, version_text_has_copyright_and_licence);
	tcase_add_test(argv, ctl_takes_a_socket_and_a_command);
	tcase_add_test(argv, every_bad_command_line_is_refused);
	tcase_add_test(argv, a_run_needs_a_command);
	tcase_add_test(argv, several_items_per_job_are_recorded);
	tcase_add_test(argv, max_lines_implies_context_replace_unless_m);
	tcase_add_test(argv, grouping_mistakes_are_refused);
	tcase_add_test(argv, the_policy_options_are_recorded);
	tcase_add_test(argv, gnu_parallel_options_pooltop_lacks_are_refused_by_name);
	suite_add_tcase(suite, argv);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(options_suite());
	int failed;

	srunner_run_all(runner, CK_ENV);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
