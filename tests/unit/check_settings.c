/* check_settings.c - unit tests of the settings file: what each key means,
 * that a broken line is named by its number and the whole file ignored,
 * and that what is written reads back the same. */
#include "settings.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const names[] = { "SLOT", "PID", "STATE", "ITEM", "CPU%", "RSS" };
static const struct settings_columns columns = { names, sizeof names / sizeof names[0] };

static int parse(const char *text, struct settings *settings, char *error, size_t size)
{
	return settings_parse(text, strlen(text), &columns, settings, error, size);
}

START_TEST(an_empty_file_sets_nothing)
{
	struct settings settings;
	char error[200] = "";
	ck_assert_int_eq(parse("", &settings, error, sizeof error), 0);
	ck_assert(!settings.refresh_set);
	ck_assert(!settings.columns_set);
}
END_TEST

START_TEST(comments_and_blank_lines_are_skipped)
{
	struct settings settings;
	char error[200] = "";
	ck_assert_int_eq(parse("# my settings\n\n   \n\t# indented comment\nrefresh=2\n", &settings,
			       error, sizeof error), 0);
	ck_assert(settings.refresh_set);
	ck_assert_double_eq(settings.refresh, 2.0);
}
END_TEST

START_TEST(keys_and_values_may_have_spaces_around_them)
{
	struct settings settings;
	char error[200] = "";
	ck_assert_int_eq(parse("  refresh = 0.5  \r\ncolumns = slot , ITEM,cpu%\n", &settings, error,
			       sizeof error), 0);
	ck_assert_double_eq(settings.refresh, 0.5);
	ck_assert(settings.columns_set);
	/* SLOT, ITEM and CPU% are columns 0, 3 and 4, named in any case. */
	ck_assert_uint_eq(settings.columns_shown, (1UL << 0) | (1UL << 3) | (1UL << 4));
}
END_TEST

START_TEST(the_last_line_needs_no_newline)
{
	struct settings settings;
	char error[200] = "";
	ck_assert_int_eq(parse("columns=PID", &settings, error, sizeof error), 0);
	ck_assert_uint_eq(settings.columns_shown, 1UL << 1);
}
END_TEST

/* A broken file: the first broken line's number, and nothing kept. */
static void assert_broken(const char *text, const char *expected_error)
{
	struct settings settings;
	char error[200] = "";
	ck_assert_int_eq(parse(text, &settings, error, sizeof error), -1);
	ck_assert_str_eq(error, expected_error);
	ck_assert(!settings.refresh_set);
	ck_assert(!settings.columns_set);
}

START_TEST(a_line_without_equals_is_named_by_its_number)
{
	assert_broken("refresh=2\n# fine\nnonsense\n", "3: expected key=value");
}
END_TEST

START_TEST(an_unknown_key_is_broken)
{
	assert_broken("\ncolour=red\n", "2: unknown key 'colour'");
}
END_TEST

START_TEST(an_unknown_column_is_broken)
{
	assert_broken("columns=PID,WHAT\n", "1: no column is called 'WHAT'");
	assert_broken("columns=PID,,ITEM\n", "1: an empty column name");
	assert_broken("columns=\n", "1: an empty column name");
}
END_TEST

START_TEST(a_refresh_out_of_range_or_not_a_number_is_broken)
{
	const char *expected = "1: refresh wants seconds from 0.1 to 3600";
	assert_broken("refresh=0\n", expected);
	assert_broken("refresh=-1\n", expected);
	assert_broken("refresh=fast\n", expected);
	assert_broken("refresh=2s\n", expected);
	assert_broken("refresh=nan\n", expected);
	assert_broken("refresh=99999\n", expected);
}
END_TEST

START_TEST(a_nul_byte_is_broken)
{
	struct settings settings;
	char error[200] = "";
	static const char text[] = "refresh=1\nrefr\0esh=2\n";
	ck_assert_int_eq(settings_parse(text, sizeof text - 1, &columns, &settings, error, sizeof error), -1);
	ck_assert_str_eq(error, "2: a NUL byte");
}
END_TEST

START_TEST(what_is_written_reads_back_the_same)
{
	struct settings written = {
		.refresh_set = true, .refresh = 2.5,
		.columns_set = true, .columns_shown = (1UL << 1) | (1UL << 3) | (1UL << 5),
	}, read;
	char text[1024], error[200] = "";
	int length = settings_format(&written, &columns, text, sizeof text);
	ck_assert_int_gt(length, 0);
	ck_assert_ptr_nonnull(strstr(text, "columns=PID,ITEM,RSS\n"));
	ck_assert_int_eq(settings_parse(text, (size_t)length, &columns, &read, error, sizeof error), 0);
	ck_assert(read.refresh_set && read.columns_set);
	ck_assert_double_eq(read.refresh, 2.5);
	ck_assert_uint_eq(read.columns_shown, written.columns_shown);
}
END_TEST

START_TEST(the_file_lives_under_xdg_config_home_or_home)
{
	setenv("XDG_CONFIG_HOME", "/tmp/config", 1);
	setenv("HOME", "/home/someone", 1);
	char *path = settings_path();
	ck_assert_str_eq(path, "/tmp/config/pooltop/pooltoprc");
	free(path);
	/* A relative XDG_CONFIG_HOME is ignored, as the XDG rules say. */
	setenv("XDG_CONFIG_HOME", "relative", 1);
	path = settings_path();
	ck_assert_str_eq(path, "/home/someone/.config/pooltop/pooltoprc");
	free(path);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	ck_assert_ptr_null(settings_path());
}
END_TEST

START_TEST(saving_makes_the_directory_and_loading_reads_it)
{
	char directory[] = "/tmp/check_settings.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(directory));
	char path[256];
	snprintf(path, sizeof path, "%s/config/pooltop/pooltoprc", directory);
	struct settings settings, loaded;
	char error[300] = "";
	ck_assert_int_eq(settings_load(path, &columns, &loaded, error, sizeof error), 1);
	settings = (struct settings){ .columns_set = true, .columns_shown = 1UL << 3 };
	ck_assert_int_eq(settings_save(path, &settings, &columns, error, sizeof error), 0);
	ck_assert_int_eq(settings_load(path, &columns, &loaded, error, sizeof error), 0);
	ck_assert(loaded.columns_set && !loaded.refresh_set);
	ck_assert_uint_eq(loaded.columns_shown, 1UL << 3);

	FILE *file = fopen(path, "w");
	ck_assert_ptr_nonnull(file);
	fputs("refresh=1\ncolumns=PID\nbroken line\n", file);
	fclose(file);
	ck_assert_int_eq(settings_load(path, &columns, &loaded, error, sizeof error), -1);
	char expected[300];
	snprintf(expected, sizeof expected, "%s:3: expected key=value", path);
	ck_assert_str_eq(error, expected);
	ck_assert(!loaded.columns_set && !loaded.refresh_set);

	unlink(path);
	snprintf(path, sizeof path, "%s/config/pooltop", directory);
	rmdir(path);
	snprintf(path, sizeof path, "%s/config", directory);
	rmdir(path);
	rmdir(directory);
}
END_TEST

static Suite *settings_suite(void)
{
	Suite *suite = suite_create("settings");
	TCase *parsing = tcase_create("parsing");
	tcase_add_test(parsing, an_empty_file_sets_nothing);
	tcase_add_test(parsing, comments_and_blank_lines_are_skipped);
	tcase_add_test(parsing, keys_and_values_may_have_spaces_around_them);
	tcase_add_test(parsing, the_last_line_needs_no_newline);
	suite_add_tcase(suite, parsing);

	TCase *broken = tcase_create("broken files");
	tcase_add_test(broken, a_line_without_equals_is_named_by_its_number);
	tcase_add_test(broken, an_unknown_key_is_broken);
	tcase_add_test(broken, an_unknown_column_is_broken);
	tcase_add_test(broken, a_refresh_out_of_range_or_not_a_number_is_broken);
	tcase_add_test(broken, a_nul_byte_is_broken);
	suite_add_tcase(suite, broken);

	TCase *files = tcase_create("files");
	tcase_add_test(files, what_is_written_reads_back_the_same);
	tcase_add_test(files, the_file_lives_under_xdg_config_home_or_home);
	tcase_add_test(files, saving_makes_the_directory_and_loading_reads_it);
	suite_add_tcase(suite, files);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(settings_suite());
	srunner_run_all(runner, CK_ENV);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
