/* rlimits.h - fit the pool into the process's resource limits: raise the
 * open-file limit as far as allowed, and never plan more workers than the
 * fds or RLIMIT_NPROC leave room for. */
#ifndef POOLTOP_RLIMITS_H
#define POOLTOP_RLIMITS_H

#include "pool.h"

/* Raise RLIMIT_NOFILE to its hard limit; lower max_jobs (and jobs,
 * min_jobs) to what the fds allow, four per slot; says so on stderr when
 * the initial count shrinks. */
void rlimits_raise_fd_limit(struct pool_config *pool);
/* Lower max_jobs (and jobs, min_jobs) to the processes RLIMIT_NPROC
 * leaves this user; says so on stderr when the initial count shrinks. */
void rlimits_clamp_to_process_limit(struct pool_config *pool);

#endif
