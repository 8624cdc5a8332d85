/* fuzz_joblog.c - libFuzzer target for the job log reader: any bytes given
 * to --resume are either refused with a message naming a line, or accepted
 * with every Seq they skip taken from a line that parses, and the file is
 * left as it was, or only cut at its torn last line.
 *
 * Built and run by `make fuzz` in a tree configured with
 *   ./configure CC=clang --enable-fuzzing
 * (the corpus grows in tests/fuzz/corpus-joblog of the build tree).
 *
 * Input: one byte choosing --resume or --resume-failed, then the file.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "joblog.h"

/* Every line of text must parse the same way however it is cut: a parsed
 * line starts with its Seq, at least 1, and a line with a NUL stops there. */
static void check_lines(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	require(line);
	memcpy(line, data, size);
	line[size] = '\0';
	uint64_t seq = 0;
	bool succeeded = false;
	if (joblog_parse_line(line, &seq, &succeeded)) {
		require(seq >= 1);
		require(line[0] >= '0' && line[0] <= '9');
		require(strchr(line, '\t'));
		require(strtoull(line, NULL, 10) == seq);
	}
	free(line);
}

/* The whole file, as the fuzzer's bytes, read back. */
static size_t read_back(int fd, char *out, size_t size)
{
	size_t used = 0;
	ssize_t got;
	while (used < size && (got = pread(fd, out + used, size - used, (off_t)used)) > 0)
		used += (size_t)got;
	return used;
}

static void check_file(const uint8_t *data, size_t size)
{
	enum joblog_resume resume = data[0] & 1 ? JOBLOG_RESUME_FAILED : JOBLOG_RESUME;
	const char *content = (const char *)data + 1;
	size_t length = size - 1;
	int fd = memfd_create("joblog", MFD_CLOEXEC);
	require(fd >= 0);
	require(write(fd, content, length) == (ssize_t)length);
	char path[64], error[512];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);

	struct joblog *joblog = joblog_open(path, resume, NULL, error, sizeof error);
	size_t room = length + sizeof JOBLOG_HEADER + 1;
	char *after = malloc(room);
	require(after);
	size_t after_length = read_back(fd, after, room);
	if (!joblog) {
		/* Refused: the file is untouched and the message names a line. */
		require(strstr(error, "is wrong: line ") || strstr(error, "cannot "));
		require(after_length == length && !memcmp(after, content, length));
	} else {
		/* Accepted: what was whole is kept, a header first; whatever was
		 * cut off had no newline. */
		require(after_length >= sizeof JOBLOG_HEADER);
		require(!memcmp(after, JOBLOG_HEADER "\n", sizeof JOBLOG_HEADER));
		require(after[after_length - 1] == '\n');
		if (length >= sizeof JOBLOG_HEADER) {
			require(after_length <= length + 1);
			require(!memcmp(after, content, after_length - 1));
			require(!memchr(content + after_length, '\n', length - after_length));
		}
		/* Each Seq skipped is one some line of the file holds. */
		for (uint64_t seq = 1; seq < 64; seq++) {
			if (!joblog_should_skip(joblog, seq))
				continue;
			char prefix[32];
			int n = snprintf(prefix, sizeof prefix, "\n%llu\t", (unsigned long long)seq);
			require(memmem(after, after_length, prefix, (size_t)n));
		}
		joblog_close(joblog);
	}
	free(after);
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	check_lines(data + 1, size - 1);
	check_file(data, size);
	return 0;
}
