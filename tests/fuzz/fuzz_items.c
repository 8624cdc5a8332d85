/* fuzz_items.c - libFuzzer target for the item sources: the non-blocking
 * reader fed in uneven chunks must split exactly as a plain memchr loop
 * does (cutting an item at a NUL byte unless NUL is the delimiter, and
 * refusing the first item over the length limit, if one is set), and any
 * range spec that parses must count and step consistently.
 *
 * Built and run by `make fuzz` in a tree configured with
 *   ./configure CC=clang --enable-fuzzing
 * (the corpus grows in tests/fuzz/corpus-items of the build tree).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "items.h"

#define BASE_CAPACITY ((size_t)64 * 1024)
#define MOST_CHUNK 8192

/* The items a careful reader must produce, one at a time, from the whole
 * stream: split on the delimiter; a trailing delimiter adds no item. */
struct expected_items {
	const uint8_t *stream;
	size_t length;
	size_t position;
	char delimiter;
};

/* The next item: *raw_length is its length in the stream, *length the
 * length handed out (cut at a NUL when NUL is not the delimiter). */
static bool expected_next_raw(struct expected_items *expected, const uint8_t **text, size_t *length,
			      size_t *raw_length)
{
	size_t end = expected->position;
	const uint8_t *nul;

	if (expected->position >= expected->length)
		return false;
	while (end < expected->length && expected->stream[end] != (uint8_t)expected->delimiter)
		end++;
	*text = expected->stream + expected->position;
	*raw_length = *length = end - expected->position;
	nul = memchr(*text, '\0', *length);
	if (expected->delimiter != '\0' && nul)
		*length = (size_t)(nul - *text);
	expected->position = end + 1;
	return true;
}

static bool expected_next(struct expected_items *expected, const uint8_t **text, size_t *length)
{
	size_t raw_length;

	return expected_next_raw(expected, text, length, &raw_length);
}

/* The most the reader's buffer may hold: the base size, or under a limit
 * the limit and a quarter of the base size. */
static size_t capacity_bound(size_t longest_item, size_t max_length)
{
	if (max_length)
		return max_length + BASE_CAPACITY / 4 + 2 > BASE_CAPACITY ?
		       max_length + BASE_CAPACITY / 4 + 2 : BASE_CAPACITY;
	return 2 * (longest_item + MOST_CHUNK + BASE_CAPACITY);
}

/* Takes every item the reader has ready and checks it against the
 * reference; returns the status that stopped it.  An error must be the
 * refusal of the next item, one longer than max_length. */
static enum items_status drain(struct items *items, struct expected_items *expected,
			       int64_t *count, size_t longest_item, size_t max_length)
{
	const char *text;
	size_t length;
	enum items_status status;

	while ((status = items_next(items, &text, &length)) == ITEMS_READY) {
		const uint8_t *want;
		size_t want_length, raw_length;

		require(expected_next_raw(expected, &want, &want_length, &raw_length));
		require(!max_length || raw_length <= max_length);
		require(length == want_length);
		require(memcmp(text, want, length) == 0);
		require(text[length] == '\0');
		(*count)++;
		/* Memory follows the largest item, not the amount of input. */
		require(items_buffer_capacity(items) <= capacity_bound(longest_item, max_length));
	}
	if (status == ITEMS_ERROR) {
		struct expected_items rest = *expected;
		const uint8_t *want;
		size_t want_length, raw_length;

		require(errno == EMSGSIZE);
		require(max_length);
		/* The item refused may still be arriving: it is over the limit,
		 * or what has come of it so far already is. */
		require(expected_next_raw(&rest, &want, &want_length, &raw_length));
		require(raw_length > max_length);
		require(items_buffer_capacity(items) <= capacity_bound(longest_item, max_length));
	}
	return status;
}

static void write_all(int fd, const uint8_t *data, size_t length)
{
	while (length > 0) {
		ssize_t written = write(fd, data, length);

		require(written > 0);
		data += written;
		length -= (size_t)written;
	}
}

static size_t longest_item_in(const uint8_t *stream, size_t length, char delimiter)
{
	size_t longest = 0, current = 0;

	for (size_t index = 0; index < length; index++) {
		current = stream[index] == (uint8_t)delimiter ? 0 : current + 1;
		if (current > longest)
			longest = current;
	}
	return longest;
}

static void fuzz_reader(const uint8_t *data, size_t size)
{
	static const char delimiters[] = { '\n', '\0', ',', 'a' };
	char delimiter = delimiters[data[0] % 4];
	unsigned chunk_seed = data[1];
	size_t repeats = 1 + data[2] % 64;
	static const size_t limits[] = { 0, 16, 1000, 70000 };
	size_t max_length = limits[data[2] >> 6];
	enum items_status status = ITEMS_WAIT;
	const uint8_t *payload = data + 3;
	size_t payload_length = size - 3;
	size_t stream_length = payload_length * repeats;
	uint8_t *stream = malloc(stream_length ? stream_length : 1);
	struct expected_items expected = { stream, stream_length, 0, delimiter };
	int64_t count = 0, expected_count = 0;
	size_t written = 0, longest;
	int pipe_fds[2];
	struct items *items;
	const uint8_t *unused_text;
	size_t unused_length;

	require(stream);
	for (size_t index = 0; index < repeats; index++)
		memcpy(stream + index * payload_length, payload, payload_length);
	longest = longest_item_in(stream, stream_length, delimiter);

	require(pipe2(pipe_fds, O_CLOEXEC) == 0);
	items = items_from_fd(pipe_fds[0], delimiter, true);
	require(items);
	items_set_max_length(items, max_length);
	/* Chunks of uneven sizes; after each the pipe is drained to WAIT, so a
	 * write never blocks. */
	while (written < stream_length && status == ITEMS_WAIT) {
		size_t chunk = 1 + (chunk_seed * 7919u + written) % MOST_CHUNK;

		if (chunk > stream_length - written)
			chunk = stream_length - written;
		write_all(pipe_fds[1], stream + written, chunk);
		written += chunk;
		chunk_seed = chunk_seed * 31 + 17;
		status = drain(items, &expected, &count, longest, max_length);
		require(status == ITEMS_WAIT || status == ITEMS_ERROR);
		require(items_total(items) == -1);
	}
	close(pipe_fds[1]);
	if (status == ITEMS_WAIT)
		status = drain(items, &expected, &count, longest, max_length);
	if (status == ITEMS_ERROR) {
		/* Refused for good: nothing after it comes out. */
		const char *text;
		size_t length;

		require(items_next(items, &text, &length) == ITEMS_ERROR);
		items_free(items);
		free(stream);
		return;
	}
	require(status == ITEMS_END);
	require(!expected_next(&expected, &unused_text, &unused_length));

	for (struct expected_items again = { stream, stream_length, 0, delimiter };
	     expected_next(&again, &unused_text, &unused_length);)
		expected_count++;
	require(count == expected_count);
	require(items_total(items) == expected_count);
	require(items_buffer_capacity(items) <= capacity_bound(longest, max_length));
	items_free(items);
	free(stream);
}

/* A spec that parses must describe a range that can be walked: values
 * start at first, move by step, stay within [first, last], and their
 * number matches the total. */
static void fuzz_range(const uint8_t *data, size_t size)
{
	char *spec = malloc(size + 1);
	int64_t first, last, step;
	const char *error = NULL;
	struct items *items;
	const char *text;
	size_t length;
	int64_t total, seen = 0;
	__int128 expected_value;

	require(spec);
	memcpy(spec, data, size);
	spec[size] = '\0';
	if (items_parse_range(spec, &first, &last, &step, &error) != 0) {
		require(error && *error);
		free(spec);
		return;
	}
	require(step != 0);
	require(step > 0 ? first <= last : first >= last);
	items = items_from_range(first, last, step);
	require(items);
	total = items_total(items);
	require(total >= 1);
	expected_value = first;
	while (seen < 2000 && items_next(items, &text, &length) == ITEMS_READY) {
		char buffer[32];

		require(strlen(text) == length);
		snprintf(buffer, sizeof(buffer), "%lld", (long long)(int64_t)expected_value);
		require(strcmp(buffer, text) == 0);
		require(step > 0 ? expected_value <= last : expected_value >= last);
		expected_value += step;
		seen++;
	}
	if (seen < 2000) {
		require(seen == total);
		/* The next value would have passed last. */
		require(step > 0 ? expected_value > last : expected_value < last);
		require(items_next(items, &text, &length) == ITEMS_END);
	} else {
		require(total >= seen);
	}
	items_free(items);
	free(spec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	fuzz_reader(data, size);
	fuzz_range(data + 1, size - 1);
	return 0;
}
