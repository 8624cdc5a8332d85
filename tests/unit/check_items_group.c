/* check_items_group.c - unit tests of the grouping source behind -n, -N,
 * -L, -m and -X: groups of N items, command lines filled to a length,
 * waiting on a slow input with a group half made, the total, and items
 * of several arguments refused. */
#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "items_group.h"
#include "template.h"

/* The strings are not copied by items_from_array: keep them static. */
static char *letters[] = { (char *)"a", (char *)"b", (char *)"c", (char *)"d", (char *)"e", (char *)"f", (char *)"g" };

static struct items *grouped(char **array, int count, int max_args, size_t max_length,
			     const struct template *template)
{
	struct items_group_config config = { max_args, max_length, template };

	return items_group_new(items_from_array(array, count), &config);
}

/* The next group, its arguments separated by '|' for reading. */
static void expect_group(struct items *items, const char *expected)
{
	const char *text;
	size_t length;
	char shown[256];

	ck_assert_int_eq(items_next(items, &text, &length), ITEMS_READY);
	ck_assert_uint_lt(length, sizeof shown);
	ck_assert_int_eq(text[length], '\0');
	memcpy(shown, text, length + 1);
	for (size_t index = 0; index < length; index++) {
		if (shown[index] == '\0')
			shown[index] = '|';
	}
	ck_assert_str_eq(shown, expected);
}

static void expect_end(struct items *items)
{
	const char *text;
	size_t length;

	ck_assert_int_eq(items_next(items, &text, &length), ITEMS_END);
	ck_assert_int_eq(items_next(items, &text, &length), ITEMS_END);
}

START_TEST(groups_of_n_items_with_fewer_at_the_end)
{
	struct items *items = grouped(letters, 7, 3, 0, NULL);

	ck_assert_int_eq(items_total(items), 3);
	expect_group(items, "a|b|c");
	expect_group(items, "d|e|f");
	expect_group(items, "g");
	expect_end(items);
	ck_assert_int_eq(items_total(items), 3);
	items_free(items);
}
END_TEST

START_TEST(a_group_of_one_is_the_plain_item)
{
	struct items *items = grouped(letters, 2, 1, 0, NULL);

	expect_group(items, "a");
	expect_group(items, "b");
	expect_end(items);
	items_free(items);
}
END_TEST

START_TEST(command_lines_are_filled_up_to_the_length)
{
	char *words[] = { (char *)"echo" };
	struct template *template = template_new(words, 1, false);
	/* "echo\0" is 5 bytes, each letter 2 more: 3 letters make 11. */
	struct items *items = grouped(letters, 7, 0, 11, template);

	ck_assert_int_eq(items_total(items), -1);
	expect_group(items, "a|b|c");
	expect_group(items, "d|e|f");
	expect_group(items, "g");
	expect_end(items);
	ck_assert_int_eq(items_total(items), 3);
	items_free(items);
	template_free(template);
}
END_TEST

START_TEST(the_count_and_the_length_both_bound_a_group)
{
	char *words[] = { (char *)"echo" };
	char *sizes[] = { (char *)"1", (char *)"22", (char *)"333", (char *)"4444", (char *)"55555" };
	struct template *template = template_new(words, 1, false);
	struct items *items = grouped(sizes, 5, 2, 12, template);

	expect_group(items, "1|22");
	expect_group(items, "333");   /* 333 and 4444 would make 5+4+5 = 14 */
	expect_group(items, "4444");
	/* One item longer than the limit still runs, alone. */
	expect_group(items, "55555");
	expect_end(items);
	items_free(items);
	template_free(template);
}
END_TEST

START_TEST(a_template_whose_growth_is_not_additive_is_measured_whole)
{
	char *words[] = { (char *)"echo", (char *)"{-2}" };
	char *sizes[] = { (char *)"1", (char *)"1", (char *)"4444", (char *)"1" };
	struct template *template = template_new(words, 2, false);
	struct items *items;

	ck_assert(!template_extra_length_holds(template));
	/* "echo\0" and {-2}: 1 1 4444 makes 7 bytes, 1 1 4444 1 makes 10. */
	items = grouped(sizes, 4, 0, 9, template);
	expect_group(items, "1|1|4444");
	expect_group(items, "1");
	expect_end(items);
	items_free(items);
	template_free(template);
}
END_TEST

START_TEST(a_slow_input_waits_with_its_group_half_made)
{
	int pipe_fds[2];
	struct items *items;
	struct items_group_config config = { .max_args = 3 };
	const char *text;
	size_t length;

	ck_assert_int_eq(pipe2(pipe_fds, O_CLOEXEC), 0);
	items = items_group_new(items_from_fd(pipe_fds[0], '\n', true), &config);
	ck_assert_int_eq(items_fd(items), pipe_fds[0]);
	ck_assert_int_eq(write(pipe_fds[1], "a\nb\n", 4), 4);
	ck_assert_int_eq(items_next(items, &text, &length), ITEMS_WAIT);
	ck_assert_int_eq(write(pipe_fds[1], "c\nd\n", 4), 4);
	expect_group(items, "a|b|c");
	ck_assert_int_eq(items_next(items, &text, &length), ITEMS_WAIT);
	close(pipe_fds[1]);
	expect_group(items, "d");
	expect_end(items);
	ck_assert_int_eq(items_total(items), 2);
	items_free(items);
}
END_TEST

static enum items_status two_arguments_next(void *state, const char **text, size_t *len)
{
	(void)state;
	*text = "a\0" "1";
	*len = 3;
	return ITEMS_READY;
}

static const struct items_ops two_arguments_ops = { .next = two_arguments_next };

START_TEST(items_of_several_arguments_are_refused)
{
	struct items_group_config config = { .max_args = 2 };
	struct items *items = items_group_new(items_from_ops(&two_arguments_ops, NULL), &config);
	const char *text;
	size_t length;
	char error[256];

	ck_assert_int_eq(items_next(items, &text, &length), ITEMS_ERROR);
	ck_assert_int_eq(items_next(items, &text, &length), ITEMS_ERROR);
	ck_assert_int_eq(items_error(items, error, sizeof error), -1);
	ck_assert_msg(strstr(error, "several input sources") != NULL, "%s", error);
	items_free(items);
}
END_TEST

START_TEST(the_default_limit_is_what_one_script_word_may_hold)
{
	ck_assert_uint_le(items_group_default_limit(), 131072);
	ck_assert_uint_le(items_group_default_limit(), items_group_system_limit());
	ck_assert_uint_ge(items_group_system_limit(), 4096);
}
END_TEST

static Suite *items_group_suite(void)
{
	Suite *suite = suite_create("items_group");
	TCase *groups = tcase_create("groups");

	tcase_add_test(groups, groups_of_n_items_with_fewer_at_the_end);
	tcase_add_test(groups, a_group_of_one_is_the_plain_item);
	tcase_add_test(groups, command_lines_are_filled_up_to_the_length);
	tcase_add_test(groups, the_count_and_the_length_both_bound_a_group);
	tcase_add_test(groups, a_template_whose_growth_is_not_additive_is_measured_whole);
	tcase_add_test(groups, a_slow_input_waits_with_its_group_half_made);
	tcase_add_test(groups, items_of_several_arguments_are_refused);
	tcase_add_test(groups, the_default_limit_is_what_one_script_word_may_hold);
	suite_add_tcase(suite, groups);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(items_group_suite());
	int failed;

	srunner_run_all(runner, CK_ENV);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
