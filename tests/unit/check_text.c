/* check_text.c - unit tests of the sanitizer for untrusted text, display
 * widths and the unit formatters. */
#include "text.h"

#include <check.h>
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sanitizes a C string with no column limit into a static buffer. */
static const char *sanitized(const char *in)
{
	static char out[1024];
	text_sanitize(out, sizeof out, in, strlen(in), 0);
	return out;
}

static bool has_control_byte(const char *s)
{
	for (const unsigned char *byte = (const unsigned char *)s; *byte; byte++)
		if (*byte < 0x20 || *byte == 0x7f)
			return true;
	return false;
}

/* --- sanitizer ------------------------------------------------------------ */

START_TEST(plain_text_is_kept)
{
	char out[64];
	ck_assert_int_eq(text_sanitize(out, sizeof out, "item-42.txt", 11, 0), 11);
	ck_assert_str_eq(out, "item-42.txt");
}
END_TEST

START_TEST(empty_input_gives_empty_output)
{
	char out[8] = "junk";
	ck_assert_int_eq(text_sanitize(out, sizeof out, "", 0, 0), 0);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(text_sanitize(out, 1, "abc", 3, 0), 0);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(text_width(""), 0);
}
END_TEST

START_TEST(a_title_escape_sequence_reaches_no_terminal)
{
	const char *out = sanitized("\x1b]0;title\x07");
	ck_assert_str_eq(out, "\\x1b]0;title\\x07");
	ck_assert(!has_control_byte(out));
}
END_TEST

START_TEST(common_controls_have_short_names)
{
	ck_assert_str_eq(sanitized("a\nb\tc\rd"), "a\\nb\\tc\\rd");
	ck_assert_str_eq(sanitized("bell\x07 del\x7f"), "bell\\x07 del\\x7f");
}
END_TEST

START_TEST(a_nul_byte_inside_the_input_is_escaped)
{
	char out[32];
	ck_assert_int_eq(text_sanitize(out, sizeof out, "a\0b", 3, 0), 6);
	ck_assert_str_eq(out, "a\\x00b");
}
END_TEST

START_TEST(c1_controls_are_escaped_as_code_points)
{
	/* U+009B is CSI to some terminals: as bad as ESC [. */
	const char *out = sanitized("\xc2\x9b" "31m");
	ck_assert_str_eq(out, "\\u{009b}31m");
	ck_assert(strchr(out, '\xc2') == NULL);
}
END_TEST

START_TEST(a_backslash_stays_a_plain_backslash)
{
	ck_assert_str_eq(sanitized("C:\\dir\\x1b"), "C:\\dir\\x1b");
}
END_TEST

START_TEST(invalid_utf8_bytes_are_escaped_one_by_one)
{
	ck_assert_str_eq(sanitized("a\xff" "b"), "a\\xffb");
	ck_assert_str_eq(sanitized("lone \x80 continuation"), "lone \\x80 continuation");
	ck_assert_str_eq(sanitized("cut \xe2\x82"), "cut \\xe2\\x82");
	ck_assert_str_eq(sanitized("\xe2\x82" "A"), "\\xe2\\x82A");
}
END_TEST

START_TEST(overlong_forms_and_surrogates_are_invalid)
{
	ck_assert_str_eq(sanitized("\xc0\xaf"), "\\xc0\\xaf");
	ck_assert_str_eq(sanitized("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");
	ck_assert_str_eq(sanitized("\xed\xa0\x80"), "\\xed\\xa0\\x80");
	ck_assert_str_eq(sanitized("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
}
END_TEST

START_TEST(chinese_characters_take_two_columns_each)
{
	char out[64];
	const char *text = "\xe6\xbc\xa2\xe5\xad\x97"; /* 漢字 */
	ck_assert_int_eq(text_sanitize(out, sizeof out, text, strlen(text), 0), 4);
	ck_assert_str_eq(out, text);
	ck_assert_int_eq(text_width(out), 4);
}
END_TEST

START_TEST(an_emoji_takes_two_columns)
{
	char out[64];
	const char *text = "\xf0\x9f\x98\x80"; /* U+1F600 */
	ck_assert_int_eq(text_sanitize(out, sizeof out, text, strlen(text), 0), 2);
	ck_assert_str_eq(out, text);
}
END_TEST

START_TEST(a_combining_accent_takes_no_column)
{
	char out[64];
	const char *text = "e\xcc\x81"; /* e + U+0301 */
	ck_assert_int_eq(text_sanitize(out, sizeof out, text, strlen(text), 0), 1);
	ck_assert_str_eq(out, text);
	ck_assert_int_eq(text_width(text), 1);
}
END_TEST

START_TEST(bidirectional_overrides_are_escaped)
{
	/* U+202E would show the rest of the line reversed. */
	ck_assert_str_eq(sanitized("abc\xe2\x80\xae" "def"), "abc\\u{202e}def");
}
END_TEST

START_TEST(a_wide_character_that_would_overflow_is_left_out)
{
	char out[64];
	const char *text = "ab\xe6\xbc\xa2"; /* ab漢 */
	ck_assert_int_eq(text_sanitize(out, sizeof out, text, strlen(text), 3), 2);
	ck_assert_str_eq(out, "ab");
	ck_assert_int_eq(text_sanitize(out, sizeof out, text, strlen(text), 4), 4);
	ck_assert_str_eq(out, text);
}
END_TEST

START_TEST(the_column_limit_never_cuts_an_escape)
{
	char out[64];
	ck_assert_int_eq(text_sanitize(out, sizeof out, "a\x1b" "b", 3, 4), 1);
	ck_assert_str_eq(out, "a");
	ck_assert_int_eq(text_sanitize(out, sizeof out, "a\x1b" "b", 3, 5), 5);
	ck_assert_str_eq(out, "a\\x1b");
}
END_TEST

START_TEST(a_combining_accent_stays_with_the_last_character_that_fits)
{
	char out[64];
	const char *text = "ae\xcc\x81z"; /* a é z */
	ck_assert_int_eq(text_sanitize(out, sizeof out, text, strlen(text), 2), 2);
	ck_assert_str_eq(out, "ae\xcc\x81");
}
END_TEST

START_TEST(a_small_buffer_never_splits_a_character_or_an_escape)
{
	char out[8];
	const char *chinese = "\xe6\xbc\xa2\xe5\xad\x97"; /* 6 bytes */
	for (size_t size = 1; size <= 7; size++) {
		int columns = text_sanitize(out, size, chinese, 6, 0);
		size_t kept = strlen(out);
		ck_assert_uint_lt(kept, size);
		ck_assert_uint_eq(kept % 3, 0);
		ck_assert_int_eq(columns, (int)(kept / 3) * 2);
	}
	for (size_t size = 1; size <= 8; size++) {
		text_sanitize(out, size, "a\x1b", 2, 0);
		ck_assert_str_eq(out, size < 6 ? (size < 2 ? "" : "a") : "a\\x1b");
	}
}
END_TEST

START_TEST(no_limit_means_the_whole_text)
{
	char out[256], in[101];
	memset(in, 'x', 100);
	in[100] = '\0';
	ck_assert_int_eq(text_sanitize(out, sizeof out, in, 100, 0), 100);
	ck_assert_str_eq(out, in);
}
END_TEST

/* Random bytes, many of them controls and broken UTF-8: whatever comes
 * in, nothing a terminal would act on comes out, and the width reported
 * is the width measured. */
START_TEST(random_bytes_come_out_safe_and_measured)
{
	unsigned seed = 12345;
	for (int round = 0; round < 2000; round++) {
		unsigned char in[40];
		size_t len = (size_t)(round % 40);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (unsigned char)(seed >> 16);
		}
		char out[512];
		int columns = text_sanitize(out, sizeof out, (const char *)in, len, 0);
		ck_assert(!has_control_byte(out));
		ck_assert(strstr(out, "\xc2\x9b") == NULL);
		ck_assert_int_eq(text_width(out), columns);
	}
}
END_TEST

/* --- formatters ----------------------------------------------------------- */

#define ck_assert_formats(formatter, value, expected)                    \
	do {                                                              \
		char out_[32];                                            \
		ck_assert_str_eq(formatter(out_, sizeof out_, value), expected); \
	} while (0)

START_TEST(durations_under_a_minute_show_tenths)
{
	ck_assert_formats(format_duration, 0, "0.0s");
	ck_assert_formats(format_duration, 0.04, "0.0s");
	ck_assert_formats(format_duration, 0.8, "0.8s");
	ck_assert_formats(format_duration, 12.4, "12.4s");
	ck_assert_formats(format_duration, 59.94, "59.9s");
}
END_TEST

START_TEST(durations_from_a_minute_show_a_clock)
{
	ck_assert_formats(format_duration, 59.96, "1:00");
	ck_assert_formats(format_duration, 60, "1:00");
	ck_assert_formats(format_duration, 185, "3:05");
	ck_assert_formats(format_duration, 3599.4, "59:59");
	ck_assert_formats(format_duration, 3599.6, "1:00:00");
	ck_assert_formats(format_duration, 3600, "1:00:00");
	ck_assert_formats(format_duration, 3723, "1:02:03");
	ck_assert_formats(format_duration, 1e9, "277777:46:40");
}
END_TEST

START_TEST(durations_that_make_no_sense_show_a_dash)
{
	ck_assert_formats(format_duration, -1, "-");
	ck_assert_formats(format_duration, NAN, "-");
	ck_assert_formats(format_duration, INFINITY, "-");
}
END_TEST

START_TEST(bytes_below_a_kibibyte_are_counted_exactly)
{
	ck_assert_formats(format_bytes, 0, "0B");
	ck_assert_formats(format_bytes, 1, "1B");
	ck_assert_formats(format_bytes, 512, "512B");
	ck_assert_formats(format_bytes, 1023, "1023B");
}
END_TEST

START_TEST(bytes_from_a_kibibyte_use_binary_units)
{
	ck_assert_formats(format_bytes, 1024, "1.0K");
	ck_assert_formats(format_bytes, 1536, "1.5K");
	ck_assert_formats(format_bytes, 102359, "100K");    /* 99.96K */
	ck_assert_formats(format_bytes, 3250586, "3.1M");
	ck_assert_formats(format_bytes, 1048575, "1.0M");   /* not 1024K */
	ck_assert_formats(format_bytes, 1000000000, "954M");
	ck_assert_formats(format_bytes, 1288490189, "1.2G");
	ck_assert_formats(format_bytes, UINT64_MAX, "16.0E");
}
END_TEST

START_TEST(percentages_keep_a_decimal_below_a_hundred)
{
	ck_assert_formats(format_percent, 0, "0.0");
	ck_assert_formats(format_percent, 0.04, "0.0");
	ck_assert_formats(format_percent, 99.0, "99.0");
	ck_assert_formats(format_percent, 99.94, "99.9");
	ck_assert_formats(format_percent, 99.96, "100");
	ck_assert_formats(format_percent, 287.4, "287");
	ck_assert_formats(format_percent, 1e9, "1000000000");
}
END_TEST

START_TEST(unknown_percentages_show_a_dash)
{
	ck_assert_formats(format_percent, -1, "-");
	ck_assert_formats(format_percent, -0.01, "-");
	ck_assert_formats(format_percent, NAN, "-");
}
END_TEST

START_TEST(rates_use_decimal_units)
{
	ck_assert_formats(format_rate, 0, "0.0/s");
	ck_assert_formats(format_rate, 0.26, "0.3/s");
	ck_assert_formats(format_rate, 12.4, "12.4/s");
	ck_assert_formats(format_rate, 287, "287/s");
	ck_assert_formats(format_rate, 999.4, "999/s");
	ck_assert_formats(format_rate, 999.6, "1.0k/s");
	ck_assert_formats(format_rate, 1234, "1.2k/s");
	ck_assert_formats(format_rate, 68000, "68.0k/s");
	ck_assert_formats(format_rate, 2.5e6, "2.5M/s");
	ck_assert_formats(format_rate, 1e9, "1.0G/s");
	ck_assert_formats(format_rate, -1, "-");
	ck_assert_formats(format_rate, NAN, "-");
}
END_TEST

START_TEST(an_eta_rounds_up_to_whole_seconds)
{
	ck_assert_formats(format_eta, 0, "0:00");
	ck_assert_formats(format_eta, 0.1, "0:01");
	ck_assert_formats(format_eta, 2.1, "0:03");
	ck_assert_formats(format_eta, 3, "0:03");
	ck_assert_formats(format_eta, 59.5, "1:00");
	ck_assert_formats(format_eta, 3599, "59:59");
	ck_assert_formats(format_eta, 3600, "1:00:00");
	ck_assert_formats(format_eta, 3723, "1:02:03");
}
END_TEST

START_TEST(an_unknown_or_absurd_eta_shows_a_question_mark)
{
	ck_assert_formats(format_eta, -1, "?");
	ck_assert_formats(format_eta, NAN, "?");
	ck_assert_formats(format_eta, INFINITY, "?");
	ck_assert_formats(format_eta, 1e9, "?");
}
END_TEST

START_TEST(formatters_respect_a_small_buffer)
{
	char out[3];
	ck_assert_str_eq(format_bytes(out, sizeof out, 1536), "1.");
	ck_assert_str_eq(format_duration(out, sizeof out, 3723), "1:");
	ck_assert_str_eq(format_rate(out, sizeof out, 12.4), "12");
}
END_TEST

static Suite *text_suite(void)
{
	Suite *suite = suite_create("text");
	TCase *sanitizer = tcase_create("sanitizer");
	tcase_add_test(sanitizer, plain_text_is_kept);
	tcase_add_test(sanitizer, empty_input_gives_empty_output);
	tcase_add_test(sanitizer, a_title_escape_sequence_reaches_no_terminal);
	tcase_add_test(sanitizer, common_controls_have_short_names);
	tcase_add_test(sanitizer, a_nul_byte_inside_the_input_is_escaped);
	tcase_add_test(sanitizer, c1_controls_are_escaped_as_code_points);
	tcase_add_test(sanitizer, a_backslash_stays_a_plain_backslash);
	tcase_add_test(sanitizer, invalid_utf8_bytes_are_escaped_one_by_one);
	tcase_add_test(sanitizer, overlong_forms_and_surrogates_are_invalid);
	tcase_add_test(sanitizer, chinese_characters_take_two_columns_each);
	tcase_add_test(sanitizer, an_emoji_takes_two_columns);
	tcase_add_test(sanitizer, a_combining_accent_takes_no_column);
	tcase_add_test(sanitizer, bidirectional_overrides_are_escaped);
	tcase_add_test(sanitizer, a_wide_character_that_would_overflow_is_left_out);
	tcase_add_test(sanitizer, the_column_limit_never_cuts_an_escape);
	tcase_add_test(sanitizer, a_combining_accent_stays_with_the_last_character_that_fits);
	tcase_add_test(sanitizer, a_small_buffer_never_splits_a_character_or_an_escape);
	tcase_add_test(sanitizer, no_limit_means_the_whole_text);
	tcase_add_test(sanitizer, random_bytes_come_out_safe_and_measured);
	suite_add_tcase(suite, sanitizer);

	TCase *formatters = tcase_create("formatters");
	tcase_add_test(formatters, durations_under_a_minute_show_tenths);
	tcase_add_test(formatters, durations_from_a_minute_show_a_clock);
	tcase_add_test(formatters, durations_that_make_no_sense_show_a_dash);
	tcase_add_test(formatters, bytes_below_a_kibibyte_are_counted_exactly);
	tcase_add_test(formatters, bytes_from_a_kibibyte_use_binary_units);
	tcase_add_test(formatters, percentages_keep_a_decimal_below_a_hundred);
	tcase_add_test(formatters, unknown_percentages_show_a_dash);
	tcase_add_test(formatters, rates_use_decimal_units);
	tcase_add_test(formatters, an_eta_rounds_up_to_whole_seconds);
	tcase_add_test(formatters, an_unknown_or_absurd_eta_shows_a_question_mark);
	tcase_add_test(formatters, formatters_respect_a_small_buffer);
	suite_add_tcase(suite, formatters);
	return suite;
}

int main(void)
{
	/* Widths follow the locale, as in the program; the tests need UTF-8. */
	if (!setlocale(LC_ALL, "C.UTF-8")) {
		fprintf(stderr, "check_text: the C.UTF-8 locale is not available\n");
		return EXIT_FAILURE;
	}
	SRunner *runner = srunner_create(text_suite());
	srunner_run_all(runner, CK_ENV);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
