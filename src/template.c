/* template.c - the command template: placeholders are found once, when the
 * template is made, and kept as a list of literal and placeholder segments,
 * so building each job's argv is only measuring and copying. */
#include "template.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

enum placeholder {
	PLACEHOLDER_NONE,                  /* a literal piece of text */
	PLACEHOLDER_ITEM,                  /* {}   */
	PLACEHOLDER_NO_EXTENSION,          /* {.}  */
	PLACEHOLDER_BASENAME,              /* {/}  */
	PLACEHOLDER_DIRNAME,               /* {//} */
	PLACEHOLDER_BASENAME_NO_EXTENSION, /* {/.} */
	PLACEHOLDER_SEQUENCE,              /* {#}  */
	PLACEHOLDER_SLOT,                  /* {%}  */
	PLACEHOLDER_COUNT,
};

static const struct {
	const char *token;
	size_t length;
	enum placeholder kind;
} placeholder_tokens[] = {
	{ "{}", 2, PLACEHOLDER_ITEM },
	{ "{.}", 3, PLACEHOLDER_NO_EXTENSION },
	{ "{/}", 3, PLACEHOLDER_BASENAME },
	{ "{//}", 4, PLACEHOLDER_DIRNAME },
	{ "{/.}", 4, PLACEHOLDER_BASENAME_NO_EXTENSION },
	{ "{#}", 3, PLACEHOLDER_SEQUENCE },
	{ "{%}", 3, PLACEHOLDER_SLOT },
};

/* One piece of one output word. */
struct segment {
	enum placeholder kind;  /* PLACEHOLDER_NONE for literal text */
	const char *text;       /* the literal text (not NUL-terminated) */
	size_t length;          /* its length */
	bool quoted;            /* the value is substituted shell-quoted */
	bool ends_word;         /* the output word ends after this segment */
};

struct template {
	struct segment *segments; /* every output word, in order */
	size_t segment_count;     /* entries in segments */
	size_t word_count;        /* output words, i.e. argv entries before NULL */
	bool used[PLACEHOLDER_COUNT];   /* which values each job must work out */
	bool quoted[PLACEHOLDER_COUNT]; /* which of them are substituted quoted */
	char *storage;            /* copies of the words literals point into */
};

/* A placeholder's value for one job. */
struct value {
	const char *text;
	size_t length;
	size_t quoted_length;   /* length once shell-quoted */
};

/* ---- building the template ----------------------------------------------- */

static enum placeholder placeholder_at(const char *text, size_t *token_length)
{
	for (size_t index = 0; index < sizeof(placeholder_tokens) / sizeof(placeholder_tokens[0]); index++) {
		if (strncmp(text, placeholder_tokens[index].token, placeholder_tokens[index].length) == 0) {
			*token_length = placeholder_tokens[index].length;
			return placeholder_tokens[index].kind;
		}
	}
	return PLACEHOLDER_NONE;
}

static void template_add(struct template *template, enum placeholder kind, const char *text,
			 size_t length, bool quoted)
{
	struct segment *segment = &template->segments[template->segment_count++];

	segment->kind = kind;
	segment->text = text;
	segment->length = length;
	segment->quoted = quoted && kind != PLACEHOLDER_NONE;
	segment->ends_word = false;
	if (kind == PLACEHOLDER_NONE)
		return;
	template->used[kind] = true;
	template->quoted[kind] |= segment->quoted;
}

static void template_end_word(struct template *template)
{
	template->segments[template->segment_count - 1].ends_word = true;
	template->word_count++;
}

/* Splits one word into literal and placeholder segments.  Numbers need no
 * quoting even in shell mode.  Returns whether it held a placeholder. */
static bool template_add_word(struct template *template, const char *word, bool shell)
{
	const char *literal = word, *cursor = word;
	bool found = false;
	size_t start_count = template->segment_count;

	while ((cursor = strchr(cursor, '{')) != NULL) {
		size_t token_length = 0;
		enum placeholder kind = placeholder_at(cursor, &token_length);

		if (kind == PLACEHOLDER_NONE) {
			cursor++;
			continue;
		}
		if (cursor > literal)
			template_add(template, PLACEHOLDER_NONE, literal, (size_t)(cursor - literal), false);
		template_add(template, kind, NULL, 0,
			     shell && kind != PLACEHOLDER_SEQUENCE && kind != PLACEHOLDER_SLOT);
		found = true;
		cursor += token_length;
		literal = cursor;
	}
	/* An empty word still needs one segment to carry its end. */
	if (*literal || template->segment_count == start_count)
		template_add(template, PLACEHOLDER_NONE, literal, strlen(literal), false);
	return found;
}

/* The most segments argv could need: each word alternates literal and
 * placeholder, plus separators and the appended item. */
static size_t template_segment_bound(char *const *argv, int argc)
{
	size_t bound = 8;

	for (int index = 0; index < argc; index++)
		bound += 2 * strlen(argv[index]) + 3;
	return bound;
}

static void template_copy_words(struct template *template, char *const *argv, int argc,
				char **copies)
{
	size_t total = 0;
	char *cursor;

	for (int index = 0; index < argc; index++)
		total += strlen(argv[index]) + 1;
	template->storage = xmalloc(total);
	cursor = template->storage;
	for (int index = 0; index < argc; index++) {
		size_t length = strlen(argv[index]) + 1;

		memcpy(cursor, argv[index], length);
		copies[index] = cursor;
		cursor += length;
	}
}

static void template_build_direct(struct template *template, char **words, int count)
{
	bool any_placeholder = false;

	for (int index = 0; index < count; index++) {
		any_placeholder |= template_add_word(template, words[index], false);
		template_end_word(template);
	}
	if (any_placeholder)
		return;
	template_add(template, PLACEHOLDER_ITEM, NULL, 0, false);
	template_end_word(template);
}

static void template_build_shell(struct template *template, char **words, int count)
{
	bool any_placeholder = false;

	template_add(template, PLACEHOLDER_NONE, "sh", 2, false);
	template_end_word(template);
	template_add(template, PLACEHOLDER_NONE, "-c", 2, false);
	template_end_word(template);
	for (int index = 0; index < count; index++) {
		if (index > 0)
			template_add(template, PLACEHOLDER_NONE, " ", 1, false);
		any_placeholder |= template_add_word(template, words[index], true);
	}
	if (!any_placeholder) {
		if (count > 0)
			template_add(template, PLACEHOLDER_NONE, " ", 1, false);
		template_add(template, PLACEHOLDER_ITEM, NULL, 0, true);
	}
	template_end_word(template);
}

struct template *template_new(char *const *argv, int argc, bool shell)
{
	struct template *template;
	char **copies;

	if (argc < 0)
		argc = 0;
	template = xcalloc(1, sizeof(*template));
	copies = xcalloc((size_t)argc + 1, sizeof(*copies));
	template->segments = xcalloc(template_segment_bound(argv, argc), sizeof(*template->segments));
	template_copy_words(template, argv, argc, copies);
	if (shell)
		template_build_shell(template, copies, argc);
	else
		template_build_direct(template, copies, argc);
	free(copies);
	return template;
}

void template_free(struct template *template)
{
	if (!template)
		return;
	free(template->segments);
	free(template->storage);
	free(template);
}

/* ---- values of one job ---------------------------------------------------- */

/* Strips the last extension: a final dot and what follows it, when no slash
 * follows (GNU parallel's {.}: "dir.x/file.tar.gz" -> "dir.x/file.tar"). */
static size_t length_without_extension(const char *text, size_t length)
{
	const char *dot = memrchr(text, '.', length);

	if (!dot || memchr(dot, '/', length - (size_t)(dot - text)))
		return length;
	return (size_t)(dot - text);
}

/* Keeps at least one character, dropping further trailing slashes. */
static size_t length_without_trailing_slashes(const char *text, size_t length)
{
	while (length > 1 && text[length - 1] == '/')
		length--;
	return length;
}

/* The directory part as GNU parallel's {//} gives it (Perl's dirname):
 * "a/b/c" -> "a/b", "c" -> ".", "a/b/" -> "a", "/x" -> "/", "/" -> "/". */
static struct value dirname_of(const char *text, size_t length)
{
	const char *slash = memrchr(text, '/', length);
	size_t directory_length;
	struct value value = { ".", 1, 0 };

	if (!slash)
		return value;
	directory_length = (size_t)(slash - text) + 1;
	if (directory_length == length) {
		/* Nothing after the last slash: the parent of what precedes it. */
		directory_length = length_without_trailing_slashes(text, directory_length);
		slash = memrchr(text, '/', directory_length);
		if (!slash)
			return value;
		directory_length = (size_t)(slash - text) + 1;
	}
	value.text = text;
	value.length = length_without_trailing_slashes(text, directory_length);
	return value;
}

static size_t format_unsigned(char *text, uint64_t number)
{
	char digits[24];
	size_t count = 0, length = 0;

	do {
		digits[count++] = (char)('0' + number % 10);
		number /= 10;
	} while (number);
	while (count)
		text[length++] = digits[--count];
	return length;
}

static size_t format_signed(char *text, int number)
{
	if (number >= 0)
		return format_unsigned(text, (uint64_t)number);
	text[0] = '-';
	return 1 + format_unsigned(text + 1, (uint64_t)0 - (uint64_t)(int64_t)number);
}

static size_t shell_quoted_length(const char *text, size_t length)
{
	const char *cursor = text, *limit = text + length;
	size_t quotes = 0;

	while ((cursor = memchr(cursor, '\'', (size_t)(limit - cursor))) != NULL) {
		quotes++;
		cursor++;
	}
	/* 'text' with each ' written as '\'' */
	return length + 2 + 3 * quotes;
}

/* Works out the values the template uses; numbers go into the buffers. */
static void template_values(const struct template *template, const char *item, size_t item_length,
			    uint64_t seq, int slot, struct value *values,
			    char *sequence_text, char *slot_text)
{
	const bool *used = template->used;
	const char *basename = item;
	size_t basename_length = item_length;

	if (used[PLACEHOLDER_BASENAME] || used[PLACEHOLDER_BASENAME_NO_EXTENSION]) {
		const char *slash = memrchr(item, '/', item_length);

		if (slash) {
			basename = slash + 1;
			basename_length = item_length - (size_t)(basename - item);
		}
	}
	values[PLACEHOLDER_ITEM] = (struct value){ item, item_length, 0 };
	values[PLACEHOLDER_BASENAME] = (struct value){ basename, basename_length, 0 };
	if (used[PLACEHOLDER_NO_EXTENSION])
		values[PLACEHOLDER_NO_EXTENSION] =
			(struct value){ item, length_without_extension(item, item_length), 0 };
	if (used[PLACEHOLDER_BASENAME_NO_EXTENSION])
		values[PLACEHOLDER_BASENAME_NO_EXTENSION] =
			(struct value){ basename, length_without_extension(basename, basename_length), 0 };
	if (used[PLACEHOLDER_DIRNAME])
		values[PLACEHOLDER_DIRNAME] = dirname_of(item, item_length);
	if (used[PLACEHOLDER_SEQUENCE])
		values[PLACEHOLDER_SEQUENCE] =
			(struct value){ sequence_text, format_unsigned(sequence_text, seq), 0 };
	if (used[PLACEHOLDER_SLOT])
		values[PLACEHOLDER_SLOT] = (struct value){ slot_text, format_signed(slot_text, slot), 0 };
	for (int kind = PLACEHOLDER_ITEM; kind < PLACEHOLDER_COUNT; kind++) {
		if (template->quoted[kind])
			values[kind].quoted_length = shell_quoted_length(values[kind].text, values[kind].length);
	}
}

/* ---- argv ------------------------------------------------------------------ */

static size_t segment_length(const struct segment *segment, const struct value *values)
{
	if (segment->kind == PLACEHOLDER_NONE)
		return segment->length;
	if (segment->quoted)
		return values[segment->kind].quoted_length;
	return values[segment->kind].length;
}

char **template_argv(const struct template *template, const char *item, size_t item_len,
		     uint64_t seq, int slot)
{
	struct value values[PLACEHOLDER_COUNT];
	char sequence_text[24], slot_text[24];
	size_t pointers_size = (template->word_count + 1) * sizeof(char *);
	size_t size = pointers_size + template->word_count;
	char **argv, *cursor;
	size_t word = 0;

	/* Quoting can quadruple an item; keep every sum below SIZE_MAX. */
	if (item_len > SIZE_MAX / 8 / (template->segment_count + 1))
		xalloc_fail(SIZE_MAX);
	template_values(template, item, item_len, seq, slot, values, sequence_text, slot_text);
	for (size_t index = 0; index < template->segment_count; index++)
		size += segment_length(&template->segments[index], values);

	argv = xmalloc(size);
	cursor = (char *)argv + pointers_size;
	argv[0] = cursor;
	for (size_t index = 0; index < template->segment_count; index++) {
		const struct segment *segment = &template->segments[index];

		if (segment->kind == PLACEHOLDER_NONE) {
			memcpy(cursor, segment->text, segment->length);
			cursor += segment->length;
		} else if (segment->quoted) {
			cursor += template_shell_quote(cursor, values[segment->kind].text,
						       values[segment->kind].length);
		} else {
			memcpy(cursor, values[segment->kind].text, values[segment->kind].length);
			cursor += values[segment->kind].length;
		}
		if (segment->ends_word) {
			*cursor++ = '\0';
			argv[++word] = cursor;
		}
	}
	argv[word] = NULL;
	return argv;
}

/* ---- quoting ----------------------------------------------------------------- */

size_t template_shell_quote(char *out, const char *s, size_t len)
{
	const char *limit = s + len;
	char *cursor = out;

	*cursor++ = '\'';
	while (s < limit) {
		const char *quote = memchr(s, '\'', (size_t)(limit - s));
		size_t run = quote ? (size_t)(quote - s) : (size_t)(limit - s);

		memcpy(cursor, s, run);
		cursor += run;
		s += run;
		if (!quote)
			break;
		/* Close the quotes, an escaped quote, open again. */
		memcpy(cursor, "'\\''", 4);
		cursor += 4;
		s++;
	}
	*cursor++ = '\'';
	*cursor = '\0';
	return (size_t)(cursor - out);
}

/* Words made only of these characters read the same to a shell unquoted. */
static bool word_is_plain(const char *word)
{
	if (!*word)
		return false;
	for (const unsigned char *cursor = (const unsigned char *)word; *cursor; cursor++) {
		unsigned char c = *cursor;

		if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9'))
			continue;
		if (!strchr("_-+=:,./@%", c))
			return false;
	}
	return true;
}

char *template_join(char *const *argv)
{
	size_t size = 1;
	char *joined, *cursor;

	for (size_t index = 0; argv[index]; index++)
		size += 4 * strlen(argv[index]) + 3;
	joined = xmalloc(size);
	cursor = joined;
	for (size_t index = 0; argv[index]; index++) {
		size_t length = strlen(argv[index]);

		if (index > 0)
			*cursor++ = ' ';
		if (word_is_plain(argv[index])) {
			memcpy(cursor, argv[index], length);
			cursor += length;
		} else {
			cursor += template_shell_quote(cursor, argv[index], length);
		}
	}
	*cursor = '\0';
	return joined;
}

/* ---- --pipe: the item goes to stdin -------------------------------------- */

static bool words_hold_placeholder(char *const *argv, int argc)
{
	for (int index = 0; index < argc; index++) {
		for (const char *cursor = strchr(argv[index], '{'); cursor; cursor = strchr(cursor + 1, '{')) {
			size_t token_length;

			if (placeholder_at(cursor, &token_length) != PLACEHOLDER_NONE)
				return true;
		}
	}
	return false;
}

struct template *template_new_without_item(char *const *argv, int argc, bool shell)
{
	struct template *template = template_new(argv, argc, shell);

	if (argc < 1 || words_hold_placeholder(argv, argc))
		return template;
	/* Take back the appended item: its own word, or in shell mode the
	 * script's last segment and the space before it. */
	template->segment_count--;
	if (!shell) {
		template->word_count--;
		return template;
	}
	template->segment_count--;
	template->segments[template->segment_count - 1].ends_word = true;
	return template;
}
