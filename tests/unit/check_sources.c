/* check_sources.c - unit tests of GNU parallel's input sources: the order
 * of combinations, :::+ and --link pairing, empty sources, held sources
 * and their limit, --colsep splitting (Perl's split, translated regular
 * expressions), --trim, --header names and --shuf. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "columns.h"
#include "sources.h"

/* ---- helpers -------------------------------------------------------------- */

static struct sources_config config;
static char error[512];
static char *words_storage[SOURCES_MAX][32];
static char file_names[SOURCES_MAX][64];
static int file_count;

static void setup(void)
{
	memset(&config, 0, sizeof config);
	config.delimiter = '\n';
	error[0] = '\0';
	file_count = 0;
}

static void teardown(void)
{
	for (int index = 0; index < file_count; index++)
		unlink(file_names[index]);
}

/* One ::: source (":::+" when linked) of the words up to NULL. */
static void add_words(int linked, ...)
{
	int source = config.count;
	int count = 0;
	va_list list;

	va_start(list, linked);
	for (const char *word = va_arg(list, const char *); word; word = va_arg(list, const char *))
		words_storage[source][count++] = (char *)word;
	va_end(list);
	config.specs[config.count++] = (struct source_spec){
		.type = SOURCE_WORDS, .linked = linked != 0, .words = words_storage[source], .word_count = count,
	};
}

/* One :::: source holding content. */
static void add_file(bool linked, const char *content)
{
	char *name = file_names[file_count++];
	snprintf(name, sizeof file_names[0], "/tmp/check_sources.XXXXXX");
	int fd = mkstemp(name);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
	config.specs[config.count++] = (struct source_spec){ .type = SOURCE_FILE, .linked = linked, .path = name };
}

static void add_range(int64_t first, int64_t last)
{
	config.specs[config.count++] = (struct source_spec){
		.type = SOURCE_RANGE, .first = first, .last = last, .step = first <= last ? 1 : -1,
	};
}

/* Every item, one per line, its arguments separated by '|'; NULL with
 * error set when the sources could not be opened.  *total gets the
 * total the items said once they ended. */
static char *all_items(int64_t *total)
{
	struct sources *sources = sources_open(&config, error, sizeof error);
	if (!sources)
		return NULL;
	struct items *items = sources_items(sources);
	size_t size = 4096, used = 0;
	char *text = malloc(size);
	const char *item;
	size_t length;
	enum items_status status;

	text[0] = '\0';
	while ((status = items_next(items, &item, &length)) == ITEMS_READY) {
		while (used + length + 2 > size)
			text = realloc(text, size *= 2);
		for (size_t index = 0; index < length; index++)
			text[used++] = item[index] == ITEMS_ARG_SEPARATOR ? '|' : item[index];
		text[used++] = '\n';
		text[used] = '\0';
	}
	if (status == ITEMS_ERROR) {
		ck_assert_int_eq(items_error(items, error, sizeof error), -1);
		free(text);
		text = NULL;
	} else {
		ck_assert_int_eq(status, ITEMS_END);
	}
	if (total)
		*total = items_total(items);
	items_free(items);
	return text;
}

static void expect_items(const char *expected)
{
	int64_t total = -2;
	char *got = all_items(&total);

	ck_assert_msg(got, "refused: %s", error);
	ck_assert_str_eq(got, expected);
	int64_t lines = 0;
	for (const char *cursor = expected; *cursor; cursor++)
		lines += *cursor == '\n';
	ck_assert_int_eq(total, lines);
	free(got);
}

static void expect_refusal(const char *part_of_message)
{
	char *got = all_items(NULL);

	ck_assert_msg(!got, "accepted, gave: %s", got ? got : "");
	ck_assert_msg(strstr(error, part_of_message), "message '%s' lacks '%s'", error, part_of_message);
}

/* Columns of text as "a|b|c" (columns_split). */
static char *split(const char *regex, enum trim_mode trim, const char *text)
{
	struct columns_regex *separator = NULL;
	struct columns_out out = { 0 };

	if (regex) {
		separator = columns_regex_new(regex, error, sizeof error);
		ck_assert_msg(separator, "regex '%s' refused: %s", regex, error);
	}
	columns_split(separator, trim, text, strlen(text), &out);
	columns_regex_free(separator);
	for (size_t index = 0; index < out.len; index++) {
		if (out.bytes[index] == ITEMS_ARG_SEPARATOR)
			out.bytes[index] = '|';
	}
	return out.bytes;
}

static void expect_split(const char *regex, enum trim_mode trim, const char *text, const char *expected)
{
	char *got = split(regex, trim, text);
	ck_assert_msg(!strcmp(got, expected), "split '%s' at '%s' gave '%s', not '%s'", text, regex ? regex : "",
		      got, expected);
	free(got);
}

static void expect_bad_regex(const char *regex, const char *part_of_message)
{
	struct columns_regex *compiled = columns_regex_new(regex, error, sizeof error);
	ck_assert_msg(!compiled, "'%s' was accepted", regex);
	ck_assert_msg(strstr(error, part_of_message), "message '%s' lacks '%s'", error, part_of_message);
}

/* ---- combinations ---------------------------------------------------------- */

START_TEST(two_sources_give_every_combination_with_the_last_varying_fastest)
{
	add_words(false, "a", "b", NULL);
	add_words(false, "1", "2", NULL);
	expect_items("a|1\na|2\nb|1\nb|2\n");
}
END_TEST

START_TEST(three_sources_nest_like_three_loops)
{
	add_words(false, "a", "b", NULL);
	add_words(false, "1", "2", NULL);
	add_words(false, "x", "y", NULL);
	expect_items("a|1|x\na|1|y\na|2|x\na|2|y\nb|1|x\nb|1|y\nb|2|x\nb|2|y\n");
}
END_TEST

START_TEST(files_ranges_and_words_mix_in_the_order_given)
{
	add_file(false, "f1a\nf1b\n");
	add_range(1, 2);
	add_words(false, "x", NULL);
	expect_items("f1a|1|x\nf1a|2|x\nf1b|1|x\nf1b|2|x\n");
}
END_TEST

START_TEST(a_linked_source_pairs_item_by_item_and_stops_at_the_shorter)
{
	add_words(false, "a", "b", "c", NULL);
	add_words(true, "1", "2", NULL);
	expect_items("a|1\nb|2\n");
	setup();
	add_words(false, "a", "b", NULL);
	add_words(true, "1", "2", "3", NULL);
	expect_items("a|1\nb|2\n");
}
END_TEST

START_TEST(a_linked_pair_after_the_first_source_is_held_and_combined)
{
	add_words(false, "a", "b", NULL);
	add_words(false, "x", "y", NULL);
	add_words(true, "1", "2", "3", NULL);
	expect_items("a|x|1\na|y|2\nb|x|1\nb|y|2\n");
	setup();
	add_words(false, "a", "b", "c", NULL);
	add_file(false, "f1a\nf1b\n");
	add_file(true, "g1\ng2\ng3\n");
	add_words(true, "x", "y", "z", NULL);
	expect_items("a|f1a|g1|x\na|f1b|g2|y\nb|f1a|g1|x\nb|f1b|g2|y\nc|f1a|g1|x\nc|f1b|g2|y\n");
}
END_TEST

START_TEST(link_pairs_all_sources_and_shorter_ones_wrap_around)
{
	config.link = true;
	add_words(false, "a", "b", "c", NULL);
	add_words(false, "1", "2", NULL);
	add_words(false, "x", NULL);
	expect_items("a|1|x\nb|2|x\nc|1|x\n");
}
END_TEST

START_TEST(link_wraps_the_first_source_too_when_it_is_the_shortest)
{
	config.link = true;
	add_file(false, "a\nb\n");
	add_words(false, "1", "2", "3", "4", "5", NULL);
	expect_items("a|1\nb|2\na|3\nb|4\na|5\n");
}
END_TEST

START_TEST(an_empty_source_among_several_is_one_empty_argument)
{
	add_words(false, "a", "b", NULL);
	add_file(false, "");
	expect_items("a|\nb|\n");
	setup();
	add_file(false, "");
	add_words(false, "a", "b", NULL);
	expect_items("|a\n|b\n");
	setup();
	add_words(false, "a", "b", NULL);
	add_words(true, NULL);
	expect_items("a|\n");
}
END_TEST

START_TEST(a_single_empty_source_gives_no_items)
{
	add_words(false, NULL);
	expect_items("");
	setup();
	add_file(false, "");
	expect_items("");
}
END_TEST

START_TEST(a_missing_file_is_refused_by_name)
{
	add_words(false, "a", NULL);
	config.specs[config.count++] = (struct source_spec){ .type = SOURCE_FILE, .path = "/nonexistent/items" };
	expect_refusal("'/nonexistent/items'");
}
END_TEST

START_TEST(held_sources_beyond_the_limit_are_refused)
{
	config.held_limit = 1000;
	add_words(false, "a", NULL);
	char big[4096];
	for (size_t index = 0; index + 1 < sizeof big; index++)
		big[index] = index % 10 == 9 ? '\n' : 'x';
	big[sizeof big - 1] = '\0';
	add_file(false, big);
	expect_refusal("too big to hold");
	/* The first source is streamed: it may be as long as it likes. */
	setup();
	config.held_limit = 1000;
	add_file(false, big);
	add_words(false, "a", NULL);
	char *got = all_items(NULL);
	ck_assert_ptr_nonnull(got);
	free(got);
}
END_TEST

START_TEST(the_total_is_the_product_of_the_lengths)
{
	add_range(1, 1000);
	add_words(false, "a", "b", "c", NULL);
	struct sources *sources = sources_open(&config, error, sizeof error);
	ck_assert_ptr_nonnull(sources);
	struct items *items = sources_items(sources);
	ck_assert_int_eq(items_total(items), 3000);
	items_free(items);
}
END_TEST

/* ---- columns ---------------------------------------------------------------- */

START_TEST(colsep_cuts_at_each_match_keeping_empty_columns)
{
	expect_split(",", TRIM_NONE, "a,b", "a|b");
	expect_split(",", TRIM_NONE, "a,,b", "a||b");
	expect_split(",", TRIM_NONE, "d,", "d|");
	expect_split(",", TRIM_NONE, ",", "|");
	expect_split(",", TRIM_NONE, "", "");
	expect_split("\\t", TRIM_NONE, "a\tb c", "a|b c");
	expect_split("[,;]+", TRIM_NONE, "a,;b", "a|b");
	expect_split("\\s+", TRIM_NONE, "a  b\tc", "a|b|c");
	expect_split("\\.", TRIM_NONE, "a.b", "a|b");
	expect_split(".", TRIM_NONE, "a.b", "|||");
}
END_TEST

START_TEST(an_empty_match_splits_between_characters_as_perl_does)
{
	expect_split("", TRIM_NONE, "abc", "a|b|c");
	expect_split("x*", TRIM_NONE, "axbc", "a|b|c");
	expect_split("|", TRIM_NONE, "a|b", "a|||b");
	/* Between characters, not inside one. */
	expect_split("", TRIM_NONE, "\xc3\xa9t\xc3\xa9", "\xc3\xa9|t|\xc3\xa9");
}
END_TEST

START_TEST(captured_separators_become_columns_as_in_perl)
{
	expect_split("(,)", TRIM_NONE, "a,b", "a|,|b");
	expect_split("(,)|(;)", TRIM_NONE, "a,b;c", "a|,||b||;|c");
}
END_TEST

START_TEST(trim_removes_white_space_from_each_column)
{
	expect_split(",", TRIM_BOTH, " a , b ", "a|b");
	expect_split(",", TRIM_LEFT, " a , b ", "a |b ");
	expect_split(",", TRIM_RIGHT, " a , b ", " a| b");
	expect_split(NULL, TRIM_BOTH, " \ta \t", "a");
	expect_split(NULL, TRIM_NONE, " a ", " a ");
}
END_TEST

START_TEST(perl_only_syntax_is_refused_with_a_reason)
{
	expect_bad_regex("(?=a)", "(?...)");
	expect_bad_regex("a*?", "lazy");
	expect_bad_regex("a++", "possessive");
	expect_bad_regex("\\bword", "\\b is Perl syntax");
	expect_bad_regex("\\1", "\\1 is Perl syntax");
	expect_bad_regex("[\\]]", "inside [...]");
	expect_bad_regex("a\\", "lone backslash");
	expect_bad_regex("[abc", "no closing");
	expect_bad_regex("(", "regular expression '('");
}
END_TEST

START_TEST(trim_modes_are_parallels)
{
	enum trim_mode mode;
	ck_assert_int_eq(columns_parse_trim("rl", &mode), 0);
	ck_assert_int_eq(mode, TRIM_BOTH);
	ck_assert_int_eq(columns_parse_trim("n", &mode), 0);
	ck_assert_int_eq(mode, TRIM_NONE);
	ck_assert_int_eq(columns_parse_trim("lrx", &mode), -1);
	ck_assert_int_eq(columns_parse_trim("", &mode), -1);
}
END_TEST

START_TEST(colsep_applies_to_each_source_and_the_columns_follow_each_other)
{
	config.colsep = "-";
	add_words(false, "A-B", "C-D", NULL);
	add_words(false, "e-f", NULL);
	expect_items("A|B|e|f\nC|D|e|f\n");
}
END_TEST

START_TEST(colsep_trims_unless_told_not_to)
{
	config.colsep = ",";
	add_words(false, " a , b ", NULL);
	expect_items("a|b\n");
	setup();
	config.colsep = ",";
	config.trim = "n";
	add_words(false, " a , b ", NULL);
	expect_items(" a | b \n");
}
END_TEST

/* ---- headers ------------------------------------------------------------------ */

START_TEST(a_header_line_names_the_columns_and_is_not_an_item)
{
	config.header = ":";
	config.colsep = ",";
	add_file(false, "n1,n2\na,b\nc,d\n");
	add_words(false, "x", "y", NULL);
	struct sources *sources = sources_open(&config, error, sizeof error);
	ck_assert_msg(sources, "%s", error);
	char *command[] = { (char *)"echo", (char *)"{n2}-{n1}", (char *)"{x.}", (char *)"{n1/}{n1//}{n1/.}",
			    (char *)"{}", (char *)"{unknown}", (char *)"{n1" };
	char **renamed = sources_rename_placeholders(sources, command, 7);
	ck_assert_str_eq(renamed[0], "echo");
	ck_assert_str_eq(renamed[1], "{2}-{1}");
	ck_assert_str_eq(renamed[2], "{3.}");
	ck_assert_str_eq(renamed[3], "{1/}{1//}{1/.}");
	ck_assert_str_eq(renamed[4], "{}");
	ck_assert_str_eq(renamed[5], "{unknown}");
	ck_assert_str_eq(renamed[6], "{n1");
	ck_assert_ptr_null(renamed[7]);
	sources_free_words(renamed, 7);
	struct items *items = sources_items(sources);
	const char *text;
	size_t length;
	ck_assert_int_eq(items_next(items, &text, &length), ITEMS_READY);
	ck_assert_mem_eq(text, "a\0b\0y", 5);
	ck_assert_uint_eq(length, 5);
	ck_assert_int_eq(items_next(items, &text, &length), ITEMS_READY);
	ck_assert_mem_eq(text, "c\0d\0y", 5);
	ck_assert_int_eq(items_next(items, &text, &length), ITEMS_END);
	ck_assert_int_eq(items_total(items), 2);
	items_free(items);
}
END_TEST

START_TEST(a_header_splits_at_tabs_when_no_colsep_is_given)
{
	config.header = ":";
	add_file(false, "a\tb\nx\ty\n");
	expect_items("x|y\n");
}
END_TEST

START_TEST(a_header_regex_must_match_each_first_line)
{
	config.header = "h[0-9]\\n";
	add_file(false, "h1\nitem\n");
	expect_items("item\n");
	setup();
	config.header = "zz";
	add_file(false, "h1\nitem\n");
	expect_refusal("does not match --header 'zz'");
	setup();
	config.header = "2";
	ck_assert_int_eq(sources_check_config(&config, error, sizeof error), -1);
	config.header = "1";
	ck_assert_int_eq(sources_check_config(&config, error, sizeof error), 0);
}
END_TEST

/* ---- --shuf ---------------------------------------------------------------------- */

static int compare_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

START_TEST(shuf_gives_the_same_items_in_another_order)
{
	char *words[200];
	char storage[200][8];
	for (int index = 0; index < 200; index++) {
		snprintf(storage[index], sizeof storage[index], "%03d", index);
		words[index] = storage[index];
	}
	struct items *items = sources_shuffle(items_from_array(words, 200), 0, 12345);
	char *seen[200];
	int count = 0, in_place = 0;
	const char *text;
	size_t length;
	while (items_next(items, &text, &length) == ITEMS_READY) {
		ck_assert_int_lt(count, 200);
		in_place += !strcmp(text, storage[count]);
		seen[count++] = strdup(text);
	}
	ck_assert_int_eq(count, 200);
	ck_assert_int_eq(items_total(items), 200);
	ck_assert_int_lt(in_place, 20);
	qsort(seen, 200, sizeof seen[0], compare_lines);
	for (int index = 0; index < 200; index++) {
		ck_assert_str_eq(seen[index], storage[index]);
		free(seen[index]);
	}
	items_free(items);
}
END_TEST

START_TEST(shuf_beyond_its_limit_is_an_error_before_any_item)
{
	struct items *items = sources_shuffle(items_from_range(1, 1000000, 1), 4096, 1);
	const char *text;
	size_t length;
	ck_assert_int_eq(items_next(items, &text, &length), ITEMS_ERROR);
	ck_assert_int_eq(items_error(items, error, sizeof error), -1);
	ck_assert_ptr_nonnull(strstr(error, "--shuf holds every item in memory"));
	items_free(items);
}
END_TEST

static Suite *sources_suite(void)
{
	Suite *suite = suite_create("sources");
	TCase *combine = tcase_create("combine");
	TCase *columns = tcase_create("columns");
	TCase *headers = tcase_create("headers");
	TCase *shuffle = tcase_create("shuffle");

	tcase_add_checked_fixture(combine, setup, teardown);
	tcase_add_test(combine, two_sources_give_every_combination_with_the_last_varying_fastest);
	tcase_add_test(combine, three_sources_nest_like_three_loops);
	tcase_add_test(combine, files_ranges_and_words_mix_in_the_order_given);
	tcase_add_test(combine, a_linked_source_pairs_item_by_item_and_stops_at_the_shorter);
	tcase_add_test(combine, a_linked_pair_after_the_first_source_is_held_and_combined);
	tcase_add_test(combine, link_pairs_all_sources_and_shorter_ones_wrap_around);
	tcase_add_test(combine, link_wraps_the_first_source_too_when_it_is_the_shortest);
	tcase_add_test(combine, an_empty_source_among_several_is_one_empty_argument);
	tcase_add_test(combine, a_single_empty_source_gives_no_items);
	tcase_add_test(combine, a_missing_file_is_refused_by_name);
	tcase_add_test(combine, held_sources_beyond_the_limit_are_refused);
	tcase_add_test(combine, the_total_is_the_product_of_the_lengths);
	suite_add_tcase(suite, combine);

	tcase_add_checked_fixture(columns, setup, teardown);
	tcase_add_test(columns, colsep_cuts_at_each_match_keeping_empty_columns);
	tcase_add_test(columns, an_empty_match_splits_between_characters_as_perl_does);
	tcase_add_test(columns, captured_separators_become_columns_as_in_perl);
	tcase_add_test(columns, trim_removes_white_space_from_each_column);
	tcase_add_test(columns, perl_only_syntax_is_refused_with_a_reason);
	tcase_add_test(columns, trim_modes_are_parallels);
	tcase_add_test(columns, colsep_applies_to_each_source_and_the_columns_follow_each_other);
	tcase_add_test(columns, colsep_trims_unless_told_not_to);
	suite_add_tcase(suite, columns);

	tcase_add_checked_fixture(headers, setup, teardown);
	tcase_add_test(headers, a_header_line_names_the_columns_and_is_not_an_item);
	tcase_add_test(headers, a_header_splits_at_tabs_when_no_colsep_is_given);
	tcase_add_test(headers, a_header_regex_must_match_each_first_line);
	suite_add_tcase(suite, headers);

	tcase_add_test(shuffle, shuf_gives_the_same_items_in_another_order);
	tcase_add_test(shuffle, shuf_beyond_its_limit_is_an_error_before_any_item);
	suite_add_tcase(suite, shuffle);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(sources_suite());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
