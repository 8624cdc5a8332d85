/* text.c - the one sanitizer for untrusted text on its way to the screen,
 * display widths, and the one formatter per unit.  UTF-8 is decoded here,
 * not by the C library, so bytes are judged the same in every locale. */
#include "text.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "items.h"
#include "xalloc.h"

/* What the sanitizer shows for one character or one bad byte. */
struct piece {
	const char *bytes;     /* the text to copy: the input itself or `escape` */
	size_t length;         /* its length in bytes */
	int width;             /* its display columns */
	char escape[16];       /* room for the longest escape, \u{10ffff} */
};

/* Decodes one UTF-8 sequence at s (len > 0 bytes).  Returns its length
 * and sets *code_point, or 0 if the first byte does not start a valid,
 * complete, shortest-form sequence of a scalar value. */
static size_t utf8_decode(const unsigned char *s, size_t len, unsigned long *code_point)
{
	unsigned char lead = s[0];
	if (lead < 0x80) {
		*code_point = lead;
		return 1;
	}
	size_t length;
	unsigned char second_low = 0x80, second_high = 0xbf;
	if (lead >= 0xc2 && lead <= 0xdf) {
		length = 2;
	} else if (lead >= 0xe0 && lead <= 0xef) {
		length = 3;
		if (lead == 0xe0)
			second_low = 0xa0;         /* shorter form exists */
		if (lead == 0xed)
			second_high = 0x9f;        /* UTF-16 surrogates */
	} else if (lead >= 0xf0 && lead <= 0xf4) {
		length = 4;
		if (lead == 0xf0)
			second_low = 0x90;         /* shorter form exists */
		if (lead == 0xf4)
			second_high = 0x8f;        /* beyond U+10FFFF */
	} else {
		return 0;                          /* continuation, C0, C1, F5..FF */
	}
	if (len < length || s[1] < second_low || s[1] > second_high)
		return 0;
	unsigned long value = lead & (0xff >> (length + 1));
	for (size_t i = 1; i < length; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		value = (value << 6) | (s[i] & 0x3f);
	}
	*code_point = value;
	return length;
}

/* Code points printable in place but that could reorder or break what
 * the terminal shows around them: bidirectional controls and the line
 * and paragraph separators. */
static bool is_layout_control(unsigned long code_point)
{
	return (code_point >= 0x202a && code_point <= 0x202e) ||
	       (code_point >= 0x2066 && code_point <= 0x2069) ||
	       code_point == 0x2028 || code_point == 0x2029 ||
	       code_point == 0x200e || code_point == 0x200f || code_point == 0x061c;
}

/* Columns a code point takes, or -1 if it must be shown escaped.  Widths
 * come from wcwidth(), so they follow the program's locale: in a non-UTF-8
 * locale every non-ASCII character is escaped, which is what such a
 * terminal can show. */
static int code_point_width(unsigned long code_point)
{
	if (code_point < 0x20 || (code_point >= 0x7f && code_point <= 0x9f))
		return -1;
	if (code_point < 0x7f)
		return 1;
	if (is_layout_control(code_point))
		return -1;
	return wcwidth((wchar_t)code_point);
}

static void piece_from_escape(struct piece *piece, int length)
{
	piece->bytes = piece->escape;
	piece->length = (size_t)length;
	piece->width = length;
}

/* \xHH: a byte that is not valid UTF-8, or a C0 control or DEL. */
static void byte_escape(struct piece *piece, unsigned char byte)
{
	piece_from_escape(piece, snprintf(piece->escape, sizeof piece->escape, "\\x%02x", byte));
}

static void control_escape(struct piece *piece, unsigned long code_point)
{
	const char *named = code_point == '\n' ? "\\n" :
			    code_point == '\t' ? "\\t" :
			    code_point == '\r' ? "\\r" : NULL;
	if (named) {
		piece_from_escape(piece, snprintf(piece->escape, sizeof piece->escape, "%s", named));
		return;
	}
	if (code_point < 0x80) {
		byte_escape(piece, (unsigned char)code_point);
		return;
	}
	piece_from_escape(piece, snprintf(piece->escape, sizeof piece->escape, "\\u{%04lx}",
					  code_point));
}

/* Reads one character (or one bad byte) at in and describes how it is
 * shown; returns how many input bytes it took. */
static size_t piece_next(const char *in, size_t len, struct piece *piece)
{
	const unsigned char *bytes = (const unsigned char *)in;
	unsigned long code_point;
	size_t length = utf8_decode(bytes, len, &code_point);
	if (length == 0) {
		byte_escape(piece, bytes[0]);
		return 1;
	}
	int width = code_point_width(code_point);
	if (width < 0) {
		control_escape(piece, code_point);
		return length;
	}
	piece->bytes = in;
	piece->length = length;
	piece->width = width;
	return length;
}

/* Escapes: \n \t \r; \xHH for other C0 controls, DEL and bytes that are
 * not valid UTF-8 (so ESC shows as \x1b); \u{XXXX} for C1 controls and
 * characters with no width in the locale or that steer layout.  A
 * backslash in the input stays a plain backslash: the result is for
 * reading, not for decoding back. */
int text_sanitize(char *out, size_t outsize, const char *in, size_t len, int max_columns)
{
	if (outsize == 0)
		return 0;
	size_t used = 0;
	int columns = 0;
	size_t position = 0;
	while (position < len) {
		struct piece piece;
		size_t consumed = piece_next(in + position, len - position, &piece);
		if (max_columns > 0 && columns + piece.width > max_columns)
			break;
		if (piece.length > outsize - 1 - used)
			break;
		memcpy(out + used, piece.bytes, piece.length);
		used += piece.length;
		columns += piece.width;
		position += consumed;
	}
	out[used] = '\0';
	return columns;
}

size_t text_char_measure(const char *s, size_t len, int *columns)
{
	unsigned long code_point;
	size_t length = utf8_decode((const unsigned char *)s, len, &code_point);
	if (length == 0) {
		/* Not sanitized after all: count the byte as one column. */
		*columns = 1;
		return 1;
	}
	int width = code_point_width(code_point);
	*columns = width < 0 ? 1 : width;
	return length;
}

int text_width(const char *s)
{
	size_t len = strlen(s);
	int columns = 0;
	for (size_t position = 0; position < len;) {
		int width;
		position += text_char_measure(s + position, len - position, &width);
		columns += width;
	}
	return columns;
}

/* Writes h:mm:ss, or m:ss under an hour. */
static char *clock_format(char *out, size_t outsize, long long seconds)
{
	long long hours = seconds / 3600;
	int minutes = (int)(seconds / 60 % 60);
	int rest = (int)(seconds % 60);
	if (hours > 0)
		snprintf(out, outsize, "%lld:%02d:%02d", hours, minutes, rest);
	else
		snprintf(out, outsize, "%d:%02d", minutes, rest);
	return out;
}

/* Longest duration shown; beyond it (about 11,000 years) the figure is not
 * a real one. */
#define SECONDS_MAX 3.5e11

char *format_duration(char *out, size_t outsize, double seconds)
{
	if (!(seconds >= 0) || seconds > SECONDS_MAX) {
		snprintf(out, outsize, "-");
		return out;
	}
	/* Decide on the rounded value, so 59.96 s is 1:00, never 60.0s. */
	if (round(seconds * 10) < 600) {
		snprintf(out, outsize, "%.1fs", seconds);
		return out;
	}
	return clock_format(out, outsize, llround(seconds));
}

/* Writes value with one decimal below 100 and none from there on, the
 * choice made on the rounded value (99.96 is 100, not 100.0). */
static void scaled_format(char *out, size_t outsize, double value, const char *unit)
{
	if (value < 99.95)
		snprintf(out, outsize, "%.1f%s", value, unit);
	else
		snprintf(out, outsize, "%.0f%s", value, unit);
}

/* Writes value in the first of units[0..count-1] (each `base` times the
 * one before) that keeps it below base once rounded: 1023.5K would print
 * as 1024K, so it is 1.0M. */
static char *unit_format(char *out, size_t outsize, double value, double base,
			 const char *const *units, size_t count)
{
	size_t unit = 0;
	while (value >= base - 0.5 && unit + 1 < count) {
		value /= base;
		unit++;
	}
	scaled_format(out, outsize, value, units[unit]);
	return out;
}

char *format_bytes(char *out, size_t outsize, uint64_t bytes)
{
	static const char *const units[] = { "K", "M", "G", "T", "P", "E" };
	if (bytes < 1024) {
		snprintf(out, outsize, "%uB", (unsigned)bytes);
		return out;
	}
	return unit_format(out, outsize, (double)bytes / 1024, 1024, units,
			   sizeof units / sizeof units[0]);
}

char *format_percent(char *out, size_t outsize, double percent)
{
	if (!(percent >= 0) || isinf(percent)) {
		snprintf(out, outsize, "-");
		return out;
	}
	scaled_format(out, outsize, percent, "");
	return out;
}

char *format_rate(char *out, size_t outsize, double per_second)
{
	static const char *const units[] = { "/s", "k/s", "M/s", "G/s", "T/s" };
	if (!(per_second >= 0) || isinf(per_second)) {
		snprintf(out, outsize, "-");
		return out;
	}
	return unit_format(out, outsize, per_second, 1000, units, sizeof units / sizeof units[0]);
}

/* Longest ETA shown, 9999:59:59; anything longer is as good as unknown. */
#define ETA_SECONDS_MAX (9999.0 * 3600 + 3599)

char *format_eta(char *out, size_t outsize, double seconds)
{
	if (!(seconds >= 0) || seconds > ETA_SECONDS_MAX) {
		snprintf(out, outsize, "?");
		return out;
	}
	/* Rounded up: 0:00 only once nothing is left. */
	return clock_format(out, outsize, (long long)ceil(seconds));
}

char *text_join_args(const char *item, size_t len)
{
	char *joined = xmalloc(len + 1);

	for (size_t i = 0; i < len; i++)
		joined[i] = item[i] == ITEMS_ARG_SEPARATOR ? ' ' : item[i];
	joined[len] = '\0';
	return joined;
}
