/* check_tui_model.c - unit tests of the terminal interface's model: the
 * ring of recent results and the positions the results pane counts from
 * the newest, and sampling a pool whose slots run nothing. */
#include "tui_model.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "items.h"
#include "loop.h"
#include "pool.h"
#include "spool.h"
#include "template.h"

static struct tui_model model;

/* A model of no pool: enough for the results, which never read it. */
static void results_setup(void)
{
	ck_assert_int_eq(tui_model_init(&model, NULL), 0);
}

static void results_teardown(void)
{
	tui_model_free(&model);
}

static void result_add(uint64_t seq, int exit_code)
{
	char item[24];
	snprintf(item, sizeof item, "item-%llu", (unsigned long long)seq);
	struct pool_result result = {
		.seq = seq, .item = item, .item_len = strlen(item), .slot = 1, .pid = 100,
		.exit_code = exit_code, .attempt = 1, .failed = exit_code != 0,
	};
	tui_model_result_add(&model, &result);
}

/* --- the results ring ------------------------------------------------------ */

START_TEST(results_are_numbered_in_arrival_order)
{
	result_add(7, 0);
	result_add(3, 1);
	ck_assert_uint_eq(model.result_count, 2);
	ck_assert_uint_eq(tui_model_results_kept(&model), 2);
	ck_assert_uint_eq(tui_model_result(&model, 1)->seq, 7);
	ck_assert_uint_eq(tui_model_result(&model, 2)->seq, 3);
	ck_assert(tui_model_result(&model, 2)->failed);
	ck_assert_str_eq(tui_model_result(&model, 2)->item, "item-3");
	ck_assert_ptr_null(tui_model_result(&model, 0));
	ck_assert_ptr_null(tui_model_result(&model, 3));
}
END_TEST

START_TEST(the_ring_keeps_the_newest_results_and_drops_the_oldest)
{
	for (uint64_t seq = 1; seq <= RESULTS_KEPT + 5; seq++)
		result_add(seq, 0);
	ck_assert_uint_eq(model.result_count, RESULTS_KEPT + 5);
	ck_assert_uint_eq(tui_model_results_kept(&model), RESULTS_KEPT);
	for (uint64_t number = 1; number <= 5; number++)
		ck_assert_ptr_null(tui_model_result(&model, number));
	ck_assert_uint_eq(tui_model_result(&model, 6)->seq, 6);
	ck_assert_uint_eq(tui_model_result(&model, RESULTS_KEPT + 5)->seq, RESULTS_KEPT + 5);
}
END_TEST

START_TEST(positions_count_from_the_newest_result)
{
	for (uint64_t seq = 1; seq <= 10; seq++)
		result_add(seq, 0);
	ck_assert_int_eq(tui_model_result_position(&model, 10), 0);
	ck_assert_int_eq(tui_model_result_position(&model, 1), 9);
	/* 0 follows the newest; a number not yet given is the newest too. */
	ck_assert_int_eq(tui_model_result_position(&model, 0), 0);
	ck_assert_int_eq(tui_model_result_position(&model, 11), 0);
}
END_TEST

START_TEST(a_dropped_result_is_at_the_oldest_position_kept)
{
	for (uint64_t seq = 1; seq <= RESULTS_KEPT + 20; seq++)
		result_add(seq, 0);
	ck_assert_int_eq(tui_model_result_position(&model, 1), RESULTS_KEPT - 1);
	ck_assert_int_eq(tui_model_result_position(&model, 21), RESULTS_KEPT - 1);
}
END_TEST

START_TEST(a_result_keeps_the_first_line_of_its_output)
{
	struct spool out = SPOOL_INIT;
	const char text[] = "first\nsecond\n";
	ck_assert_int_eq(spool_append(&out, text, strlen(text)), 0);
	struct pool_result result = { .seq = 1, .item = "x", .item_len = 1, .out = &out };
	tui_model_result_add(&model, &result);
	spool_clear(&out);
	ck_assert_str_eq(tui_model_result(&model, 1)->output, "first");
}
END_TEST

/* --- samples ------------------------------------------------------------------ */

static struct loop *loop;
static struct items *items;
static struct template *template;
static struct pool *pool;

/* Two slots of a pool paused before it started anything: no process runs. */
static void pool_setup(void)
{
	static char a[] = "a", b[] = "b", true_word[] = "true";
	static char *words[] = { a, b };
	static char *command[] = { true_word };
	loop = loop_new();
	items = items_from_array(words, 2);
	template = template_new(command, 1, false);
	struct pool_config config = {
		.kind = POOL_COMMAND, .template = template, .jobs = 2, .min_jobs = 1,
		.max_jobs = 8, .shrink = SHRINK_GRACEFUL, .grace = 1, .inflight = 1,
	};
	struct pool_events events = { 0 };
	pool = pool_new(&config, loop, items, &events);
	ck_assert_ptr_nonnull(pool);
	pool_set_paused(pool, true);
	pool_resize(pool, 2, SHRINK_GRACEFUL, NULL);
	ck_assert_int_eq(tui_model_init(&model, pool), 0);
}

static void pool_teardown(void)
{
	tui_model_free(&model);
	pool_free(pool);
	template_free(template);
	items_free(items);
	loop_free(loop);
}

START_TEST(an_idle_slot_has_a_row_but_no_sample)
{
	tui_model_sample(&model, 1.0);
	int slots = pool_slot_count(pool);
	ck_assert_int_ge(slots, 1);
	struct worker_row row;
	ck_assert(tui_model_worker_row(&model, 0, 1.5, &row));
	ck_assert(!row.sampled);
	ck_assert(row.cpu_percent < 0);
	ck_assert(row.now == 1.5);
	ck_assert(!tui_model_worker_row(&model, slots, 1.5, &row));
	ck_assert_msg(model.total_cpu < 0, "no tree, no CPU figure: %f", model.total_cpu);
}
END_TEST

START_TEST(the_history_gets_one_rate_per_sample_after_the_first)
{
	tui_model_sample(&model, 1.0);
	ck_assert_uint_eq(model.history.sample_count, 0);
	tui_model_sample(&model, 2.0);
	tui_model_sample(&model, 3.0);
	ck_assert_uint_eq(model.history.sample_count, 2);
}
END_TEST

static Suite *model_suite(void)
{
	Suite *suite = suite_create("tui_model");

	TCase *results = tcase_create("results");
	tcase_add_checked_fixture(results, results_setup, results_teardown);
	tcase_add_test(results, results_are_numbered_in_arrival_order);
	tcase_add_test(results, the_ring_keeps_the_newest_results_and_drops_the_oldest);
	tcase_add_test(results, positions_count_from_the_newest_result);
	tcase_add_test(results, a_dropped_result_is_at_the_oldest_position_kept);
	tcase_add_test(results, a_result_keeps_the_first_line_of_its_output);
	suite_add_tcase(suite, results);

	TCase *samples = tcase_create("samples");
	tcase_add_checked_fixture(samples, pool_setup, pool_teardown);
	tcase_add_test(samples, an_idle_slot_has_a_row_but_no_sample);
	tcase_add_test(samples, the_history_gets_one_rate_per_sample_after_the_first);
	suite_add_tcase(suite, samples);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(model_suite());
	srunner_run_all(runner, CK_ENV);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
