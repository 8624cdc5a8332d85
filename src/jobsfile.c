/* jobsfile.c - follows --jobs-file: a stat() each second and after item
 * completions notices a change (inode, size, modification time); the new
 * text becomes a `jobs N` verb, so the file drives the pool like any key. */
#include "jobsfile.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "options.h"
#include "text.h"
#include "xalloc.h"

#define CHECK_SECONDS 1.0        /* the timer's period */
#define COMPLETION_SECONDS 0.05  /* at most one look per this, however fast items end */
#define MAX_TEXT 256             /* a count needs a few bytes; more is not a count */

struct file_signature {
	bool exists;
	dev_t device;
	ino_t inode;
	off_t size;
	struct timespec modified, changed;
};

struct jobsfile {
	char *path;
	int cpus;
	struct file_signature seen;  /* the file as last read */
	char *reported;              /* the text last reported as bad, or NULL */
	int reported_errno;          /* the read error last reported, or 0 */
	bool looked;                 /* seen is valid */

	struct loop *loop;           /* following: */
	struct control *control;
	jobsfile_report_fn *report;
	void *report_data;
	uint64_t timer;
	double last_check;
};

struct jobsfile *jobsfile_new(const char *path, int cpus)
{
	struct jobsfile *jobsfile = xcalloc(1, sizeof *jobsfile);
	jobsfile->path = xstrdup(path);
	jobsfile->cpus = cpus;
	return jobsfile;
}

void jobsfile_free(struct jobsfile *jobsfile)
{
	if (!jobsfile)
		return;
	if (jobsfile->loop)
		loop_del_timer(jobsfile->loop, jobsfile->timer);
	free(jobsfile->reported);
	free(jobsfile->path);
	free(jobsfile);
}

static bool all_digits(const char *text)
{
	if (!*text)
		return false;
	for (; *text; text++)
		if (!isdigit((unsigned char)*text))
			return false;
	return true;
}

int jobsfile_parse(const char *text, int cpus, int *jobs)
{
	while (isspace((unsigned char)*text))
		text++;
	char value[32];
	size_t len = strlen(text);
	while (len && isspace((unsigned char)text[len - 1]))
		len--;
	if (!len || len >= sizeof value)
		return -1;
	memcpy(value, text, len);
	value[len] = '\0';
	if (all_digits(value)) {
		/* Any plain count is taken; the bounds clamp it, and say so. */
		long count = len > 7 ? JOBSFILE_AS_MANY : strtol(value, NULL, 10);
		*jobs = count == 0 || count > JOBSFILE_AS_MANY ? JOBSFILE_AS_MANY : (int)count;
		return 0;
	}
	return options_parse_jobs(value, cpus, jobs);
}

static bool same_signature(const struct file_signature *a, const struct file_signature *b)
{
	return a->exists == b->exists && a->device == b->device && a->inode == b->inode &&
	       a->size == b->size && a->modified.tv_sec == b->modified.tv_sec &&
	       a->modified.tv_nsec == b->modified.tv_nsec && a->changed.tv_sec == b->changed.tv_sec &&
	       a->changed.tv_nsec == b->changed.tv_nsec;
}

static void read_signature(const char *path, struct file_signature *signature)
{
	struct stat st;
	memset(signature, 0, sizeof *signature);
	if (stat(path, &st))
		return;
	*signature = (struct file_signature){
		.exists = true,
		.device = st.st_dev,
		.inode = st.st_ino,
		.size = st.st_size,
		.modified = st.st_mtim,
		.changed = st.st_ctim,
	};
}

/* The file's text (at most MAX_TEXT - 1 bytes; longer is reported bad).
 * Returns the length, or -1 with errno. */
static ssize_t read_text(const char *path, char *text)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	size_t len = 0;
	ssize_t n = 0;
	while (len < MAX_TEXT - 1 && ((n = read(fd, text + len, MAX_TEXT - 1 - len)) > 0 ||
				      (n < 0 && errno == EINTR)))
		if (n > 0)
			len += (size_t)n;
	int saved = errno;
	close(fd);
	errno = saved;
	if (n < 0)
		return -1;
	text[len] = '\0';
	return (ssize_t)len;
}

/* Report text once: the same bad content is not reported again. */
static enum jobsfile_change report_bad(struct jobsfile *jobsfile, const char *text, char *message,
				       size_t size)
{
	if (jobsfile->reported && !strcmp(jobsfile->reported, text))
		return JOBSFILE_SAME;
	free(jobsfile->reported);
	jobsfile->reported = xstrdup(text);
	/* Shown trimmed and short, through the one sanitizer: the message may
	 * go straight to a terminal. */
	const char *start = text, *end = text + strlen(text);
	while (start < end && isspace((unsigned char)*start))
		start++;
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	char shown[40], whole[MAX_TEXT * 4];
	text_sanitize(shown, sizeof shown, start, (size_t)(end - start), 0);
	text_sanitize(whole, sizeof whole, start, (size_t)(end - start), 0);
	snprintf(message, size, "jobs file '%s' holds '%s%s', not a worker count (N, +N, -N or N%%): ignored",
		 jobsfile->path, shown, strlen(shown) < strlen(whole) ? "..." : "");
	return JOBSFILE_BAD;
}

enum jobsfile_change jobsfile_poll(struct jobsfile *jobsfile, int *jobs, char *message, size_t size)
{
	struct file_signature now;
	read_signature(jobsfile->path, &now);
	if (jobsfile->looked && same_signature(&now, &jobsfile->seen))
		return JOBSFILE_SAME;
	jobsfile->looked = true;
	jobsfile->seen = now;
	char text[MAX_TEXT];
	ssize_t len = now.exists ? read_text(jobsfile->path, text) : -1;  /* errno from stat */
	if (len < 0) {
		if (jobsfile->reported_errno == errno)
			return JOBSFILE_SAME;
		jobsfile->reported_errno = errno;
		snprintf(message, size, "cannot read the jobs file '%s': %s (the count stays as it is)",
			 jobsfile->path, strerror(errno));
		return JOBSFILE_BAD;
	}
	jobsfile->reported_errno = 0;
	/* An empty file is most likely being written: wait for its content. */
	bool blank = true;
	for (ssize_t i = 0; i < len; i++)
		blank = blank && isspace((unsigned char)text[i]);
	if (blank)
		return JOBSFILE_SAME;
	if (strlen(text) < (size_t)len || jobsfile_parse(text, jobsfile->cpus, jobs))
		return report_bad(jobsfile, text, message, size);
	free(jobsfile->reported);
	jobsfile->reported = NULL;
	return JOBSFILE_COUNT;
}

/* ---- following it from the loop ----------------------------------------- */

static void jobsfile_check(struct jobsfile *jobsfile)
{
	jobsfile->last_check = loop_now();
	int jobs = 0;
	char message[512];
	switch (jobsfile_poll(jobsfile, &jobs, message, sizeof message)) {
	case JOBSFILE_SAME:
		return;
	case JOBSFILE_BAD:
		jobsfile->report(jobsfile->report_data, message);
		return;
	case JOBSFILE_COUNT:
		break;
	}
	char line[32], reply[256];
	snprintf(line, sizeof line, "jobs %d", jobs);
	bool failed = control_run(jobsfile->control, line, reply, sizeof reply) != 0;
	log_debug("jobs file '%s' asks for %d workers: %s", jobsfile->path, jobs, reply);
	if (failed || (jobs != JOBSFILE_AS_MANY && strstr(reply, "clamped"))) {
		snprintf(message, sizeof message, "jobs file '%s' asks for %d workers: %s", jobsfile->path, jobs,
			 reply);
		jobsfile->report(jobsfile->report_data, message);
	}
}

static void check_timer(struct loop *loop, void *data)
{
	struct jobsfile *jobsfile = data;
	jobsfile_check(jobsfile);
	jobsfile->timer = loop_add_timer(loop, CHECK_SECONDS, check_timer, jobsfile);
}

void jobsfile_follow(struct jobsfile *jobsfile, struct loop *loop, struct control *control,
		     jobsfile_report_fn *report, void *data)
{
	jobsfile->loop = loop;
	jobsfile->control = control;
	jobsfile->report = report;
	jobsfile->report_data = data;
	jobsfile->last_check = loop_now();
	jobsfile->timer = loop_add_timer(loop, CHECK_SECONDS, check_timer, jobsfile);
}

void jobsfile_item_done(struct jobsfile *jobsfile)
{
	if (jobsfile && jobsfile->loop && loop_now() - jobsfile->last_check >= COMPLETION_SECONDS)
		jobsfile_check(jobsfile);
}
