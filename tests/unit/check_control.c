/* check_control.c - unit tests of the control verbs (parsing, clamping,
 * replies, autotune hooks) on a paused pool that runs nothing, and of the
 * jobs file's values and change detection. */
#include "control.h"
#include "jobsfile.h"

#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "items.h"
#include "loop.h"
#include "pool.h"
#include "template.h"

static struct loop *loop;
static struct items *items;
static struct template *template;
static struct pool *pool;
static struct control control;
static char reply[1024];

/* What the hooks saw. */
static bool autotune_on;
static int autotune_calls;
static int quit_calls;
static bool quit_kill;

static void hook_autotune(void *data, bool on)
{
	(void)data;
	autotune_on = on;
	autotune_calls++;
}

static bool hook_autotune_enabled(void *data)
{
	(void)data;
	return autotune_on;
}

static void hook_quit(void *data, bool kill)
{
	(void)data;
	quit_calls++;
	quit_kill = kill;
}

/* A pool of `true` over three items, bounds 1..8, paused before it could
 * start anything: verbs change its target and flags, no process runs. */
static void setup(void)
{
	/* Writable words: items_from_array takes char **. */
	static char a[] = "a", b[] = "b", c[] = "c", true_word[] = "true";
	static char *words[] = { a, b, c };
	static char *command[] = { true_word };
	loop = loop_new();
	items = items_from_array(words, 3);
	template = template_new(command, 1, false);
	struct pool_config config = {
		.kind = POOL_COMMAND,
		.template = template,
		.jobs = 2,
		.min_jobs = 1,
		.max_jobs = 8,
		.shrink = SHRINK_GRACEFUL,
		.grace = 1,
		.inflight = 1,
	};
	struct pool_events events = { 0 };
	pool = pool_new(&config, loop, items, &events);
	ck_assert_ptr_nonnull(pool);
	pool_set_paused(pool, true);
	pool_resize(pool, 2, SHRINK_GRACEFUL, NULL);
	control = (struct control){
		.pool = pool,
		.hooks = { .quit = hook_quit, .autotune = hook_autotune,
			   .autotune_enabled = hook_autotune_enabled },
	};
	autotune_on = false;
	autotune_calls = quit_calls = 0;
	quit_kill = false;
}

static void teardown(void)
{
	pool_free(pool);
	template_free(template);
	items_free(items);
	loop_free(loop);
}

static int run(const char *line)
{
	return control_run(&control, line, reply, sizeof reply);
}

/* --- jobs ------------------------------------------------------------------ */

START_TEST(jobs_n_sets_the_worker_count)
{
	ck_assert_int_eq(run("jobs 4"), 0);
	ck_assert_str_eq(reply, "ok jobs 4");
	ck_assert_int_eq(pool_target(pool), 4);
}
END_TEST

START_TEST(jobs_plus_and_minus_are_relative)
{
	run("jobs 3");
	ck_assert_int_eq(run("jobs +2"), 0);
	ck_assert_str_eq(reply, "ok jobs 5");
	ck_assert_int_eq(run("jobs -4"), 0);
	ck_assert_str_eq(reply, "ok jobs 1");
	ck_assert_int_eq(pool_target(pool), 1);
}
END_TEST

START_TEST(a_count_above_the_bounds_is_clamped_and_the_reply_says_so)
{
	ck_assert_int_eq(run("jobs 100"), 0);
	ck_assert_str_eq(reply, "ok jobs 8 (clamped to 1..8)");
	ck_assert_int_eq(pool_target(pool), 8);
	ck_assert_int_eq(run("jobs +1"), 0);
	ck_assert_str_eq(reply, "ok jobs 8 (clamped to 1..8)");
}
END_TEST

START_TEST(a_count_below_the_bounds_is_clamped_and_the_reply_says_so)
{
	ck_assert_int_eq(run("jobs 0"), 0);
	ck_assert_str_eq(reply, "ok jobs 1 (clamped to 1..8)");
	ck_assert_int_eq(run("jobs -1000"), 0);
	ck_assert_str_eq(reply, "ok jobs 1 (clamped to 1..8)");
	ck_assert_int_eq(pool_target(pool), 1);
}
END_TEST

START_TEST(a_bang_asks_for_a_killing_shrink)
{
	run("jobs 6");
	ck_assert_int_eq(run("jobs -2!"), 0);
	ck_assert_str_eq(reply, "ok jobs 4");
	ck_assert_int_eq(pool_target(pool), 4);
}
END_TEST

START_TEST(jobs_without_a_number_is_an_error_and_changes_nothing)
{
	const char *bad[] = { "jobs abc", "jobs 4x", "jobs ++1", "jobs !", "jobs 1.5", "jobs 99999999999" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_int_eq(run(bad[i]), -1);
		ck_assert_msg(!strncmp(reply, "error jobs wants", 16), "%s: %s", bad[i], reply);
	}
	ck_assert_int_eq(pool_target(pool), 2);
}
END_TEST

START_TEST(a_wrong_number_of_words_gets_the_usage)
{
	ck_assert_int_eq(run("jobs"), -1);
	ck_assert_str_eq(reply, "error usage: jobs N|+N|-N[!]");
	ck_assert_int_eq(run("jobs 1 2"), -1);
	ck_assert_str_eq(reply, "error usage: jobs N|+N|-N[!]");
	ck_assert_int_eq(run("status now"), -1);
	ck_assert_str_eq(reply, "error usage: status");
}
END_TEST

START_TEST(spaces_tabs_and_a_carriage_return_separate_words)
{
	ck_assert_int_eq(run("  jobs\t3 \r"), 0);
	ck_assert_str_eq(reply, "ok jobs 3");
}
END_TEST

/* --- other verbs ------------------------------------------------------------ */

START_TEST(unknown_empty_and_overlong_commands_are_errors)
{
	ck_assert_int_eq(run("frobnicate"), -1);
	ck_assert_str_eq(reply, "error unknown command 'frobnicate' (verbs: jobs, pause, resume, "
			 "suspend, continue, status, watch, kill, requeue, autotune, quit, load, memfree, "
			 "memsuspend, host)");
	ck_assert_int_eq(run(""), -1);
	ck_assert_str_eq(reply, "error empty command");
	ck_assert_int_eq(run("   "), -1);
	ck_assert_str_eq(reply, "error empty command");
	char long_line[CONTROL_MAX_LINE + 10];
	memset(long_line, 'x', sizeof long_line - 1);
	long_line[sizeof long_line - 1] = '\0';
	ck_assert_int_eq(run(long_line), -1);
	ck_assert_str_eq(reply, "error command too long");
	ck_assert_int_eq(run("a b c d e f"), -1);
	ck_assert_str_eq(reply, "error too many words");
}
END_TEST

/* The list comes from the verb table: each name in it is a verb. */
START_TEST(every_verb_the_unknown_reply_names_is_known)
{
	run("nosuchverb");
	char names[1024];
	const char *list = strstr(reply, "(verbs: ");
	ck_assert_ptr_nonnull(list);
	snprintf(names, sizeof names, "%s", list + strlen("(verbs: "));
	char *end = strchr(names, ')');
	ck_assert_ptr_nonnull(end);
	*end = '\0';
	int count = 0;
	for (char *save = NULL, *name = strtok_r(names, ", ", &save); name;
	     name = strtok_r(NULL, ", ", &save), count++) {
		run(name);
		ck_assert_msg(strncmp(reply, "error unknown command", 21), "%s: %s", name, reply);
	}
	ck_assert_int_eq(count, 15);
}
END_TEST

START_TEST(status_is_one_json_object_with_every_field)
{
	run("jobs 3");
	ck_assert_int_eq(run("status"), 0);
	ck_assert(!strncmp(reply, "ok {", 4));
	ck_assert(reply[strlen(reply) - 1] == '}');
	ck_assert(!strchr(reply, '\n'));
	const char *fields[] = { "\"target\":3", "\"running\":0", "\"done\":0", "\"failed\":0", "\"queued\":",
				 "\"total\":", "\"items_per_s\":", "\"paused\":true", "\"autotune\":false" };
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		ck_assert_msg(strstr(reply, fields[i]), "no %s in %s", fields[i], reply);
}
END_TEST

START_TEST(pause_and_resume_show_in_status)
{
	ck_assert_int_eq(run("resume"), 0);
	ck_assert_str_eq(reply, "ok resumed");
	pool_set_paused(pool, true);  /* keep the test's pool from running */
	ck_assert_int_eq(run("pause"), 0);
	ck_assert_str_eq(reply, "ok paused");
	run("status");
	ck_assert(strstr(reply, "\"paused\":true"));
}
END_TEST

START_TEST(kill_wants_the_sequence_number_of_a_running_item)
{
	ck_assert_int_eq(run("kill 0"), -1);
	ck_assert(!strncmp(reply, "error kill wants", 16));
	ck_assert_int_eq(run("kill x"), -1);
	ck_assert_int_eq(run("kill 7"), -1);
	ck_assert_str_eq(reply, "error no running item has sequence number 7");
}
END_TEST

START_TEST(quit_runs_the_hook_and_only_takes_kill)
{
	ck_assert_int_eq(run("quit"), 0);
	ck_assert_int_eq(quit_calls, 1);
	ck_assert(!quit_kill);
	ck_assert_int_eq(run("quit kill"), 0);
	ck_assert_int_eq(quit_calls, 2);
	ck_assert(quit_kill);
	ck_assert_int_eq(run("quit now"), -1);
	ck_assert_int_eq(quit_calls, 2);
}
END_TEST

/* --- autotune ------------------------------------------------------------- */

START_TEST(autotune_on_and_off_run_the_hook)
{
	ck_assert_int_eq(run("autotune on"), 0);
	ck_assert_str_eq(reply, "ok autotune on");
	ck_assert(autotune_on);
	run("status");
	ck_assert(strstr(reply, "\"autotune\":true"));
	ck_assert_int_eq(run("autotune off"), 0);
	ck_assert(!autotune_on);
	ck_assert_int_eq(run("autotune maybe"), -1);
	ck_assert_str_eq(reply, "error autotune wants on or off");
}
END_TEST

START_TEST(a_manual_change_turns_autotune_off)
{
	run("autotune on");
	ck_assert_int_eq(run("jobs +1"), 0);
	ck_assert(!autotune_on);
	run("status");
	ck_assert(strstr(reply, "\"autotune\":false"));
}
END_TEST

START_TEST(autotune_s_own_resizes_keep_it_on)
{
	run("autotune on");
	int calls = autotune_calls;
	ck_assert_int_eq(control_autotune_jobs(&control, 5), 5);
	ck_assert_int_eq(pool_target(pool), 5);
	ck_assert_int_eq(control_autotune_jobs(&control, 50), 8);
	ck_assert(autotune_on);
	ck_assert_int_eq(autotune_calls, calls);
}
END_TEST

START_TEST(without_hooks_autotune_is_not_available)
{
	control.hooks.autotune = NULL;
	control.hooks.autotune_enabled = NULL;
	ck_assert_int_eq(run("autotune on"), -1);
	ck_assert_str_eq(reply, "error autotune is not available");
	ck_assert_int_eq(run("jobs 3"), 0);
}
END_TEST

/* --- the jobs file ---------------------------------------------------------- */

static int parsed(const char *text, int cpus)
{
	int jobs = -42;
	if (jobsfile_parse(text, cpus, &jobs))
		return -1;
	return jobs;
}

START_TEST(a_jobs_file_holds_n_plus_minus_or_a_percentage)
{
	ck_assert_int_eq(parsed("4", 2), 4);
	ck_assert_int_eq(parsed("  12\n", 2), 12);
	ck_assert_int_eq(parsed("+2", 4), 6);
	ck_assert_int_eq(parsed("-1", 4), 3);
	ck_assert_int_eq(parsed("-9", 4), 1);
	ck_assert_int_eq(parsed("50%", 4), 2);
	ck_assert_int_eq(parsed("200%\n", 2), 4);
	ck_assert_int_eq(parsed("0", 2), JOBSFILE_AS_MANY);
	ck_assert_int_eq(parsed("5000", 2), 5000);
	ck_assert_int_eq(parsed("123456789012", 2), JOBSFILE_AS_MANY);
}
END_TEST

START_TEST(anything_else_in_a_jobs_file_is_bad)
{
	const char *bad[] = { "", "\n", "four", "4 5", "4\n5\n", "%", "+", "1.5", "-x", "4%%" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(parsed(bad[i], 2) == -1, "'%s' was taken", bad[i]);
}
END_TEST

static void write_file(const char *path, const char *text)
{
	/* Through a rename, as a careful writer does: a new inode each time. */
	char temp[256];
	snprintf(temp, sizeof temp, "%s.new", path);
	FILE *file = fopen(temp, "w");
	ck_assert_ptr_nonnull(file);
	fputs(text, file);
	fclose(file);
	ck_assert_int_eq(rename(temp, path), 0);
}

START_TEST(a_jobs_file_is_read_when_it_changes_and_bad_values_are_told_once)
{
	char dir[] = "/tmp/check_control.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[256], message[512];
	snprintf(path, sizeof path, "%s/jobs", dir);
	struct jobsfile *jobsfile = jobsfile_new(path, 2);
	int jobs = 0;

	/* Missing: told once. */
	ck_assert_int_eq(jobsfile_poll(jobsfile, &jobs, message, sizeof message), JOBSFILE_BAD);
	ck_assert(strstr(message, "cannot read the jobs file"));
	ck_assert_int_eq(jobsfile_poll(jobsfile, &jobs, message, sizeof message), JOBSFILE_SAME);

	write_file(path, "3\n");
	ck_assert_int_eq(jobsfile_poll(jobsfile, &jobs, message, sizeof message), JOBSFILE_COUNT);
	ck_assert_int_eq(jobs, 3);
	ck_assert_int_eq(jobsfile_poll(jobsfile, &jobs, message, sizeof message), JOBSFILE_SAME);

	write_file(path, "lots\n");
	ck_assert_int_eq(jobsfile_poll(jobsfile, &jobs, message, sizeof message), JOBSFILE_BAD);
	ck_assert_msg(strstr(message, "'lots"), "%s", message);
	write_file(path, "lots\n");  /* the same bad text again: not told twice */
	ck_assert_int_eq(jobsfile_poll(jobsfile, &jobs, message, sizeof message), JOBSFILE_SAME);
	write_file(path, "many\n");
	ck_assert_int_eq(jobsfile_poll(jobsfile, &jobs, message, sizeof message), JOBSFILE_BAD);

	write_file(path, "");  /* being written: wait for the content */
	ck_assert_int_eq(jobsfile_poll(jobsfile, &jobs, message, sizeof message), JOBSFILE_SAME);
	write_file(path, "+1");
	ck_assert_int_eq(jobsfile_poll(jobsfile, &jobs, message, sizeof message), JOBSFILE_COUNT);
	ck_assert_int_eq(jobs, 3);
	jobsfile_free(jobsfile);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* --- status for scripts and the throttles ----------------------------------- */

/* The status object, parsed. */
static json_t *status_object(void)
{
	char *text = control_status_json(&control);
	json_error_t error;
	json_t *status = json_loads(text, 0, &error);
	ck_assert_msg(status != NULL, "not JSON (%s): %s", error.text, text);
	ck_assert_msg(!strchr(text, '\n'), "not one line: %s", text);
	free(text);
	return status;
}

START_TEST(status_has_cpu_memory_throttle_and_a_worker_per_slot)
{
	json_t *status = status_object();
	const char *fields[] = { "target", "running", "done", "failed", "queued", "total", "items_per_s",
				 "paused", "autotune", "cpu_percent", "rss_bytes", "throttle", "limits", "workers" };
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		ck_assert_msg(json_object_get(status, fields[i]), "no %s", fields[i]);
	ck_assert(json_is_null(json_object_get(status, "cpu_percent")));  /* no account: not known */
	ck_assert_int_eq(json_integer_value(json_object_get(status, "rss_bytes")), 0);
	ck_assert_str_eq(json_string_value(json_object_get(status, "throttle")), "paused");
	json_t *workers = json_object_get(status, "workers");
	ck_assert_int_eq(json_array_size(workers), 2);
	const char *worker_fields[] = { "slot", "pid", "host", "state", "item", "elapsed", "cpu_percent",
					"rss_bytes", "done", "failed" };
	for (size_t w = 0; w < 2; w++) {
		json_t *worker = json_array_get(workers, w);
		for (size_t i = 0; i < sizeof worker_fields / sizeof worker_fields[0]; i++)
			ck_assert_msg(json_object_get(worker, worker_fields[i]), "worker %zu has no %s", w,
				      worker_fields[i]);
		ck_assert_int_eq(json_integer_value(json_object_get(worker, "slot")), (json_int_t)w + 1);
		ck_assert_str_eq(json_string_value(json_object_get(worker, "state")), "idle");
		ck_assert(json_is_null(json_object_get(worker, "item")));
		ck_assert_str_eq(json_string_value(json_object_get(worker, "host")), ":");  /* this machine */
	}
	json_decref(status);
}
END_TEST

START_TEST(load_memfree_and_memsuspend_change_the_limits_live)
{
	ck_assert_int_eq(run("load 3"), 0);
	ck_assert_str_eq(reply, "ok load 3");
	ck_assert_int_eq(run("memfree 1G"), 0);
	ck_assert_str_eq(reply, "ok memfree 1G");
	ck_assert_int_eq(run("memsuspend 512M"), 0);
	struct throttle_limits limits;
	pool_get_throttle(pool, &limits);
	ck_assert_double_eq(limits.load, 3);
	ck_assert_uint_eq(limits.memfree, 1ULL << 30);
	ck_assert_uint_eq(limits.memsuspend, 512ULL << 20);
	json_t *status = status_object();
	json_t *shown = json_object_get(status, "limits");
	ck_assert_double_eq(json_real_value(json_object_get(shown, "load")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(shown, "memfree")), 1LL << 30);
	json_decref(status);

	ck_assert_int_eq(run("load off"), 0);
	ck_assert_str_eq(reply, "ok load off");
	ck_assert_int_eq(run("memfree off"), 0);
	ck_assert_int_eq(run("memsuspend off"), 0);
	pool_get_throttle(pool, &limits);
	ck_assert(!throttle_limits_active(&limits));
	status = status_object();
	ck_assert(json_is_null(json_object_get(json_object_get(status, "limits"), "load")));
	json_decref(status);
}
END_TEST

START_TEST(a_bad_limit_is_an_error_and_changes_nothing)
{
	ck_assert_int_eq(run("load lots"), -1);
	ck_assert(!strncmp(reply, "error load wants", 16));
	ck_assert_int_eq(run("memfree 0"), -1);
	ck_assert(!strncmp(reply, "error memfree wants", 19));
	ck_assert_int_eq(run("memsuspend 2Q"), -1);
	ck_assert_int_eq(run("load"), -1);
	ck_assert_str_eq(reply, "error usage: load N|N%|off");
	struct throttle_limits limits;
	pool_get_throttle(pool, &limits);
	ck_assert(!throttle_limits_active(&limits));
}
END_TEST

START_TEST(load_zero_means_a_hundredth_and_a_percentage_counts_cpus)
{
	control.cpus = 4;
	ck_assert_int_eq(run("load 0"), 0);
	struct throttle_limits limits;
	pool_get_throttle(pool, &limits);
	ck_assert_double_eq(limits.load, 0.01);
	ck_assert_int_eq(run("load 150%"), 0);
	pool_get_throttle(pool, &limits);
	ck_assert_double_eq(limits.load, 6);
}
END_TEST

START_TEST(watch_asks_the_caller_to_stream_status)
{
	ck_assert_int_eq(run("watch"), CONTROL_WATCH);
	ck_assert_str_eq(reply, "ok watching");
	ck_assert_int_eq(run("watch now"), -1);
}
END_TEST

START_TEST(a_long_status_comes_whole_from_control_execute)
{
	run("jobs 8");
	int status;
	char *text = control_execute(&control, "status", &status);
	ck_assert_int_eq(status, 0);
	json_error_t error;
	json_t *object = json_loads(text + 3, 0, &error);
	ck_assert_msg(object != NULL, "%s", error.text);
	ck_assert_int_eq(json_array_size(json_object_get(object, "workers")), 8);
	json_decref(object);
	free(text);
}
END_TEST

static Suite *control_suite(void)
{
	Suite *suite = suite_create("control");
	TCase *jobs = tcase_create("jobs");
	tcase_add_checked_fixture(jobs, setup, teardown);
	tcase_add_test(jobs, jobs_n_sets_the_worker_count);
	tcase_add_test(jobs, jobs_plus_and_minus_are_relative);
	tcase_add_test(jobs, a_count_above_the_bounds_is_clamped_and_the_reply_says_so);
	tcase_add_test(jobs, a_count_below_the_bounds_is_clamped_and_the_reply_says_so);
	tcase_add_test(jobs, a_bang_asks_for_a_killing_shrink);
	tcase_add_test(jobs, jobs_without_a_number_is_an_error_and_changes_nothing);
	tcase_add_test(jobs, a_wrong_number_of_words_gets_the_usage);
	tcase_add_test(jobs, spaces_tabs_and_a_carriage_return_separate_words);
	suite_add_tcase(suite, jobs);

	TCase *verbs = tcase_create("verbs");
	tcase_add_checked_fixture(verbs, setup, teardown);
	tcase_add_test(verbs, unknown_empty_and_overlong_commands_are_errors);
	tcase_add_test(verbs, every_verb_the_unknown_reply_names_is_known);
	tcase_add_test(verbs, status_is_one_json_object_with_every_field);
	tcase_add_test(verbs, pause_and_resume_show_in_status);
	tcase_add_test(verbs, kill_wants_the_sequence_number_of_a_running_item);
	tcase_add_test(verbs, quit_runs_the_hook_and_only_takes_kill);
	tcase_add_test(verbs, autotune_on_and_off_run_the_hook);
	tcase_add_test(verbs, a_manual_change_turns_autotune_off);
	tcase_add_test(verbs, autotune_s_own_resizes_keep_it_on);
	tcase_add_test(verbs, without_hooks_autotune_is_not_available);
	suite_add_tcase(suite, verbs);

	TCase *status = tcase_create("status and throttles");
	tcase_add_checked_fixture(status, setup, teardown);
	tcase_add_test(status, status_has_cpu_memory_throttle_and_a_worker_per_slot);
	tcase_add_test(status, load_memfree_and_memsuspend_change_the_limits_live);
	tcase_add_test(status, a_bad_limit_is_an_error_and_changes_nothing);
	tcase_add_test(status, load_zero_means_a_hundredth_and_a_percentage_counts_cpus);
	tcase_add_test(status, watch_asks_the_caller_to_stream_status);
	tcase_add_test(status, a_long_status_comes_whole_from_control_execute);
	suite_add_tcase(suite, status);

	TCase *jobs_file = tcase_create("jobs file");
	tcase_add_test(jobs_file, a_jobs_file_holds_n_plus_minus_or_a_percentage);
	tcase_add_test(jobs_file, anything_else_in_a_jobs_file_is_bad);
	tcase_add_test(jobs_file, a_jobs_file_is_read_when_it_changes_and_bad_values_are_told_once);
	suite_add_tcase(suite, jobs_file);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(control_suite());
	srunner_run_all(runner, CK_ENV);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
