/* check_items.c - unit tests of the item sources: the streaming reader
 * (delimiters, odd endings, huge items, endless and non-blocking input),
 * --range parsing and counting, and inline ::: items. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "items.h"

#define BASE_CAPACITY ((size_t)64 * 1024)

/* A source reading `length` bytes of `data` from an in-memory file. */
static struct items *items_over_bytes(const char *data, size_t length, char delimiter)
{
	int fd = memfd_create("items", MFD_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, length), (ssize_t)length);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return items_from_fd(fd, delimiter, false);
}

static struct items *items_over_string(const char *data, char delimiter)
{
	return items_over_bytes(data, strlen(data), delimiter);
}

/* Asserts the next item is exactly `expected_length` bytes of `expected`
 * and NUL-terminated. */
static void expect_item_bytes(struct items *items, const char *expected, size_t expected_length)
{
	const char *text = NULL;
	size_t length = 0;

	ck_assert_int_eq(items_next(items, &text, &length), ITEMS_READY);
	ck_assert_uint_eq(length, expected_length);
	ck_assert_mem_eq(text, expected, expected_length);
	ck_assert_int_eq(text[length], '\0');
}

static void expect_item(struct items *items, const char *expected)
{
	expect_item_bytes(items, expected, strlen(expected));
}

static void expect_end(struct items *items)
{
	const char *text;
	size_t length;

	ck_assert_int_eq(items_next(items, &text, &length), ITEMS_END);
	/* The end is sticky. */
	ck_assert_int_eq(items_next(items, &text, &length), ITEMS_END);
}

START_TEST(newline_separated_items_come_out_in_order)
{
	struct items *items = items_over_string("alpha\nbeta\ngamma\n", '\n');

	expect_item(items, "alpha");
	expect_item(items, "beta");
	expect_item(items, "gamma");
	expect_end(items);
	ck_assert_int_eq(items_total(items), 3);
	items_free(items);
}
END_TEST

START_TEST(a_comma_delimiter_splits_on_commas_only)
{
	struct items *items = items_over_string("a b,c\nd,e", ',');

	expect_item(items, "a b");
	expect_item(items, "c\nd");
	expect_item(items, "e");
	expect_end(items);
	ck_assert_int_eq(items_total(items), 3);
	items_free(items);
}
END_TEST

START_TEST(nul_delimited_items_keep_their_newlines)
{
	static const char data[] = "first\nline\0second\r\n\0third";
	struct items *items = items_over_bytes(data, sizeof(data) - 1, '\0');

	expect_item(items, "first\nline");
	expect_item(items, "second\r\n");
	expect_item(items, "third");
	expect_end(items);
	ck_assert_int_eq(items_total(items), 3);
	items_free(items);
}
END_TEST

START_TEST(a_one_mebibyte_item_passes_whole_and_the_buffer_shrinks_back)
{
	size_t huge_length = 1024 * 1024;
	size_t data_length = 2 + huge_length + 1 + 6;
	char *data = malloc(data_length);
	struct items *items;

	ck_assert_ptr_nonnull(data);
	memcpy(data, "a\n", 2);
	for (size_t index = 0; index < huge_length; index++)
		data[2 + index] = (char)('a' + index % 26);
	memcpy(data + 2 + huge_length, "\nafter\n", 7);
	items = items_over_bytes(data, data_length, '\n');

	expect_item(items, "a");
	expect_item_bytes(items, data + 2, huge_length);
	ck_assert_uint_gt(items_buffer_capacity(items), huge_length);
	expect_item(items, "after");
	ck_assert_uint_eq(items_buffer_capacity(items), BASE_CAPACITY);
	expect_end(items);
	ck_assert_int_eq(items_total(items), 3);
	items_free(items);
	free(data);
}
END_TEST

START_TEST(empty_input_has_no_items_and_a_total_of_zero)
{
	struct items *items = items_over_string("", '\n');

	ck_assert_int_eq(items_total(items), -1);
	expect_end(items);
	ck_assert_int_eq(items_total(items), 0);
	items_free(items);
}
END_TEST

START_TEST(a_last_item_without_newline_still_counts)
{
	struct items *items = items_over_string("one\ntwo", '\n');

	expect_item(items, "one");
	expect_item(items, "two");
	expect_end(items);
	ck_assert_int_eq(items_total(items), 2);
	items_free(items);
}
END_TEST

START_TEST(empty_items_in_the_middle_are_kept_but_a_trailing_newline_adds_none)
{
	struct items *items = items_over_string("\na\n\n\nb\n", '\n');

	expect_item(items, "");
	expect_item(items, "a");
	expect_item(items, "");
	expect_item(items, "");
	expect_item(items, "b");
	expect_end(items);
	ck_assert_int_eq(items_total(items), 5);
	items_free(items);
}
END_TEST

START_TEST(a_lone_newline_is_one_empty_item)
{
	struct items *items = items_over_string("\n", '\n');

	expect_item(items, "");
	expect_end(items);
	ck_assert_int_eq(items_total(items), 1);
	items_free(items);
}
END_TEST

START_TEST(crlf_line_endings_keep_their_carriage_return)
{
	struct items *items = items_over_string("dos\r\nline\r\n", '\n');

	expect_item(items, "dos\r");
	expect_item(items, "line\r");
	expect_end(items);
	items_free(items);
}
END_TEST

START_TEST(the_total_is_known_as_soon_as_the_reader_meets_the_end)
{
	struct items *items = items_over_string("1\n2\n3\n4", '\n');

	ck_assert_int_eq(items_total(items), -1);
	expect_item(items, "1");
	expect_item(items, "2");
	expect_item(items, "3");
	/* Items still buffered need no further read: the end is not seen yet. */
	ck_assert_int_eq(items_total(items), -1);
	ck_assert_int_ge(items_fd(items), 0);
	/* The unfinished "4" makes the reader read again and meet the end. */
	expect_item(items, "4");
	ck_assert_int_eq(items_total(items), 4);
	ck_assert_int_eq(items_fd(items), -1);
	expect_end(items);
	ck_assert_int_eq(items_total(items), 4);
	items_free(items);
}
END_TEST

/* Writes `total` bytes of lines of 1 to 97 characters into fd, then exits. */
static void write_lines_and_exit(int fd, size_t total)
{
	char chunk[8192];
	size_t filled = 0, line_length = 0, line_limit = 1;

	/* Lines of varying length so items straddle every buffer boundary. */
	while (filled < sizeof(chunk)) {
		if (line_length == line_limit) {
			chunk[filled++] = '\n';
			line_length = 0;
			line_limit = line_limit % 97 + 1;
		} else {
			chunk[filled++] = 'y';
			line_length++;
		}
	}
	chunk[sizeof(chunk) - 1] = '\n';
	while (total > 0) {
		size_t part = total < sizeof(chunk) ? total : sizeof(chunk);
		ssize_t written = write(fd, chunk, part);

		if (written < 0 && errno == EINTR)
			continue;
		if (written <= 0)
			_exit(1);
		total -= (size_t)written;
	}
	_exit(0);
}

START_TEST(fifty_megabytes_of_endless_lines_run_in_a_flat_buffer)
{
	size_t stream_length = (size_t)50 * 1024 * 1024;
	size_t bytes_seen = 0, largest_capacity = 0;
	int64_t item_count = 0;
	int pipe_fds[2], status;
	const char *text;
	size_t length;
	struct items *items;
	pid_t writer;

	ck_assert_int_eq(pipe2(pipe_fds, O_CLOEXEC), 0);
	writer = fork();
	ck_assert_int_ge(writer, 0);
	if (writer == 0) {
		close(pipe_fds[0]);
		write_lines_and_exit(pipe_fds[1], stream_length);
	}
	close(pipe_fds[1]);
	items = items_from_fd(pipe_fds[0], '\n', false);
	while (items_next(items, &text, &length) == ITEMS_READY) {
		ck_assert_uint_le(length, 97);
		ck_assert_ptr_null(memchr(text, '\n', length));
		bytes_seen += length + 1;
		item_count++;
		if (items_buffer_capacity(items) > largest_capacity)
			largest_capacity = items_buffer_capacity(items);
	}
	ck_assert_uint_eq(bytes_seen, stream_length);
	ck_assert_uint_eq(largest_capacity, BASE_CAPACITY);
	ck_assert_int_eq(items_total(items), item_count);
	ck_assert_int_eq(waitpid(writer, &status, 0), writer);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	items_free(items);
}
END_TEST

START_TEST(a_nonblocking_pipe_says_wait_until_a_whole_item_arrives)
{
	int pipe_fds[2];
	const char *text;
	size_t length;
	struct items *items;

	ck_assert_int_eq(pipe2(pipe_fds, O_CLOEXEC), 0);
	items = items_from_fd(pipe_fds[0], '\n', true);
	ck_assert_int_eq(items_fd(items), pipe_fds[0]);
	ck_assert(fcntl(pipe_fds[0], F_GETFL) & O_NONBLOCK);

	ck_assert_int_eq(items_next(items, &text, &length), ITEMS_WAIT);
	ck_assert_int_eq(write(pipe_fds[1], "a\nb", 3), 3);
	expect_item(items, "a");
	ck_assert_int_eq(items_next(items, &text, &length), ITEMS_WAIT);
	ck_assert_int_eq(items_total(items), -1);
	ck_assert_int_eq(write(pipe_fds[1], "ravo\n", 5), 5);
	expect_item(items, "bravo");
	ck_assert_int_eq(write(pipe_fds[1], "last", 4), 4);
	ck_assert_int_eq(items_next(items, &text, &length), ITEMS_WAIT);
	close(pipe_fds[1]);
	expect_item(items, "last");
	expect_end(items);
	ck_assert_int_eq(items_total(items), 3);
	items_free(items);
}
END_TEST

static volatile sig_atomic_t interruptions;

static void count_interruption(int signal_number)
{
	(void)signal_number;
	interruptions++;
}

/* True once process `pid` sleeps in the kernel (blocked in read). */
static bool process_is_sleeping(pid_t pid)
{
	char path[64], line[512];
	char *state;
	FILE *file;
	bool sleeping = false;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	file = fopen(path, "re");
	if (!file)
		return false;
	if (fgets(line, sizeof(line), file)) {
		state = strrchr(line, ')');
		sleeping = state && state[1] == ' ' && state[2] == 'S';
	}
	fclose(file);
	return sleeping;
}

START_TEST(a_nonblocking_source_leaves_the_input_blocking_when_freed)
{
	int pipe_fds[2], reader_fd;
	struct items *items;

	/* The source gets a copy sharing the open file, as pooltop's stdin
	 * shares it with the shell that started it. */
	ck_assert_int_eq(pipe2(pipe_fds, O_CLOEXEC), 0);
	reader_fd = fcntl(pipe_fds[0], F_DUPFD_CLOEXEC, 0);
	ck_assert_int_ge(reader_fd, 0);
	items = items_from_fd(reader_fd, '\n', true);
	ck_assert(fcntl(pipe_fds[0], F_GETFL) & O_NONBLOCK);
	items_free(items);
	ck_assert(!(fcntl(pipe_fds[0], F_GETFL) & O_NONBLOCK));
	close(pipe_fds[0]);
	close(pipe_fds[1]);
}
END_TEST

START_TEST(a_blocking_read_interrupted_by_a_signal_carries_on)
{
	struct sigaction action = { .sa_handler = count_interruption };
	int pipe_fds[2];
	pid_t parent = getpid(), writer;
	struct items *items;
	int status;

	/* No SA_RESTART: the read really returns EINTR. */
	sigemptyset(&action.sa_mask);
	ck_assert_int_eq(sigaction(SIGUSR1, &action, NULL), 0);
	ck_assert_int_eq(pipe2(pipe_fds, O_CLOEXEC), 0);
	writer = fork();
	ck_assert_int_ge(writer, 0);
	if (writer == 0) {
		/* Bounded wait (about 10 s) for the reader to block, then interrupt. */
		for (int attempt = 0; attempt < 100000 && !process_is_sleeping(parent); attempt++)
			usleep(100);
		for (int signals = 0; signals < 3; signals++)
			kill(parent, SIGUSR1);
		_exit(write(pipe_fds[1], "woken\n", 6) == 6 ? 0 : 1);
	}
	close(pipe_fds[1]);
	items = items_from_fd(pipe_fds[0], '\n', false);
	expect_item(items, "woken");
	expect_end(items);
	ck_assert_int_gt(interruptions, 0);
	ck_assert_int_eq(waitpid(writer, &status, 0), writer);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	items_free(items);
}
END_TEST

START_TEST(a_read_error_is_reported_with_errno)
{
	int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct items *items;
	const char *text;
	size_t length;

	ck_assert_int_ge(fd, 0);
	items = items_from_fd(fd, '\n', false);
	errno = 0;
	ck_assert_int_eq(items_next(items, &text, &length), ITEMS_ERROR);
	ck_assert_int_eq(errno, EISDIR);
	items_free(items);
}
END_TEST

/* ---- limits and NUL bytes ---------------------------------------------- */

START_TEST(an_item_longer_than_the_limit_is_refused_with_its_position)
{
	struct items *items = items_over_string("abcd\nabcde\nafter\n", '\n');
	const char *text;
	size_t length;
	char message[256];

	items_set_max_length(items, 4);
	ck_assert_int_eq(items_error(items, message, sizeof message), 0);
	expect_item(items, "abcd");
	errno = 0;
	ck_assert_int_eq(items_next(items, &text, &length), ITEMS_ERROR);
	ck_assert_int_eq(errno, EMSGSIZE);
	ck_assert_int_eq(items_error(items, message, sizeof message), -1);
	ck_assert_str_eq(message, "item 2 is longer than --max-line (4 bytes): "
				  "it and the items after it were not run");
	/* Nothing after it comes out: where the next item starts is unknown. */
	ck_assert_int_eq(items_next(items, &text, &length), ITEMS_ERROR);
	items_free(items);
}
END_TEST

START_TEST(a_last_item_without_newline_is_held_to_the_limit_too)
{
	struct items *items = items_over_string("ok\ntoo long", '\n');
	const char *text;
	size_t length;
	char message[256];

	items_set_max_length(items, 5);
	expect_item(items, "ok");
	ck_assert_int_eq(items_next(items, &text, &length), ITEMS_ERROR);
	ck_assert_int_eq(items_error(items, message, sizeof message), -1);
	ck_assert_ptr_nonnull(strstr(message, "item 2 "));
	items_free(items);
}
END_TEST

/* Writes `total` bytes of `x` without a delimiter, then exits; a reader
 * that stops early ends it with EPIPE. */
static void write_one_line_and_exit(int fd, size_t total)
{
	static char chunk[65536];

	memset(chunk, 'x', sizeof chunk);
	while (total > 0) {
		ssize_t written = write(fd, chunk, total < sizeof chunk ? total : sizeof chunk);

		if (written < 0 && errno == EINTR)
			continue;
		if (written <= 0)
			_exit(0);
		total -= (size_t)written;
	}
	_exit(0);
}

/* The peak resident size of this process so far, in bytes. */
static size_t peak_resident_bytes(void)
{
	struct rusage usage;

	ck_assert_int_eq(getrusage(RUSAGE_SELF, &usage), 0);
	return (size_t)usage.ru_maxrss * 1024;
}

START_TEST(a_line_far_over_the_limit_is_refused_in_bounded_memory)
{
	size_t limit = (size_t)4 * 1024 * 1024;
	size_t line_length = (size_t)96 * 1024 * 1024;
	int pipe_fds[2], status;
	const char *text;
	size_t length, peak_before;
	struct items *items;
	pid_t writer;

	ck_assert_int_eq(pipe2(pipe_fds, O_CLOEXEC), 0);
	writer = fork();
	ck_assert_int_ge(writer, 0);
	if (writer == 0) {
		close(pipe_fds[0]);
		signal(SIGPIPE, SIG_DFL);
		write_one_line_and_exit(pipe_fds[1], line_length);
	}
	close(pipe_fds[1]);
	peak_before = peak_resident_bytes();
	items = items_from_fd(pipe_fds[0], '\n', false);
	items_set_max_length(items, limit);
	ck_assert_int_eq(items_next(items, &text, &length), ITEMS_ERROR);
	ck_assert_int_eq(errno, EMSGSIZE);
	/* A small multiple of the limit, whatever the length of the line (the
	 * buffers it grew through count too when ASan quarantines them). */
	ck_assert_uint_le(peak_resident_bytes() - peak_before, 4 * limit);
	/* The refused item's memory is given back at once. */
	ck_assert_uint_eq(items_buffer_capacity(items), BASE_CAPACITY);
	items_free(items);
	ck_assert_int_eq(waitpid(writer, &status, 0), writer);
}
END_TEST

START_TEST(an_item_exactly_at_the_limit_passes)
{
	struct items *items = items_over_string("abcd\nabcd", '\n');

	items_set_max_length(items, 4);
	expect_item(items, "abcd");
	expect_item(items, "abcd");
	expect_end(items);
	items_free(items);
}
END_TEST

START_TEST(a_nul_inside_a_line_cuts_the_item_and_is_told_once_as_xargs_does)
{
	static const char data[] = "clean\nbe\0fore\nagain\0\nlast\n";
	struct items *items = items_over_bytes(data, sizeof data - 1, '\n');

	expect_item(items, "clean");
	ck_assert_uint_eq(items_take_nul_warning(items), 0);
	expect_item(items, "be");
	expect_item(items, "again");
	expect_item(items, "last");
	expect_end(items);
	/* The first item cut is named, once. */
	ck_assert_uint_eq(items_take_nul_warning(items), 2);
	ck_assert_uint_eq(items_take_nul_warning(items), 0);
	ck_assert_int_eq(items_total(items), 4);
	items_free(items);
}
END_TEST

START_TEST(nul_separated_items_are_not_warned_about)
{
	static const char data[] = "a\0b\0";
	struct items *items = items_over_bytes(data, sizeof data - 1, '\0');

	expect_item(items, "a");
	expect_item(items, "b");
	expect_end(items);
	ck_assert_uint_eq(items_take_nul_warning(items), 0);
	items_free(items);
}
END_TEST

START_TEST(freeing_the_source_closes_its_descriptor)
{
	struct items *items = items_over_string("x\n", '\n');
	int fd = items_fd(items);

	ck_assert_int_ge(fd, 0);
	items_free(items);
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

/* ---- --range ------------------------------------------------------------ */

static void expect_range(const char *spec, int64_t first, int64_t last, int64_t step)
{
	int64_t parsed_first = 0, parsed_last = 0, parsed_step = 0;
	const char *error = NULL;

	ck_assert_msg(items_parse_range(spec, &parsed_first, &parsed_last, &parsed_step, &error) == 0,
		      "%s: %s", spec, error);
	ck_assert_int_eq(parsed_first, first);
	ck_assert_int_eq(parsed_last, last);
	ck_assert_int_eq(parsed_step, step);
}

static void expect_range_error(const char *spec, const char *error_part)
{
	int64_t first = 7, last = 7, step = 7;
	const char *error = NULL;

	ck_assert_msg(items_parse_range(spec, &first, &last, &step, &error) == -1,
		      "%s was accepted", spec);
	ck_assert_ptr_nonnull(error);
	ck_assert_msg(strstr(error, error_part), "%s: \"%s\" lacks \"%s\"", spec, error, error_part);
}

START_TEST(range_specs_parse_with_signs_steps_and_countdowns)
{
	expect_range("1..10", 1, 10, 1);
	expect_range("0..0", 0, 0, 1);
	expect_range("5..1", 5, 1, -1);
	expect_range("-3..3", -3, 3, 1);
	expect_range("-1..-5", -1, -5, -1);
	expect_range("+2..+4", 2, 4, 1);
	expect_range("0..100..5", 0, 100, 5);
	expect_range("10..1..-3", 10, 1, -3);
	expect_range("3..3..-1", 3, 3, -1);
	expect_range("007..010", 7, 10, 1);
}
END_TEST

START_TEST(range_specs_reach_the_int64_limits)
{
	expect_range("9223372036854775807..-9223372036854775808",
		     INT64_MAX, INT64_MIN, -1);
	expect_range("-9223372036854775808..9223372036854775807..9223372036854775807",
		     INT64_MIN, INT64_MAX, INT64_MAX);
	expect_range("0..-1..-9223372036854775808", 0, -1, INT64_MIN);
}
END_TEST

START_TEST(range_errors_explain_what_is_wrong)
{
	expect_range_error("1..5..0", "step must not be 0");
	expect_range_error("1..5..-1", "negative step never reaches a larger end");
	expect_range_error("5..1..2", "positive step never reaches a smaller end");
	expect_range_error("", "expected A..B or A..B..STEP");
	expect_range_error("5", "expected A..B or A..B..STEP");
	expect_range_error("..5", "expected A..B or A..B..STEP");
	expect_range_error("1..", "expected A..B or A..B..STEP");
	expect_range_error("1..5..", "expected A..B or A..B..STEP");
	expect_range_error("1....5", "expected A..B or A..B..STEP");
	expect_range_error("1..2..3..4", "expected A..B or A..B..STEP");
	expect_range_error("a..b", "must be integers");
	expect_range_error("1..5x", "must be integers");
	expect_range_error("1.5..3", "must be integers");
	expect_range_error("1...5", "must be integers");
	expect_range_error(" 1..5", "must be integers");
	expect_range_error("1..5 ", "must be integers");
	expect_range_error("-..5", "must be integers");
	expect_range_error("0x10..20", "must be integers");
	expect_range_error("1..9223372036854775808", "out of range");
	expect_range_error("-9223372036854775809..0", "out of range");
	expect_range_error("0..1..99999999999999999999", "out of range");
}
END_TEST

/* Collects every item of a range into text like "1 2 3". */
static void expect_range_items(int64_t first, int64_t last, int64_t step, const char *expected,
			       int64_t expected_total)
{
	struct items *items = items_from_range(first, last, step);
	char joined[512] = "";
	const char *text;
	size_t length;

	ck_assert_ptr_nonnull(items);
	ck_assert_int_eq(items_total(items), expected_total);
	ck_assert_int_eq(items_fd(items), -1);
	while (items_next(items, &text, &length) == ITEMS_READY) {
		ck_assert_uint_eq(strlen(text), length);
		if (joined[0])
			strcat(joined, " ");
		strcat(joined, text);
	}
	ck_assert_str_eq(joined, expected);
	ck_assert_int_eq(items_total(items), expected_total);
	items_free(items);
}

START_TEST(ranges_count_like_seq)
{
	expect_range_items(1, 5, 1, "1 2 3 4 5", 5);
	expect_range_items(5, 1, -1, "5 4 3 2 1", 5);
	expect_range_items(0, 10, 3, "0 3 6 9", 4);
	expect_range_items(10, 0, -4, "10 6 2", 3);
	expect_range_items(-2, 2, 2, "-2 0 2", 3);
	expect_range_items(7, 7, 1, "7", 1);
	expect_range_items(1, 5, -1, "", 0);
}
END_TEST

START_TEST(ranges_at_the_int64_limits_count_without_overflow)
{
	expect_range_items(INT64_MAX - 2, INT64_MAX, 1,
			   "9223372036854775805 9223372036854775806 9223372036854775807", 3);
	expect_range_items(INT64_MIN + 1, INT64_MIN, -1,
			   "-9223372036854775807 -9223372036854775808", 2);
	expect_range_items(INT64_MIN, INT64_MAX, INT64_MAX,
			   "-9223372036854775808 -1 9223372036854775806", 3);
	expect_range_items(INT64_MAX, INT64_MIN, INT64_MIN,
			   "9223372036854775807 -1", 2);
	/* 2^64 values in all: the total saturates. */
	{
		struct items *items = items_from_range(INT64_MIN, INT64_MAX, 1);

		ck_assert_int_eq(items_total(items), INT64_MAX);
		expect_item(items, "-9223372036854775808");
		expect_item(items, "-9223372036854775807");
		items_free(items);
	}
}
END_TEST

START_TEST(a_zero_step_range_is_refused)
{
	errno = 0;
	ck_assert_ptr_null(items_from_range(1, 5, 0));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

/* ---- ::: ---------------------------------------------------------------- */

START_TEST(inline_items_come_out_as_given_with_the_total_known_at_once)
{
	char *words[] = { (char *)"a b", (char *)"", (char *)"c\nd" };
	struct items *items = items_from_array(words, 3);

	ck_assert_int_eq(items_total(items), 3);
	ck_assert_int_eq(items_fd(items), -1);
	ck_assert_uint_eq(items_buffer_capacity(items), 0);
	expect_item(items, "a b");
	expect_item(items, "");
	expect_item(items, "c\nd");
	expect_end(items);
	items_free(items);
}
END_TEST

static Suite *items_suite(void)
{
	Suite *suite = suite_create("items");
	TCase *reader = tcase_create("reader");
	TCase *range = tcase_create("range");
	TCase *array = tcase_create("array");

	tcase_add_test(reader, newline_separated_items_come_out_in_order);
	tcase_add_test(reader, a_comma_delimiter_splits_on_commas_only);
	tcase_add_test(reader, nul_delimited_items_keep_their_newlines);
	tcase_add_test(reader, a_one_mebibyte_item_passes_whole_and_the_buffer_shrinks_back);
	tcase_add_test(reader, empty_input_has_no_items_and_a_total_of_zero);
	tcase_add_test(reader, a_last_item_without_newline_still_counts);
	tcase_add_test(reader, empty_items_in_the_middle_are_kept_but_a_trailing_newline_adds_none);
	tcase_add_test(reader, a_lone_newline_is_one_empty_item);
	tcase_add_test(reader, crlf_line_endings_keep_their_carriage_return);
	tcase_add_test(reader, the_total_is_known_as_soon_as_the_reader_meets_the_end);
	tcase_add_test(reader, fifty_megabytes_of_endless_lines_run_in_a_flat_buffer);
	tcase_add_test(reader, a_nonblocking_pipe_says_wait_until_a_whole_item_arrives);
	tcase_add_test(reader, a_nonblocking_source_leaves_the_input_blocking_when_freed);
	tcase_add_test(reader, a_blocking_read_interrupted_by_a_signal_carries_on);
	tcase_add_test(reader, a_read_error_is_reported_with_errno);
	tcase_add_test(reader, freeing_the_source_closes_its_descriptor);
	tcase_add_test(reader, an_item_longer_than_the_limit_is_refused_with_its_position);
	tcase_add_test(reader, a_last_item_without_newline_is_held_to_the_limit_too);
	tcase_add_test(reader, a_line_far_over_the_limit_is_refused_in_bounded_memory);
	tcase_add_test(reader, an_item_exactly_at_the_limit_passes);
	tcase_add_test(reader, a_nul_inside_a_line_cuts_the_item_and_is_told_once_as_xargs_does);
	tcase_add_test(reader, nul_separated_items_are_not_warned_about);
	suite_add_tcase(suite, reader);

	tcase_add_test(range, range_specs_parse_with_signs_steps_and_countdowns);
	tcase_add_test(range, range_specs_reach_the_int64_limits);
	tcase_add_test(range, range_errors_explain_what_is_wrong);
	tcase_add_test(range, ranges_count_like_seq);
	tcase_add_test(range, ranges_at_the_int64_limits_count_without_overflow);
	tcase_add_test(range, a_zero_step_range_is_refused);
	suite_add_tcase(suite, range);

	tcase_add_test(array, inline_items_come_out_as_given_with_the_total_known_at_once);
	suite_add_tcase(suite, array);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(items_suite());
	int failed;

	srunner_run_all(runner, CK_ENV);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
