/* check_template.c - unit tests of the command template: every GNU
 * parallel placeholder and its edge cases, items of several arguments
 * ({1} {-1}, -X, -I), appending the item, shell quoting and one-word
 * scripts, refusals, measuring, huge items and the display form. */
#include <check.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"

/* argv as one string "word|word|word". */
static char *join_with_bars(char **argv)
{
	size_t size = 1;
	char *joined;

	for (size_t index = 0; argv[index]; index++)
		size += strlen(argv[index]) + 1;
	joined = calloc(1, size);
	ck_assert_ptr_nonnull(joined);
	for (size_t index = 0; argv[index]; index++) {
		if (index > 0)
			strcat(joined, "|");
		strcat(joined, argv[index]);
	}
	return joined;
}

/* The argv for the item (item_len bytes, arguments separated by NUL)
 * under the template `words`, as "word|word|word". */
static char *run_template_list(const struct template_options *options, const char *item, size_t item_len,
			       uint64_t seq, int slot, va_list list)
{
	char *words[32];
	int count = 0;
	struct template *template;
	char **argv;
	char *joined;

	while ((words[count] = va_arg(list, char *)) != NULL)
		count++;
	template = template_new_with(words, count, options);
	ck_assert_ptr_nonnull(template);
	argv = template_argv(template, item, item_len, seq, slot);
	ck_assert_ptr_nonnull(argv);
	template_free(template);
	joined = join_with_bars(argv);
	free(argv);
	return joined;
}

/* The argv for `item` under the template `words` (NULL-terminated), as
 * one string "word|word|word". */
static char *run_template(bool shell, const char *item, uint64_t seq, int slot, ...)
{
	struct template_options options = { .shell = shell };
	va_list list;
	char *joined;

	va_start(list, slot);
	joined = run_template_list(&options, item, strlen(item), seq, slot, list);
	va_end(list);
	return joined;
}

/* The same for an item of several arguments, under options. */
static char *run_template_args(const struct template_options *options, const char *item, size_t item_len, ...)
{
	va_list list;
	char *joined;

	va_start(list, item_len);
	joined = run_template_list(options, item, item_len, 1, 1, list);
	va_end(list);
	return joined;
}

/* expect_args("echo|a|1", ARGS2, "echo", "{}"): the item is a string
 * literal whose NUL bytes separate arguments. */
#define expect_args_with(options, expected, item, ...) do { \
		char *got = run_template_args(options, item, sizeof(item) - 1, __VA_ARGS__, (char *)NULL); \
		ck_assert_str_eq(got, expected); \
		free(got); \
	} while (0)
#define expect_args(expected, item, ...) \
	expect_args_with(&(struct template_options){ .fill = TEMPLATE_SPREAD }, expected, item, __VA_ARGS__)

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

/* ---- several arguments per job ---------------------------------------------- */

START_TEST(positions_pick_one_argument_each)
{
	expect_args("echo|a-1", "a\0" "1", "echo", "{1}-{2}");
	expect_args("echo|1|a", "a\0" "1", "echo", "{2}", "{1}");
	expect_args("echo|1|a", "a\0" "1", "echo", "{-1}", "{-2}");
	expect_args("echo|c", "a\0b\0c", "echo", "{3}");
	expect_args("echo|a|a", "a", "echo", "{1}", "{-1}");
}
END_TEST

START_TEST(positions_take_the_modifiers)
{
	expect_args("echo|a/b|b.c|a|e|d/e.f", "a/b.c\0d/e.f", "echo", "{1.}", "{1/}", "{1//}", "{2/.}", "{-1}");
	expect_args("echo|.|x", "x\0y", "echo", "{1//}", "{-2/.}");
}
END_TEST

START_TEST(a_position_beyond_the_arguments_is_empty)
{
	/* The last job of -N 3 may have fewer arguments than the template
	 * names: as GNU parallel, a word of missing positions vanishes. */
	expect_args("echo|a|xy", "a", "echo", "{1}", "{2}", "{-2}", "x{3}y", "{2}{3}");
	expect_args("echo||a", "\0a", "echo", "{1}", "{3}", "{2}");
	expect_args_with(&(struct template_options){ .shell = true }, "sh|-c|echo  'a' xy", "a", "echo {2} {1} x{2}y");
}
END_TEST

START_TEST(the_item_placeholder_gives_every_argument)
{
	expect_args("echo|a|1", "a\0" "1", "echo", "{}");
	expect_args("echo|prea|1post", "a\0" "1", "echo", "pre{}post");
	expect_args("echo|a|b|c.d", "a.x\0b\0c.d.e", "echo", "{.}");
	expect_args("echo|b|d", "a/b\0c/d", "echo", "{/}");
	expect_args("echo|a|1a|1", "a\0" "1", "echo", "{}{}");
	/* Empty arguments stay arguments. */
	expect_args("echo||", "\0", "echo", "{}");
}
END_TEST

START_TEST(without_placeholders_each_argument_is_appended)
{
	expect_args("echo|-n|a b|1", "a b\0" "1", "echo", "-n");
	expect_args("echo||x", "\0x", "echo");
}
END_TEST

START_TEST(context_replace_repeats_the_word_for_each_argument)
{
	const struct template_options context = { .fill = TEMPLATE_CONTEXT };

	expect_args_with(&context, "echo|prea|preb|x", "a\0b", "echo", "pre{}", "x");
	expect_args_with(&context, "echo|xayaz|xbybz", "a\0b", "echo", "x{}y{}z");
	expect_args_with(&context, "echo|a|b|a|b", "a\0b", "echo", "{}", "{}");
	expect_args_with(&context, "echo|a.x-a|b.y-b", "a.x\0b.y", "echo", "{}-{.}");
	/* {1} and {#} are one value: their words are not repeated. */
	expect_args_with(&context, "echo|a|1", "a\0b", "echo", "{1}", "{#}");
	/* Without placeholders, each argument is appended. */
	expect_args_with(&context, "echo|a|b", "a\0b", "echo");
}
END_TEST

START_TEST(context_replace_in_a_script_repeats_the_blank_separated_word)
{
	const struct template_options context = { .shell = true, .fill = TEMPLATE_CONTEXT };

	expect_args_with(&context, "sh|-c|echo pre'a'post pre'b'post  ;", "a\0b", "echo pre{}post  ;");
	expect_args_with(&context, "sh|-c|echo 'a' 'b'", "a\0b", "echo");
}
END_TEST

START_TEST(a_replacement_string_stands_for_the_item)
{
	const struct template_options at = { .replace = "@@" };

	expect_args_with(&at, "echo|a.x|{}|a|x-a.x", "a.x", "echo", "@@", "{}", "{.}", "x-@@");
	expect_args_with(&at, "echo|a|b", "a\0b", "echo", "@@");
	/* With no @@ (and no other placeholder), the item is appended. */
	expect_args_with(&at, "echo|{}|a", "a", "echo", "{}");
}
END_TEST

START_TEST(a_script_quotes_each_argument)
{
	expect_args_with(&(struct template_options){ .shell = true }, "sh|-c|echo 'a b' 'it'\\''s'",
			 "a b\0it's", "echo {}");
	expect_args_with(&(struct template_options){ .shell = true }, "sh|-c|cat 'x' 'y'", "x\0y", "cat");
	expect_args_with(&(struct template_options){ .shell = true }, "sh|-c|echo 'y'-'x'", "x\0y", "echo {2}-{1}");
}
END_TEST

/* ---- a command line in one word ----------------------------------------------- */

START_TEST(one_word_with_shell_syntax_is_a_script)
{
	expect_argv("sh|-c|gzip 'a b' && mv 'a b'.gz out/", "a b", "gzip {} && mv {}.gz out/");
	expect_argv("sh|-c|echo \"$HOME\" 'x'", "x", "echo \"$HOME\"");
	expect_argv("sh|-c|wc -l <'f'", "f", "wc -l <{}");
	expect_argv("sh|-c|a;b 'i'", "i", "a;b");
	expect_argv("sh|-c|`x` 'i'", "i", "`x`");
	/* A word without shell syntax runs directly; so do several words. */
	expect_argv("my-prog_2.sh|i", "i", "my-prog_2.sh");
	expect_argv("./runx", "x", "./run{}");
	expect_argv("echo|a b|$HOME", "a b", "echo", "{}", "$HOME");
}
END_TEST

START_TEST(uses_shell_tells_which_form_the_command_took)
{
	char *one[] = { (char *)"echo {}" };
	char *several[] = { (char *)"echo", (char *)"{}" };
	struct template *template = template_new(one, 1, false);

	ck_assert(template_uses_shell(template));
	template_free(template);
	template = template_new(several, 2, false);
	ck_assert(!template_uses_shell(template));
	template_free(template);
	template = template_new(several, 2, true);
	ck_assert(template_uses_shell(template));
	template_free(template);
}
END_TEST

/* ---- refusals --------------------------------------------------------------- */

/* template_check's message for the command `word`, or NULL when accepted. */
static char *refusal_of(const char *word, const char *replace)
{
	char *words[] = { (char *)"echo", (char *)word };
	struct template_options options = { .replace = replace };
	struct template *template = template_new_with(words, 2, &options);
	char error[256];
	char *message = NULL;

	if (template_check(template, error, sizeof error)) {
		ck_assert_ptr_null(strchr(error, '\n'));
		message = strdup(error);
	}
	template_free(template);
	return message;
}

static void expect_refused(const char *word, const char *named)
{
	char *message = refusal_of(word, NULL);

	ck_assert_msg(message != NULL, "'%s' was accepted", word);
	ck_assert_msg(strstr(message, named) != NULL, "'%s' gave: %s", word, message);
	free(message);
}

static void expect_accepted(const char *word)
{
	char *message = refusal_of(word, NULL);

	ck_assert_msg(message == NULL, "'%s' was refused: %s", word, message);
}

START_TEST(constructs_parallel_reads_otherwise_are_refused)
{
	expect_refused("{=s/a/b/=}", "{=s/a/b/=}");
	expect_refused("x{= $_ =}y", "perl");
	expect_refused("{1= uc =}", "{1= uc =}");
	expect_refused("{=}=}", "perl");
	static const char *const plus[] = { "{+/}", "{+.}", "{+..}", "{+...}", "{..}", "{...}", "{/..}",
					    "{/...}", "{##}", "{choose_k}", "{uniq}", "{host}" };
	for (size_t index = 0; index < sizeof plus / sizeof plus[0]; index++)
		expect_refused(plus[index], "--plus");
	expect_refused("{slot}", "{%}");
	expect_refused("{:-x}", "--plus");
	expect_refused("{#re}", "--plus");
	expect_refused("{%re}", "--plus");
	expect_refused("{/a/b}", "--plus");
	expect_refused("{^a}", "--plus");
	expect_refused("{0}", "count from 1");
	expect_refused("{0#}", "count from 1");
	expect_refused("{01}", "count from 1");
	expect_refused("{1 }", "{1 }");
	expect_refused("{1#}", "{1#}");
	expect_refused("{2..}", "{2..}");
	expect_refused("{-1+/}", "{-1+/}");
}
END_TEST

START_TEST(braces_parallel_leaves_alone_are_accepted)
{
	static const char *const literal[] = {
		"{foo bar}", "{x}", "{ }", "{ 1}", "{", "}", "{=", "=}", "{1x}", "{-}", "{a,b}",
		"${#x}", "${x%y}", "${x:-y}", "${host}", "${x/a/b}", "{}", "{{}}", "awk {print}",
	};

	for (size_t index = 0; index < sizeof literal / sizeof literal[0]; index++)
		expect_accepted(literal[index]);
}
END_TEST

START_TEST(a_custom_replacement_string_leaves_braces_alone)
{
	char *message = refusal_of("{}", "@@");

	ck_assert_ptr_null(message);
	expect_args_with(&(struct template_options){ .replace = "@@" }, "echo|{}|x", "x", "echo", "{}");
}
END_TEST

START_TEST(positions_beyond_the_arguments_are_refused)
{
	char *words[] = { (char *)"echo", (char *)"{1}", (char *)"x{-3/}y", (char *)"{2}" };
	struct template *template = template_new(words, 4, false);
	char error[256];

	ck_assert_int_eq(template_check(template, error, sizeof error), 0);
	ck_assert_int_eq(template_check_positions(template, 3, error, sizeof error), 0);
	ck_assert_int_eq(template_check_positions(template, 2, error, sizeof error), -1);
	ck_assert_msg(strstr(error, "'{-3/}'") && strstr(error, "2 arguments"), "%s", error);
	template_free(template);
}
END_TEST

/* ---- measuring --------------------------------------------------------------- */

START_TEST(length_counts_every_word_and_its_end)
{
	char *words[] = { (char *)"echo", (char *)"x{}" };
	char *numbered[] = { (char *)"echo", (char *)"{#}" };
	struct template *template = template_new(words, 2, false);

	/* "echo\0" "xab\0" "cd\0" */
	ck_assert_uint_eq(template_length(template, "ab\0cd", 5, 1), 5 + 4 + 3);
	ck_assert_uint_eq(template_length(template, "ab", 2, 1), 5 + 4);
	ck_assert_uint_eq(template_extra_length(template, "cd", 2, 1), 3);
	template_free(template);
	/* {#} as the job's number. */
	template = template_new(numbered, 2, false);
	ck_assert_uint_eq(template_length(template, "", 0, 12345), 5 + 6);
	template_free(template);
}
END_TEST

START_TEST(extra_length_adds_up_to_the_length_of_a_fuller_command)
{
	static const char *const commands[][3] = {
		{ "echo", "x{}y", "{-1/}" }, { "echo {} '{/.}' {1}", NULL, NULL }, { "cat", NULL, NULL },
	};
	static const enum template_fill fills[] = { TEMPLATE_SPREAD, TEMPLATE_CONTEXT };

	for (size_t command = 0; command < sizeof commands / sizeof commands[0]; command++) {
		for (size_t fill = 0; fill < 2; fill++) {
			struct template_options options = { .fill = fills[fill] };
			int count = commands[command][1] ? commands[command][2] ? 3 : 2 : 1;
			struct template *template = template_new_with((char **)commands[command], count, &options);
			size_t one = template_length(template, "a/it's.x", 8, 7);
			size_t extra = template_extra_length(template, "b/y.zz", 6, 7);

			ck_assert_uint_ge(one + extra, template_length(template, "a/it's.x\0b/y.zz", 15, 7));
			template_free(template);
		}
	}
}
END_TEST

static Suite *template_suite(void)
{
	Suite *suite = suite_create("template");
	TCase *placeholders = tcase_create("placeholders");
	TCase *shell = tcase_create("shell");
	TCase *display = tcase_create("display");
	TCase *arguments = tcase_create("arguments");
	TCase *refusals = tcase_create("refusals");

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

	tcase_add_test(arguments, positions_pick_one_argument_each);
	tcase_add_test(arguments, positions_take_the_modifiers);
	tcase_add_test(arguments, a_position_beyond_the_arguments_is_empty);
	tcase_add_test(arguments, the_item_placeholder_gives_every_argument);
	tcase_add_test(arguments, without_placeholders_each_argument_is_appended);
	tcase_add_test(arguments, context_replace_repeats_the_word_for_each_argument);
	tcase_add_test(arguments, context_replace_in_a_script_repeats_the_blank_separated_word);
	tcase_add_test(arguments, a_replacement_string_stands_for_the_item);
	tcase_add_test(arguments, a_script_quotes_each_argument);
	tcase_add_test(arguments, one_word_with_shell_syntax_is_a_script);
	tcase_add_test(arguments, uses_shell_tells_which_form_the_command_took);
	tcase_add_test(arguments, length_counts_every_word_and_its_end);
	tcase_add_test(arguments, extra_length_adds_up_to_the_length_of_a_fuller_command);
	suite_add_tcase(suite, arguments);

	tcase_add_test(refusals, constructs_parallel_reads_otherwise_are_refused);
	tcase_add_test(refusals, braces_parallel_leaves_alone_are_accepted);
	tcase_add_test(refusals, a_custom_replacement_string_leaves_braces_alone);
	tcase_add_test(refusals, positions_beyond_the_arguments_are_refused);
	suite_add_tcase(suite, refusals);
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
