/* check_joblog.c - unit tests of the job log: parsing lines as GNU
 * parallel writes them, which Seqs --resume and --resume-failed skip, the
 * exact text of the lines written, and lines a full disk cuts short. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "joblog.h"
#include "spool.h"

static char directory[200];
static char path[256];
static char error[512];  /* joblog_open's message */

static void make_directory(void)
{
	const char *temp = getenv("TMPDIR");
	snprintf(directory, sizeof directory, "%s/check_joblog.XXXXXX", temp && *temp ? temp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(directory));
	snprintf(path, sizeof path, "%s/joblog", directory);
}

static void remove_directory(void)
{
	unlink(path);
	rmdir(directory);
}

static void write_file(const char *text)
{
	FILE *file = fopen(path, "w");
	ck_assert_ptr_nonnull(file);
	fputs(text, file);
	fclose(file);
}

/* The whole log file as a malloc'd string. */
static char *read_file(void)
{
	FILE *file = fopen(path, "r");
	ck_assert_ptr_nonnull(file);
	char *text = calloc(1, 65536);
	ck_assert_ptr_nonnull(text);
	size_t len = fread(text, 1, 65535, file);
	text[len] = '\0';
	fclose(file);
	return text;
}

#define HEADER JOBLOG_HEADER "\n"
#define LINE(seq, exitval, signal) seq "\t:\t1795577827.895\t     0.006\t0\t2\t" exitval "\t" signal "\techo x\n"

/* ---- parsing -------------------------------------------------------------- */

START_TEST(a_line_as_gnu_parallel_writes_it_parses)
{
	uint64_t seq = 0;
	bool succeeded = false;
	ck_assert(joblog_parse_line("12\t:\t1795577827.895\t     0.006\t0\t2\t0\t0\techo 1; true",
				    &seq, &succeeded));
	ck_assert_uint_eq(seq, 12);
	ck_assert(succeeded);
}
END_TEST

START_TEST(a_non_zero_exit_or_a_signal_is_a_failure)
{
	uint64_t seq;
	bool succeeded = true;
	ck_assert(joblog_parse_line("3\t:\t1.000\t0.001\t0\t0\t2\t0\tfalse", &seq, &succeeded));
	ck_assert(!succeeded);
	succeeded = true;
	ck_assert(joblog_parse_line("4\t:\t1.000\t0.001\t0\t0\t-1\t15\tsleep 5", &seq, &succeeded));
	ck_assert(!succeeded);
	succeeded = true;
	ck_assert(joblog_parse_line("5\t:\t1.000\t0.001\t0\t0\t0\t9\tkill", &seq, &succeeded));
	ck_assert(!succeeded);
}
END_TEST

START_TEST(the_header_and_broken_lines_are_not_jobs)
{
	uint64_t seq;
	bool succeeded;
	static const char *const not_jobs[] = {
		JOBLOG_HEADER,
		"",
		"garbage",
		"0\t:\t1.000\t0.001\t0\t0\t0\t0\tzero is no seq",
		"-3\t:\t1.000\t0.001\t0\t0\t0\t0\tnegative",
		"7\t:\t1.000\t0.001\t0\t0",
		"7\t:\t1.000\t0.001\t0\t0\tx\t0\tbad exitval",
		"7\t:\t1.000\t0.001\t0\t0\t0\ty\tbad signal",
		"7x\t:\t1.000\t0.001\t0\t0\t0\t0\tbad seq",
		" 7\t:\t1.000\t0.001\t0\t0\t0\t0\ta space before the seq",
		"+7\t:\t1.000\t0.001\t0\t0\t0\t0\ta plus sign",
		"7\t\t1.000\t0.001\t0\t0\t0\t0\tno host",
		"7\t:\tyesterday\t0.001\t0\t0\t0\t0\tbad start time",
		"7\t:\t1.000\t\t0\t0\t0\t0\tno runtime",
		"7\t:\t1.000\t0.001\tmany\t0\t0\t0\tbad send",
		"7\t:\t1.000\t0.001\t0\t1e3\t0\t0\tbad receive",
	};
	for (size_t i = 0; i < sizeof not_jobs / sizeof not_jobs[0]; i++)
		ck_assert_msg(!joblog_parse_line(not_jobs[i], &seq, &succeeded), "'%s' parsed", not_jobs[i]);
}
END_TEST

START_TEST(a_line_without_command_still_parses)
{
	uint64_t seq;
	bool succeeded;
	ck_assert(joblog_parse_line("9\t:\t1.000\t0.001\t0\t0\t0\t0", &seq, &succeeded));
	ck_assert_uint_eq(seq, 9);
}
END_TEST

/* ---- resuming ------------------------------------------------------------- */

START_TEST(resume_skips_every_seq_in_the_log)
{
	make_directory();
	write_file(HEADER LINE("1", "0", "0") LINE("2", "1", "0") LINE("4", "0", "0"));
	struct joblog *joblog = joblog_open(path, JOBLOG_RESUME, NULL, error, sizeof error);
	ck_assert_ptr_nonnull(joblog);
	ck_assert_uint_eq(joblog_skip_count(joblog), 3);
	ck_assert(joblog_should_skip(joblog, 1));
	ck_assert(joblog_should_skip(joblog, 2));
	ck_assert(!joblog_should_skip(joblog, 3));
	ck_assert(joblog_should_skip(joblog, 4));
	ck_assert(!joblog_should_skip(joblog, 5));
	joblog_close(joblog);
	remove_directory();
}
END_TEST

START_TEST(resume_failed_skips_only_the_seqs_that_succeeded_at_least_once)
{
	make_directory();
	/* 2 failed then succeeded on a rerun; 3 failed twice; 5 was killed. */
	write_file(HEADER LINE("1", "0", "0") LINE("2", "1", "0") LINE("3", "4", "0")
		   LINE("5", "-1", "9") LINE("2", "0", "0") LINE("3", "4", "0"));
	struct joblog *joblog = joblog_open(path, JOBLOG_RESUME_FAILED, NULL, error, sizeof error);
	ck_assert_ptr_nonnull(joblog);
	ck_assert_uint_eq(joblog_skip_count(joblog), 2);
	ck_assert(joblog_should_skip(joblog, 1));
	ck_assert(joblog_should_skip(joblog, 2));
	ck_assert(!joblog_should_skip(joblog, 3));
	ck_assert(!joblog_should_skip(joblog, 4));
	ck_assert(!joblog_should_skip(joblog, 5));
	joblog_close(joblog);
	remove_directory();
}
END_TEST

START_TEST(many_seqs_in_any_order_are_found)
{
	make_directory();
	FILE *file = fopen(path, "w");
	ck_assert_ptr_nonnull(file);
	fputs(HEADER, file);
	/* Seqs 3, 6, 9, ... 30000, written backwards and each twice. */
	for (int round = 0; round < 2; round++)
		for (int seq = 30000; seq > 0; seq -= 3)
			fprintf(file, "%d\t:\t1.000\t0.001\t0\t0\t0\t0\tx\n", seq);
	fclose(file);
	struct joblog *joblog = joblog_open(path, JOBLOG_RESUME, NULL, error, sizeof error);
	ck_assert_ptr_nonnull(joblog);
	ck_assert_uint_eq(joblog_skip_count(joblog), 10000);
	for (uint64_t seq = 1; seq <= 30003; seq++)
		ck_assert_int_eq(joblog_should_skip(joblog, seq), seq % 3 == 0 && seq <= 30000);
	joblog_close(joblog);
	remove_directory();
}
END_TEST

START_TEST(a_fresh_log_replaces_the_old_one_and_skips_nothing)
{
	make_directory();
	write_file(HEADER LINE("1", "0", "0"));
	struct joblog *joblog = joblog_open(path, JOBLOG_FRESH, NULL, error, sizeof error);
	ck_assert_ptr_nonnull(joblog);
	ck_assert_uint_eq(joblog_skip_count(joblog), 0);
	ck_assert(!joblog_should_skip(joblog, 1));
	joblog_close(joblog);
	char *text = read_file();
	ck_assert_str_eq(text, HEADER);
	free(text);
	remove_directory();
}
END_TEST

START_TEST(resuming_a_missing_or_empty_log_starts_it_with_the_header)
{
	make_directory();
	struct joblog *joblog = joblog_open(path, JOBLOG_RESUME, NULL, error, sizeof error);
	ck_assert_ptr_nonnull(joblog);
	ck_assert_uint_eq(joblog_skip_count(joblog), 0);
	joblog_close(joblog);
	char *text = read_file();
	ck_assert_str_eq(text, HEADER);
	free(text);

	write_file("");
	joblog = joblog_open(path, JOBLOG_RESUME_FAILED, NULL, error, sizeof error);
	ck_assert_ptr_nonnull(joblog);
	joblog_close(joblog);
	text = read_file();
	ck_assert_str_eq(text, HEADER);
	free(text);
	remove_directory();
}
END_TEST

START_TEST(a_log_that_cannot_be_opened_is_an_error_the_caller_reports)
{
	ck_assert_ptr_null(joblog_open("/nonexistent/directory/joblog", JOBLOG_FRESH, NULL, error,
				       sizeof error));
	ck_assert_str_eq(error, "cannot open the joblog '/nonexistent/directory/joblog': "
				"No such file or directory");
}
END_TEST

/* ---- writing -------------------------------------------------------------- */

static struct pool_result result_for(uint64_t seq, const char *item, char **argv, struct spool *out)
{
	return (struct pool_result){
		.seq = seq,
		.item = item,
		.item_len = strlen(item),
		.slot = 1,
		.pid = 1234,
		.exit_code = 0,
		.started_at = 1795577827.8954,
		.runtime = 0.0061,
		.attempt = 1,
		.argv = argv,
		.out = out,
	};
}

START_TEST(a_command_mode_line_has_every_field_in_place)
{
	make_directory();
	struct joblog *joblog = joblog_open(path, JOBLOG_FRESH, NULL, error, sizeof error);
	ck_assert_ptr_nonnull(joblog);
	struct spool out = SPOOL_INIT;
	spool_append(&out, "hello\n", 6);
	char *argv[] = { (char *)"echo", (char *)"two words", NULL };
	struct pool_result result = result_for(7, "two words", argv, &out);
	result.exit_code = 3;
	joblog_write(joblog, &result);
	result = result_for(8, "x", argv, NULL);
	result.exit_code = -1;
	result.signal = 15;
	result.runtime = 12.5;
	joblog_write(joblog, &result);
	joblog_close(joblog);
	spool_clear(&out);

	char *text = read_file();
	ck_assert_str_eq(text, HEADER
			 "7\t:\t1795577827.895\t     0.006\t0\t6\t3\t0\techo 'two words'\n"
			 "8\t:\t1795577827.895\t    12.500\t0\t0\t-1\t15\techo 'two words'\n");
	free(text);
	remove_directory();
}
END_TEST

START_TEST(a_worker_mode_line_names_the_worker_and_the_item)
{
	make_directory();
	char *worker[] = { (char *)"python3", (char *)"-u", (char *)"square.py", NULL };
	struct joblog *joblog = joblog_open(path, JOBLOG_FRESH, worker, error, sizeof error);
	ck_assert_ptr_nonnull(joblog);
	struct spool out = SPOOL_INIT;
	spool_append(&out, "81\n", 3);
	struct pool_result result = result_for(10, "9", NULL, &out);
	joblog_write(joblog, &result);
	joblog_close(joblog);
	spool_clear(&out);

	char *text = read_file();
	ck_assert_str_eq(text, HEADER "10\t:\t1795577827.895\t     0.006\t2\t3\t0\t0\tpython3 -u square.py 9\n");
	free(text);
	remove_directory();
}
END_TEST

START_TEST(attempts_that_will_be_retried_are_not_logged)
{
	make_directory();
	struct joblog *joblog = joblog_open(path, JOBLOG_FRESH, NULL, error, sizeof error);
	ck_assert_ptr_nonnull(joblog);
	char *argv[] = { (char *)"false", NULL };
	struct pool_result result = result_for(1, "a", argv, NULL);
	result.exit_code = 1;
	result.failed = result.will_retry = true;
	joblog_write(joblog, &result);
	joblog_close(joblog);
	char *text = read_file();
	ck_assert_str_eq(text, HEADER);
	free(text);
	remove_directory();
}
END_TEST

START_TEST(a_newline_in_the_command_is_written_as_nul)
{
	make_directory();
	struct joblog *joblog = joblog_open(path, JOBLOG_FRESH, NULL, error, sizeof error);
	ck_assert_ptr_nonnull(joblog);
	char *argv[] = { (char *)"echo", (char *)"a\nb", NULL };
	struct pool_result result = result_for(1, "a\nb", argv, NULL);
	joblog_write(joblog, &result);
	joblog_close(joblog);

	FILE *file = fopen(path, "r");
	ck_assert_ptr_nonnull(file);
	char text[256];
	size_t len = fread(text, 1, sizeof text, file);
	fclose(file);
	static const char expected[] = HEADER "1\t:\t1795577827.895\t     0.006\t0\t0\t0\t0\techo 'a\0b'\n";
	ck_assert_uint_eq(len, sizeof expected - 1);
	ck_assert_mem_eq(text, expected, len);
	remove_directory();
}
END_TEST

/* A run killed while writing a line leaves it torn at the end: it names
 * no finished job, so it is dropped (its item runs again) and the log
 * stays a log the next --resume accepts. */
START_TEST(a_torn_last_line_is_dropped_before_resumed_lines_are_appended)
{
	make_directory();
	write_file(HEADER LINE("1", "0", "0") "2\t:\t1.0");
	struct joblog *joblog = joblog_open(path, JOBLOG_RESUME, NULL, error, sizeof error);
	ck_assert_ptr_nonnull(joblog);
	ck_assert(joblog_should_skip(joblog, 1));
	ck_assert(!joblog_should_skip(joblog, 2));
	char *argv[] = { (char *)"echo", (char *)"b", NULL };
	struct pool_result result = result_for(2, "b", argv, NULL);
	joblog_write(joblog, &result);
	joblog_close(joblog);
	char *text = read_file();
	ck_assert_str_eq(text, HEADER LINE("1", "0", "0")
			 "2\t:\t1795577827.895\t     0.006\t0\t0\t0\t0\techo b\n");
	free(text);
	joblog = joblog_open(path, JOBLOG_RESUME, NULL, error, sizeof error);
	ck_assert_ptr_nonnull(joblog);
	ck_assert_uint_eq(joblog_skip_count(joblog), 2);
	joblog_close(joblog);
	remove_directory();
}
END_TEST

START_TEST(a_torn_header_is_written_again)
{
	make_directory();
	write_file("Seq\tHost\tStart");
	struct joblog *joblog = joblog_open(path, JOBLOG_RESUME, NULL, error, sizeof error);
	ck_assert_ptr_nonnull(joblog);
	ck_assert_uint_eq(joblog_skip_count(joblog), 0);
	joblog_close(joblog);
	char *text = read_file();
	ck_assert_str_eq(text, HEADER);
	free(text);
	remove_directory();
}
END_TEST

/* Opens path for resuming, expects the refusal, and checks that the
 * message names the file and the line and that the file is untouched. */
static void expect_refused(enum joblog_resume resume, const char *content, const char *line_words)
{
	make_directory();
	write_file(content);
	ck_assert_ptr_null(joblog_open(path, resume, NULL, error, sizeof error));
	char expected[512];
	snprintf(expected, sizeof expected, "the format of the joblog '%s' is wrong: %s", path, line_words);
	ck_assert_msg(strncmp(error, expected, strlen(expected)) == 0, "message: %s", error);
	char *text = read_file();
	ck_assert_str_eq(text, content);
	free(text);
	remove_directory();
}

START_TEST(a_file_with_another_header_is_refused_and_left_alone)
{
	expect_refused(JOBLOG_RESUME, "some notes\nmore notes\n", "line 1 is not the header");
	expect_refused(JOBLOG_RESUME_FAILED, "seq,host,start\n1,:,1.0\n", "line 1 is not the header");
	/* One line without a newline that does not begin the header. */
	expect_refused(JOBLOG_RESUME, "garbage", "line 1 is not the header");
}
END_TEST

/* GNU parallel's --joblog +FILE starts a new file without the header. */
START_TEST(a_log_without_its_header_is_read_from_its_first_job)
{
	make_directory();
	write_file(LINE("1", "0", "0") LINE("2", "1", "0"));
	struct joblog *joblog = joblog_open(path, JOBLOG_RESUME_FAILED, NULL, error, sizeof error);
	ck_assert_msg(joblog != NULL, "%s", error);
	ck_assert(joblog_should_skip(joblog, 1));
	ck_assert(!joblog_should_skip(joblog, 2));
	joblog_close(joblog);
	remove_directory();
}
END_TEST

/* --joblog +FILE appends, as GNU parallel; a new file gets the header. */
START_TEST(a_plus_before_the_name_appends_to_the_log)
{
	make_directory();
	char plus_path[300];
	snprintf(plus_path, sizeof plus_path, "+%s", path);
	write_file(HEADER LINE("1", "0", "0"));
	struct joblog *joblog = joblog_open(plus_path, JOBLOG_FRESH, NULL, error, sizeof error);
	ck_assert_msg(joblog != NULL, "%s", error);
	ck_assert_int_eq(joblog_append(joblog, LINE("1", "0", "0")), 0);
	joblog_close(joblog);
	char *text = read_file();
	ck_assert_str_eq(text, HEADER LINE("1", "0", "0") LINE("1", "0", "0"));
	free(text);
	unlink(path);
	joblog = joblog_open(plus_path, JOBLOG_FRESH, NULL, error, sizeof error);
	ck_assert_msg(joblog != NULL, "%s", error);
	joblog_close(joblog);
	text = read_file();
	ck_assert_str_eq(text, HEADER);
	free(text);
	remove_directory();
}
END_TEST

#define COMMAND_LINE(seq, exitval, command) seq "\t:\t1.000\t     0.006\t0\t2\t" exitval "\t0\t" command "\n"

/* --retry-failed: the last command of each Seq that never succeeded, at its Seq. */
START_TEST(retry_failed_gives_the_commands_of_the_failed_seqs_at_their_seqs)
{
	make_directory();
	/* The log holds a NUL where the command had a newline, as parallel writes it. */
	static const char log[] = HEADER COMMAND_LINE("1", "1", "echo one") COMMAND_LINE("2", "0", "echo two")
		COMMAND_LINE("4", "1", "echo four") COMMAND_LINE("2", "1", "echo two again")
		COMMAND_LINE("4", "2", "echo four\0second line") COMMAND_LINE("5", "0", "echo five");
	FILE *file = fopen(path, "w");
	ck_assert_ptr_nonnull(file);
	ck_assert_uint_eq(fwrite(log, 1, sizeof log - 1, file), sizeof log - 1);
	fclose(file);
	struct joblog *joblog = joblog_open(path, JOBLOG_RETRY_FAILED, NULL, error, sizeof error);
	ck_assert_msg(joblog != NULL, "%s", error);
	struct items *items = joblog_retry_items(joblog);
	const char *text;
	size_t len;
	ck_assert_int_eq(items_next(items, &text, &len), ITEMS_READY);
	ck_assert_str_eq(text, "echo one");
	ck_assert(!joblog_should_skip(joblog, 1));
	for (uint64_t seq = 2; seq <= 3; seq++) {
		ck_assert_int_eq(items_next(items, &text, &len), ITEMS_READY);
		ck_assert_str_eq(text, "");
		ck_assert(joblog_should_skip(joblog, seq));  /* 2 succeeded once; 3 is not in the log */
	}
	ck_assert_int_eq(items_next(items, &text, &len), ITEMS_READY);
	ck_assert_uint_eq(len, strlen("echo four\nsecond line"));
	ck_assert_str_eq(text, "echo four\nsecond line");
	ck_assert(!joblog_should_skip(joblog, 4));
	ck_assert_int_eq(items_next(items, &text, &len), ITEMS_END);
	items_free(items);
	joblog_close(joblog);
	remove_directory();
}
END_TEST

START_TEST(a_line_that_does_not_parse_is_refused_with_its_number)
{
	expect_refused(JOBLOG_RESUME, HEADER LINE("1", "0", "0") "garbage\n" LINE("3", "0", "0"),
		       "line 3 is not a job's line");
	expect_refused(JOBLOG_RESUME_FAILED, HEADER LINE("1", "0", "0") LINE("2", "1", "0") "\n",
		       "line 4 is not a job's line");
	/* A whole last line without its newline is judged as any other. */
	expect_refused(JOBLOG_RESUME, HEADER LINE("1", "0", "0") "not a job", "line 3 is not a job's line");
}
END_TEST

/* A full disk or a file size limit: every line lost is counted, and the
 * message for the user says so (the run then ends with status 255). */
START_TEST(lines_that_cannot_be_written_are_counted_for_the_caller)
{
	make_directory();
	struct joblog *joblog = joblog_open(path, JOBLOG_FRESH, NULL, error, sizeof error);
	ck_assert_ptr_nonnull(joblog);
	ck_assert_int_eq(joblog_error(joblog, error, sizeof error), 0);
	struct rlimit saved, limit;
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &saved), 0);
	limit = saved;
	limit.rlim_cur = sizeof HEADER - 1;  /* nothing past the header */
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &limit), 0);
	char *argv[] = { (char *)"true", NULL };
	struct pool_result result = result_for(1, "a", argv, NULL);
	joblog_write(joblog, &result);
	result = result_for(2, "b", argv, NULL);
	joblog_write(joblog, &result);
	setrlimit(RLIMIT_FSIZE, &saved);
	signal(SIGXFSZ, SIG_DFL);

	ck_assert_int_eq(joblog_error(joblog, error, sizeof error), -1);
	char expected[512];
	snprintf(expected, sizeof expected, "cannot write the joblog '%s': File too large (2 lines lost)",
		 path);
	ck_assert_str_eq(error, expected);
	joblog_close(joblog);
	remove_directory();
}
END_TEST

/* A write that fails half-way through a line (the disk fills up) must
 * not leave half a record for the next line to be glued to. */
START_TEST(a_line_cut_short_is_taken_back)
{
	make_directory();
	struct joblog *joblog = joblog_open(path, JOBLOG_FRESH, NULL, error, sizeof error);
	ck_assert_ptr_nonnull(joblog);
	char *argv[] = { (char *)"echo", (char *)"b", NULL };
	struct pool_result result = result_for(1, "a", argv, NULL);
	char *first = joblog_line(joblog, &result);
	result = result_for(2, "b", argv, NULL);
	char *second = joblog_line(joblog, &result);
	struct rlimit saved, limit;
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &saved), 0);
	limit = saved;
	limit.rlim_cur = sizeof HEADER - 1 + 20;  /* the header and 20 bytes of the first line */
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &limit), 0);
	int status = joblog_append(joblog, first);
	setrlimit(RLIMIT_FSIZE, &saved);
	signal(SIGXFSZ, SIG_DFL);
	ck_assert_int_eq(status, -1);
	ck_assert_int_eq(joblog_append(joblog, second), 0);
	ck_assert_int_eq(joblog_first_error(joblog, error, sizeof error), -1);
	char expected[512];
	snprintf(expected, sizeof expected,
		 "cannot write the joblog '%s': File too large (items whose lines are lost run again with --resume)",
		 path);
	ck_assert_str_eq(error, expected);
	joblog_close(joblog);
	free(first);
	free(second);

	char *text = read_file();
	ck_assert_str_eq(text, HEADER "2\t:\t1795577827.895\t     0.006\t0\t0\t0\t0\techo b\n");
	free(text);
	remove_directory();
}
END_TEST

static Suite *joblog_suite(void)
{
	Suite *suite = suite_create("joblog");
	TCase *parsing = tcase_create("parsing");
	TCase *resuming = tcase_create("resuming");
	TCase *writing = tcase_create("writing");

	tcase_add_test(parsing, a_line_as_gnu_parallel_writes_it_parses);
	tcase_add_test(parsing, a_non_zero_exit_or_a_signal_is_a_failure);
	tcase_add_test(parsing, the_header_and_broken_lines_are_not_jobs);
	tcase_add_test(parsing, a_line_without_command_still_parses);
	suite_add_tcase(suite, parsing);

	tcase_add_test(resuming, resume_skips_every_seq_in_the_log);
	tcase_add_test(resuming, resume_failed_skips_only_the_seqs_that_succeeded_at_least_once);
	tcase_add_test(resuming, many_seqs_in_any_order_are_found);
	tcase_add_test(resuming, a_fresh_log_replaces_the_old_one_and_skips_nothing);
	tcase_add_test(resuming, resuming_a_missing_or_empty_log_starts_it_with_the_header);
	tcase_add_test(resuming, a_log_that_cannot_be_opened_is_an_error_the_caller_reports);
	tcase_add_test(resuming, a_file_with_another_header_is_refused_and_left_alone);
	tcase_add_test(resuming, a_log_without_its_header_is_read_from_its_first_job);
	tcase_add_test(resuming, a_plus_before_the_name_appends_to_the_log);
	tcase_add_test(resuming, retry_failed_gives_the_commands_of_the_failed_seqs_at_their_seqs);
	tcase_add_test(resuming, a_line_that_does_not_parse_is_refused_with_its_number);
	tcase_add_test(resuming, a_torn_header_is_written_again);
	suite_add_tcase(suite, resuming);

	tcase_add_test(writing, a_command_mode_line_has_every_field_in_place);
	tcase_add_test(writing, a_worker_mode_line_names_the_worker_and_the_item);
	tcase_add_test(writing, attempts_that_will_be_retried_are_not_logged);
	tcase_add_test(writing, a_newline_in_the_command_is_written_as_nul);
	tcase_add_test(writing, a_torn_last_line_is_dropped_before_resumed_lines_are_appended);
	tcase_add_test(writing, lines_that_cannot_be_written_are_counted_for_the_caller);
	tcase_add_test(writing, a_line_cut_short_is_taken_back);
	suite_add_tcase(suite, writing);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(joblog_suite());
	int failed;

	srunner_run_all(runner, CK_ENV);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
