/* check_pipe.c - unit tests of the --pipe block cutter and the --pipepart
 * splitter: blocks end where GNU parallel 20221122 ends them (the cases
 * were run through parallel), records are never split, --block sizes. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "feed.h"
#include "pipe_items.h"

static int memory_file(const char *data, size_t length)
{
	int fd = memfd_create("pipe", MFD_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, length), (ssize_t)length);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static struct items *stream_over(const char *data, const struct pipe_settings *settings,
				 const struct feed_source **feed)
{
	const struct feed_source *ignored;
	struct items *items = pipe_items_from_stream(memory_file(data, strlen(data)), settings,
						     feed ? feed : &ignored);

	ck_assert_ptr_nonnull(items);
	return items;
}

/* Every block the source gives, joined with '|' after each. */
static char *all_blocks(struct items *items)
{
	static char joined[4096];
	const char *text;
	size_t len, used = 0;

	joined[0] = '\0';
	while (items_next(items, &text, &len) == ITEMS_READY) {
		ck_assert_uint_lt(used + len + 2, sizeof joined);
		ck_assert_int_eq(text[len], '\0');
		memcpy(joined + used, text, len);
		used += len;
		joined[used++] = '|';
		joined[used] = '\0';
	}
	ck_assert_int_eq(items_next(items, &text, &len), ITEMS_END);
	return joined;
}

static const char ten_lines[] = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";

START_TEST(block_sizes_use_parallels_unit_prefixes)
{
	uint64_t size;

	ck_assert_int_eq(pipe_parse_block_size("1M", &size), 0);
	ck_assert_uint_eq(size, 1048576);
	ck_assert_int_eq(pipe_parse_block_size("1m", &size), 0);
	ck_assert_uint_eq(size, 1000000);
	ck_assert_int_eq(pipe_parse_block_size("10k", &size), 0);
	ck_assert_uint_eq(size, 10000);
	ck_assert_int_eq(pipe_parse_block_size("10K", &size), 0);
	ck_assert_uint_eq(size, 10240);
	ck_assert_int_eq(pipe_parse_block_size("1.5K", &size), 0);
	ck_assert_uint_eq(size, 1536);
	ck_assert_int_eq(pipe_parse_block_size("2g", &size), 0);
	ck_assert_uint_eq(size, 2000000000);
	ck_assert_int_eq(pipe_parse_block_size("100", &size), 0);
	ck_assert_uint_eq(size, 100);
	ck_assert_int_eq(pipe_parse_block_size("0", &size), -1);
	ck_assert_int_eq(pipe_parse_block_size("-10", &size), -1);
	ck_assert_int_eq(pipe_parse_block_size("10x", &size), -1);
	ck_assert_int_eq(pipe_parse_block_size("10KK", &size), -1);
	ck_assert_int_eq(pipe_parse_block_size("", &size), -1);
	ck_assert_int_eq(pipe_parse_block_size("3G", &size), -1);  /* over 2^31-1, as parallel's cap */
}
END_TEST

START_TEST(blocks_end_at_the_last_line_end_within_the_block_size)
{
	/* parallel --pipe --block 5: 2 2 2 2 2 lines. */
	struct pipe_settings settings = { .block_size = 5 };
	struct items *items = stream_over(ten_lines, &settings, NULL);

	ck_assert_str_eq(all_blocks(items), "1\n2\n|3\n4\n|5\n6\n|7\n8\n|9\n10\n|");
	items_free(items);
}
END_TEST

START_TEST(minus_n_gives_n_records_per_block)
{
	struct pipe_settings settings = { .block_size = 1024, .records_per_block = 3 };
	struct items *items = stream_over(ten_lines, &settings, NULL);

	ck_assert_str_eq(all_blocks(items), "1\n2\n3\n|4\n5\n6\n|7\n8\n9\n|10\n|");
	items_free(items);
}
END_TEST

START_TEST(a_record_longer_than_a_block_grows_the_block)
{
	/* parallel --pipe --block 4: 11 bytes, then 2. */
	struct pipe_settings settings = { .block_size = 4 };
	struct items *items = stream_over("aaaaaaaaaa\nb\n", &settings, NULL);

	ck_assert_str_eq(all_blocks(items), "aaaaaaaaaa\n|b\n|");
	items_free(items);
}
END_TEST

START_TEST(recstart_cuts_before_a_record_start)
{
	struct pipe_settings settings = { .block_size = 8, .recstart = ">" };
	struct items *items = stream_over(">a\nxx\n>b\nyy\n>c\nzz\n", &settings, NULL);

	ck_assert_str_eq(all_blocks(items), ">a\nxx\n|>b\nyy\n|>c\nzz\n|");
	items_free(items);
}
END_TEST

START_TEST(recend_and_recstart_must_meet)
{
	/* "x;" ends a record only when "<" follows: the ";" inside is no cut. */
	struct pipe_settings settings = { .block_size = 6, .recend = ";", .recstart = "<" };
	struct items *items = stream_over("<a;b;<cd;<e;", &settings, NULL);

	ck_assert_str_eq(all_blocks(items), "<a;b;|<cd;|<e;|");
	items_free(items);
}
END_TEST

START_TEST(recend_takes_backslash_escapes)
{
	struct pipe_settings settings = { .block_size = 5, .recend = "\\t" };
	struct items *items = stream_over("ab\tcd\tef\t", &settings, NULL);

	ck_assert_str_eq(all_blocks(items), "ab\t|cd\t|ef\t|");
	items_free(items);
}
END_TEST

START_TEST(an_empty_recend_cuts_anywhere)
{
	struct pipe_settings settings = { .block_size = 4, .recend = "" };
	struct items *items = stream_over("abcdefghij", &settings, NULL);

	ck_assert_str_eq(all_blocks(items), "abcd|efgh|ij|");
	items_free(items);
}
END_TEST

START_TEST(a_last_record_without_its_end_still_comes)
{
	struct pipe_settings settings = { .block_size = 4 };
	struct items *items = stream_over("1\n2\n3", &settings, NULL);

	ck_assert_str_eq(all_blocks(items), "1\n2\n|3|");
	items_free(items);
}
END_TEST

START_TEST(empty_input_gives_no_block)
{
	struct pipe_settings settings = { .block_size = 4 };
	struct items *items = stream_over("", &settings, NULL);

	ck_assert_str_eq(all_blocks(items), "");
	items_free(items);
}
END_TEST

START_TEST(the_header_is_kept_for_every_block)
{
	/* parallel --pipe --header 1 --block 4: h 1 2, then h 3 4. */
	struct pipe_settings settings = { .block_size = 4, .header_lines = 1 };
	const struct feed_source *feed;
	struct items *items = stream_over("h\n1\n2\n3\n4\n", &settings, &feed);

	ck_assert_str_eq(all_blocks(items), "1\n2\n|3\n4\n|");
	ck_assert_uint_eq(feed->header_len, 2);
	ck_assert_mem_eq(feed->header, "h\n", 2);
	ck_assert_int_eq(feed->file_fd, -1);
	items_free(items);
}
END_TEST

START_TEST(a_stream_that_has_nothing_yet_says_wait)
{
	int fds[2];
	const char *text;
	size_t len;
	struct pipe_settings settings = { .block_size = 4 };
	const struct feed_source *feed;

	ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
	struct items *items = pipe_items_from_stream(fds[0], &settings, &feed);
	ck_assert_int_eq(items_next(items, &text, &len), ITEMS_WAIT);
	ck_assert_int_eq(items_fd(items), fds[0]);
	ck_assert_int_eq(write(fds[1], "1\n2", 3), 3);
	ck_assert_int_eq(items_next(items, &text, &len), ITEMS_WAIT);  /* the block is not full */
	ck_assert_int_eq(write(fds[1], "\n3\n", 3), 3);
	ck_assert_int_eq(items_next(items, &text, &len), ITEMS_READY);
	ck_assert_uint_eq(len, 4);
	ck_assert_mem_eq(text, "1\n2\n", 4);
	close(fds[1]);
	ck_assert_int_eq(items_next(items, &text, &len), ITEMS_READY);
	ck_assert_mem_eq(text, "3\n", 2);
	ck_assert_int_eq(items_next(items, &text, &len), ITEMS_END);
	items_free(items);
}
END_TEST

/* --pipepart: the ranges of the blocks, as "OFFSET LENGTH|". */
static char *all_ranges(struct items *items)
{
	static char joined[1024];
	const char *text;
	size_t len, used = 0;

	joined[0] = '\0';
	while (items_next(items, &text, &len) == ITEMS_READY)
		used += (size_t)snprintf(joined + used, sizeof joined - used, "%s|", text);
	ck_assert_int_eq(items_next(items, &text, &len), ITEMS_END);
	return joined;
}

START_TEST(pipepart_cuts_after_the_first_line_end_past_each_block)
{
	/* parallel --pipepart --block 5: 3 3 3 1 lines. */
	struct pipe_settings settings = { .block_size = 5 };
	const struct feed_source *feed;
	char error[256];
	struct items *items = pipe_items_from_file(memory_file(ten_lines, strlen(ten_lines)), &settings,
						   &feed, error, sizeof error);

	ck_assert_ptr_nonnull(items);
	ck_assert_int_ge(feed->file_fd, 0);
	ck_assert_str_eq(all_ranges(items), "0 6|6 6|12 6|18 3|");
	items_free(items);
}
END_TEST

START_TEST(pipepart_skips_the_header_and_keeps_it)
{
	struct pipe_settings settings = { .block_size = 4, .header_lines = 1 };
	const struct feed_source *feed;
	char error[256];
	const char *data = "h\n1\n2\n3\n4\n";
	struct items *items = pipe_items_from_file(memory_file(data, strlen(data)), &settings, &feed,
						   error, sizeof error);

	ck_assert_ptr_nonnull(items);
	ck_assert_uint_eq(feed->header_len, 2);
	ck_assert_str_eq(all_ranges(items), "2 6|8 2|");
	items_free(items);
}
END_TEST

START_TEST(pipepart_refuses_a_pipe)
{
	int fds[2];
	struct pipe_settings settings = { .block_size = 4 };
	const struct feed_source *feed;
	char error[256];

	ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
	ck_assert_ptr_null(pipe_items_from_file(fds[0], &settings, &feed, error, sizeof error));
	ck_assert_ptr_nonnull(strstr(error, "seekable"));
	close(fds[0]);
	close(fds[1]);
}
END_TEST

static Suite *pipe_suite(void)
{
	Suite *suite = suite_create("pipe");
	TCase *sizes = tcase_create("sizes");
	TCase *stream = tcase_create("stream");
	TCase *file = tcase_create("file");

	tcase_add_test(sizes, block_sizes_use_parallels_unit_prefixes);
	tcase_add_test(stream, blocks_end_at_the_last_line_end_within_the_block_size);
	tcase_add_test(stream, minus_n_gives_n_records_per_block);
	tcase_add_test(stream, a_record_longer_than_a_block_grows_the_block);
	tcase_add_test(stream, recstart_cuts_before_a_record_start);
	tcase_add_test(stream, recend_and_recstart_must_meet);
	tcase_add_test(stream, recend_takes_backslash_escapes);
	tcase_add_test(stream, an_empty_recend_cuts_anywhere);
	tcase_add_test(stream, a_last_record_without_its_end_still_comes);
	tcase_add_test(stream, empty_input_gives_no_block);
	tcase_add_test(stream, the_header_is_kept_for_every_block);
	tcase_add_test(stream, a_stream_that_has_nothing_yet_says_wait);
	tcase_add_test(file, pipepart_cuts_after_the_first_line_end_past_each_block);
	tcase_add_test(file, pipepart_skips_the_header_and_keeps_it);
	tcase_add_test(file, pipepart_refuses_a_pipe);
	suite_add_tcase(suite, sizes);
	suite_add_tcase(suite, stream);
	suite_add_tcase(suite, file);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(pipe_suite());
	int failed;

	srunner_run_all(runner, CK_ENV);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
