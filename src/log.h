/* log.h - the debug log, as tmux's -v: with POOLTOP_LOG=FILE or --log=FILE
 * the engine records each decision (dispatch, resize, kill, retry, autotune
 * step, worker restart) on one line with a monotonic timestamp.  Off by
 * default; while off, a log_debug() costs one test of a flag. */
#ifndef POOLTOP_LOG_H
#define POOLTOP_LOG_H

#include <stdbool.h>
#include <stddef.h>

extern bool log_enabled;

/* Open (append to) path; -1 with errno when it cannot be opened. */
int log_open(const char *path);
void log_close(void);

#define log_debug(...) \
	do { \
		if (log_enabled) \
			log_write(__VA_ARGS__); \
	} while (0)

void log_write(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* An item or other untrusted text made printable for a log line (escaped
 * and cut to a few dozen columns); the text lives until the next call. */
const char *log_text(const char *text, size_t len);

#endif
