/* results.h - job output kept in files: --results DIR, GNU parallel's
 * tree (DIR/1/ARG/2/ARG/stdout, stderr and seq), and --files, each job's
 * stdout in a temporary file whose name is printed instead. */
#ifndef POOLTOP_RESULTS_H
#define POOLTOP_RESULTS_H

#include <stddef.h>

#include "pool.h"

struct results;

/* results_dir (--results, or NULL) may hold placeholders: then it names
 * each job's stdout file (stderr: .err, sequence number: .seq added), or
 * its directory when it ends in '/'.  files: --files, in tmpdir (NULL:
 * $TMPDIR or /tmp).  args_per_record: the arguments of one input record
 * in an item (-n groups records of one argument: 1), or 0 when each
 * argument of an item comes from an input source of its own. */
struct results *results_new(const char *results_dir, bool files, const char *tmpdir, int args_per_record);
/* Keep a final result's output.  --results: it is written to the files and
 * the result's spools are emptied (as GNU parallel, nothing is printed);
 * --files: stdout goes to a new temporary file and the spool then holds
 * its name and a newline.  0, or -1 with a message (the first failure is
 * kept for results_error, and the run must end with status 255). */
int results_store(struct results *results, struct pool_result *result, char *message, size_t size);
/* 0, or -1 with the first failure's message. */
int results_error(const struct results *results, char *message, size_t size);
void results_free(struct results *results);

#endif
