/* results.c - --results and --files: each job's output written to files
 * named as GNU parallel names them, with every failure to write one
 * reported and kept (the run then ends with status 255). */
#include "results.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "items.h"
#include "template.h"
#include "xalloc.h"

/* GNU parallel cuts each directory name of the tree to the longest a
 * file name may be. */
#define RESULTS_NAME_MAX 255

struct results {
	char *dir;                   /* --results, or NULL */
	struct template *pattern;    /* dir as a one-word template when it holds placeholders */
	bool files;                  /* --files */
	char *tmpdir;                /* where --files makes its files */
	int args_per_record;
	char first_error[512];       /* the first failure, or "" */
};

struct results *results_new(const char *results_dir, bool files, const char *tmpdir, int args_per_record)
{
	struct results *results = xcalloc(1, sizeof *results);
	results->files = files;
	results->args_per_record = args_per_record;
	if (!tmpdir || !*tmpdir)
		tmpdir = getenv("TMPDIR");
	results->tmpdir = xstrdup(tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (results_dir) {
		results->dir = xstrdup(results_dir);
		char *word = results->dir;
		struct template *pattern = template_new(&word, 1, false);
		/* A name without placeholders comes back as it is (the
		 * template appends the item as a word of its own). */
		char **argv = template_argv(pattern, "\001", 1, 1, 1);
		if (strcmp(argv[0], results_dir))
			results->pattern = pattern;
		else
			template_free(pattern);
		free(argv);
	}
	return results;
}

static int results_fail(struct results *results, char *message, size_t size, const char *what, const char *path,
			int error)
{
	snprintf(message, size, "cannot %s '%s': %s (--results output was lost)", what, path, strerror(error));
	if (!results->first_error[0])
		snprintf(results->first_error, sizeof results->first_error, "%s", message);
	return -1;
}

/* mkdir -p of path's directories; the last component too when whole. */
static int make_directories(char *path, bool whole)
{
	char *end = path + strlen(path);
	for (char *cursor = path + 1; cursor <= end; cursor++) {
		if (cursor < end && *cursor != '/')
			continue;
		if (cursor == end && !whole)
			break;
		char saved = *cursor;
		*cursor = '\0';
		int failed = mkdir(path, 0777) && errno != EEXIST;
		*cursor = saved;
		if (failed)
			return -1;
	}
	return 0;
}

static int write_file(const char *path, const void *data, size_t len, struct spool *spool)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0666);
	if (fd < 0)
		return -1;
	int failed = spool ? spool_write_to(spool, fd) || spool->error : spool_write_all(fd, data, len);
	int saved = errno;
	if (spool && spool->error && !failed)
		saved = spool->error;
	if (close(fd) && !failed) {
		failed = -1;
		saved = errno;
	}
	errno = saved ? saved : EIO;
	return failed ? -1 : 0;
}

/* Append one argument to path as a directory name: \ as \\, TAB as \t
 * and / as \_, cut to RESULTS_NAME_MAX bytes. */
static size_t append_escaped(char *out, const char *arg, size_t len)
{
	size_t at = 0;
	for (size_t i = 0; i < len && at < RESULTS_NAME_MAX; i++) {
		char c = arg[i];
		if (c == '\\' || c == '\t' || c == '/') {
			out[at++] = '\\';
			c = c == '\\' ? '\\' : c == '\t' ? 't' : '_';
			if (at == RESULTS_NAME_MAX)
				break;
		}
		out[at++] = c;
	}
	return at;
}

/* DIR/1/ARG/2/ARG... for an item of NUL-separated arguments. */
static char *tree_path(const struct results *results, const char *item, size_t len)
{
	size_t size = strlen(results->dir) + 2 * len + 64;
	for (size_t i = 0; i < len; i++)
		size += 24;  /* the source number and slashes of each argument, at most */
	char *path = xmalloc(size + 2 * RESULTS_NAME_MAX);
	size_t at = (size_t)sprintf(path, "%s", results->dir);
	int index = 0;
	for (size_t from = 0;; index++) {
		const char *sep = memchr(item + from, ITEMS_ARG_SEPARATOR, len - from);
		size_t arg_len = sep ? (size_t)(sep - item) - from : len - from;
		int source = results->args_per_record ? index % results->args_per_record + 1 : index + 1;
		at += (size_t)sprintf(path + at, "/%d/", source);
		at += append_escaped(path + at, item + from, arg_len);
		path[at] = '\0';
		if (!sep)
			break;
		from += arg_len + 1;
	}
	return path;
}

/* --results: stdout, stderr and seq in the tree, or named by the pattern. */
static int store_results(struct results *results, struct pool_result *result, char *message, size_t size)
{
	char *base;
	const char *names[3] = { "/stdout", "/stderr", "/seq" };
	bool is_directory = true;
	if (results->pattern) {
		char **argv = template_argv(results->pattern, result->item, result->item_len, result->seq,
					    result->slot);
		base = xstrdup(argv[0]);
		free(argv);
		size_t base_len = strlen(base);
		if (base_len && base[base_len - 1] == '/') {
			base[base_len - 1] = '\0';
		} else {
			is_directory = false;
			names[0] = "";
			names[1] = ".err";
			names[2] = ".seq";
		}
	} else {
		base = tree_path(results, result->item, result->item_len);
	}
	int status = 0;
	if (make_directories(base, is_directory)) {
		status = results_fail(results, message, size, "make the directory", base, errno);
		free(base);
		return status;
	}
	size_t path_size = strlen(base) + 16;
	char *path = xmalloc(path_size);
	char seq[32];
	int seq_len = snprintf(seq, sizeof seq, "%" PRIu64, result->seq);
	struct spool *spools[3] = { result->out, result->err, NULL };
	for (int i = 0; i < 3 && !status; i++) {
		snprintf(path, path_size, "%s%s", base, names[i]);
		if (write_file(path, seq, (size_t)seq_len, spools[i]))
			status = results_fail(results, message, size, "write the result file", path, errno);
	}
	spool_clear(result->out);
	spool_clear(result->err);
	free(path);
	free(base);
	return status;
}

/* --files: stdout in $TMPDIR/parXXXXXX.par, its name printed instead. */
static int store_file(struct results *results, struct pool_result *result, char *message, size_t size)
{
	size_t path_size = strlen(results->tmpdir) + 32;
	char *path = xmalloc(path_size);
	snprintf(path, path_size, "%s/parXXXXXX.par", results->tmpdir);
	int fd = mkostemps(path, 4, O_CLOEXEC);
	int status = 0;
	if (fd < 0) {
		status = results_fail(results, message, size, "make a file in", results->tmpdir, errno);
	} else {
		int failed = spool_write_to(result->out, fd) || result->out->error;
		int error = result->out->error ? result->out->error : errno;
		if (close(fd) && !failed) {
			failed = 1;
			error = errno;
		}
		if (failed)
			status = results_fail(results, message, size, "write the output file", path, error ? error : EIO);
	}
	spool_clear(result->out);
	if (!status) {
		spool_append(result->out, path, strlen(path));
		spool_append(result->out, "\n", 1);
	}
	free(path);
	return status;
}

int results_store(struct results *results, struct pool_result *result, char *message, size_t size)
{
	if (results->files)
		return store_file(results, result, message, size);
	if (results->dir)
		return store_results(results, result, message, size);
	return 0;
}

int results_error(const struct results *results, char *message, size_t size)
{
	if (!results || !results->first_error[0])
		return 0;
	snprintf(message, size, "%s", results->first_error);
	return -1;
}

void results_free(struct results *results)
{
	if (!results)
		return;
	template_free(results->pattern);
	free(results->dir);
	free(results->tmpdir);
	free(results);
}
