/* fuzz_sources.c - libFuzzer target for the input sources: any set of :::
 * sources, linked by :::+ or --link, must give exactly the combinations a
 * plain nested loop gives (the last source fastest, pairs stopping at the
 * shorter, --link wrapping, an empty source one empty argument); and any
 * --colsep the translator accepts must split without harm, a plain comma
 * exactly as a memchr loop does.
 *
 * Built and run by `make fuzz` in a tree configured with
 *   ./configure CC=clang --enable-fuzzing
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "fuzz.h"
#include "sources.h"

#define MOST_SOURCES 4
#define MOST_WORDS 6

struct fuzz_sources {
	char *words[MOST_SOURCES][MOST_WORDS];
	int counts[MOST_SOURCES];
	bool linked[MOST_SOURCES];
	int source_count;
	bool link;
};

/* The words of source `source` in the combination numbered `row` of its
 * group, as parallel pairs them; NULL-safe for empty sources (""). */
static const char *word_at(const struct fuzz_sources *fuzz, int source, uint64_t row)
{
	int count = fuzz->counts[source];
	if (count == 0)
		return "";
	return fuzz->words[source][row % (uint64_t)count];
}

/* Rows of the group starting at `first` (members first..last). */
static uint64_t group_rows(const struct fuzz_sources *fuzz, int first, int last)
{
	uint64_t rows = UINT64_MAX;
	for (int source = first; source <= last; source++) {
		uint64_t count = fuzz->counts[source] ? (uint64_t)fuzz->counts[source] : 1;
		if (fuzz->source_count == 1)
			count = (uint64_t)fuzz->counts[source];
		if (fuzz->link ? rows == UINT64_MAX || count > rows : count < rows)
			rows = count;
	}
	return rows;
}

/* The expected item number `index` into out, arguments joined by NULs. */
static size_t expected_item(const struct fuzz_sources *fuzz, uint64_t index, char *out)
{
	int firsts[MOST_SOURCES], lasts[MOST_SOURCES], groups = 0;
	uint64_t rows[MOST_SOURCES], row_of[MOST_SOURCES];
	size_t length = 0;

	for (int source = 0; source < fuzz->source_count; source++) {
		if (source > 0 && (fuzz->link || fuzz->linked[source])) {
			lasts[groups - 1] = source;
			continue;
		}
		firsts[groups] = lasts[groups] = source;
		groups++;
	}
	for (int group = 0; group < groups; group++)
		rows[group] = group_rows(fuzz, firsts[group], lasts[group]);
	for (int group = groups - 1; group >= 0; group--) {
		row_of[group] = index % rows[group];
		index /= rows[group];
	}
	for (int group = 0; group < groups; group++) {
		for (int source = firsts[group]; source <= lasts[group]; source++) {
			const char *word = word_at(fuzz, source, row_of[group]);
			if (source > 0)
				out[length++] = '\0';
			memcpy(out + length, word, strlen(word));
			length += strlen(word);
		}
	}
	return length;
}

static uint64_t expected_total(const struct fuzz_sources *fuzz)
{
	uint64_t total = 1;
	for (int source = 0; source < fuzz->source_count; source++) {
		int last = source;
		while (last + 1 < fuzz->source_count && (fuzz->link || fuzz->linked[last + 1]))
			last++;
		total *= group_rows(fuzz, source, last);
		source = last;
	}
	return total;
}

static void check_combinations(const uint8_t *data, size_t size)
{
	struct fuzz_sources fuzz = { 0 };
	struct sources_config config = { .delimiter = '\n' };
	char *copy = malloc(size + 1);
	char error[512];

	if (size < 1) {
		free(copy);
		return;
	}
	fuzz.source_count = 1 + (data[0] & 3);
	fuzz.link = data[0] & 4;
	memcpy(copy, data + 1, size - 1);
	copy[size - 1] = '\0';
	/* Sources are separated by '|', their words by ' ' (empty words kept). */
	char *cursor = copy;
	for (int source = 0; source < fuzz.source_count; source++) {
		char *end = strchr(cursor, '|');
		if (end)
			*end = '\0';
		fuzz.linked[source] = source > 0 && (data[0] >> (3 + source)) & 1;
		while (*cursor && fuzz.counts[source] < MOST_WORDS) {
			char *space = strchr(cursor, ' ');
			if (space)
				*space = '\0';
			fuzz.words[source][fuzz.counts[source]++] = cursor;
			if (!space)
				break;
			cursor = space + 1;
		}
		config.specs[source] = (struct source_spec){
			.type = SOURCE_WORDS, .linked = fuzz.linked[source],
			.words = fuzz.words[source], .word_count = fuzz.counts[source],
		};
		cursor = end ? end + 1 : cursor + strlen(cursor);
	}
	config.count = fuzz.source_count;
	config.link = fuzz.link;

	struct sources *sources = sources_open(&config, error, sizeof error);
	require(sources);
	struct items *items = sources_items(sources);
	uint64_t total = expected_total(&fuzz), index = 0;
	char *expected = malloc(MOST_SOURCES * (size + 1) + 1);
	const char *text;
	size_t length;
	enum items_status status;
	while ((status = items_next(items, &text, &length)) == ITEMS_READY) {
		require(index < total);
		size_t expected_length = expected_item(&fuzz, index, expected);
		require(length == expected_length);
		require(memcmp(text, expected, length) == 0);
		index++;
	}
	require(status == ITEMS_END);
	require(index == total);
	require(items_total(items) == (int64_t)total);
	items_free(items);
	free(expected);
	free(copy);
}

/* A plain comma splits exactly where memchr finds commas. */
static void check_comma(const char *text, size_t length)
{
	char error[256];
	struct columns_regex *comma = columns_regex_new(",", error, sizeof error);
	struct columns_out out = { 0 };

	require(comma);
	int count = columns_split(comma, TRIM_NONE, text, length, &out);
	int commas = 0;
	for (size_t index = 0; index < length; index++)
		commas += text[index] == ',';
	require(count == commas + 1);
	require(out.len == length);
	for (size_t index = 0; index < length; index++)
		require(out.bytes[index] == (text[index] == ',' ? '\0' : text[index]));
	columns_regex_free(comma);
	free(out.bytes);
}

/* Any expression the translator takes splits any text without harm; with
 * no group to capture, the columns hold no more than the text. */
static void check_colsep(const uint8_t *data, size_t size)
{
	const uint8_t *newline = memchr(data, '\n', size);
	if (!newline)
		return;
	size_t regex_length = (size_t)(newline - data);
	char *regex = malloc(regex_length + 1);
	memcpy(regex, data, regex_length);
	regex[regex_length] = '\0';
	size_t text_length = size - regex_length - 1;
	/* Items always end with a NUL byte, which regexec may look for. */
	char *text = malloc(text_length + 1);
	memcpy(text, newline + 1, text_length);
	text[text_length] = '\0';
	char error[512];

	if (!memchr(text, '\0', text_length))
		check_comma(text, text_length);
	if (strlen(regex) != regex_length) {
		free(regex);
		free(text);
		return;
	}
	struct columns_regex *compiled = columns_regex_new(regex, error, sizeof error);
	if (compiled) {
		struct columns_out out = { 0 };
		int count = columns_split(compiled, (enum trim_mode)(size % 4), text, text_length, &out);
		require(count >= 1);
		require(count <= 1 || out.len >= (size_t)(count - 1));
		if (!strchr(regex, '(')) {
			require((size_t)count <= text_length + 1);
			require(out.len <= text_length + (size_t)count);
		}
		free(out.bytes);
		columns_regex_free(compiled);
	}
	free(regex);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	check_combinations(data, size);
	check_colsep(data, size);
	return 0;
}
