/* text.h - the one sanitizer for untrusted text (items, job output) on its
 * way to the screen, display widths, and the one formatter per unit
 * (durations, byte sizes, percentages, rates). */
#ifndef POOLTOP_TEXT_H
#define POOLTOP_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Make len bytes of untrusted text safe to print: control characters
 * become \n \t \r \e-style or \xHH escapes, escape sequences therefore
 * never reach the terminal, invalid UTF-8 bytes become \xHH, valid
 * printable UTF-8 (including wide characters) is kept.  Writes at most
 * outsize-1 bytes plus a NUL, cutting only between characters, and stops
 * once `max_columns` display columns are used (0 = no limit).  Returns the
 * number of display columns written. */
int text_sanitize(char *out, size_t outsize, const char *in, size_t len, int max_columns);

/* An item's arguments (separated by NUL bytes, see items.h) joined by
 * single spaces, for people to read; malloc'd and NUL-terminated, never
 * NULL.  The text is still untrusted: sanitize it before a terminal. */
char *text_join_args(const char *item, size_t len);

/* Display width in columns of already-sanitized UTF-8 text. */
int text_width(const char *s);
/* The first character of s (len > 0 bytes): returns its length in bytes
 * and sets *columns to its display width.  A byte that is not UTF-8, or a
 * character the sanitizer would escape, counts as one column. */
size_t text_char_measure(const char *s, size_t len, int *columns);

/* Formatters: each writes a NUL-terminated string into out (size outsize)
 * and returns out. */
char *format_duration(char *out, size_t outsize, double seconds);  /* 0.8s, 12.4s, 3:05, 1:02:03 */
char *format_bytes(char *out, size_t outsize, uint64_t bytes);     /* 512B, 3.1M, 1.2G */
char *format_percent(char *out, size_t outsize, double percent);   /* 99.0, 287, - when < 0 */
char *format_rate(char *out, size_t outsize, double per_second);   /* 12.4/s, 1.2k/s */
char *format_eta(char *out, size_t outsize, double seconds);       /* 0:03, 1:02:03, ? when < 0 */

#endif
