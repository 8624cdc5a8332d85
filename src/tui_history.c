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
		(struct history_sample){ .rate = rate > 0 ? rate : 0, .target = target, .cpu = -1, .mark = mark };
}

void tui_history_set_cpu(struct tui_history *history, double cpu_percent)
{
	if (history->sample_count > 0)
		history->samples[(history->sample_count - 1) % HISTORY_SAMPLES].cpu = cpu_percent;
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

/* --- the chart ------------------------------------------------------------ */

static void cell_set(struct chart_cell *cell, const char *text, enum chart_kind kind)
{
	snprintf(cell->text, sizeof cell->text, "%s", text);
	cell->kind = kind;
}

/* Column x of the chart for one sample: the bar from the bottom, in
 * eighths of a row, then the CPU dot over it. */
static void chart_column(const struct history_sample *sample, const struct chart_scale *scale,
			 int width, int rows, int x, bool utf8, struct chart_cell *cells)
{
	int eighths = 0;
	if (sample->rate > 0 && scale->rate_top > 0)
		eighths = (int)ceil(sample->rate / scale->rate_top * rows * 8);
	for (int row = 0; row < rows; row++) {
		int fill = eighths - (rows - 1 - row) * 8;
		if (fill <= 0)
			continue;
		const char *bar = utf8 ? bars_utf8[fill >= 8 ? 7 : fill - 1] :
				  fill >= 4 ? "#" : ".";
		cell_set(&cells[row * width + x], bar, CHART_RATE);
	}
	if (sample->cpu < 0 || !(scale->cpu_top > 0))
		return;
	int level = (int)lround(sample->cpu / scale->cpu_top * (rows - 1));
	level = level < 0 ? 0 : level > rows - 1 ? rows - 1 : level;
	cell_set(&cells[(rows - 1 - level) * width + x], utf8 ? "\xe2\x80\xa2" : "*", CHART_CPU);
}

int tui_history_chart(const struct tui_history *history, int width, int rows, bool utf8,
		      struct chart_cell *cells, struct chart_scale *scale)
{
	*scale = (struct chart_scale){ 0, 100 };
	if (width <= 0 || rows <= 0)
		return 0;
	for (int i = 0; i < width * rows; i++)
		cell_set(&cells[i], " ", CHART_EMPTY);
	size_t count = samples_fitting(history, width);
	for (size_t age = 0; age < count; age++) {
		const struct history_sample *sample = sample_at(history, age);
		if (sample->rate > scale->rate_top)
			scale->rate_top = sample->rate;
		if (sample->cpu > scale->cpu_top)
			scale->cpu_top = ceil(sample->cpu / 100) * 100;
	}
	int x = 0;
	for (size_t age = count; age-- > 0;) {
		if (sample_marked(history, age)) {
			for (int row = 0; row < rows; row++)
				cell_set(&cells[row * width + x], utf8 ? "\xe2\x94\x82" : MARK, CHART_SIZE);
			x++;
		}
		chart_column(sample_at(history, age), scale, width, rows, x, utf8, cells);
		x++;
	}
	return x;
}
