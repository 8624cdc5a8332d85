/* guardian.h - a small process that sees pooltop die and kills what would
 * be left of its jobs: a job's leader dies with pooltop, but the leader's
 * own children would run on, so every job's process group is killed. */
#ifndef POOLTOP_GUARDIAN_H
#define POOLTOP_GUARDIAN_H

#include <sys/types.h>

/* The hidden argument that makes pooltop act as the guardian, and the name
 * it goes by: `pidof pooltop` and `pgrep -x pooltop` never find it, so a
 * signal meant for pooltop does not reach it. */
#define GUARDIAN_FLAG "--guardian"
#define GUARDIAN_NAME "pooltop-guard"

/* Start the guardian, once, before any job.  Returns 0, or -1 with errno
 * (then jobs run unguarded: their leaders still die with pooltop). */
int guardian_start(void);
/* A new job's process group, to kill should pooltop die: one write. */
void guardian_watch_group(pid_t pgid);
/* pooltop ends in order: the guardian leaves the groups alone and exits. */
void guardian_release(void);
/* The guardian's life, in the process started with GUARDIAN_FLAG: reads
 * the groups from fd 3 until pooltop is gone.  Returns the exit status. */
int guardian_main(void);

#endif
