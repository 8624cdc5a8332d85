/* columns.c - --colsep and --trim: Perl regular expressions translated to
 * POSIX extended ones (what regcomp can do), and Perl's split semantics
 * (empty matches, captured separators) reproduced on top of regexec. */
#include "columns.h"

#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "items.h"
#include "xalloc.h"

struct columns_regex {
	regex_t compiled;   /* the translated expression */
	size_t groups;      /* its capturing groups, for split's captured columns */
};

int columns_parse_trim(const char *text, enum trim_mode *mode)
{
	static const struct {
		const char *name;
		enum trim_mode mode;
	} modes[] = {
		{ "n", TRIM_NONE }, { "l", TRIM_LEFT }, { "r", TRIM_RIGHT },
		{ "lr", TRIM_BOTH }, { "rl", TRIM_BOTH },
	};
	for (size_t index = 0; index < sizeof modes / sizeof modes[0]; index++) {
		if (!strcmp(text, modes[index].name)) {
			*mode = modes[index].mode;
			return 0;
		}
	}
	return -1;
}

/* ---- Perl to POSIX ---------------------------------------------------------- */

/* The translation grows into a plain buffer; a class like \w becomes at
 * most 16 bytes, so 16 bytes per input byte always suffice. */
struct translation {
	char *text;
	size_t len;
	char *error;
	size_t error_size;
	const char *perl;
};

static void emit(struct translation *out, const char *text)
{
	size_t len = strlen(text);
	memcpy(out->text + out->len, text, len);
	out->len += len;
	out->text[out->len] = '\0';
}

static void emit_byte(struct translation *out, char byte)
{
	out->text[out->len++] = byte;
	out->text[out->len] = '\0';
}

static int refuse(struct translation *out, const char *what)
{
	snprintf(out->error, out->error_size, "regular expression '%s': %s", out->perl, what);
	return -1;
}

/* The control characters Perl writes as \t, \n and so on, or 0. */
static char control_escape(char letter)
{
	switch (letter) {
	case 't': return '\t';
	case 'n': return '\n';
	case 'r': return '\r';
	case 'f': return '\f';
	case 'e': return '\033';
	case 'a': return '\a';
	default: return 0;
	}
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* \xHH: the byte, with *consumed set to the characters after the x. */
static int hex_escape(const char *after_x, size_t *consumed)
{
	int high = hex_digit(after_x[0]);
	int low = high < 0 ? -1 : hex_digit(after_x[1]);

	if (high < 0)
		return -1;
	if (low < 0) {
		*consumed = 1;
		return high;
	}
	*consumed = 2;
	return high * 16 + low;
}

/* A byte as a literal outside brackets: ERE's special characters are
 * escaped, others written as they are. */
static void emit_literal(struct translation *out, char byte)
{
	if (strchr(".[]()*+?{}|^$\\", byte) && byte)
		emit_byte(out, '\\');
	emit_byte(out, byte);
}

/* One backslash escape outside brackets, at text (which points after the
 * backslash).  Returns the characters consumed, or -1. */
static int translate_escape(struct translation *out, const char *text)
{
	char letter = text[0];
	char control = control_escape(letter);
	size_t consumed;
	int byte;

	if (control) {
		emit_literal(out, control);
		return 1;
	}
	switch (letter) {
	case 'd': emit(out, "[0-9]"); return 1;
	case 'D': emit(out, "[^0-9]"); return 1;
	case 's': emit(out, "[[:space:]]"); return 1;
	case 'S': emit(out, "[^[:space:]]"); return 1;
	case 'w': emit(out, "[[:alnum:]_]"); return 1;
	case 'W': emit(out, "[^[:alnum:]_]"); return 1;
	case 'h': emit(out, "[[:blank:]]"); return 1;
	case 'x':
		byte = hex_escape(text + 1, &consumed);
		if (byte <= 0)
			return refuse(out, "\\x needs a hexadecimal byte other than 00");
		emit_literal(out, (char)byte);
		return 1 + (int)consumed;
	case '\0':
		return refuse(out, "it ends with a lone backslash");
	default:
		break;
	}
	if ((letter >= 'a' && letter <= 'z') || (letter >= 'A' && letter <= 'Z') ||
	    (letter >= '0' && letter <= '9')) {
		char what[160];
		snprintf(what, sizeof what, "\\%c is Perl syntax POSIX regular expressions lack "
			 "(pooltop knows \\t \\n \\r \\f \\e \\a \\xHH \\d \\D \\s \\S \\w \\W \\h)", letter);
		return refuse(out, what);
	}
	emit_literal(out, letter);
	return 1;
}

/* A bracket expression [...], copied with its backslash escapes translated
 * (POSIX takes a backslash inside brackets literally).  text points at the
 * '['; returns the characters consumed, or -1. */
static int translate_bracket(struct translation *out, const char *text)
{
	size_t index = 1;

	emit_byte(out, '[');
	if (text[index] == '^')
		emit_byte(out, text[index++]);
	if (text[index] == ']')
		emit_byte(out, text[index++]);
	for (;;) {
		char c = text[index];

		if (c == '\0')
			return refuse(out, "a [ has no closing ]");
		if (c == ']') {
			emit_byte(out, ']');
			return (int)index + 1;
		}
		if (c == '[' && (text[index + 1] == ':' || text[index + 1] == '.' || text[index + 1] == '=')) {
			const char *end = strstr(text + index + 2, (char[]){ text[index + 1], ']', '\0' });
			if (!end)
				return refuse(out, "a [: class has no closing :]");
			size_t length = (size_t)(end - (text + index)) + 2;
			memcpy(out->text + out->len, text + index, length);
			out->len += length;
			out->text[out->len] = '\0';
			index += length;
			continue;
		}
		if (c != '\\') {
			emit_byte(out, c);
			index++;
			continue;
		}
		char letter = text[index + 1];
		char control = control_escape(letter);
		if (control)
			emit_byte(out, control);
		else if (letter == 'd')
			emit(out, "0-9");
		else if (letter == 's')
			emit(out, "[:space:]");
		else if (letter == 'w')
			emit(out, "[:alnum:]_");
		else if (letter == '\\')
			emit_byte(out, '\\');
		else
			return refuse(out, "inside [...] pooltop knows only \\t \\n \\r \\f \\e \\a \\d \\s \\w "
				      "and \\\\ (write ] first and - last instead of escaping them)");
		index += 2;
	}
}

/* Translates Perl syntax into POSIX ERE in out->text (16 bytes per input
 * byte allocated by the caller).  0 or -1. */
static int translate(struct translation *out, const char *perl)
{
	size_t index = 0;
	bool after_quantifier = false;

	while (perl[index]) {
		char c = perl[index];
		int consumed = 1;
		bool quantifier = false;

		if (after_quantifier && (c == '?' || c == '+'))
			return refuse(out, "lazy and possessive quantifiers (*? +? ?? *+ ...) are Perl syntax "
				      "POSIX regular expressions lack");
		if (c == '\\') {
			consumed = translate_escape(out, perl + index + 1);
			if (consumed < 0)
				return -1;
			consumed++;
		} else if (c == '[') {
			consumed = translate_bracket(out, perl + index);
			if (consumed < 0)
				return -1;
		} else if (c == '(' && perl[index + 1] == '?') {
			return refuse(out, "(?...) groups are Perl syntax POSIX regular expressions lack");
		} else {
			emit_byte(out, c);
			quantifier = c == '*' || c == '+' || c == '?' || c == '}';
		}
		after_quantifier = quantifier;
		index += (size_t)consumed;
	}
	return 0;
}

struct columns_regex *columns_regex_new(const char *perl, char *error, size_t size)
{
	size_t length = strlen(perl);
	struct translation out = { .error = error, .error_size = size, .perl = perl };

	if (length > SIZE_MAX / 16 - 1) {
		snprintf(error, size, "regular expression too long");
		return NULL;
	}
	out.text = xmalloc(length * 16 + 1);
	out.text[0] = '\0';
	if (translate(&out, perl) < 0) {
		free(out.text);
		return NULL;
	}
	struct columns_regex *regex = xcalloc(1, sizeof *regex);
	int status = regcomp(&regex->compiled, out.text, REG_EXTENDED);
	if (status) {
		char why[128];
		regerror(status, &regex->compiled, why, sizeof why);
		snprintf(error, size, "regular expression '%s': %s", perl, why);
		free(out.text);
		free(regex);
		return NULL;
	}
	free(out.text);
	regex->groups = regex->compiled.re_nsub;
	return regex;
}

void columns_regex_free(struct columns_regex *regex)
{
	if (!regex)
		return;
	regfree(&regex->compiled);
	free(regex);
}

/* regexec over text[from..len) of a text that may hold no final NUL
 * (REG_STARTEND), matches[0] relative to text.  True on a match. */
static bool search(const struct columns_regex *regex, const char *text, size_t from, size_t len,
		   regmatch_t *matches, size_t match_count)
{
	matches[0].rm_so = (regoff_t)from;
	matches[0].rm_eo = (regoff_t)len;
	return regexec(&regex->compiled, text, match_count, matches,
		       REG_STARTEND | (from ? REG_NOTBOL : 0)) == 0;
}

bool columns_regex_matches_at_start(const struct columns_regex *regex, const char *text, size_t len)
{
	regmatch_t match[1];
	return search(regex, text, 0, len, match, 1) && match[0].rm_so == 0;
}

/* ---- splitting ---------------------------------------------------------------- */

void columns_out_append(struct columns_out *out, const char *text, size_t len)
{
	if (out->len + len + 1 > out->capacity)
		xgrow(&out->bytes, &out->capacity, out->len + len + 1, 1);
	if (len)
		memcpy(out->bytes + out->len, text, len);
	out->len += len;
	out->bytes[out->len] = '\0';
}

void columns_out_separate(struct columns_out *out)
{
	char separator = ITEMS_ARG_SEPARATOR;
	columns_out_append(out, &separator, 1);
}

/* Perl's \s: what --trim removes. */
static bool is_white(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void append_column(struct columns_out *out, enum trim_mode trim, const char *text, size_t len,
			  int *count)
{
	if (trim == TRIM_LEFT || trim == TRIM_BOTH) {
		while (len && is_white(*text)) {
			text++;
			len--;
		}
	}
	if (trim == TRIM_RIGHT || trim == TRIM_BOTH) {
		while (len && is_white(text[len - 1]))
			len--;
	}
	if (*count)
		columns_out_separate(out);
	columns_out_append(out, text, len);
	(*count)++;
}

/* The length of the UTF-8 character at text (1 for a stray byte), so an
 * empty separator splits between characters, not inside them. */
static size_t character_length(const char *text, size_t left)
{
	unsigned char lead = (unsigned char)text[0];
	size_t length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;

	if (length > left)
		return 1;
	for (size_t index = 1; index < length; index++) {
		if (((unsigned char)text[index] & 0xc0) != 0x80)
			return 1;
	}
	return length;
}

int columns_split(const struct columns_regex *separator, enum trim_mode trim, const char *text,
		  size_t len, struct columns_out *out)
{
	int count = 0;
	size_t field_start = 0, search_from = 0;
	regmatch_t matches[10];
	size_t match_count = separator ? separator->groups + 1 : 1;

	if (match_count > sizeof matches / sizeof matches[0])
		match_count = sizeof matches / sizeof matches[0];
	while (separator && search_from <= len) {
		if (!search(separator, text, search_from, len, matches, match_count))
			break;
		size_t start = (size_t)matches[0].rm_so, end = (size_t)matches[0].rm_eo;
		/* As Perl: an empty match where the column starts does not end
		 * it; try one character further. */
		if (start == end && start == field_start) {
			if (field_start >= len)
				break;
			search_from = field_start + character_length(text + field_start, len - field_start);
			if (search_from >= len)
				break;
			continue;
		}
		append_column(out, trim, text + field_start, start - field_start, &count);
		for (size_t group = 1; group < match_count; group++) {
			const regmatch_t *captured = &matches[group];
			if (captured->rm_so < 0)
				append_column(out, TRIM_NONE, "", 0, &count);
			else
				append_column(out, trim, text + captured->rm_so,
					      (size_t)(captured->rm_eo - captured->rm_so), &count);
		}
		field_start = search_from = end;
	}
	append_column(out, trim, text + field_start, len - field_start, &count);
	return count;
}
