/* joblog.h - the job log in GNU parallel's format (--joblog): one
 * tab-separated line per finished item, and the reader behind --resume and
 * --resume-failed, which skip items an earlier run already logged. */
#ifndef POOLTOP_JOBLOG_H
#define POOLTOP_JOBLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "items.h"
#include "pool.h"

enum joblog_resume {
	JOBLOG_FRESH,          /* start a new log (an existing file is replaced) */
	JOBLOG_RESUME,         /* skip every Seq in the log, append to it */
	JOBLOG_RESUME_FAILED,  /* skip the Seqs that succeeded, append to it */
	JOBLOG_RETRY_FAILED,   /* run the commands of the Seqs that only failed
				  (joblog_retry_items), append to it */
};

/* The exact header line GNU parallel writes (without the newline). */
#define JOBLOG_HEADER "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand"

struct joblog;

/* Open (or create) the log at path; "+FILE" appends to FILE, as GNU
 * parallel (a new or empty FILE still starts with the header).  worker_argv is the worker command in
 * worker mode (logged before each item), NULL in command mode.  Returns
 * NULL with a message for the user in error. */
struct joblog *joblog_open(const char *path, enum joblog_resume resume, char *const *worker_argv,
			   char *error, size_t error_size);
/* True when the log read at open says item seq must not run again. */
bool joblog_should_skip(const struct joblog *joblog, uint64_t seq);
/* How many distinct items the log marks as not to run again. */
uint64_t joblog_skip_count(const struct joblog *joblog);
/* The line for one final result, newline and NUL included (malloc'd), to
 * be appended once the result's output was written; NULL without a log
 * or for an attempt that is retried. */
char *joblog_line(const struct joblog *joblog, const struct pool_result *result);
/* Append a line made by joblog_line (NULL: nothing).  Returns 0, or -1
 * when it could not be written: it is counted for joblog_error(), and
 * what a failed write left of it is cut off again. */
int joblog_append(struct joblog *joblog, const char *line);
/* joblog_line and joblog_append at once. */
int joblog_write(struct joblog *joblog, const struct pool_result *result);
/* 0, or -1 with a message in error when lines were lost: the run must
 * then end with status 255. */
int joblog_error(const struct joblog *joblog, char *error, size_t size);
/* The same when the first line is lost, without the count (more may follow). */
int joblog_first_error(const struct joblog *joblog, char *error, size_t size);
void joblog_close(struct joblog *joblog);

/* --retry-failed: an item source of the commands the log holds for the
 * Seqs that failed and never succeeded, each at its Seq (the others are
 * empty items joblog_should_skip skips).  The log must outlive it. */
struct items *joblog_retry_items(struct joblog *joblog);

/* Parse one log line (no newline).  Returns false for the header and for
 * lines that are not a job. */
bool joblog_parse_line(const char *line, uint64_t *seq, bool *succeeded);

#endif
