/* fuzz_template.c - libFuzzer target for the command template: argv built
 * from segments must equal a slow, obvious substitution done character by
 * character, and template_join's output must split back into the argv.
 *
 * Built and run by `make fuzz` in a tree configured with
 *   ./configure CC=clang --enable-fuzzing
 * (the corpus grows in tests/fuzz/corpus-template of the build tree).
 *
 * Input: one flag byte (bit 0: --shell), then the item up to a 0xff byte,
 * then the command words separated by NUL bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "template.h"

#define MOST_WORDS 64

/* A growing byte string. */
struct text {
	char *bytes;
	size_t length;
	size_t capacity;
};

static void text_add(struct text *text, const char *bytes, size_t length)
{
	if (text->length + length + 1 > text->capacity) {
		text->capacity = 2 * (text->length + length + 1);
		text->bytes = realloc(text->bytes, text->capacity);
		require(text->bytes);
	}
	memcpy(text->bytes + text->length, bytes, length);
	text->length += length;
	text->bytes[text->length] = '\0';
}

static void text_add_string(struct text *text, const char *string)
{
	text_add(text, string, strlen(string));
}

/* Single quotes, each ' written as '\'' -- one character at a time. */
static void text_add_quoted(struct text *text, const char *string)
{
	text_add(text, "'", 1);
	for (; *string; string++) {
		if (*string == '\'')
			text_add(text, "'\\''", 4);
		else
			text_add(text, string, 1);
	}
	text_add(text, "'", 1);
}

/* Perl's File::Basename, as GNU parallel uses it, written out plainly on
 * NUL-terminated copies. */
static char *slow_dirname(const char *item)
{
	/* Room for "." even when the item is empty. */
	char *directory = malloc(strlen(item) + 2);
	char *slash;
	bool name_is_empty;

	require(directory);
	strcpy(directory, item);
	slash = strrchr(directory, '/');
	if (!slash)
		return strcpy(directory, ".");
	name_is_empty = slash[1] == '\0';
	slash[1] = '\0';
	while (strlen(directory) > 1 && directory[strlen(directory) - 1] == '/')
		directory[strlen(directory) - 1] = '\0';
	if (!name_is_empty)
		return directory;
	slash = strrchr(directory, '/');
	if (!slash)
		return strcpy(directory, ".");
	slash[1] = '\0';
	while (strlen(directory) > 1 && directory[strlen(directory) - 1] == '/')
		directory[strlen(directory) - 1] = '\0';
	return directory;
}

static char *slow_basename(const char *item)
{
	const char *slash = strrchr(item, '/');
	char *name = strdup(slash ? slash + 1 : item);

	require(name);
	return name;
}

/* s:\.[^/.]*$:: */
static char *slow_without_extension(const char *item)
{
	char *copy = strdup(item);
	char *dot = strrchr(copy, '.');

	require(copy);
	if (dot && !strchr(dot, '/'))
		*dot = '\0';
	return copy;
}

struct values {
	char *by_token[7];
};

static const char *const tokens[7] = { "{}", "{.}", "{/}", "{//}", "{/.}", "{#}", "{%}" };

static void values_make(struct values *values, const char *item, uint64_t seq, int slot)
{
	char *basename = slow_basename(item);
	char number[32];

	values->by_token[0] = strdup(item);
	values->by_token[1] = slow_without_extension(item);
	values->by_token[2] = strdup(basename);
	values->by_token[3] = slow_dirname(item);
	values->by_token[4] = slow_without_extension(basename);
	snprintf(number, sizeof(number), "%llu", (unsigned long long)seq);
	values->by_token[5] = strdup(number);
	snprintf(number, sizeof(number), "%d", slot);
	values->by_token[6] = strdup(number);
	free(basename);
}

static void values_free(struct values *values)
{
	for (int index = 0; index < 7; index++)
		free(values->by_token[index]);
}

/* Substitutes one word; returns whether a placeholder was in it. */
static bool slow_substitute(struct text *out, const char *word, const struct values *values,
			    bool shell)
{
	bool found = false;

	while (*word) {
		int match = -1;

		for (int index = 0; index < 7 && match < 0; index++) {
			if (strncmp(word, tokens[index], strlen(tokens[index])) == 0)
				match = index;
		}
		if (match < 0) {
			text_add(out, word, 1);
			word++;
			continue;
		}
		found = true;
		if (shell && match < 5)
			text_add_quoted(out, values->by_token[match]);
		else
			text_add_string(out, values->by_token[match]);
		word += strlen(tokens[match]);
	}
	return found;
}

/* The expected argv, each word followed by a NUL, in one text. */
static size_t slow_argv(struct text *out, char **words, int count, const char *item,
			uint64_t seq, int slot, bool shell)
{
	struct values values;
	bool found = false;
	size_t word_count = 0;

	values_make(&values, item, seq, slot);
	if (shell) {
		text_add(out, "sh\0-c\0", 6);
		for (int index = 0; index < count; index++) {
			if (index > 0)
				text_add(out, " ", 1);
			found |= slow_substitute(out, words[index], &values, true);
		}
		if (!found) {
			if (count > 0)
				text_add(out, " ", 1);
			text_add_quoted(out, item);
		}
		text_add(out, "", 1);
		values_free(&values);
		return 3;
	}
	for (int index = 0; index < count; index++) {
		found |= slow_substitute(out, words[index], &values, false);
		text_add(out, "", 1);
		word_count++;
	}
	if (!found) {
		text_add(out, item, strlen(item) + 1);
		word_count++;
	}
	values_free(&values);
	return word_count;
}

/* Splits a joined command line back into words: plain characters, '...'
 * quoted runs and \x escapes, separated by single spaces. */
static size_t split_joined(const char *line, struct text *out)
{
	size_t words = 0;
	bool in_word = false;

	while (*line) {
		if (*line == ' ') {
			require(in_word);
			text_add(out, "", 1);
			words++;
			in_word = false;
			line++;
			continue;
		}
		in_word = true;
		if (*line == '\'') {
			const char *close = strchr(line + 1, '\'');

			require(close);
			text_add(out, line + 1, (size_t)(close - line - 1));
			line = close + 1;
		} else if (*line == '\\') {
			require(line[1]);
			text_add(out, line + 1, 1);
			line += 2;
		} else {
			text_add(out, line, 1);
			line++;
		}
	}
	if (in_word) {
		text_add(out, "", 1);
		words++;
	}
	return words;
}

static void check_join(char **argv)
{
	char *joined = template_join(argv);
	struct text split = { 0 };
	size_t word_count = 0, words_split, offset = 0;

	require(joined);
	for (; argv[word_count]; word_count++)
		;
	words_split = split_joined(joined, &split);
	/* Every word is non-empty once joined ('' for an empty one). */
	require(words_split == word_count);
	for (size_t index = 0; index < word_count; index++) {
		require(strcmp(split.bytes + offset, argv[index]) == 0);
		offset += strlen(argv[index]) + 1;
	}
	free(split.bytes);
	free(joined);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool shell;
	const uint8_t *separator;
	char *item, *words_text;
	char *words[MOST_WORDS];
	int count = 0;
	size_t item_length, words_length;
	uint64_t seq;
	int slot;
	struct template *template;
	char **argv;
	struct text expected = { 0 };
	size_t expected_words, offset = 0;

	if (size < 1)
		return 0;
	shell = data[0] & 1;
	seq = (uint64_t)data[0] * 0x9e3779b97f4a7c15u;
	slot = (int)(data[0] >> 1) - 20;
	data++;
	size--;
	separator = memchr(data, 0xff, size);
	item_length = separator ? (size_t)(separator - data) : size;
	/* Items hold no NUL when they reach argv: stop at one. */
	item = strndup((const char *)data, item_length);
	require(item);
	item_length = strlen(item);
	words_length = separator ? size - (size_t)(separator - data) - 1 : 0;
	words_text = malloc(words_length + 1);
	require(words_text);
	if (words_length)
		memcpy(words_text, separator + 1, words_length);
	words_text[words_length] = '\0';
	/* Without a separator there is no command at all. */
	for (char *word = words_text; separator && count < MOST_WORDS;) {
		words[count++] = word;
		word += strlen(word) + 1;
		if (word > words_text + words_length)
			break;
	}

	template = template_new(words, count, shell);
	require(template);
	argv = template_argv(template, item, item_length, seq, slot);
	require(argv);
	expected_words = slow_argv(&expected, words, count, item, seq, slot, shell);
	for (size_t index = 0; index < expected_words; index++) {
		require(argv[index]);
		require(strcmp(argv[index], expected.bytes + offset) == 0);
		offset += strlen(argv[index]) + 1;
	}
	require(argv[expected_words] == NULL);
	check_join(argv);

	free(expected.bytes);
	free(argv);
	template_free(template);
	free(words_text);
	free(item);
	return 0;
}
