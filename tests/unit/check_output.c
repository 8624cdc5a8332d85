/* check_output.c - unit tests of the output queue: a result's token comes
 * back only once its bytes reached stdout (with -k, in input order), and
 * unwritten when they never will; a reader that falls behind makes the
 * backlog hook ask for a pause, and its catching up for the end of it.
 * Tags go before every line as GNU parallel puts them, and with
 * --line-buffer whole lines of running jobs interleave, a job's unfinished
 * line waiting for its end.  Each test puts a pipe of its own in place of
 * stdout. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loop.h"
#include "output.h"
#include "output_lines.h"
#include "spool.h"

#define MAX_TOKENS 16

static struct {
	struct loop *loop;
	struct output *output;
	int saved_stdout;          /* the test's own stdout, put back after */
	int pipe_read;             /* what pooltop's stdout writes to */
	char tokens[MAX_TOKENS];   /* the tokens back, in order */
	bool written[MAX_TOKENS];
	int ntokens;
	int backlog_changes;
	bool backlog_full;
	bool stdout_closed;
	char read_back[1 << 22];   /* what the test read from the pipe */
	size_t read_len;
} t;

static void token_back(void *data, void *token, bool written)
{
	(void)data;
	ck_assert_int_lt(t.ntokens, MAX_TOKENS);
	t.tokens[t.ntokens] = *(char *)token;
	t.written[t.ntokens++] = written;
}

static void backlog_changed(void *data, bool full)
{
	(void)data;
	t.backlog_changes++;
	t.backlog_full = full;
}

static void stdout_closed(void *data)
{
	(void)data;
	t.stdout_closed = true;
}

static void setup(void)
{
	memset(&t, 0, sizeof t);
	signal(SIGPIPE, SIG_IGN);
	int fds[2];
	ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
	t.saved_stdout = dup(1);
	ck_assert_int_eq(dup2(fds[1], 1), 1);
	close(fds[1]);
	t.pipe_read = fds[0];
	t.loop = loop_new();
}

static void start(bool keep_order)
{
	t.output = output_new(t.loop, keep_order);
	output_on_written(t.output, token_back, NULL);
	output_on_backlog(t.output, backlog_changed, NULL);
	output_on_closed(t.output, stdout_closed, NULL);
}

static void teardown(void)
{
	output_free(t.output);
	loop_free(t.loop);
	dup2(t.saved_stdout, 1);
	close(t.saved_stdout);
	if (t.pipe_read >= 0)
		close(t.pipe_read);
}

/* A finished item whose stdout is text. */
static void give_result(uint64_t seq, const char *text, size_t len, char *token)
{
	struct spool out = SPOOL_INIT, err = SPOOL_INIT;
	spool_append(&out, text, len);
	struct pool_result result = { .seq = seq, .out = &out, .err = &err };
	output_result(t.output, &result, token);
	spool_clear(&out);
	spool_clear(&err);
}

static void stop_loop(struct loop *loop, void *data)
{
	(void)data;
	loop_stop(loop);
}

/* Run the loop until `ntokens` tokens are back, 5 s at most. */
static void run_until_tokens(int ntokens)
{
	for (int turns = 0; t.ntokens < ntokens && turns < 500; turns++) {
		uint64_t timer = loop_add_timer(t.loop, 0.01, stop_loop, NULL);
		loop_run(t.loop);
		loop_del_timer(t.loop, timer);
	}
	ck_assert_int_eq(t.ntokens, ntokens);
}

static void read_pipe_now(void)
{
	int flags = fcntl(t.pipe_read, F_GETFL);
	fcntl(t.pipe_read, F_SETFL, flags | O_NONBLOCK);
	ssize_t n;
	while ((n = read(t.pipe_read, t.read_back + t.read_len, sizeof t.read_back - t.read_len)) > 0)
		t.read_len += (size_t)n;
}

static void reader_ready(struct loop *loop, int fd, short revents, void *data)
{
	(void)loop;
	(void)fd;
	(void)revents;
	(void)data;
	read_pipe_now();
}

START_TEST(a_token_comes_back_once_its_output_is_written)
{
	start(false);
	char a = 'a', b = 'b';
	give_result(1, "one\n", 4, &a);
	give_result(2, "two\n", 4, &b);
	/* Small outputs wait a moment to share a write: nothing is back yet. */
	read_pipe_now();
	ck_assert_uint_eq(t.read_len, 0);
	ck_assert_int_eq(t.ntokens, 0);
	run_until_tokens(2);
	read_pipe_now();
	ck_assert_uint_eq(t.read_len, 8);
	ck_assert(!memcmp(t.read_back, "one\ntwo\n", 8));
	ck_assert_int_eq(t.tokens[0], 'a');
	ck_assert_int_eq(t.tokens[1], 'b');
	ck_assert(t.written[0] && t.written[1]);
}
END_TEST

START_TEST(with_keep_order_tokens_follow_the_input_order)
{
	start(true);
	char one = '1', two = '2', three = '3';
	give_result(3, "3\n", 2, &three);
	give_result(2, "2\n", 2, &two);
	ck_assert_int_eq(t.ntokens, 0);  /* held for item 1: not written, not back */
	give_result(1, "1\n", 2, &one);
	run_until_tokens(3);
	read_pipe_now();
	ck_assert_uint_eq(t.read_len, 6);
	ck_assert(!memcmp(t.read_back, "1\n2\n3\n", 6));
	ck_assert(!memcmp(t.tokens, "123", 3));
}
END_TEST

START_TEST(a_token_whose_output_was_dropped_comes_back_unwritten)
{
	start(false);
	close(t.pipe_read);  /* the reader is gone: EPIPE */
	t.pipe_read = -1;
	char a = 'a';
	give_result(1, "lost\n", 5, &a);
	run_until_tokens(1);
	ck_assert(!t.written[0]);
	ck_assert(t.stdout_closed);
	char message[256];
	ck_assert_int_eq(output_error(t.output, message, sizeof message), 0);  /* a reader gone is no loss */
}
END_TEST

START_TEST(a_reader_behind_pauses_and_its_catching_up_resumes)
{
	start(false);
	size_t size = (size_t)OUTPUT_QUEUE_LIMIT * 2;
	char *big = malloc(size);
	for (size_t i = 0; i < size; i++)
		big[i] = (char)('a' + i % 26);
	char a = 'a';
	give_result(1, big, size, &a);
	ck_assert_int_eq(t.backlog_changes, 1);
	ck_assert(t.backlog_full);
	ck_assert_int_eq(t.ntokens, 0);
	/* The reader starts reading: the queue drains, the pause ends. */
	loop_add_fd(t.loop, t.pipe_read, POLLIN, reader_ready, NULL);
	run_until_tokens(1);
	loop_del_fd(t.loop, t.pipe_read);
	read_pipe_now();
	ck_assert(t.written[0]);
	ck_assert_int_eq(t.backlog_changes, 2);
	ck_assert(!t.backlog_full);
	ck_assert_uint_eq(t.read_len, size);
	ck_assert(!memcmp(t.read_back, big, size));
	free(big);
}
END_TEST

START_TEST(a_full_stdout_is_output_lost)
{
	start(false);
	int full = open("/dev/full", O_WRONLY | O_CLOEXEC);
	ck_assert_int_ge(full, 0);
	ck_assert_int_eq(dup2(full, 1), 1);
	close(full);
	char a = 'a';
	give_result(1, "hello\n", 6, &a);
	run_until_tokens(1);
	ck_assert(!t.written[0]);
	char message[256];
	ck_assert_int_eq(output_error(t.output, message, sizeof message), -1);
	ck_assert_str_eq(message, "cannot write standard output: No space left on device (output was lost)");
}
END_TEST

/* ---- tags and lines ------------------------------------------------------ */

static char token_a[] = "a", token_b[] = "b";

static char emitted[256];
static size_t emitted_len;

static void emit_here(void *data, const char *bytes, size_t len)
{
	(void)data;
	ck_assert_uint_le(emitted_len + len, sizeof emitted - 1);
	memcpy(emitted + emitted_len, bytes, len);
	emitted_len += len;
	emitted[emitted_len] = '\0';
}

START_TEST(a_tag_goes_before_every_line_across_chunks)
{
	emitted_len = 0;
	emitted[0] = '\0';
	bool line_start = true;
	/* A line cut between two reads is tagged once; after \r (a progress
	 * line) the tag comes again; the last line, without its newline, too. */
	const char *chunks[] = { "one\ntw", "o\nthree\r", "four", "" };
	for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++)
		output_tag_lines("T\t", 2, &line_start, chunks[i], strlen(chunks[i]), emit_here, NULL);
	ck_assert_str_eq(emitted, "T\tone\nT\ttwo\nT\tthree\rT\tfour");
}
END_TEST

START_TEST(no_output_has_no_tag)
{
	emitted_len = 0;
	emitted[0] = '\0';
	bool line_start = true;
	output_tag_lines("T\t", 2, &line_start, "", 0, emit_here, NULL);
	ck_assert_uint_eq(emitted_len, 0);
	output_tag_lines("T\t", 2, &line_start, "x\n", 2, emit_here, NULL);
	ck_assert_str_eq(emitted, "T\tx\n");
}
END_TEST

START_TEST(complete_lines_end_at_the_last_newline_or_else_the_last_return)
{
	ck_assert_uint_eq(output_complete_lines("a\nb", 3), 2);
	ck_assert_uint_eq(output_complete_lines("a\nb\rc", 5), 2);
	ck_assert_uint_eq(output_complete_lines("a\rb", 3), 2);
	ck_assert_uint_eq(output_complete_lines("ab", 2), 0);
	ck_assert_uint_eq(output_complete_lines("ab\n", 3), 3);
}
END_TEST

START_TEST(the_tag_is_the_arguments_or_the_expanded_tagstring)
{
	struct output_tagger *tag = output_tagger_new(NULL);
	char *text = output_tagger_tag(tag, "a\0" "1", 3, 7, 2);
	ck_assert_str_eq(text, "a 1\t");
	free(text);
	output_tagger_free(tag);

	struct output_tagger *tagstring = output_tagger_new("T{}-{#}");
	text = output_tagger_tag(tagstring, "x", 1, 7, 2);
	ck_assert_str_eq(text, "Tx-7\t");
	free(text);
	output_tagger_free(tagstring);

	/* Without placeholders, nothing is appended to the tagstring. */
	struct output_tagger *fixed = output_tagger_new("FIX");
	text = output_tagger_tag(fixed, "x", 1, 7, 2);
	ck_assert_str_eq(text, "FIX\t");
	free(text);
	output_tagger_free(fixed);
}
END_TEST

START_TEST(a_grouped_result_is_tagged_line_by_line)
{
	start(false);
	struct output_tagger *tagger = output_tagger_new(NULL);
	output_set_tagger(t.output, tagger);
	struct spool out = SPOOL_INIT, err = SPOOL_INIT;
	spool_append(&out, "x\ny", 3);
	struct pool_result result = { .seq = 1, .item = "item", .item_len = 4, .out = &out, .err = &err };
	output_result(t.output, &result, token_a);
	spool_clear(&out);
	spool_clear(&err);
	run_until_tokens(1);
	read_pipe_now();
	t.read_back[t.read_len] = '\0';
	ck_assert_str_eq(t.read_back, "item\tx\nitem\ty");
	output_free(t.output);
	t.output = NULL;
	output_tagger_free(tagger);
}
END_TEST

static void give_live(uint64_t seq, const char *item, const char *text)
{
	struct pool_live_output live = { .seq = seq, .item = item, .item_len = strlen(item), .slot = 1,
					 .stream = 1, .data = text, .len = strlen(text) };
	output_live(t.output, &live);
}

START_TEST(with_line_buffer_whole_lines_of_running_jobs_interleave)
{
	start(false);
	output_set_mode(t.output, OUTPUT_LINES);
	struct output_tagger *tagger = output_tagger_new(NULL);
	output_set_tagger(t.output, tagger);
	give_live(1, "A", "a1\na2-beg");
	give_live(2, "B", "b1\n");
	give_live(1, "A", "un\na3-last");
	/* A's last line waits for its end; B's output is there already. */
	struct spool out = SPOOL_INIT, err = SPOOL_INIT;
	struct pool_result result = { .seq = 2, .item = "B", .item_len = 1, .out = &out, .err = &err };
	output_result(t.output, &result, token_b);
	run_until_tokens(1);
	read_pipe_now();
	t.read_back[t.read_len] = '\0';
	ck_assert_str_eq(t.read_back, "A\ta1\nB\tb1\nA\ta2-begun\n");
	result.seq = 1;
	result.item = "A";
	output_result(t.output, &result, token_a);
	run_until_tokens(2);
	read_pipe_now();
	t.read_back[t.read_len] = '\0';
	ck_assert_str_eq(t.read_back, "A\ta1\nB\tb1\nA\ta2-begun\nA\ta3-last");
	output_free(t.output);
	t.output = NULL;
	output_tagger_free(tagger);
}
END_TEST

START_TEST(ungrouped_output_passes_on_as_it_comes)
{
	start(false);
	output_set_mode(t.output, OUTPUT_UNGROUP);
	give_live(1, "A", "half-");
	give_live(2, "B", "other\n");
	struct spool out = SPOOL_INIT, err = SPOOL_INIT;
	struct pool_result result = { .seq = 1, .item = "A", .item_len = 1, .out = &out, .err = &err };
	output_result(t.output, &result, token_a);
	run_until_tokens(1);
	read_pipe_now();
	t.read_back[t.read_len] = '\0';
	ck_assert_str_eq(t.read_back, "half-other\n");
}
END_TEST

static Suite *output_suite(void)
{
	Suite *suite = suite_create("output");
	TCase *tokens = tcase_create("tokens");
	tcase_add_checked_fixture(tokens, setup, teardown);
	tcase_add_test(tokens, a_token_comes_back_once_its_output_is_written);
	tcase_add_test(tokens, with_keep_order_tokens_follow_the_input_order);
	tcase_add_test(tokens, a_token_whose_output_was_dropped_comes_back_unwritten);
	tcase_add_test(tokens, a_full_stdout_is_output_lost);
	suite_add_tcase(suite, tokens);

	TCase *backlog = tcase_create("backlog");
	tcase_add_checked_fixture(backlog, setup, teardown);
	tcase_add_test(backlog, a_reader_behind_pauses_and_its_catching_up_resumes);
	suite_add_tcase(suite, backlog);

	TCase *lines = tcase_create("lines");
	tcase_add_checked_fixture(lines, setup, teardown);
	tcase_add_test(lines, a_tag_goes_before_every_line_across_chunks);
	tcase_add_test(lines, no_output_has_no_tag);
	tcase_add_test(lines, complete_lines_end_at_the_last_newline_or_else_the_last_return);
	tcase_add_test(lines, the_tag_is_the_arguments_or_the_expanded_tagstring);
	tcase_add_test(lines, a_grouped_result_is_tagged_line_by_line);
	tcase_add_test(lines, with_line_buffer_whole_lines_of_running_jobs_interleave);
	tcase_add_test(lines, ungrouped_output_passes_on_as_it_comes);
	suite_add_tcase(suite, lines);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(output_suite());
	int failed;

	srunner_run_all(runner, CK_ENV);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
