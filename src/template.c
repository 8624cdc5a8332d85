/* template.c - building each job's argv from a parsed template: the
 * values of placeholders for the job's arguments, measured first and then
 * copied into one block; shell quoting and the display form of a command. */
#include "template.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "template_internal.h"
#include "xalloc.h"

/* A piece of text: an argument, part of one, or a number. */
struct piece {
	const char *text;
	size_t length;
};

/* One job's values. */
struct job_values {
	const char *item;      /* the arguments, separated by NUL bytes */
	size_t item_length;
	int arg_count;         /* 1 + the separators in item */
	struct piece sequence; /* {#} as text */
	struct piece slot;     /* {%} as text */
};

/* Writes a job's argv, or with out NULL only measures it. */
struct builder {
	char *out;        /* where the words go, or NULL */
	size_t length;    /* bytes written (or measured) so far */
	size_t words;     /* argv words ended so far */
	bool shell;       /* arguments spread in a script are separated by spaces */
};

/* ---- values ---------------------------------------------------------------- */

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
static struct piece dirname_of(const char *text, size_t length)
{
	const char *slash = memrchr(text, '/', length);
	size_t directory_length;
	struct piece dot = { ".", 1 };

	if (!slash)
		return dot;
	directory_length = (size_t)(slash - text) + 1;
	if (directory_length == length) {
		/* Nothing after the last slash: the parent of what precedes it. */
		directory_length = length_without_trailing_slashes(text, directory_length);
		slash = memrchr(text, '/', directory_length);
		if (!slash)
			return dot;
		directory_length = (size_t)(slash - text) + 1;
	}
	return (struct piece){ text, length_without_trailing_slashes(text, directory_length) };
}

static struct piece modify(struct piece arg, enum modifier modifier)
{
	const char *slash;

	switch (modifier) {
	case MODIFIER_NONE:
		return arg;
	case MODIFIER_NO_EXTENSION:
		return (struct piece){ arg.text, length_without_extension(arg.text, arg.length) };
	case MODIFIER_DIRNAME:
		return dirname_of(arg.text, arg.length);
	case MODIFIER_BASENAME:
	case MODIFIER_BASENAME_NO_EXTENSION:
		slash = memrchr(arg.text, '/', arg.length);
		if (slash)
			arg = (struct piece){ slash + 1, arg.length - (size_t)(slash + 1 - arg.text) };
		if (modifier == MODIFIER_BASENAME_NO_EXTENSION)
			arg.length = length_without_extension(arg.text, arg.length);
		return arg;
	}
	return arg;
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

/* The argument after `arg` in the item (arg.text NULL: the first). */
static bool next_arg(const struct job_values *job, struct piece *arg)
{
	const char *limit = job->item + job->item_length, *start, *separator;

	if (!arg->text) {
		start = job->item;
	} else {
		start = arg->text + arg->length;
		if (start >= limit)
			return false;
		start++;
	}
	separator = memchr(start, '\0', (size_t)(limit - start));
	*arg = (struct piece){ start, separator ? (size_t)(separator - start) : (size_t)(limit - start) };
	return true;
}

/* The Nth argument (1-based; -N from the end); false when there is none. */
static bool arg_at(const struct job_values *job, int position, struct piece *arg)
{
	int wanted = position > 0 ? position : job->arg_count + 1 + position;

	if (wanted < 1 || wanted > job->arg_count)
		return false;
	*arg = (struct piece){ NULL, 0 };
	for (int index = 0; index < wanted; index++)
		next_arg(job, arg);
	return true;
}

/* As GNU parallel: a word made only of positions the job lacks (the last
 * job of -N 3 may have fewer arguments) is no word at all. */
static bool word_vanishes(const struct template *template, const struct word *word,
			  const struct job_values *job)
{
	for (size_t index = word->first; index < word->first + word->count; index++) {
		const struct segment *segment = &template->segments[index];
		struct piece arg;

		if (segment->kind != SEGMENT_ARGS || segment->position == 0 ||
		    arg_at(job, segment->position, &arg))
			return false;
	}
	return true;
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

/* ---- writing ---------------------------------------------------------------- */

static void put(struct builder *builder, const char *text, size_t length)
{
	if (builder->out)
		memcpy(builder->out + builder->length, text, length);
	builder->length += length;
}

static void put_value(struct builder *builder, struct piece value, bool quoted)
{
	if (!quoted) {
		put(builder, value.text, value.length);
	} else if (builder->out) {
		builder->length += template_shell_quote(builder->out + builder->length, value.text, value.length);
	} else {
		builder->length += shell_quoted_length(value.text, value.length);
	}
}

static void put_end_of_argv_word(struct builder *builder)
{
	put(builder, "", 1);
	builder->words++;
}

/* Between two arguments spread in one place: a new argv word, or in a
 * script a space. */
static void put_break(struct builder *builder)
{
	if (builder->shell)
		put(builder, " ", 1);
	else
		put_end_of_argv_word(builder);
}

/* One word; `only` is the argument a repeated word is written for, else
 * NULL: {} and its kin then give every argument. */
static void put_word(struct builder *builder, const struct template *template, const struct word *word,
		     const struct job_values *job, const struct piece *only)
{
	for (size_t index = word->first; index < word->first + word->count; index++) {
		const struct segment *segment = &template->segments[index];
		struct piece arg = { NULL, 0 };

		switch (segment->kind) {
		case SEGMENT_LITERAL:
			put(builder, segment->text, segment->length);
			break;
		case SEGMENT_SEQUENCE:
			put(builder, job->sequence.text, job->sequence.length);
			break;
		case SEGMENT_SLOT:
			put(builder, job->slot.text, job->slot.length);
			break;
		case SEGMENT_ARGS:
			if (segment->position != 0) {
				/* A missing argument is nothing, not even quotes. */
				if (arg_at(job, segment->position, &arg))
					put_value(builder, modify(arg, segment->modifier), segment->quoted);
			} else if (only) {
				put_value(builder, modify(*only, segment->modifier), segment->quoted);
			} else {
				for (int count = 0; next_arg(job, &arg); count++) {
					if (count > 0)
						put_break(builder);
					put_value(builder, modify(arg, segment->modifier), segment->quoted);
				}
			}
			break;
		}
	}
}

static void put_command(struct builder *builder, const struct template *template,
			const struct job_values *job)
{
	for (size_t index = 0; index < template->word_count; index++) {
		const struct word *word = &template->words[index];

		if (!template->shell && word_vanishes(template, word, job))
			continue;
		if (word->repeated) {
			struct piece arg = { NULL, 0 };

			for (int count = 0; next_arg(job, &arg); count++) {
				if (count > 0)
					put_break(builder);
				put_word(builder, template, word, job, &arg);
			}
		} else {
			put_word(builder, template, word, job, NULL);
		}
		if (word->ends_argv)
			put_end_of_argv_word(builder);
	}
}

static void job_values_init(struct job_values *job, const char *item, size_t item_len, char *sequence_text,
			    uint64_t seq, char *slot_text, int slot)
{
	const char *cursor = item, *limit = item + item_len;

	*job = (struct job_values){
		.item = item, .item_length = item_len, .arg_count = 1,
		.sequence = { sequence_text, format_unsigned(sequence_text, seq) },
		.slot = { slot_text, format_signed(slot_text, slot) },
	};
	while ((cursor = memchr(cursor, '\0', (size_t)(limit - cursor))) != NULL) {
		if (job->arg_count < INT_MAX)
			job->arg_count++;
		cursor++;
	}
}

/* ---- argv ------------------------------------------------------------------ */

char **template_argv(const struct template *template, const char *item, size_t item_len,
		     uint64_t seq, int slot)
{
	char sequence_text[24], slot_text[24];
	struct job_values job;
	struct builder builder = { .shell = template->shell };
	size_t pointers_size;
	char **argv, *cursor;

	/* Quoting can quadruple an item; keep every sum below SIZE_MAX. */
	if (item_len > SIZE_MAX / 8 / (template->segment_count + 1))
		xalloc_fail(SIZE_MAX);
	job_values_init(&job, item, item_len, sequence_text, seq, slot_text, slot);
	put_command(&builder, template, &job);
	pointers_size = (builder.words + 1) * sizeof(char *);
	argv = xmalloc(pointers_size + builder.length);
	builder = (struct builder){ .out = (char *)argv + pointers_size, .shell = template->shell };
	put_command(&builder, template, &job);
	cursor = builder.out;
	for (size_t word = 0; word < builder.words; word++) {
		argv[word] = cursor;
		cursor += strlen(cursor) + 1;
	}
	argv[builder.words] = NULL;
	return argv;
}

size_t template_length(const struct template *template, const char *item, size_t item_len, uint64_t seq)
{
	char sequence_text[24], slot_text[24];
	struct job_values job;
	struct builder builder = { .shell = template->shell };

	job_values_init(&job, item, item_len, sequence_text, seq, slot_text, INT_MIN);
	put_command(&builder, template, &job);
	return builder.length;
}

size_t template_extra_length(const struct template *template, const char *arg, size_t arg_len,
			     uint64_t seq)
{
	char sequence_text[24], slot_text[24];
	struct job_values job;
	struct piece value = { arg, arg_len };
	size_t extra = 0;

	job_values_init(&job, arg, arg_len, sequence_text, seq, slot_text, INT_MIN);
	for (size_t index = 0; index < template->word_count; index++) {
		const struct word *word = &template->words[index];
		struct builder builder = { .shell = template->shell };

		if (word->repeated) {
			/* The word once more, for this argument, after a break. */
			put_word(&builder, template, word, &job, &value);
			extra += builder.length + 1;
			continue;
		}
		for (size_t at = word->first; at < word->first + word->count; at++) {
			const struct segment *segment = &template->segments[at];

			if (segment->kind != SEGMENT_ARGS)
				continue;
			/* {} grows by the argument and a break; {-1} moves onto
			 * it, and {N} may be it, its word appearing then. */
			put_value(&builder, modify(value, segment->modifier), segment->quoted);
			builder.length += 1;
		}
		extra += builder.length;
	}
	return extra;
}

bool template_extra_length_holds(const struct template *template)
{
	for (size_t index = 0; index < template->word_count; index++) {
		const struct word *word = &template->words[index];

		for (size_t at = word->first; at < word->first + word->count; at++) {
			const struct segment *segment = &template->segments[at];

			/* {-2} becomes what {-1} was, of any length. */
			if (segment->kind == SEGMENT_ARGS && (segment->position < -1 ||
							     (word->repeated && segment->position != 0)))
				return false;
		}
	}
	return true;
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
