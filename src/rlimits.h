/* rlimits.h - fit the pool into the process's resource limits: raise the
 * open-file limit as far as allowed (jobs get the caller's back), and never
 * plan more workers than the fds or RLIMIT_NPROC leave room for. */
#ifndef POOLTOP_RLIMITS_H
#define POOLTOP_RLIMITS_H

#include <stdbool.h>
#include <stddef.h>

#include "pool.h"

/* Raise RLIMIT_NOFILE to its hard limit; lower max_jobs (and jobs,
 * min_jobs) to what the fds allow, four per slot.  *control_clients is
 * the number of control connections wanted (0 without --control); it is
 * lowered to what fits, and those fds are set aside.  Returns true, with
 * a note for the user, when the initial count shrinks. */
bool rlimits_raise_fd_limit(struct pool_config *pool, int *control_clients, char *note, size_t size);
/* In a child between fork and exec: the open-file limit pooltop's caller
 * set, if pooltop raised it.  Async-signal-safe. */
void rlimits_prepare_exec(void);
/* Lower max_jobs (and jobs, min_jobs) to the processes RLIMIT_NPROC
 * leaves this user.  Returns true, with a note for the user, when the
 * initial count shrinks. */
bool rlimits_clamp_to_process_limit(struct pool_config *pool, char *note, size_t size);

#endif
