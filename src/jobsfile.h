/* jobsfile.h - --jobs-file=FILE, GNU parallel's procfile: FILE holds the
 * worker count (N, +N / -N CPUs plus or minus N, N% of CPUs, 0 for as
 * many as --max-jobs allows) and the pool follows it whenever it changes. */
#ifndef POOLTOP_JOBSFILE_H
#define POOLTOP_JOBSFILE_H

#include <stddef.h>

#include "control.h"
#include "loop.h"

/* 0 asks for as many workers as the bounds allow: the verb clamps it. */
#define JOBSFILE_AS_MANY 1000000

struct jobsfile;

enum jobsfile_change {
	JOBSFILE_SAME,       /* not changed since the last look */
	JOBSFILE_COUNT,      /* changed and holds a worker count */
	JOBSFILE_BAD,        /* changed, and the message says what is wrong */
};

typedef void jobsfile_report_fn(void *data, const char *text);

struct jobsfile *jobsfile_new(const char *path, int cpus);
void jobsfile_free(struct jobsfile *jobsfile);

/* Look at the file; cheap (one stat) when nothing changed.  A bad value
 * or an unreadable file is reported once (message set), then ignored
 * until the file changes to something else. */
enum jobsfile_change jobsfile_poll(struct jobsfile *jobsfile, int *jobs, char *message, size_t size);

/* Follow the file from the loop: every second and after completions,
 * a new count runs the `jobs N` verb; problems go to report. */
void jobsfile_follow(struct jobsfile *jobsfile, struct loop *loop, struct control *control,
		     jobsfile_report_fn *report, void *data);
/* An item finished: GNU parallel looks at the procfile then. */
void jobsfile_item_done(struct jobsfile *jobsfile);

/* The file's text to a worker count: 0 or -1 (exposed for tests). */
int jobsfile_parse(const char *text, int cpus, int *jobs);

#endif
