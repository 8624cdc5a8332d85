/* check_template.c - unit tests of the command template: every GNU
 * parallel placeholder and its edge cases, appending the item, --shell
 * quoting, numbering, huge items and the display form of a command. */
#include <check.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"

/* The argv for `item` under the template `words` (NULL-terminated), with
 * sequence number 1 and slot 1, as one string "word|word|word". */
static char *run_template(bool shell, const char *item, uint64_t seq, int slot, ...)
{
	char *words[32];
	int count = 0;
	va_list list;
	struct template *template;
	char **argv;
	size_t size = 1;
	char *joined;

	va_start(list, slot);
	while ((words[count] = va_arg(list, char *)) != NULL)
		count++;
	va_end(list);
	template = template_new(words, count, shell);
	ck_assert_ptr_nonnull(template);
	argv = template_argv(template, item, strlen(item), seq, slot);
	ck_assert_ptr_nonnull(argv);
	template_free(template);
	for (size_t index = 0; argv[index]; index++)
		size += strlen(argv[index]) + 1;
	joined = calloc(1, size);
	ck_assert_ptr_nonnull(joined);
	for (size_t index = 0; argv[index]; index++) {
		if (index > 0)
			strcat(joined, "|");
		strcat(joined, argv[index]);
	}
	free(argv);
	return joined;
}

#define expect_argv(expected, item, ...) do { \
		char *got = run_template(false, item, 1, 1, __VA_ARGS__, (char *)NULL); \
		ck_assert_str_eq(got, expected); \
		free(got); \
	} while (0)

#define expect_script(expected_script, item, ...) do { \
		char *got = run_template(true, item, 1, 1, __VA_ARGS__, (char *)NULL); \
		ck_assert_str_eq(got, "sh|-c|" expected_script); \
		free(got); \
	} while (0)

/* One placeholder applied to one item, e.g. "{//}" of "a/b/c" is "a/b". */
#define expect_placeholder(placeholder, item, expected) \
	expect_argv("echo|" expected, item, "echo", placeholder)

START_TEST(the_item_placeholder_is_the_item)
{
	expect_placeholder("{}", "a/b.c", "a/b.c");
	expect_placeholder("{}", "", "");
}
END_TEST

START_TEST(dot_drops_only_the_last_extension)
{
	expect_placeholder("{.}", "dir.x/file.tar.gz", "dir.x/file.tar");
	expect_placeholder("{.}", "dir.x/file", "dir.x/file");
	expect_placeholder("{.}", "photo.jpg", "photo");
	expect_placeholder("{.}", "file.", "file");
	expect_placeholder("{.}", "a.b/", "a.b/");
	/* As GNU parallel: a leading dot counts as an extension too. */
	expect_placeholder("{.}", "a/.hidden", "a/");
	expect_placeholder("{.}", "..", ".");
}
END_TEST

START_TEST(slash_is_the_basename)
{
	expect_placeholder("{/}", "a/b/c.txt", "c.txt");
	expect_placeholder("{/}", "c", "c");
	expect_placeholder("{/}", "/x", "x");
	expect_placeholder("{/}", "a//b", "b");
	/* As GNU parallel: nothing after the last slash is an empty name. */
	expect_placeholder("{/}", "a/b/", "");
	expect_placeholder("{/}", "/", "");
}
END_TEST

START_TEST(double_slash_is_the_dirname_as_gnu_parallel_gives_it)
{
	expect_placeholder("{//}", "a/b/c", "a/b");
	expect_placeholder("{//}", "c", ".");
	expect_placeholder("{//}", "", ".");
	expect_placeholder("{//}", "/x", "/");
	expect_placeholder("{//}", "/", "/");
	expect_placeholder("{//}", "//", "/");
	expect_placeholder("{//}", "//a", "/");
	expect_placeholder("{//}", "a//b", "a");
	expect_placeholder("{//}", "a/b/", "a");
	expect_placeholder("{//}", "a/b//", "a");
	expect_placeholder("{//}", "/a/", "/");
	expect_placeholder("{//}", "a///", ".");
	expect_placeholder("{//}", "a.b/", ".");
	expect_placeholder("{//}", "x/..", "x");
}
END_TEST

START_TEST(slash_dot_is_the_basename_without_extension)
{
	expect_placeholder("{/.}", "dir.x/file.tar.gz", "file.tar");
	expect_placeholder("{/.}", "dir.x/file", "file");
	expect_placeholder("{/.}", "x/..", ".");
	expect_placeholder("{/.}", "a/b/", "");
	expect_placeholder("{/.}", "/a.b/c.d", "c");
}
END_TEST

START_TEST(sequence_and_slot_numbers_are_decimal)
{
	char *got = run_template(false, "item", 12345, 7, "run", "{#}", "{%}", "{#}-{%}", (char *)NULL);

	ck_assert_str_eq(got, "run|12345|7|12345-7");
	free(got);
	got = run_template(false, "item", UINT64_MAX, 1024, "{#}/{%}", (char *)NULL);
	ck_assert_str_eq(got, "18446744073709551615/1024");
	free(got);
}
END_TEST

START_TEST(placeholders_work_inside_a_word)
{
	expect_argv("convert|in/photo.jpg|out/photo.png", "in/photo.jpg",
		    "convert", "{}", "out/{/.}.png");
	expect_argv("cp|--target=dir/x|a/x.c", "a/x.c", "cp", "--target=dir/{/.}", "{}");
}
END_TEST

START_TEST(several_placeholders_fit_in_one_word)
{
	expect_argv("echo|a/b.c:a/b:b.c:a:b:a/b.ca/b.c", "a/b.c",
		    "echo", "{}:{.}:{/}:{//}:{/.}:{}{}");
}
END_TEST

START_TEST(unknown_braces_stay_literal)
{
	expect_argv("echo|{x}|{ }|{|}|{/x}|{..}|x", "x", "echo", "{x}", "{ }", "{", "}", "{/x}", "{..}");
	/* Like GNU parallel, {{}} is {} inside literal braces. */
	expect_argv("echo|{x}", "x", "echo", "{{}}");
	expect_argv("echo|{{x}}", "x", "echo", "{{{}}}");
}
END_TEST

START_TEST(without_placeholders_the_item_is_appended)
{
	expect_argv("gzip|-9|file name.txt", "file name.txt", "gzip", "-9");
	expect_argv("echo|", "", "echo");
	/* A lone {#} is a placeholder too: nothing is appended. */
	expect_argv("echo|1", "x", "echo", "{#}");
}
END_TEST

START_TEST(an_empty_command_word_stays_an_empty_argument)
{
	expect_argv("printf|%s|||item", "item", "printf", "%s|", "");
}
END_TEST

START_TEST(items_pass_untouched_without_a_shell)
{
	static const char nasty[] = "it's \"$HOME\"; rm -rf / `x` \\ *\nnext\tline";

	expect_argv("echo|pre-it's \"$HOME\"; rm -rf / `x` \\ *\nnext\tline", nasty, "echo", "pre-{}");
}
END_TEST

START_TEST(a_100_kib_item_passes_intact_as_one_argument)
{
	size_t length = 100 * 1024;
	char *item = malloc(length + 1);
	char *words[] = { (char *)"cat", (char *)"--", (char *)"{}" };
	struct template *template = template_new(words, 3, false);
	char **argv;

	ck_assert_ptr_nonnull(item);
	for (size_t index = 0; index < length; index++)
		item[index] = " '$;\n\"x"[index % 7];
	item[length] = '\0';
	argv = template_argv(template, item, length, 1, 1);
	ck_assert_ptr_nonnull(argv);
	ck_assert_str_eq(argv[0], "cat");
	ck_assert_str_eq(argv[1], "--");
	ck_assert_uint_eq(strlen(argv[2]), length);
	ck_assert_mem_eq(argv[2], item, length);
	ck_assert_ptr_null(argv[3]);
	free(argv);
	template_free(template);
	free(item);
}
END_TEST

START_TEST(the_argv_strings_share_one_block_after_the_pointers)
{
	char *words[] = { (char *)"a", (char *)"{}", (char *)"c" };
	struct template *template = template_new(words, 3, false);
	char **argv = template_argv(template, "b", 1, 1, 1);

	ck_assert_ptr_eq(argv[0], (char *)(argv + 4));
	ck_assert_ptr_eq(argv[1], argv[0] + 2);
	ck_assert_ptr_eq(argv[2], argv[1] + 2);
	ck_assert_ptr_null(argv[3]);
	free(argv);
	template_free(template);
}
END_TEST

START_TEST(the_template_does_not_keep_the_callers_words)
{
	char first[] = "echo", second[] = "x{}";
	char *words[] = { first, second };
	struct template *template = template_new(words, 2, false);
	char **argv;

	memcpy(first, "XXXX", 4);
	memcpy(second, "YYY", 3);
	argv = template_argv(template, "1", 1, 1, 1);
	ck_assert_str_eq(argv[0], "echo");
	ck_assert_str_eq(argv[1], "x1");
	free(argv);
	template_free(template);
}
END_TEST

/* ---- --shell -------------------------------------------------------------- */

START_TEST(shell_mode_keeps_the_words_as_shell_code)
{
	expect_script("echo '' | wc -c > 'out'.txt", "", "echo", "{}", "|", "wc", "-c", ">", "'out'.txt");
}
END_TEST

START_TEST(shell_mode_quotes_each_substituted_value)
{
	expect_script("echo 'it'\\''s'", "it's", "echo", "{}");
	expect_script("echo '$HOME'", "$HOME", "echo", "{}");
	expect_script("echo 'a; rm -rf /'", "a; rm -rf /", "echo", "{}");
	expect_script("echo 'two\nlines'", "two\nlines", "echo", "{}");
	expect_script("echo ''", "", "echo", "{}");
	expect_script("echo '\\'", "\\", "echo", "{}");
	expect_script("echo ''\\'''\\'''", "''", "echo", "{}");
}
END_TEST

START_TEST(shell_mode_quotes_placeholders_inside_words)
{
	expect_script("mv 'my file.txt' out/'my file'.bak", "my file.txt", "mv", "{}", "out/{/.}.bak");
	expect_script("cd 'a b' && ls 'c'", "a b/c", "cd", "{//}", "&&", "ls", "{/}");
}
END_TEST

START_TEST(shell_mode_without_placeholders_appends_the_quoted_item)
{
	expect_script("grep -c x 'it'\\''s here'", "it's here", "grep", "-c", "x");
	expect_script("echo a;echo b 'z'", "z", "echo a;echo b");
}
END_TEST

START_TEST(shell_mode_leaves_numbers_unquoted)
{
	char *got = run_template(true, "x", 42, 3, "echo", "{#}:{%}", (char *)NULL);

	ck_assert_str_eq(got, "sh|-c|echo 42:3");
	free(got);
}
END_TEST

START_TEST(shell_quote_writes_one_single_quoted_word)
{
	char out[64];

	ck_assert_uint_eq(template_shell_quote(out, "plain", 5), 7);
	ck_assert_str_eq(out, "'plain'");
	ck_assert_uint_eq(template_shell_quote(out, "", 0), 2);
	ck_assert_str_eq(out, "''");
	ck_assert_uint_eq(template_shell_quote(out, "'", 1), 6);
	ck_assert_str_eq(out, "''\\'''");
	/* Only len bytes are read. */
	ck_assert_uint_eq(template_shell_quote(out, "abc", 2), 4);
	ck_assert_str_eq(out, "'ab'");
}
END_TEST

START_TEST(shell_quote_stays_within_four_times_the_length_plus_three)
{
	char out[4 * 8 + 3];

	memset(out, '#', sizeof(out));
	ck_assert_uint_eq(template_shell_quote(out, "''''''''", 8), sizeof(out) - 1);
	ck_assert_int_eq(out[sizeof(out) - 1], '\0');
}
END_TEST

/* ---- display ------------------------------------------------------------- */

static void expect_join(const char *expected, char *const *argv)
{
	char *joined = template_join(argv);

	ck_assert_ptr_nonnull(joined);
	ck_assert_str_eq(joined, expected);
	free(joined);
}

START_TEST(joined_commands_quote_only_words_that_need_it)
{
	char *plain[] = { (char *)"gzip", (char *)"-9", (char *)"--suffix=.gz",
			  (char *)"a/b_c-1.2+x@host:%", NULL };
	char *special[] = { (char *)"echo", (char *)"it's", (char *)"$HOME", (char *)"a;b",
			    (char *)"two words", (char *)"", (char *)"x\ny", (char *)"*", (char *)"~", NULL };
	char *empty[] = { NULL };

	expect_join("gzip -9 --suffix=.gz a/b_c-1.2+x@host:%", plain);
	expect_join("echo 'it'\\''s' '$HOME' 'a;b' 'two words' '' 'x\ny' '*' '~'", special);
	expect_join("", empty);
}
END_TEST

START_TEST(joined_commands_leave_utf8_words_readable)
{
	char *words[] = { (char *)"touch", (char *)"café.txt", NULL };

	expect_join("touch café.txt", words);
}
END_TEST

START_TEST(a_shell_job_joins_back_to_its_script)
{
	char *words[] = { (char *)"echo", (char *)"{}", (char *)"|", (char *)"wc" };
	struct template *template = template_new(words, 4, true);
	char **argv = template_argv(template, "a b", 3, 1, 1);
	char *joined = template_join(argv);

	ck_assert_str_eq(joined, "sh -c 'echo '\\''a b'\\'' | wc'");
	free(joined);
	free(argv);
	template_free(template);
}
END_TEST

static Suite *template_suite(void)
{
	Suite *suite = suite_create("template");
	TCase *placeholders = tcase_create("placeholders");
	TCase *shell = tcase_create("shell");
	TCase *display = tcase_create("display");

	tcase_add_test(placeholders, the_item_placeholder_is_the_item);
	tcase_add_test(placeholders, dot_drops_only_the_last_extension);
	tcase_add_test(placeholders, slash_is_the_basename);
	tcase_add_test(placeholders, double_slash_is_the_dirname_as_gnu_parallel_gives_it);
	tcase_add_test(placeholders, slash_dot_is_the_basename_without_extension);
	tcase_add_test(placeholders, sequence_and_slot_numbers_are_decimal);
	tcase_add_test(placeholders, placeholders_work_inside_a_word);
	tcase_add_test(placeholders, several_placeholders_fit_in_one_word);
	tcase_add_test(placeholders, unknown_braces_stay_literal);
	tcase_add_test(placeholders, without_placeholders_the_item_is_appended);
	tcase_add_test(placeholders, an_empty_command_word_stays_an_empty_argument);
	tcase_add_test(placeholders, items_pass_untouched_without_a_shell);
	tcase_add_test(placeholders, a_100_kib_item_passes_intact_as_one_argument);
	tcase_add_test(placeholders, the_argv_strings_share_one_block_after_the_pointers);
	tcase_add_test(placeholders, the_template_does_not_keep_the_callers_words);
	suite_add_tcase(suite, placeholders);

	tcase_add_test(shell, shell_mode_keeps_the_words_as_shell_code);
	tcase_add_test(shell, shell_mode_quotes_each_substituted_value);
	tcase_add_test(shell, shell_mode_quotes_placeholders_inside_words);
	tcase_add_test(shell, shell_mode_without_placeholders_appends_the_quoted_item);
	tcase_add_test(shell, shell_mode_leaves_numbers_unquoted);
	tcase_add_test(shell, shell_quote_writes_one_single_quoted_word);
	tcase_add_test(shell, shell_quote_stays_within_four_times_the_length_plus_three);
	suite_add_tcase(suite, shell);

	tcase_add_test(display, joined_commands_quote_only_words_that_need_it);
	tcase_add_test(display, joined_commands_leave_utf8_words_readable);
	tcase_add_test(display, a_shell_job_joins_back_to_its_script);
	suite_add_tcase(suite, display);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(template_suite());
	int failed;

	srunner_run_all(runner, CK_ENV);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
