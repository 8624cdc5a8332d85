/* check_tui_columns.c - unit tests of the TUI's tables as data: which
 * columns fit a narrow terminal, what each cell says, that untrusted text
 * is escaped and cut by display width, hidden columns, and the throughput
 * sparkline and chart. */
#include "tui_columns.h"
#include "tui_history.h"

#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* Index of the column titled `title` in table, or -1. */
static int column_index(const struct tui_table *table, const char *title)
{
	for (size_t i = 0; i < table->count; i++)
		if (!strcmp(table->columns[i].title, title))
			return (int)i;
	return -1;
}

/* The text of one worker cell, at the column's layout width. */
static const char *worker_cell(const struct worker_row *row, const char *title, int width)
{
	static char out[CELL_SIZE * 2];
	int index = column_index(&tui_worker_table, title);
	ck_assert_int_ge(index, 0);
	tui_column_cell(&tui_worker_table.columns[index], row, width, out, sizeof out);
	return out;
}

static struct worker_row running_row(const char *item)
{
	struct worker_row row = {
		.view = {
			.number = 2, .state = SLOT_RUN, .pid = 4242, .seq = 7,
			.item = item, .item_len = strlen(item), .item_started = 100.0,
			.done = 5, .failed = 1,
		},
		.now = 100.8, .cpu_percent = 99.04, .rss_bytes = 3 * 1024 * 1024 + 100 * 1024,
		.sampled = true,
	};
	return row;
}

/* --- layout ---------------------------------------------------------------- */

START_TEST(every_table_fits_a_widths_array)
{
	ck_assert_uint_le(tui_worker_table.count, TUI_COLUMNS_MAX);
	ck_assert_uint_le(tui_result_table.count, TUI_COLUMNS_MAX);
}
END_TEST

START_TEST(a_wide_terminal_shows_every_worker_column)
{
	int widths[TUI_COLUMNS_MAX];
	int used = tui_columns_fit(&tui_worker_table, 120, widths);
	for (size_t i = 0; i < tui_worker_table.count; i++)
		ck_assert_int_gt(widths[i], 0);
	ck_assert_int_eq(used, 120);  /* the item column takes the rest */
}
END_TEST

START_TEST(a_40_column_terminal_keeps_slot_state_item_and_cpu)
{
	int widths[TUI_COLUMNS_MAX];
	int used = tui_columns_fit(&tui_worker_table, 40, widths);
	ck_assert_int_le(used, 40);
	ck_assert_int_gt(widths[column_index(&tui_worker_table, "SLOT")], 0);
	ck_assert_int_gt(widths[column_index(&tui_worker_table, "STATE")], 0);
	ck_assert_int_gt(widths[column_index(&tui_worker_table, "ITEM")], 0);
	ck_assert_int_gt(widths[column_index(&tui_worker_table, "CPU%")], 0);
	/* The least important go first. */
	ck_assert_int_eq(widths[column_index(&tui_worker_table, "FAIL")], 0);
	ck_assert_int_eq(widths[column_index(&tui_worker_table, "DONE")], 0);
}
END_TEST

START_TEST(columns_drop_in_order_of_importance)
{
	int widths[TUI_COLUMNS_MAX];
	int previous_shown = (int)tui_worker_table.count;
	for (int width = 120; width >= 8; width--) {
		int used = tui_columns_fit(&tui_worker_table, width, widths);
		ck_assert_int_le(used, width);
		int shown = 0;
		for (size_t i = 0; i < tui_worker_table.count; i++)
			shown += widths[i] > 0;
		ck_assert_int_le(shown, previous_shown);
		ck_assert_int_ge(shown, 1);
		previous_shown = shown;
	}
	/* At the very least the item stays. */
	tui_columns_fit(&tui_worker_table, 8, widths);
	ck_assert_int_gt(widths[column_index(&tui_worker_table, "ITEM")], 0);
}
END_TEST

START_TEST(spare_width_is_shared_between_flexible_columns)
{
	int narrow[TUI_COLUMNS_MAX], wide[TUI_COLUMNS_MAX];
	tui_columns_fit(&tui_result_table, 80, narrow);
	tui_columns_fit(&tui_result_table, 140, wide);
	int item = column_index(&tui_result_table, "ITEM");
	int output = column_index(&tui_result_table, "OUTPUT");
	int status = column_index(&tui_result_table, "STATUS");
	ck_assert_int_gt(wide[item], narrow[item]);
	ck_assert_int_gt(wide[output], narrow[output]);
	ck_assert_int_eq(wide[status], narrow[status]);
}
END_TEST

/* --- worker cells ------------------------------------------------------------ */

START_TEST(a_running_worker_reads_like_top)
{
	struct worker_row row = running_row("4");
	ck_assert_str_eq(worker_cell(&row, "SLOT", 4), "   2");
	ck_assert_str_eq(worker_cell(&row, "PID", 7), "   4242");
	ck_assert_str_eq(worker_cell(&row, "STATE", 6), "run   ");
	ck_assert_str_eq(worker_cell(&row, "ITEM", 8), "4       ");
	ck_assert_str_eq(worker_cell(&row, "TIME", 6), "  0.8s");
	ck_assert_str_eq(worker_cell(&row, "CPU%", 6), "  99.0");
	ck_assert_str_eq(worker_cell(&row, "RSS", 6), "  3.1M");
	ck_assert_str_eq(worker_cell(&row, "DONE", 5), "    5");
	ck_assert_str_eq(worker_cell(&row, "FAIL", 4), "   1");
}
END_TEST

START_TEST(a_job_on_another_host_shows_the_host_and_its_pid_there)
{
	struct worker_row row = running_row("4");
	ck_assert_str_eq(worker_cell(&row, "HOST", 10), ":         ");  /* this machine */
	row.view.host = "user@alpha";
	row.view.remote_pid = 31337;  /* view.pid is the local ssh */
	ck_assert_str_eq(worker_cell(&row, "HOST", 10), "user@alpha");
	ck_assert_str_eq(worker_cell(&row, "PID", 7), "  31337");
	row.view.remote_pid = 0;
	ck_assert_str_eq(worker_cell(&row, "PID", 7), "      -");  /* not known yet */
	row.view.host = "";
	ck_assert_str_eq(worker_cell(&row, "HOST", 10), "-         ");  /* waiting for a host */
}
END_TEST

START_TEST(a_long_or_hostile_login_is_cut_and_escaped)
{
	setlocale(LC_ALL, "C.UTF-8");
	struct worker_row row = running_row("4");
	row.view.host = "worker-node-0042.example.com";
	ck_assert_str_eq(worker_cell(&row, "HOST", 10), "worker-no\xe2\x80\xa6");
	row.view.host = "a\x1b[2Jb";
	ck_assert_str_eq(worker_cell(&row, "HOST", 10), "a\\x1b[2Jb ");
}
END_TEST

START_TEST(a_tree_not_sampled_yet_shows_dashes_not_zeros)
{
	struct worker_row row = running_row("4");
	row.sampled = false;
	row.cpu_percent = -1;  /* before the first sample */
	ck_assert_str_eq(worker_cell(&row, "CPU%", 6), "     -");
	ck_assert_str_eq(worker_cell(&row, "RSS", 6), "     -");
}
END_TEST

START_TEST(an_idle_slot_shows_the_cpu_its_short_jobs_used)
{
	struct worker_row row = { .view = { .number = 2, .state = SLOT_IDLE }, .cpu_percent = 87.5 };
	ck_assert_str_eq(worker_cell(&row, "CPU%", 6), "  87.5");
}
END_TEST

START_TEST(peak_memory_shows_beside_the_current)
{
	struct worker_row row = running_row("4");
	row.rss_bytes = 1 << 20;
	row.peak_rss_bytes = 3 << 20;
	ck_assert_str_eq(worker_cell(&row, "RSS", 6), "  1.0M");
	ck_assert_str_eq(worker_cell(&row, "PEAK", 6), "  3.0M");
}
END_TEST

START_TEST(an_idle_slot_shows_no_item_and_no_figures)
{
	struct worker_row row = { .view = { .number = 3, .state = SLOT_IDLE } };
	ck_assert_str_eq(worker_cell(&row, "PID", 7), "      -");
	ck_assert_str_eq(worker_cell(&row, "STATE", 6), "idle  ");
	ck_assert_str_eq(worker_cell(&row, "ITEM", 8), "        ");
	ck_assert_str_eq(worker_cell(&row, "TIME", 6), "      ");
	ck_assert_str_eq(worker_cell(&row, "CPU%", 6), "      ");
}
END_TEST

START_TEST(every_state_has_its_short_name)
{
	ck_assert_str_eq(tui_state_name(SLOT_RUN), "run");
	ck_assert_str_eq(tui_state_name(SLOT_IDLE), "idle");
	ck_assert_str_eq(tui_state_name(SLOT_RETIRE), "retire");
	ck_assert_str_eq(tui_state_name(SLOT_STOP), "stop");
}
END_TEST

START_TEST(queued_items_of_a_worker_show_as_plus_n)
{
	struct worker_row row = running_row("item-1");
	row.view.queued = 3;
	ck_assert_str_eq(worker_cell(&row, "ITEM", 12), "item-1 +3   ");
	/* Cut to fit, the count stays in view. */
	ck_assert_str_eq(worker_cell(&row, "ITEM", 7), "ite\xe2\x80\xa6 +3");
}
END_TEST

START_TEST(an_escape_sequence_in_an_item_is_shown_escaped)
{
	struct worker_row row = running_row("\x1b]2;PWNED\x07\x1b[31mred");
	const char *cell = worker_cell(&row, "ITEM", 40);
	ck_assert_ptr_eq(strchr(cell, '\x1b'), NULL);
	ck_assert_ptr_eq(strchr(cell, '\x07'), NULL);
	ck_assert_ptr_nonnull(strstr(cell, "\\x1b]2;PWNED\\x07\\x1b[31mred"));
}
END_TEST

START_TEST(a_long_item_is_cut_by_display_width_with_an_ellipsis)
{
	struct worker_row row = running_row("abcdefghijklmnop");
	ck_assert_str_eq(worker_cell(&row, "ITEM", 8), "abcdefg\xe2\x80\xa6");
	/* Chinese characters take two columns: three and a half do not fit in 8. */
	row = running_row("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\xe7\xac\xa6\xe4\xb8\xb2");
	const char *cell = worker_cell(&row, "ITEM", 8);
	ck_assert_int_eq(text_width(cell), 8);
	ck_assert_str_eq(cell, "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\xe2\x80\xa6 ");
}
END_TEST

START_TEST(a_heading_cell_is_the_title_aligned_like_the_values)
{
	char out[64];
	tui_column_cell(&tui_worker_table.columns[column_index(&tui_worker_table, "CPU%")], NULL, 6,
			out, sizeof out);
	ck_assert_str_eq(out, "  CPU%");
	tui_column_cell(&tui_worker_table.columns[column_index(&tui_worker_table, "ITEM")], NULL, 6,
			out, sizeof out);
	ck_assert_str_eq(out, "ITEM  ");
}
END_TEST

/* --- result cells ------------------------------------------------------------- */

static struct result_row result_row_of(const char *item, const char *output, int exit_code,
				       int signo, const char *error)
{
	struct pool_result result = {
		.seq = 12, .item = item, .item_len = strlen(item), .slot = 1, .pid = 999,
		.exit_code = exit_code, .signal = signo, .runtime = 1.0, .attempt = 1,
		.failed = exit_code != 0 || signo != 0 || error, .error = error,
	};
	struct result_row row;
	tui_result_row_fill(&row, &result, output, strlen(output));
	return row;
}

START_TEST(a_result_keeps_the_first_line_of_output_only)
{
	struct result_row row = result_row_of("3", "9\r\nsecond line\n", 0, 0, NULL);
	ck_assert_str_eq(row.output, "9");
	ck_assert_str_eq(row.item, "3");
	char status[32];
	tui_result_status(&row, status, sizeof status);
	ck_assert_str_eq(status, "exit 0");
}
END_TEST

START_TEST(a_result_says_how_the_job_ended)
{
	char status[32];
	struct result_row row = result_row_of("a", "", 2, 0, NULL);
	tui_result_status(&row, status, sizeof status);
	ck_assert_str_eq(status, "exit 2");
	row = result_row_of("a", "", -1, 15, NULL);
	tui_result_status(&row, status, sizeof status);
	ck_assert_str_eq(status, "signal TERM");
	row = result_row_of("a", "", -1, 9, NULL);
	row.will_retry = true;
	tui_result_status(&row, status, sizeof status);
	ck_assert_str_eq(status, "signal KILL retry");
}
END_TEST

START_TEST(a_job_that_never_started_shows_the_error)
{
	struct result_row row = result_row_of("x", "", 127, 0, "cannot run 'nope': No such file");
	row.pid = 0;
	char status[32];
	tui_result_status(&row, status, sizeof status);
	ck_assert_str_eq(status, "error");
	int index = column_index(&tui_result_table, "OUTPUT");
	char out[CELL_SIZE * 2];
	tui_column_cell(&tui_result_table.columns[index], &row, 12, out, sizeof out);
	ck_assert_str_eq(out, "cannot run \xe2\x80\xa6");
}
END_TEST

START_TEST(output_with_escape_sequences_is_kept_escaped)
{
	struct result_row row = result_row_of("\x1b[2J", "\x1b]2;PWNED\x07ok\n", 0, 0, NULL);
	ck_assert_str_eq(row.item, "\\x1b[2J");
	ck_assert_str_eq(row.output, "\\x1b]2;PWNED\\x07ok");
}
END_TEST

START_TEST(signals_have_short_names)
{
	char name[16];
	tui_signal_name(15, name, sizeof name);
	ck_assert_str_eq(name, "TERM");
	tui_signal_name(9, name, sizeof name);
	ck_assert_str_eq(name, "KILL");
	tui_signal_name(63, name, sizeof name);
	ck_assert_str_eq(name, "63");
}
END_TEST

/* --- throughput history ------------------------------------------------------- */

START_TEST(the_sparkline_scales_to_the_highest_rate_shown)
{
	struct tui_history history;
	tui_history_init(&history);
	tui_history_add(&history, 1, 2, 1);
	tui_history_add(&history, 4, 2, 2);
	tui_history_add(&history, 8, 2, 3);
	tui_history_add(&history, 0, 2, 4);
	char out[256];
	ck_assert_int_eq(tui_history_sparkline(&history, 20, true, out, sizeof out), 4);
	ck_assert_str_eq(out, "\xe2\x96\x81\xe2\x96\x84\xe2\x96\x88 ");
	ck_assert_int_eq(tui_history_sparkline(&history, 20, false, out, sizeof out), 4);
	ck_assert_str_eq(out, "_-# ");
}
END_TEST

START_TEST(a_change_of_pool_size_is_marked_and_told)
{
	struct tui_history history;
	tui_history_init(&history);
	tui_history_add(&history, 2, 2, 11);
	tui_history_add(&history, 3, 3, 12);
	tui_history_add(&history, 3, 3, 13);
	char out[256];
	ck_assert_int_eq(tui_history_sparkline(&history, 20, false, out, sizeof out), 4);
	ck_assert_str_eq(out, "+|##");
	ck_assert_int_eq(tui_history_legend(&history, 40, true, out, sizeof out), 11);
	ck_assert_str_eq(out, "2\xe2\x86\x92" "3 at 0:12");
	ck_assert_int_eq(tui_history_legend(&history, 40, false, out, sizeof out), 12);
	ck_assert_str_eq(out, "2->3 at 0:12");
}
END_TEST

START_TEST(only_the_newest_samples_that_fit_are_drawn)
{
	struct tui_history history;
	tui_history_init(&history);
	for (int i = 0; i < HISTORY_SAMPLES * 2; i++)
		tui_history_add(&history, i % 2 ? 10 : 5, 1, i);
	char out[64];
	ck_assert_int_eq(tui_history_sparkline(&history, 5, false, out, sizeof out), 5);
	ck_assert_str_eq(out, "#-#-#");
	ck_assert_int_eq(tui_history_sparkline(&history, 0, false, out, sizeof out), 0);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(the_legend_keeps_the_newest_changes_that_fit)
{
	struct tui_history history;
	tui_history_init(&history);
	for (int target = 1; target <= 12; target++)
		tui_history_add(&history, 1, target, target * 10);
	char out[256];
	tui_history_legend(&history, 30, false, out, sizeof out);
	ck_assert_str_eq(out, "10->11 at 1:50, 11->12 at 2:00");
	tui_history_legend(&history, 5, false, out, sizeof out);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(hidden_columns_are_left_out_whatever_the_width)
{
	int widths[TUI_COLUMNS_MAX];
	int peak = column_index(&tui_worker_table, "PEAK");
	int item = column_index(&tui_worker_table, "ITEM");
	int all = tui_columns_fit(&tui_worker_table, 200, widths);
	int item_width = widths[item];
	int used = tui_columns_fit_shown(&tui_worker_table, 1UL << peak, 200, widths);
	ck_assert_int_eq(widths[peak], 0);
	/* The flexible ITEM column takes the room PEAK left. */
	ck_assert_int_eq(used, all);
	ck_assert_int_eq(widths[item], item_width + tui_worker_table.columns[peak].width + 1);
}
END_TEST

/* The chart's text, one string per row, for comparing. */
static void chart_rows_text(const struct chart_cell *cells, int width, int rows, char out[][256])
{
	for (int row = 0; row < rows; row++) {
		out[row][0] = '\0';
		for (int column = 0; column < width; column++)
			strcat(out[row], cells[row * width + column].text);
	}
}

START_TEST(the_chart_draws_items_per_second_as_bars_and_cpu_as_dots)
{
	struct tui_history history;
	tui_history_init(&history);
	double rates[] = { 2, 4, 1 }, cpus[] = { 0, 100, 200 };
	for (int i = 0; i < 3; i++) {
		tui_history_add(&history, rates[i], 2, i + 1);
		tui_history_set_cpu(&history, cpus[i]);
	}
	struct chart_cell cells[3 * 5];
	struct chart_scale scale;
	ck_assert_int_eq(tui_history_chart(&history, 5, 3, false, cells, &scale), 3);
	ck_assert_double_eq(scale.rate_top, 4);
	ck_assert_double_eq(scale.cpu_top, 200);
	char rows[3][256];
	chart_rows_text(cells, 5, 3, rows);
	/* Bars: 2/4 of 3 rows is 1.5 rows, 4/4 the whole height, 1/4 under
	 * one row (ASCII: # from half a row up, . below); CPU 0 at the
	 * bottom, 100 half way up, 200 at the top, over the bars. */
	ck_assert_str_eq(rows[0], " #*  ");
	ck_assert_str_eq(rows[1], "#*   ");
	ck_assert_str_eq(rows[2], "*##  ");
	ck_assert_int_eq(cells[0 * 5 + 2].kind, CHART_CPU);
	ck_assert_int_eq(cells[2 * 5 + 1].kind, CHART_RATE);
	ck_assert_int_eq(cells[0 * 5 + 4].kind, CHART_EMPTY);
}
END_TEST

START_TEST(the_chart_marks_a_change_of_pool_size_down_its_height)
{
	struct tui_history history;
	tui_history_init(&history);
	tui_history_add(&history, 1, 2, 1);
	tui_history_add(&history, 1, 3, 2);
	struct chart_cell cells[2 * 4];
	struct chart_scale scale;
	ck_assert_int_eq(tui_history_chart(&history, 4, 2, true, cells, &scale), 3);
	/* No CPU known: no dots; the scale of CPU is one core at least. */
	ck_assert_double_eq(scale.cpu_top, 100);
	for (int row = 0; row < 2; row++) {
		ck_assert_int_eq(cells[row * 4 + 1].kind, CHART_SIZE);
		ck_assert_str_eq(cells[row * 4 + 1].text, "\xe2\x94\x82");
		ck_assert_int_eq(cells[row * 4 + 0].kind, CHART_RATE);
		ck_assert_int_eq(cells[row * 4 + 2].kind, CHART_RATE);
	}
}
END_TEST

static Suite *columns_suite(void)
{
	Suite *suite = suite_create("tui_columns");
	TCase *layout = tcase_create("layout");
	tcase_add_test(layout, every_table_fits_a_widths_array);
	tcase_add_test(layout, a_wide_terminal_shows_every_worker_column);
	tcase_add_test(layout, a_40_column_terminal_keeps_slot_state_item_and_cpu);
	tcase_add_test(layout, columns_drop_in_order_of_importance);
	tcase_add_test(layout, spare_width_is_shared_between_flexible_columns);
	suite_add_tcase(suite, layout);

	TCase *workers = tcase_create("worker cells");
	tcase_add_test(workers, a_running_worker_reads_like_top);
	tcase_add_test(workers, a_job_on_another_host_shows_the_host_and_its_pid_there);
	tcase_add_test(workers, a_long_or_hostile_login_is_cut_and_escaped);
	tcase_add_test(workers, a_tree_not_sampled_yet_shows_dashes_not_zeros);
	tcase_add_test(workers, an_idle_slot_shows_the_cpu_its_short_jobs_used);
	tcase_add_test(workers, peak_memory_shows_beside_the_current);
	tcase_add_test(workers, an_idle_slot_shows_no_item_and_no_figures);
	tcase_add_test(workers, every_state_has_its_short_name);
	tcase_add_test(workers, queued_items_of_a_worker_show_as_plus_n);
	tcase_add_test(workers, an_escape_sequence_in_an_item_is_shown_escaped);
	tcase_add_test(workers, a_long_item_is_cut_by_display_width_with_an_ellipsis);
	tcase_add_test(workers, a_heading_cell_is_the_title_aligned_like_the_values);
	suite_add_tcase(suite, workers);

	TCase *results = tcase_create("result cells");
	tcase_add_test(results, a_result_keeps_the_first_line_of_output_only);
	tcase_add_test(results, a_result_says_how_the_job_ended);
	tcase_add_test(results, a_job_that_never_started_shows_the_error);
	tcase_add_test(results, output_with_escape_sequences_is_kept_escaped);
	tcase_add_test(results, signals_have_short_names);
	suite_add_tcase(suite, results);

	TCase *history = tcase_create("history");
	tcase_add_test(history, the_sparkline_scales_to_the_highest_rate_shown);
	tcase_add_test(history, a_change_of_pool_size_is_marked_and_told);
	tcase_add_test(history, only_the_newest_samples_that_fit_are_drawn);
	tcase_add_test(history, the_legend_keeps_the_newest_changes_that_fit);
	tcase_add_test(history, the_chart_draws_items_per_second_as_bars_and_cpu_as_dots);
	tcase_add_test(history, the_chart_marks_a_change_of_pool_size_down_its_height);
	tcase_add_test(history, hidden_columns_are_left_out_whatever_the_width);
	suite_add_tcase(suite, history);
	return suite;
}

int main(void)
{
	/* Widths and the ellipsis follow the locale, as in the program. */
	if (!setlocale(LC_ALL, "C.UTF-8")) {
		fprintf(stderr, "check_tui_columns: the C.UTF-8 locale is not available\n");
		return EXIT_FAILURE;
	}
	SRunner *runner = srunner_create(columns_suite());
	srunner_run_all(runner, CK_ENV);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
