/* log.c - the debug log: lines "SECONDS.MICROS what happened", seconds on
 * the monotonic clock since the log was opened, written through stdio and
 * flushed per line so that a log survives a crash up to its last event. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "text.h"

bool log_enabled;

static FILE *log_file;
static double log_epoch;

static double monotonic_seconds(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

int log_open(const char *path)
{
	FILE *file = fopen(path, "ae");
	if (!file)
		return -1;
	log_close();
	setvbuf(file, NULL, _IOLBF, 0);
	log_file = file;
	log_epoch = monotonic_seconds();
	log_enabled = true;
	log_write("log opened by pooltop, pid %d", (int)getpid());
	return 0;
}

void log_close(void)
{
	if (log_file)
		fclose(log_file);
	log_file = NULL;
	log_enabled = false;
}

void log_write(const char *format, ...)
{
	if (!log_file)
		return;
	fprintf(log_file, "%.6f ", monotonic_seconds() - log_epoch);
	va_list args;
	va_start(args, format);
	vfprintf(log_file, format, args);
	va_end(args);
	fputc('\n', log_file);
}

const char *log_text(const char *text, size_t len)
{
	static char printable[256];
	/* Items of several arguments (NUL-separated) read joined by spaces. */
	char *joined = text_join_args(text, len);
	text_sanitize(printable, sizeof printable, joined, len, 60);
	free(joined);
	return printable;
}
