/* template_parse.c - reading a command template once: finding GNU
 * parallel's placeholders in the command's words, refusing those pooltop
 * gives no meaning, and deciding when the command is a shell script. */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template_internal.h"
#include "xalloc.h"

/* The parser's state while one template is built. */
struct parser {
	struct template *template;
	const char *replace;       /* the string that stands for {} */
	size_t replace_length;
	enum template_fill fill;
	bool word_open;            /* segments were added since the last word ended */
	bool any_placeholder;      /* the command holds a placeholder */
};

/* A placeholder found in the text. */
struct token {
	enum segment_kind kind;
	enum modifier modifier;
	int position;
	size_t length;  /* characters it takes in the text */
};

/* Characters that make one command word a shell command line. */
static const char shell_syntax[] = " \t\n;|&<>$'\"`\\()*?[]~";

static void refuse(struct template *template, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

static void refuse(struct template *template, const char *format, ...)
{
	va_list args;

	if (template->refusal[0])
		return;
	va_start(args, format);
	vsnprintf(template->refusal, sizeof template->refusal, format, args);
	va_end(args);
}

/* The modifier spelled by the n characters at text, or -1. */
static int modifier_from(const char *text, size_t n)
{
	static const char *const spellings[] = { "", ".", "/", "//", "/." };

	for (size_t index = 0; index < sizeof spellings / sizeof spellings[0]; index++) {
		if (strlen(spellings[index]) == n && !strncmp(text, spellings[index], n))
			return (int)index;
	}
	return -1;
}

/* Longest construct quoted whole in a message. */
#define SHOWN 40

/* {= perl =} and {N= perl =}: the code may hold braces, so the construct
 * ends at the first =}.  Without one, GNU parallel reads the text
 * literally, and so does pooltop. */
static bool perl_expression_at(struct template *template, const char *text)
{
	const char *cursor = text + 1;
	const char *end;

	if (*cursor == '-')
		cursor++;
	while (isdigit((unsigned char)*cursor))
		cursor++;
	if (*cursor != '=' || (cursor > text + 1 && !isdigit((unsigned char)cursor[-1])))
		return false;
	end = strstr(cursor + 1, "=}");
	if (!end)
		return false;
	refuse(template, "'%.*s': perl expressions {= ... =} are not supported; transform the "
	       "value in a shell command instead", (int)((size_t)(end + 2 - text) > SHOWN ? SHOWN :
						       (size_t)(end + 2 - text)), text);
	return true;
}

/* GNU parallel's --plus replacement strings, and what pooltop offers. */
static const struct {
	const char *inner;
	const char *instead;
} plus_strings[] = {
	{ "+/", "" }, { "+.", "" }, { "+..", "" }, { "+...", "" }, { "..", "" }, { "...", "" },
	{ "/..", "" }, { "/...", "" }, { "##", "" }, { "choose_k", "" }, { "uniq", "" },
	{ "slot", "; use {%}" }, { "sshlogin", "" }, { "host", "" }, { "agrp", "" }, { "hgrp", "" },
};

/* {N}, {-N} and their modifiers; refuses the forms GNU parallel reads
 * another way ({0}, {01}, {1 }, {1#}, {1..}...). */
static bool position_at(struct template *template, const char *inner, size_t n,
			struct token *token, bool may_refuse)
{
	const char *cursor = inner, *limit = inner + n;
	long number = 0;
	int modifier;

	if (*cursor == '-')
		cursor++;
	if (cursor == limit || !isdigit((unsigned char)*cursor))
		return false;
	if (*cursor == '0') {
		if (may_refuse)
			refuse(template, "'{%.*s}': argument positions count from 1: {1}, {2}..., {-1} the last; "
		       "{} is every argument", (int)(n > SHOWN ? SHOWN : n), inner);
		return false;
	}
	while (cursor < limit && isdigit((unsigned char)*cursor)) {
		if (number < INT_MAX / 10)
			number = number * 10 + (*cursor - '0');
		cursor++;
	}
	modifier = modifier_from(cursor, (size_t)(limit - cursor));
	if (modifier < 0) {
		if (may_refuse && cursor < limit && strchr("#%:^,+./ \t", *cursor))
			refuse(template, "'{%.*s}' is not a placeholder pooltop knows; the positional ones are "
			       "{N} {N.} {N/} {N//} {N/.}", (int)(n > SHOWN ? SHOWN : n), inner);
		return false;
	}
	token->kind = SEGMENT_ARGS;
	token->modifier = (enum modifier)modifier;
	token->position = (int)(*inner == '-' ? -number : number);
	if (number > template->farthest) {
		template->farthest = (int)number;
		template->farthest_text = inner - 1;
		template->farthest_length = n + 2;
	}
	return true;
}

/* A brace construct that is not a placeholder of pooltop's: refused when
 * GNU parallel (with --plus) would read it, else literal text.  After a $
 * it is the shell's ${name...}, which parallel leaves alone. */
static void refuse_unknown(struct template *template, const char *inner, size_t n)
{
	for (size_t index = 0; index < sizeof plus_strings / sizeof plus_strings[0]; index++) {
		if (strlen(plus_strings[index].inner) == n && !strncmp(inner, plus_strings[index].inner, n)) {
			refuse(template, "'{%.*s}' is a GNU parallel --plus placeholder, not supported%s", (int)n,
			       inner, plus_strings[index].instead);
			return;
		}
	}
	if (strchr(":#%^", inner[0]) || (inner[0] == '/' && memchr(inner + 1, '/', n - 1)))
		refuse(template, "'{%.*s}' is a GNU parallel --plus replacement string, not supported; "
		       "transform the value in a shell command instead", (int)(n > SHOWN ? SHOWN : n), inner);
}

/* The placeholder at text, if any. */
static bool token_at(struct parser *parser, const char *text, bool after_dollar, struct token *token)
{
	struct template *template = parser->template;
	const char *close;
	size_t n;
	int modifier;

	*token = (struct token){ .kind = SEGMENT_ARGS };
	if (!strncmp(text, parser->replace, parser->replace_length)) {
		token->length = parser->replace_length;
		return true;
	}
	if (*text != '{' || (!after_dollar && perl_expression_at(template, text)))
		return false;
	close = strchr(text + 1, '}');
	if (!close)
		return false;
	n = (size_t)(close - text - 1);
	token->length = n + 2;
	if (n == 0)  /* {} when -I chose another replacement string */
		return false;
	modifier = modifier_from(text + 1, n);
	if (modifier >= 0) {
		token->modifier = (enum modifier)modifier;
		return true;
	}
	if (n == 1 && (text[1] == '#' || text[1] == '%')) {
		token->kind = text[1] == '#' ? SEGMENT_SEQUENCE : SEGMENT_SLOT;
		return true;
	}
	if (position_at(template, text + 1, n, token, !after_dollar))
		return true;
	if (!after_dollar)
		refuse_unknown(template, text + 1, n);
	return false;
}

static void add_segment(struct parser *parser, const struct segment *segment)
{
	struct template *template = parser->template;

	template->segments[template->segment_count++] = *segment;
	parser->word_open = true;
}

/* Ends the word made of the segments added since the last one. */
static void end_word(struct parser *parser, bool ends_argv)
{
	struct template *template = parser->template;
	struct word *word = &template->words[template->word_count];
	size_t first = template->word_count ? template->words[template->word_count - 1].first +
		template->words[template->word_count - 1].count : 0;

	if (!parser->word_open) {
		/* An empty argv word still needs one segment to carry its end. */
		if (!ends_argv)
			return;
		add_segment(parser, &(struct segment){ .kind = SEGMENT_LITERAL, .text = "", .length = 0 });
	}
	*word = (struct word){ .first = first, .count = template->segment_count - first, .ends_argv = ends_argv };
	for (size_t index = first; index < template->segment_count && parser->fill == TEMPLATE_CONTEXT; index++) {
		const struct segment *segment = &template->segments[index];

		word->repeated |= segment->kind == SEGMENT_ARGS && segment->position == 0;
	}
	template->word_count++;
	parser->word_open = false;
}

/* Literal text; in a script, each run of blanks is a word of its own so
 * that -X can repeat the words around it. */
static void add_literal(struct parser *parser, const char *text, size_t length)
{
	const char *limit = text + length;

	while (text < limit) {
		size_t run = (size_t)(limit - text);
		bool blank = parser->template->shell && strchr(" \t\n", *text);

		if (parser->template->shell) {
			run = 0;
			while (text + run < limit && (strchr(" \t\n", text[run]) != NULL) == blank)
				run++;
		}
		if (blank)
			end_word(parser, false);
		add_segment(parser, &(struct segment){ .kind = SEGMENT_LITERAL, .text = text, .length = run });
		if (blank)
			end_word(parser, false);
		text += run;
	}
}

/* Splits text into literal and placeholder segments. */
static void add_text(struct parser *parser, const char *text)
{
	const char *literal = text, *cursor = text;

	while (*cursor) {
		struct token token;

		if (!token_at(parser, cursor, cursor > text && cursor[-1] == '$', &token)) {
			cursor++;
			continue;
		}
		if (cursor > literal)
			add_literal(parser, literal, (size_t)(cursor - literal));
		add_segment(parser, &(struct segment){
			.kind = token.kind, .modifier = token.modifier, .position = token.position,
			.quoted = parser->template->shell && token.kind == SEGMENT_ARGS,
		});
		parser->any_placeholder = true;
		cursor += token.length;
		literal = cursor;
	}
	if (*literal)
		add_literal(parser, literal, strlen(literal));
}

/* With no placeholder, every argument is appended. */
static void append_arguments(struct parser *parser, int argc)
{
	if (parser->template->shell && argc > 0)
		add_literal(parser, " ", 1);
	if (parser->template->shell)
		end_word(parser, false);
	add_segment(parser, &(struct segment){
		.kind = SEGMENT_ARGS, .quoted = parser->template->shell,
	});
}

static bool is_shell_command_line(char *const *argv, int argc)
{
	return argc == 1 && argv[0][strcspn(argv[0], shell_syntax)] != '\0';
}

/* The command's words, one after another, in one block that literals
 * point into; in a script, joined by spaces. */
static size_t copy_words(struct template *template, char *const *argv, int argc, char **copies)
{
	size_t total = 1;
	char *cursor;

	for (int index = 0; index < argc; index++)
		total += strlen(argv[index]) + 1;
	template->storage = cursor = xmalloc(total);
	for (int index = 0; index < argc; index++) {
		size_t length = strlen(argv[index]);

		copies[index] = cursor;
		memcpy(cursor, argv[index], length);
		cursor += length;
		if (!template->shell)
			*cursor++ = '\0';
		else if (index + 1 < argc)
			*cursor++ = ' ';
	}
	*cursor = '\0';
	return total;
}

struct template *template_new_with(char *const *argv, int argc, const struct template_options *options)
{
	struct template *template = xcalloc(1, sizeof(*template));
	struct parser parser = {
		.template = template,
		.replace = options->replace && *options->replace ? options->replace : "{}",
		.fill = options->fill,
	};
	char **copies;
	size_t bound;

	if (argc < 0)
		argc = 0;
	parser.replace_length = strlen(parser.replace);
	template->shell = options->shell || is_shell_command_line(argv, argc);
	copies = xcalloc((size_t)argc + 1, sizeof(*copies));
	/* Each character starts at most one segment and one word; the rest
	 * is sh, -c, their ends and the appended arguments. */
	bound = 2 * copy_words(template, argv, argc, copies) + 16;
	template->segments = xcalloc(bound, sizeof(*template->segments));
	template->words = xcalloc(bound, sizeof(*template->words));
	if (template->shell) {
		add_segment(&parser, &(struct segment){ .kind = SEGMENT_LITERAL, .text = "sh", .length = 2 });
		end_word(&parser, true);
		add_segment(&parser, &(struct segment){ .kind = SEGMENT_LITERAL, .text = "-c", .length = 2 });
		end_word(&parser, true);
		if (argc > 0)
			add_text(&parser, copies[0]);
	} else {
		for (int index = 0; index < argc; index++) {
			add_text(&parser, copies[index]);
			end_word(&parser, true);
		}
	}
	bool append = !parser.any_placeholder && !options->no_append;
	if (append)
		append_arguments(&parser, argc);
	if (template->shell || append)
		end_word(&parser, true);
	free(copies);
	return template;
}

struct template *template_new(char *const *argv, int argc, bool shell)
{
	struct template_options options = { .shell = shell };

	return template_new_with(argv, argc, &options);
}

void template_free(struct template *template)
{
	if (!template)
		return;
	free(template->segments);
	free(template->words);
	free(template->storage);
	free(template);
}

int template_check(const struct template *template, char *error, size_t size)
{
	if (!template->refusal[0])
		return 0;
	snprintf(error, size, "%s", template->refusal);
	return -1;
}

int template_check_positions(const struct template *template, int args, char *error, size_t size)
{
	if (template->farthest <= args)
		return 0;
	snprintf(error, size, "'%.*s' refers to argument %d, but each job has %s%d argument%s",
		 (int)template->farthest_length, template->farthest_text, template->farthest,
		 args < template->farthest ? "only " : "", args, args == 1 ? "" : "s");
	return -1;
}

bool template_uses_shell(const struct template *template)
{
	return template->shell;
}
