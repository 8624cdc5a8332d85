/* tui_history.c - the throughput history and its sparkline: samples in a
 * fixed ring, drawn newest at the right, scaled to what is on screen, with
 * a mark wherever the pool size changed, lettered with the reason. */
#include "tui_history.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "text.h"

/* The eight bar heights, lowest first. */
static const char *const bars_utf8[] = {
	"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
};
static const char *const bars_ascii[] = { "_", ".", ",", "-", "=", "+", "*", "#" };

#define MARK "|"

void tui_history_init(struct tui_history *history)
{
	memset(history, 0, sizeof *history);
}

static const struct history_sample *sample_at(const struct tui_history *history, size_t age)
{
	size_t newest = history->sample_count - 1 - age;
	return &history->samples[newest % HISTORY_SAMPLES];
}

void tui_history_note_reason(struct tui_history *history, int target, const char *reason)
{
	history->noted_target = target;
	snprintf(history->noted_reason, sizeof history->noted_reason, "%s", reason ? reason : "");
}

void tui_history_add(struct tui_history *history, double rate, int target, double elapsed)
{
	char mark = 0;
	if (history->sample_count > 0) {
		int before = sample_at(history, 0)->target;
		if (before != target) {
			struct history_change *change = &history->changes[history->change_count++ % HISTORY_CHANGES];
			*change = (struct history_change){ before, target, elapsed, "" };
			mark = '|';
			if (history->noted_target == target && history->noted_reason[0] >= 'a' &&
			    history->noted_reason[0] <= 'z') {
				snprintf(change->reason, sizeof change->reason, "%s", history->noted_reason);
				mark = history->noted_reason[0];
			}
			history->noted_target = 0;
		}
	}
	history->samples[history->sample_count++ % HISTORY_SAMPLES] =
		(struct history_sample){ rate > 0 ? rate : 0, target, mark };
}

bool tui_history_is_mark(char byte)
{
	return byte == MARK[0] || (byte >= 'a' && byte <= 'z');
}

static size_t samples_kept(const struct tui_history *history)
{
	return history->sample_count < HISTORY_SAMPLES ? history->sample_count : HISTORY_SAMPLES;
}

/* Does the sample `age` refreshes old start a new pool size? */
static bool sample_marked(const struct tui_history *history, size_t age)
{
	if (age + 1 >= samples_kept(history))
		return false;
	return sample_at(history, age)->target != sample_at(history, age + 1)->target;
}

/* The mark drawn before that sample, as a string. */
static const char *sample_mark(const struct tui_history *history, size_t age, char text[2])
{
	char mark = sample_at(history, age)->mark;
	text[0] = mark ? mark : MARK[0];
	text[1] = '\0';
	return text;
}

/* How many samples, newest first, fit in width columns with their marks. */
static size_t samples_fitting(const struct tui_history *history, int width)
{
	size_t kept = samples_kept(history), count = 0;
	int used = 0;
	while (count < kept) {
		int cells = 1 + sample_marked(history, count);
		if (used + cells > width)
			break;
		used += cells;
		count++;
	}
	return count;
}

static const char *bar_for(double rate, double highest, bool utf8)
{
	if (!(rate > 0) || !(highest > 0))
		return " ";
	int level = (int)ceil(rate / highest * 8) - 1;
	level = level < 0 ? 0 : level > 7 ? 7 : level;
	return (utf8 ? bars_utf8 : bars_ascii)[level];
}

static bool append(char *out, size_t size, size_t *used, const char *text)
{
	size_t len = strlen(text);
	if (*used + len + 1 > size)
		return false;
	memcpy(out + *used, text, len + 1);
	*used += len;
	return true;
}

int tui_history_sparkline(const struct tui_history *history, int width, bool utf8, char *out,
			  size_t size)
{
	if (size == 0)
		return 0;
	out[0] = '\0';
	size_t count = width > 0 ? samples_fitting(history, width) : 0;
	double highest = 0;
	for (size_t age = 0; age < count; age++)
		if (sample_at(history, age)->rate > highest)
			highest = sample_at(history, age)->rate;
	size_t used = 0;
	int columns = 0;
	for (size_t age = count; age-- > 0;) {
		char mark[2];
		if (sample_marked(history, age)) {
			if (!append(out, size, &used, sample_mark(history, age, mark)))
				break;
			columns++;
		}
		if (!append(out, size, &used, bar_for(sample_at(history, age)->rate, highest, utf8)))
			break;
		columns++;
	}
	return columns;
}

int tui_history_legend(const struct tui_history *history, int width, bool utf8, char *out,
		       size_t size)
{
	if (size == 0)
		return 0;
	out[0] = '\0';
	size_t kept = history->change_count < HISTORY_CHANGES ? history->change_count : HISTORY_CHANGES;
	/* Take as many of the newest changes as fit, then write them oldest first. */
	char pieces[HISTORY_CHANGES][48];
	size_t taken = 0;
	int columns = 0;
	for (size_t age = 0; age < kept; age++) {
		const struct history_change *change =
			&history->changes[(history->change_count - 1 - age) % HISTORY_CHANGES];
		char when[24];
		format_eta(when, sizeof when, change->elapsed);
		snprintf(pieces[taken], sizeof pieces[taken], "%d%s%d%s%s at %s", change->from,
			 utf8 ? "\xe2\x86\x92" : "->", change->to, change->reason[0] ? " " : "", change->reason,
			 when);
		int piece_width = text_width(pieces[taken]) + (taken > 0 ? 2 : 0);
		if (columns + piece_width > width)
			break;
		columns += piece_width;
		taken++;
	}
	size_t used = 0;
	for (size_t i = taken; i-- > 0;) {
		if (i + 1 < taken)
			append(out, size, &used, ", ");
		append(out, size, &used, pieces[i]);
	}
	return columns;
}
