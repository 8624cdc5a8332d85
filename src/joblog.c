/* joblog.c - the job log: GNU parallel's tab-separated format, written one
 * line per finished item as it ends, and read back at start-up so that
 * --resume and --resume-failed skip the items an earlier run finished. */
#include "joblog.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "spool.h"
#include "template.h"
#include "xalloc.h"

struct joblog {
	int fd;                    /* the log, opened for appending */
	char *const *worker_argv;  /* worker mode: the command each item is fed to */
	uint64_t *skip;            /* sorted, distinct seqs not to run again */
	size_t skip_len, skip_cap;
	char *path;                /* for the message about lost lines */
	uint64_t lost;             /* lines that could not be written */
	int lost_errno;            /* why the first of them was lost */
	bool needs_newline;        /* a partial line could not be cut off */
};

/* ---- reading -------------------------------------------------------------- */

/* A decimal number (optionally negative) up to the next tab or the end. */
static bool parse_field(const char *text, const char **end, long long *value)
{
	char *stop;
	if (text[0] != '-' && (text[0] < '0' || text[0] > '9'))
		return false;  /* strtoll would take spaces and '+' */
	errno = 0;
	*value = strtoll(text, &stop, 10);
	if (errno || stop == text || (*stop != '\t' && *stop != '\0'))
		return false;
	*end = stop;
	return true;
}

/* The text after the n-th tab of line, or NULL. */
static const char *field_after_tabs(const char *line, int n)
{
	for (; n > 0; n--) {
		line = strchr(line, '\t');
		if (!line)
			return NULL;
		line++;
	}
	return line;
}

/* A figure as the log writes Starttime, JobRuntime, Send and Receive:
 * digits, dots and minus signs, right-aligned with spaces, up to a tab. */
static bool is_figure_field(const char *text)
{
	while (*text == ' ')
		text++;
	size_t length = strspn(text, "0123456789.-");
	return length > 0 && text[length] == '\t';
}

bool joblog_parse_line(const char *line, uint64_t *seq, bool *succeeded)
{
	const char *end;
	long long number, exit_value, signal_number;
	if (line[0] == '-' || !parse_field(line, &end, &number) || number < 1)
		return false;
	/* Fields: Seq Host Starttime JobRuntime Send Receive Exitval Signal Command. */
	const char *host = field_after_tabs(line, 1);
	if (!host || *host == '\t')
		return false;
	for (int field = 2; field <= 5; field++) {
		const char *figure = field_after_tabs(line, field);
		if (!figure || !is_figure_field(figure))
			return false;
	}
	const char *exit_field = field_after_tabs(line, 6);
	if (!exit_field || !parse_field(exit_field, &end, &exit_value) || *end != '\t' ||
	    !parse_field(end + 1, &end, &signal_number))
		return false;
	*seq = (uint64_t)number;
	*succeeded = exit_value == 0 && signal_number == 0;
	return true;
}

static void skip_add(struct joblog *joblog, uint64_t seq)
{
	xgrow(&joblog->skip, &joblog->skip_cap, joblog->skip_len + 1, sizeof *joblog->skip);
	joblog->skip[joblog->skip_len++] = seq;
}

static int compare_seq(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Sort the seqs and drop repeats (a seq logged by several runs). */
static void skip_finish(struct joblog *joblog)
{
	if (!joblog->skip_len)
		return;
	qsort(joblog->skip, joblog->skip_len, sizeof *joblog->skip, compare_seq);
	size_t kept = 1;
	for (size_t i = 1; i < joblog->skip_len; i++)
		if (joblog->skip[i] != joblog->skip[kept - 1])
			joblog->skip[kept++] = joblog->skip[i];
	joblog->skip_len = kept;
}

/* Why a log cannot be resumed from: it is not one (GNU parallel says
 * "Format of 'F' is wrong" and stops with status 255; so do we, with the
 * line to look at). */
static int log_is_wrong(const struct joblog *joblog, uintmax_t line_number, const char *what,
			char *error, size_t size)
{
	snprintf(error, size, "the format of the joblog '%s' is wrong: line %ju %s", joblog->path,
		 line_number, what);
	return -1;
}

/* A run killed in the middle of writing a line leaves it torn at the end
 * of the log: it names no job that finished, so it is cut off and the
 * item runs again.  Returns 0, or -1 with errno set. */
static int drop_torn_line(int fd, off_t complete)
{
	log_debug("joblog: dropping a torn last line at byte %jd", (intmax_t)complete);
	return ftruncate(fd, complete);
}

/* The start of a line cut short by a kill: the beginning of the header or
 * of a job's line (a Seq first).  Anything else is judged whole. */
static bool is_torn_line(const char *line, size_t len, uintmax_t line_number)
{
	if (line_number == 1)
		return len < sizeof JOBLOG_HEADER - 1 && !memcmp(line, JOBLOG_HEADER, len);
	return line[0] >= '0' && line[0] <= '9';
}

/* Collect the seqs not to run again from the log already in fd: the
 * header first, then one job per line.  Returns 0; or -1 with a message
 * in error when the file is not a joblog, or -1 with errno and an empty
 * error when it cannot be read. */
static int read_log(struct joblog *joblog, int fd, enum joblog_resume resume, char *error, size_t size)
{
	error[0] = '\0';
	int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	FILE *file = copy >= 0 ? fdopen(copy, "r") : NULL;
	if (!file) {
		if (copy >= 0)
			close(copy);
		return -1;
	}
	char *line = NULL;
	size_t line_size = 0;
	ssize_t len;
	int status = 0;
	uintmax_t line_number = 0;
	off_t complete = 0;  /* bytes up to the end of the last whole line */
	bool torn = false;
	while (!status && (len = getline(&line, &line_size, file)) >= 0) {
		line_number++;
		bool whole = line[len - 1] == '\n';
		if (!whole && is_torn_line(line, (size_t)len, line_number)) {
			torn = true;
			break;
		}
		complete += len;
		if (whole)
			line[len - 1] = '\0';
		uint64_t seq;
		bool succeeded;
		if (line_number == 1) {
			if (strcmp(line, JOBLOG_HEADER))
				status = log_is_wrong(joblog, line_number, "is not the header GNU parallel and "
						      "pooltop write (Seq, Host, Starttime... separated by tabs)",
						      error, size);
		} else if (!joblog_parse_line(line, &seq, &succeeded)) {
			status = log_is_wrong(joblog, line_number, "is not a job's line (Seq, Host, "
					      "Starttime, JobRuntime, Send, Receive, Exitval, Signal, Command)",
					      error, size);
		} else if (resume == JOBLOG_RESUME || succeeded) {
			skip_add(joblog, seq);
		}
	}
	if (!status && ferror(file))
		status = -1;
	int saved_errno = errno;
	free(line);
	fclose(file);
	errno = saved_errno;
	if (!status && torn)
		status = drop_torn_line(fd, complete);
	skip_finish(joblog);
	return status;
}

bool joblog_should_skip(const struct joblog *joblog, uint64_t seq)
{
	size_t low = 0, high = joblog->skip_len;
	while (low < high) {
		size_t middle = low + (high - low) / 2;
		if (joblog->skip[middle] == seq)
			return true;
		if (joblog->skip[middle] < seq)
			low = middle + 1;
		else
			high = middle;
	}
	return false;
}

uint64_t joblog_skip_count(const struct joblog *joblog)
{
	return joblog->skip_len;
}

/* ---- writing -------------------------------------------------------------- */

/* A log that will be appended to starts with the header and ends with a
 * newline (a run killed mid-line must not glue two jobs together). */
static int prepare_for_append(int fd)
{
	off_t size = lseek(fd, 0, SEEK_END);
	if (size < 0)
		return -1;
	if (size == 0)
		return spool_write_all(fd, JOBLOG_HEADER "\n", sizeof JOBLOG_HEADER);
	char last;
	if (pread(fd, &last, 1, size - 1) != 1)
		return -1;
	return last == '\n' ? 0 : spool_write_all(fd, "\n", 1);
}

/* Close what was opened and say which step failed. */
static struct joblog *open_failed(struct joblog *joblog, const char *what, char *error, size_t size)
{
	snprintf(error, size, "cannot %s the joblog '%s': %s", what, joblog->path, strerror(errno));
	joblog_close(joblog);
	return NULL;
}

struct joblog *joblog_open(const char *path, enum joblog_resume resume, char *const *worker_argv,
			   char *error, size_t error_size)
{
	struct joblog *joblog = xcalloc(1, sizeof *joblog);
	joblog->worker_argv = worker_argv;
	joblog->path = xstrdup(path);
	int flags = O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | (resume == JOBLOG_FRESH ? O_TRUNC : 0);
	joblog->fd = open(path, flags, 0666);
	if (joblog->fd < 0)
		return open_failed(joblog, "open", error, error_size);
	if (resume != JOBLOG_FRESH && read_log(joblog, joblog->fd, resume, error, error_size)) {
		if (error[0]) {
			joblog_close(joblog);
			return NULL;
		}
		return open_failed(joblog, "read", error, error_size);
	}
	if (prepare_for_append(joblog->fd))
		return open_failed(joblog, "write", error, error_size);
	return joblog;
}

/* The command as run: the job's argv, or the worker command and the item,
 * joined and quoted for a shell.  GNU parallel writes a newline in the
 * command as a NUL byte, which keeps each job on one line; so do we. */
static char *command_text(const struct joblog *joblog, const struct pool_result *result)
{
	char *text;
	if (result->argv) {
		text = template_join(result->argv);
	} else {
		size_t count = 0;
		while (joblog->worker_argv && joblog->worker_argv[count])
			count++;
		char **words = xcalloc(count + 2, sizeof *words);
		for (size_t i = 0; i < count; i++)
			words[i] = joblog->worker_argv[i];
		words[count] = (char *)result->item;
		text = template_join(words);
		free(words);
	}
	return text;
}

/* A line that was not written is counted, never dropped in silence. */
static void line_lost(struct joblog *joblog, int error)
{
	if (!joblog->lost++)
		joblog->lost_errno = error;
}

char *joblog_line(const struct joblog *joblog, const struct pool_result *result)
{
	if (!joblog || result->will_retry)
		return NULL;
	char *command = command_text(joblog, result);
	size_t command_len = strlen(command);
	char fields[512];
	/* The Host column: the login as -S gave it, ":" for this machine, as
	 * GNU parallel writes it; a tab or newline in it would break the line. */
	char host[256];
	snprintf(host, sizeof host, "%s", result->host ? result->host : ":");
	for (char *c = host; *c; c++)
		if (*c == '\t' || *c == '\n')
			*c = ' ';
	/* Worker mode sends the item and its newline to the worker's stdin. */
	size_t sent = result->argv ? 0 : result->item_len + 1;
	int len = snprintf(fields, sizeof fields, "%" PRIu64 "\t%s\t%.3f\t%10.3f\t%zu\t%zu\t%d\t%d\t",
			   result->seq, host, result->started_at, result->runtime, sent,
			   result->out ? spool_size(result->out) : 0, result->exit_code, result->signal);
	if (len < 0 || (size_t)len >= sizeof fields) {
		free(command);
		return xstrdup("");  /* only absurd figures get here: joblog_append counts the line lost */
	}
	char *line = xmalloc((size_t)len + command_len + 2);
	memcpy(line, fields, (size_t)len);
	for (size_t i = 0; i < command_len; i++)
		line[len + i] = command[i] == '\n' ? '\0' : command[i];
	line[(size_t)len + command_len] = '\n';
	line[(size_t)len + command_len + 1] = '\0';
	free(command);
	return line;
}

/* The line's length with its newline (the command may hold NULs). */
static size_t line_length(const char *line)
{
	size_t len = 0;
	while (line[len] != '\n')
		len++;
	return len + 1;
}

/* What a failed write left of a line is cut off again, so the next record
 * starts on a line of its own; if even that fails, the next record starts
 * with a newline. */
static void undo_partial_line(struct joblog *joblog, off_t size_before)
{
	if (size_before < 0)
		joblog->needs_newline = true;
	else if (ftruncate(joblog->fd, size_before))
		joblog->needs_newline = true;
}

int joblog_append(struct joblog *joblog, const char *line)
{
	if (!joblog || !line)
		return 0;
	if (!line[0]) {
		line_lost(joblog, EOVERFLOW);  /* joblog_line could not format its figures */
		return -1;
	}
	size_t len = line_length(line);
	if (joblog->needs_newline && spool_write_all(joblog->fd, "\n", 1) == 0)
		joblog->needs_newline = false;
	if (joblog->needs_newline) {
		line_lost(joblog, errno);
		return -1;
	}
	struct stat st;
	off_t size_before = fstat(joblog->fd, &st) == 0 ? st.st_size : -1;
	/* One write per line: appends from one run never interleave. */
	if (spool_write_all(joblog->fd, line, len) == 0)
		return 0;
	int saved = errno;
	undo_partial_line(joblog, size_before);
	line_lost(joblog, saved);
	return -1;
}

int joblog_write(struct joblog *joblog, const struct pool_result *result)
{
	char *line = joblog_line(joblog, result);
	int status = joblog_append(joblog, line);
	free(line);
	return status;
}

int joblog_first_error(const struct joblog *joblog, char *error, size_t size)
{
	if (!joblog || !joblog->lost)
		return 0;
	snprintf(error, size, "cannot write the joblog '%s': %s (items whose lines are lost run again with --resume)",
		 joblog->path, strerror(joblog->lost_errno));
	return -1;
}

int joblog_error(const struct joblog *joblog, char *error, size_t size)
{
	if (!joblog || !joblog->lost)
		return 0;
	snprintf(error, size, "cannot write the joblog '%s': %s (%" PRIu64 " line%s lost)", joblog->path,
		 strerror(joblog->lost_errno), joblog->lost, joblog->lost == 1 ? "" : "s");
	return -1;
}

void joblog_close(struct joblog *joblog)
{
	if (!joblog)
		return;
	if (joblog->fd >= 0)
		close(joblog->fd);
	free(joblog->skip);
	free(joblog->path);
	free(joblog);
}
