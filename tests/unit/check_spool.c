/* check_spool.c - unit tests of the spool: output held whole in memory,
 * then in a spill file, read back byte for byte; and bytes a spill file
 * cannot give back are never lost in silence (the sticky error). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
