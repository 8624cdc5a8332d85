/* check_spool.c - unit tests of the spool: output held whole in memory,
 * then in a spill file, read back byte for byte, also when the spill file
 * fills up; bytes a spill file cannot give back are never lost in silence
 * (the sticky error), and memory held for want of a file is capped. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "spool.h"

/* SPOOL_MEMORY_LIMIT and then some, in lines "NNNNNNN\n". */
#define LINES 50000
#define LINE_LEN 8

static void fill(struct spool *spool)
{
	char line[LINE_LEN + 1];
	for (int i = 0; i < LINES; i++) {
		snprintf(line, sizeof line, "%07d\n", i);
		ck_assert_int_eq(spool_append(spool, line, LINE_LEN), 0);
	}
}

/* What spool_write_to wrote, read back from an unlinked temp file. */
static char *written(struct spool *spool, int *status, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/check_spool.XXXXXX", spool_directory());
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	unlink(path);
	*status = spool_write_to(spool, fd);
	off_t size = lseek(fd, 0, SEEK_END);
	char *text = malloc((size_t)size + 1);
	ck_assert_int_eq(pread(fd, text, (size_t)size, 0), size);
	text[size] = '\0';
	close(fd);
	*len = (size_t)size;
	return text;
}

START_TEST(small_output_stays_in_memory)
{
	struct spool spool = SPOOL_INIT;
	ck_assert_int_eq(spool_append(&spool, "hello\n", 6), 0);
	ck_assert_int_eq(spool.fd, -1);
	ck_assert_uint_eq(spool_size(&spool), 6);
	char first[16];
	ck_assert_uint_eq(spool_peek(&spool, first, sizeof first), 6);
	ck_assert_str_eq(first, "hello\n");
	ck_assert_int_eq(spool.error, 0);
	spool_clear(&spool);
	ck_assert(spool_empty(&spool));
}
END_TEST

START_TEST(large_output_spills_and_comes_back_whole)
{
	struct spool spool = SPOOL_INIT;
	fill(&spool);
	ck_assert_int_ge(spool.fd, 0);
	ck_assert_uint_eq(spool_size(&spool), (size_t)LINES * LINE_LEN);
	int status;
	size_t len;
	char *text = written(&spool, &status, &len);
	ck_assert_int_eq(status, 0);
	ck_assert_uint_eq(len, (size_t)LINES * LINE_LEN);
	ck_assert(!strncmp(text, "0000000\n0000001\n", 16));
	ck_assert_str_eq(text + len - LINE_LEN, "0049999\n");
	ck_assert_int_eq(spool.error, 0);
	free(text);

	struct spool copy = SPOOL_INIT;
	ck_assert_int_eq(spool_append_spool(&copy, &spool), 0);
	ck_assert_uint_eq(spool_size(&copy), spool_size(&spool));
	char tail[32];
	spool_tail(&copy, tail, sizeof tail);
	ck_assert_str_eq(tail + strlen(tail) - LINE_LEN, "0049999\n");
	spool_clear(&copy);
	spool_clear(&spool);
}
END_TEST

/* A spill file that fills up mid-write (here: the file size limit, as a
 * full disk would) leaves the spool holding the rest in memory, and what
 * the failed write left in the file is never read back.  Lines of 7 bytes
 * put the end of the file off a 64 KiB boundary. */
#define SHORT_LINES 100000
START_TEST(a_spill_file_that_fills_up_gives_back_every_byte_once)
{
	signal(SIGXFSZ, SIG_IGN);
	struct rlimit saved, small;
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &saved), 0);
	small = saved;
	small.rlim_cur = SPOOL_MEMORY_LIMIT + 40960;  /* the second spill is cut short */
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	struct spool spool = SPOOL_INIT;
	int failed = 0;
	char line[16];
	for (int i = 0; i < SHORT_LINES; i++) {
		snprintf(line, sizeof line, "%06d\n", i);
		failed += spool_append(&spool, line, 7) != 0;  /* no ck_assert: check writes a file */
	}
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &saved), 0);
	ck_assert_int_eq(failed, 0);
	ck_assert(spool.memory_only);

	ck_assert_uint_eq(spool_size(&spool), (size_t)SHORT_LINES * 7);
	int status;
	size_t len;
	char *text = written(&spool, &status, &len);
	ck_assert_int_eq(status, 0);
	ck_assert_uint_eq(len, (size_t)SHORT_LINES * 7);
	for (int i = 0; i < SHORT_LINES; i++) {
		snprintf(line, sizeof line, "%06d\n", i);
		ck_assert_msg(!memcmp(text + (size_t)i * 7, line, 7), "line %d differs", i);
	}
	ck_assert_int_eq(spool.error, 0);
	free(text);
	spool_clear(&spool);
}
END_TEST

static int overflows_told;
static void count_overflow(void)
{
	overflows_told++;
}

/* No temp file can be made: output is held in memory, up to the cap for
 * all spools together; past it bytes are refused, the loss is remembered
 * and told once, and clearing gives the room back. */
START_TEST(memory_held_for_want_of_a_file_is_capped)
{
	ck_assert_int_eq(setenv("TMPDIR", "/nonexistent/pooltop-check", 1), 0);
	spool_set_overflow_hook(count_overflow);
	static char block[1024 * 1024];
	memset(block, 'x', sizeof block);
	struct spool first = SPOOL_INIT, second = SPOOL_INIT;
	size_t half = SPOOL_MEMORY_ONLY_CAP / 2 / sizeof block;
	for (size_t i = 0; i < half; i++)
		ck_assert_int_eq(spool_append(&first, block, sizeof block), 0);
	ck_assert(first.memory_only);
	for (size_t i = 0; i < half; i++)
		ck_assert_int_eq(spool_append(&second, block, sizeof block), 0);
	ck_assert_uint_eq(spool_memory_only_bytes(), SPOOL_MEMORY_ONLY_CAP);
	ck_assert_int_eq(overflows_told, 0);

	ck_assert_int_eq(spool_append(&second, "y", 1), -1);
	ck_assert_int_eq(second.error, ENOBUFS);
	ck_assert_uint_eq(spool_size(&second), SPOOL_MEMORY_ONLY_CAP / 2);
	ck_assert_int_eq(spool_append(&first, block, sizeof block), -1);
	ck_assert_int_eq(overflows_told, 1);
	ck_assert_uint_eq(spool_memory_only_bytes(), SPOOL_MEMORY_ONLY_CAP);

	spool_clear(&second);
	ck_assert_uint_eq(spool_memory_only_bytes(), SPOOL_MEMORY_ONLY_CAP / 2);
	struct spool third = SPOOL_INIT;
	ck_assert_int_eq(spool_append(&third, block, sizeof block), 0);
	spool_clear(&third);
	spool_clear(&first);
	ck_assert_uint_eq(spool_memory_only_bytes(), 0);
}
END_TEST

/* The spill file turned unreadable (here: replaced by a write-only fd). */
static void break_spill_file(struct spool *spool)
{
	ck_assert_int_ge(spool->fd, 0);
	int write_only = open("/dev/null", O_WRONLY | O_CLOEXEC);
	ck_assert_int_ge(write_only, 0);
	ck_assert_int_eq(dup2(write_only, spool->fd), spool->fd);
	close(write_only);
}

START_TEST(an_unreadable_spill_file_is_a_loss_the_spool_remembers)
{
	struct spool spool = SPOOL_INIT;
	fill(&spool);
	break_spill_file(&spool);
	int status;
	size_t len;
	char *text = written(&spool, &status, &len);
	ck_assert_int_eq(status, 0);  /* the fd written to is fine */
	ck_assert_uint_lt(len, (size_t)LINES * LINE_LEN);
	ck_assert_int_eq(spool.error, EBADF);
	free(text);
	/* Sticky: later appends say so too, until the spool is cleared. */
	ck_assert_int_eq(spool_append(&spool, "x", 1), -1);
	spool_clear(&spool);
	ck_assert_int_eq(spool.error, 0);
	ck_assert_int_eq(spool_append(&spool, "x", 1), 0);
	spool_clear(&spool);
}
END_TEST

START_TEST(a_copy_of_a_spool_that_lost_bytes_carries_the_loss)
{
	struct spool spool = SPOOL_INIT;
	fill(&spool);
	break_spill_file(&spool);
	struct spool copy = SPOOL_INIT;
	ck_assert_int_eq(spool_append_spool(&copy, &spool), -1);
	ck_assert_int_eq(copy.error, EBADF);
	spool_clear(&copy);
	spool_clear(&spool);

	/* A loss already recorded travels with the bytes that are left. */
	struct spool small = SPOOL_INIT;
	spool_append(&small, "abc", 3);
	small.error = EIO;
	ck_assert_int_eq(spool_append_spool(&copy, &small), -1);
	ck_assert_int_eq(copy.error, EIO);
	ck_assert_uint_eq(spool_size(&copy), 3);
	spool_clear(&copy);
	spool_clear(&small);
}
END_TEST

static Suite *spool_suite(void)
{
	Suite *suite = suite_create("spool");
	TCase *holding = tcase_create("holding");
	TCase *losing = tcase_create("losing");

	tcase_add_test(holding, small_output_stays_in_memory);
	tcase_add_test(holding, large_output_spills_and_comes_back_whole);
	tcase_add_test(holding, a_spill_file_that_fills_up_gives_back_every_byte_once);
	tcase_add_test(holding, memory_held_for_want_of_a_file_is_capped);
	suite_add_tcase(suite, holding);

	tcase_add_test(losing, an_unreadable_spill_file_is_a_loss_the_spool_remembers);
	tcase_add_test(losing, a_copy_of_a_spool_that_lost_bytes_carries_the_loss);
	suite_add_tcase(suite, losing);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(spool_suite());
	int failed;

	srunner_run_all(runner, CK_ENV);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
