/* fuzz_template.c - libFuzzer target for the command template: for items
 * of one argument, argv built from segments must equal a slow, obvious
 * substitution done character by character; for every item (several
 * arguments, -X, -I) template_length must measure the argv exactly, one
 * more argument must never outgrow template_extra_length, and
 * template_join's output must split back into the argv.
 *
 * Built and run by `make fuzz` in a tree configured with
 *   ./configure CC=clang --enable-fuzzing
 * (the corpus grows in tests/fuzz/corpus-template of the build tree).
 *
 * Input: one flag byte (bit 0: --shell, bit 1: -X, bit 2: -I @@), then
 * the item up to a 0xff byte (NUL bytes in it separate arguments), then
 * the command words separated by NUL bytes.
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

/* An item of one argument: {1} and {-1} are {} (and so on with each
 * modifier); tokens[index % 7] gives the value. */
#define TOKEN_COUNT 21
static const char *const tokens[TOKEN_COUNT] = {
	"{}", "{.}", "{/}", "{//}", "{/.}", "{#}", "{%}",
	"{1}", "{1.}", "{1/}", "{1//}", "{1/.}", "{#}", "{%}",
	"{-1}", "{-1.}", "{-1/}", "{-1//}", "{-1/.}", "{#}", "{%}",
};

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

		for (int index = 0; index < TOKEN_COUNT && match < 0; index++) {
			if (strncmp(word, tokens[index], strlen(tokens[index])) == 0)
				match = index;
		}
		if (match < 0) {
			text_add(out, word, 1);
			word++;
			continue;
		}
		found = true;
		if (shell && match % 7 < 5)
			text_add_quoted(out, values->by_token[match % 7]);
		else
			text_add_string(out, values->by_token[match % 7]);
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

/* A command of one word with any of these characters is a script. */
static bool slow_is_script(char **words, int count)
{
	static const char syntax[] = " \t\n;|&<>$'\"`\\()*?[]~";

	if (count != 1)
		return false;
	for (const char *cursor = words[0]; *cursor; cursor++) {
		if (strchr(syntax, *cursor))
			return true;
	}
	return false;
}

/* Whether the slow model knows every brace construct in the words: it
 * knows only positions 1 and -1, and that other braces are literal. */
static bool slow_model_applies(char **words, int count)
{
	for (int index = 0; index < count; index++) {
		for (const char *brace = strchr(words[index], '{'); brace; brace = strchr(brace + 1, '{')) {
			const char *digits = brace + 1 + (brace[1] == '-');

			if (*digits >= '0' && *digits <= '9' && (*digits != '1' || (digits[1] >= '0' && digits[1] <= '9')))
				return false;
		}
	}
	return true;
}

/* The argv's strings and their ends, as the kernel counts them. */
static size_t argv_size(char **argv)
{
	size_t size = 0;

	for (size_t index = 0; argv[index]; index++)
		size += strlen(argv[index]) + 1;
	return size;
}

/* template_length is exact without {%} (counted at its widest), and one
 * more argument never adds more than template_extra_length says. */
static void check_measures(const struct template *template, char **argv, const char *item, size_t item_length,
			   uint64_t seq, bool has_slot)
{
	size_t length = template_length(template, item, item_length, seq);
	char *longer = malloc(item_length + 8);
	char **longer_argv;

	require(longer);
	if (has_slot)
		require(length >= argv_size(argv));
	else
		require(length == argv_size(argv));
	memcpy(longer, item, item_length);
	memcpy(longer + item_length, "\0x'/a.b", 7);
	longer_argv = template_argv(template, longer, item_length + 7, seq, 1);
	require(!template_extra_length_holds(template) ||
		template_length(template, longer, item_length + 7, seq) <=
		length + template_extra_length(template, "x'/a.b", 6, seq));
	free(longer_argv);
	free(longer);
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
	struct template_options options;
	uint8_t flags;
	bool has_slot = false;
	struct template *template;
	char **argv;
	struct text expected = { 0 };
	size_t expected_words, offset = 0;

	if (size < 1)
		return 0;
	flags = data[0];
	shell = flags & 1;
	options.shell = shell;
	options.fill = data[0] & 2 ? TEMPLATE_CONTEXT : TEMPLATE_SPREAD;
	options.replace = data[0] & 4 ? "@@" : NULL;
	seq = (uint64_t)data[0] * 0x9e3779b97f4a7c15u;
	slot = (int)(data[0] >> 1) - 20;
	data++;
	size--;
	separator = memchr(data, 0xff, size);
	item_length = separator ? (size_t)(separator - data) : size;
	/* NUL bytes separate the item's arguments. */
	item = malloc(item_length + 1);
	require(item);
	memcpy(item, data, item_length);
	item[item_length] = '\0';
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

	template = template_new_with(words, count, &options);
	require(template);
	argv = template_argv(template, item, item_length, seq, slot);
	require(argv);
	for (int index = 0; index < count; index++)
		has_slot |= strstr(words[index], "{%}") != NULL;
	check_measures(template, argv, item, item_length, seq, has_slot);
	if (!(flags & 6) && !memchr(item, '\0', item_length) && slow_model_applies(words, count)) {
		shell |= slow_is_script(words, count);
		expected_words = slow_argv(&expected, words, count, item, seq, slot, shell);
		for (size_t index = 0; index < expected_words; index++) {
			require(argv[index]);
			require(strcmp(argv[index], expected.bytes + offset) == 0);
			offset += strlen(argv[index]) + 1;
		}
		require(argv[expected_words] == NULL);
	}
	check_join(argv);

	free(expected.bytes);
	free(argv);
	template_free(template);
	free(words_text);
	free(item);
	return 0;
}
