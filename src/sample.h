/* sample.h - CPU% and resident memory of process trees, read with
 * libproc2.  Each tree is a job (or worker) leader and all of its
 * descendants; only those trees are read, never all of /proc. */
#ifndef POOLTOP_SAMPLE_H
#define POOLTOP_SAMPLE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct sampler;

struct tree_usage {
	pid_t root;            /* in: the tree's leader */
	double cpu_percent;    /* out: 100 = one core over the last interval (over its life so
				  far when first seen); -1 if not known yet */
	uint64_t rss_bytes;    /* out: resident memory of the whole tree */
	uint64_t ticks;        /* out: CPU the tree used so far (its live members and
				  what they reaped), in clock ticks */
	int processes;         /* out: live processes in the tree (0: the leader is gone) */
};

/* NULL when libproc2 cannot be set up (memory itself never runs short:
 * see xalloc.h). */
struct sampler *sampler_new(void);
void sampler_free(struct sampler *sampler);

/* Read every tree in trees[0..n-1] at time `now` (monotonic seconds).
 * CPU% is the tree's CPU time used since the previous call that listed the
 * same root, divided by the wall time in between; a root seen for the
 * first time reports its CPU time since it started over its age (-1 while
 * younger than 0.2 s).  Roots not listed are forgotten.  Returns 0, or -1
 * when libproc2 could not read the processes: every tree is unknown then. */
int sampler_update(struct sampler *sampler, struct tree_usage *trees, size_t n, double now);
/* Clock ticks per second of tree_usage.ticks. */
long sampler_hertz(const struct sampler *sampler);

/* The arithmetic, exposed for tests: CPU% from two tick totals taken
 * `seconds` apart with `hertz` ticks per second (never negative). */
double sample_cpu_percent(uint64_t ticks_before, uint64_t ticks_now, double seconds, long hertz);

#endif
