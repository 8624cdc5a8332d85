/* remote_files.h - files around remote jobs, as GNU parallel moves them:
 * --workdir (the remote directory a job runs in), --transferfile and
 * --basefile (sent before), --return (fetched after) and --cleanup, with
 * rsync over the host's own connection (rsync -e "SSH -S CONTROL"). */
#ifndef POOLTOP_REMOTE_FILES_H
#define POOLTOP_REMOTE_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the options asked for; the strings may hold placeholders ({},
 * {.}, {#}...), filled in per item. */
struct remote_files_config {
	const char *const *transfer;   /* --transferfile (--transfer is {}) */
	int transfer_count;
	const char *const *returns;    /* --return */
	int return_count;
	const char *const *basefiles;  /* --basefile: sent once per host */
	int basefile_count;
	const char *workdir;      /* --workdir: NULL (the login dir), ".", "..." or a path */
	bool cleanup;             /* --cleanup */
};

struct remote_files;

/* NULL when there is nothing to do (no option above given); -1 cases
 * (a relative --basefile with --workdir ..., as GNU parallel refuses)
 * return NULL with a message in error and *failed set. */
struct remote_files *remote_files_new(const struct remote_files_config *config, bool *failed, char *error,
				      size_t size);
/* Removes the basefiles from the hosts when --cleanup asked for it (a
 * blocking ssh per host: call it once, after the run, before the hosts'
 * connections close). */
void remote_files_finish(struct remote_files *files);
void remote_files_free(struct remote_files *files);

/* One remote job of item (seq, slot as {#} and {%}):
 *  - job_argv: the command to run on the host, wrapped so that it runs in
 *    the work dir (argv itself when there is no --workdir); malloc'd block
 *    or argv itself (compare before freeing);
 *  - local_argv: ssh_argv (which runs the job through the connection,
 *    taken over), wrapped in sh so that the transfers run before it and
 *    the returns and the cleanup after, keeping its exit status.
 * ssh_prefix[0..prefix_words-1] is the ssh command and its options, as
 * rsync -e and the cleanup's ssh take it; destination is [user@]host;
 * login names the host (basefiles go once per login). */
char **remote_files_job_argv(struct remote_files *files, char **argv, const char *item, size_t item_len,
			     uint64_t seq, int slot);
char **remote_files_local_argv(struct remote_files *files, char **ssh_argv, char *const *ssh_prefix,
			       size_t prefix_words, const char *destination, const char *login,
			       const char *item, size_t item_len, uint64_t seq, int slot);

/* The work dir of a job as GNU parallel names it (exposed for tests):
 * malloc'd, "." when none was given. */
char *remote_files_workdir(struct remote_files *files, const char *item, size_t item_len, uint64_t seq,
			   int slot);

#endif
